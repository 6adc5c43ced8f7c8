"""Sign up, sign in and sign out, inside the comments frame or on their own."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.accounts.actions import do_create_reader
from townsquare.errors import TownsquareError


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else "/"


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return HttpResponseRedirect(_next(request))
    return render(request, "accounts/signin.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    error, values = "", {"username": "", "display_name": "", "email": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            profile = do_create_reader(password=request.POST.get("password", ""), **values)
        except TownsquareError as exc:
            error = exc.message
        else:
            login(request, profile.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return HttpResponseRedirect(_next(request))
    context = {"error": error, "values": values, "next": _next(request)}
    return render(request, "accounts/signup.html", context, status=400 if error else 200)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(_next(request))
