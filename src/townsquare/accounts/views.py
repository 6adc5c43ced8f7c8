"""Sign up, sign in and sign out, inside the comments frame or on their own; the links in e-mails that
confirm an address and stop reply e-mails."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.accounts import throttle
from townsquare.accounts.actions import (
    check_confirmation,
    do_confirm_email,
    do_create_reader,
    do_request_confirmation,
)
from townsquare.accounts.notifications import MAX_AGE as CONFIRMATION_MAX_AGE
from townsquare.accounts.pages import in_frame, next_url
from townsquare.accounts.unsubscribe import check_unsubscribe, do_unsubscribe
from townsquare.errors import TownsquareError
from townsquare.lib.http import signed_in
from townsquare.lib.views import refusal


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return HttpResponseRedirect(next_url(request))
    refused = throttle.refused(request)
    context = {"form": form, "next": next_url(request), "throttled": refused.message if refused else ""}
    status = 429 if refused else 200
    return in_frame(request, render(request, "accounts/signin.html", context, status=status))


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
            return HttpResponseRedirect(next_url(request))
    context = {"error": error, "field": field, "values": values, "next": next_url(request)}
    return in_frame(request, render(request, "accounts/signup.html", context, status=400 if error else 200))


def _field_of(code: str) -> str:
    """The sign-up field an error code is about (`display_name_taken`: display_name), for the form to
    mark that field invalid, describe it by the message and put the cursor there."""
    if code == "account_taken":
        return "username"
    return next((f for f in ("display_name", "username", "email", "password") if code.startswith(f)), "")


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(next_url(request))


@require_POST
def send_confirmation(request: HttpRequest) -> HttpResponse:
    try:
        sent = do_request_confirmation(signed_in(request))
    except TownsquareError as exc:  # said inside the comments frame, where the button was
        return in_frame(request, refusal(request, exc.status, exc.code, exc.message))
    context = {"sent": sent, "days": CONFIRMATION_MAX_AGE.days, "next": next_url(request)}
    return in_frame(request, render(request, "accounts/confirmation_sent.html", context))


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Opening it changes nothing (mail scanners open links); the button does."""
    if request.method == "POST":
        profile = do_confirm_email(token)
        return render(request, "accounts/email_confirmed.html", {"email": profile.confirmed_email})
    profile = check_confirmation(token)
    return render(request, "accounts/confirm_email.html", {"email": profile.user.email})


# The mail client's one-click POST (RFC 8058) comes without cookies or a CSRF token: the signed link
# itself is what allows it, and all it can do is stop e-mails to the address it was mailed to.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in reply e-mails. Opening it changes nothing (mail scanners open links); a POST does."""
    if request.method == "POST":
        address = do_unsubscribe(token)
        return render(request, "accounts/unsubscribed.html", {"email": address})
    _, address = check_unsubscribe(token)
    return render(request, "accounts/unsubscribe.html", {"email": address})
