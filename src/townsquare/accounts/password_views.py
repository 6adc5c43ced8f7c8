"""A forgotten password: ask for a link (ours), then Django's views to choose a new password."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from townsquare.accounts.pages import in_frame, next_url
from townsquare.accounts.passwords import do_request_password_reset
from townsquare.errors import TownsquareError
from townsquare.lib.http import client_ip


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    context = {"email": request.POST.get("email", ""), "next": next_url(request), "error": "", "code": ""}
    status = 200
    if request.method == "POST":
        try:
            address = do_request_password_reset(request.POST.get("email", ""), ip=client_ip(request))
        except TownsquareError as exc:
            context |= {"error": exc.message, "code": exc.code}
            status = exc.status
        else:
            days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
            page = {"email": address, "next": context["next"], "days": days}
            return in_frame(request, render(request, "accounts/password_reset_sent.html", page))
    return in_frame(request, render(request, "accounts/password_reset.html", context, status=status))


# The link in the e-mail: Django's views check its token and set the new password.
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
