"""Sign up, sign in and sign out, inside the comments frame or on their own; confirm an e-mail address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.accounts import throttle
from townsquare.accounts.actions import (
    check_confirmation,
    do_confirm_email,
    do_create_reader,
    do_request_confirmation,
)
from townsquare.accounts.notifications import MAX_AGE as CONFIRMATION_MAX_AGE
from townsquare.errors import TownsquareError
from townsquare.lib.http import allow_framing, signed_in
from townsquare.lib.views import refusal
from townsquare.sites.models import Site


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else "/"


def _in_frame(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Framable by the publisher whose comments frame leads here (`next` is its reader page), as the
    reader page is: otherwise a cross-origin frame could not show the sign-in form at all."""
    try:
        match = resolve(urlsplit(_next(request)).path)
    except Resolver404:
        return response
    if match.url_name != "embed":
        return response
    site = Site.objects.filter(slug=match.kwargs["site_slug"]).first()
    return allow_framing(response, site) if site is not None else response


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return HttpResponseRedirect(_next(request))
    refused = throttle.refused(request)
    context = {"form": form, "next": _next(request), "throttled": refused.message if refused else ""}
    status = 429 if refused else 200
    return _in_frame(request, render(request, "accounts/signin.html", context, status=status))


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    error, field, values = "", "", {"username": "", "display_name": "", "email": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            profile = do_create_reader(password=request.POST.get("password", ""), **values)
        except TownsquareError as exc:
            error, field = exc.message, _field_of(exc.code)
        else:
            login(request, profile.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return HttpResponseRedirect(_next(request))
    context = {"error": error, "field": field, "values": values, "next": _next(request)}
    return _in_frame(request, render(request, "accounts/signup.html", context, status=400 if error else 200))


def _field_of(code: str) -> str:
    """The sign-up field an error code is about (`display_name_taken`: display_name), for the form to
    mark that field invalid, describe it by the message and put the cursor there."""
    if code == "account_taken":
        return "username"
    return next((f for f in ("display_name", "username", "email", "password") if code.startswith(f)), "")


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(_next(request))


@require_POST
def send_confirmation(request: HttpRequest) -> HttpResponse:
    try:
        sent = do_request_confirmation(signed_in(request))
    except TownsquareError as exc:  # said inside the comments frame, where the button was
        return _in_frame(request, refusal(request, exc.status, exc.code, exc.message))
    context = {"sent": sent, "days": CONFIRMATION_MAX_AGE.days, "next": _next(request)}
    return _in_frame(request, render(request, "accounts/confirmation_sent.html", context))


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Opening it changes nothing (mail scanners open links); the button does."""
    if request.method == "POST":
        profile = do_confirm_email(token)
        return render(request, "accounts/email_confirmed.html", {"email": profile.confirmed_email})
    profile = check_confirmation(token)
    return render(request, "accounts/confirm_email.html", {"email": profile.user.email})
