"""The reader's account page, `/accounts/me/`: one form per setting, each posting to its own view.

A refused change shows the page again with the message beside its form and what was typed kept (but
passwords); a change that went through redirects back to the page, which says what changed.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.actions import ensure_profile
from townsquare.accounts.changes import (
    do_change_display_name,
    do_change_email,
    do_change_password,
    do_set_reply_emails,
)
from townsquare.accounts.erasure import CONFIRM_WORD, do_delete_account
from townsquare.accounts.models import publisher_site_id
from townsquare.accounts.pages import in_frame, next_url
from townsquare.accounts.records import account_data, own_comments
from townsquare.errors import TownsquareError
from townsquare.lib.http import reader_of, signed_in
from townsquare.sites.models import Site

# Which input a refusal is about, by its code, in each form: that input is marked invalid.
FIELDS = {
    "name": {"display_name": "display_name"},
    "email": {"email": "email", "password": "password", "signin": "password"},
    "password": {
        "old_password": "old_password",
        "password": "old_password",
        "signin": "old_password",
        "new_password1": "new_password1",
        "new_password2": "new_password2",
    },
}


def _signed_in_or_sign_in(request: HttpRequest) -> User | HttpResponse:
    user = reader_of(request)
    if user is None:
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:signin')}?{query}")
    return user


def account_context(request: HttpRequest, user: User) -> dict[str, object]:
    """What every account page shows of the reader: their profile and where they sign in."""
    site_id = publisher_site_id(user)
    return {
        "profile": ensure_profile(user),
        "account": user,
        "publisher": Site.objects.filter(pk=site_id).first() if site_id is not None else None,
        "publisher_account": site_id is not None,
        "next": next_url(request),
    }


def _page(
    request: HttpRequest,
    user: User,
    *,
    form: str = "",
    error: TownsquareError | None = None,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    context = account_context(request, user)
    context |= {
        "values": {"display_name": ensure_profile(user).display_name, "email": user.email, **(values or {})},
        "form": form,
        "error": error.message if error else "",
        "code": error.code if error else "",
        "field": _field_of(form, error.code) if error else "",
        "saved": "" if error else request.GET.get("saved", ""),
    }
    status = error.status if error else 200
    return in_frame(request, render(request, "accounts/me.html", context, status=status))


def _field_of(form: str, code: str) -> str:
    return next((f for prefix, f in FIELDS.get(form, {}).items() if code.startswith(prefix)), "")


@require_GET
def me(request: HttpRequest) -> HttpResponse:
    user = _signed_in_or_sign_in(request)
    return user if isinstance(user, HttpResponse) else _page(request, user)


@require_GET
def my_comments(request: HttpRequest) -> HttpResponse:
    user = _signed_in_or_sign_in(request)
    if isinstance(user, HttpResponse):
        return user
    context = account_context(request, user) | {"page": own_comments(user, cursor=request.GET.get("cursor"))}
    return in_frame(request, render(request, "accounts/my_comments.html", context))


@never_cache
@require_GET
def download_data(request: HttpRequest) -> HttpResponse:
    """Everything Townsquare holds about the reader, as a JSON file to keep or take elsewhere."""
    user = _signed_in_or_sign_in(request)
    if isinstance(user, HttpResponse):
        return user
    data = account_data(user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    name = f"townsquare-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _change(
    request: HttpRequest, form: str, change: Callable[[User], str], values: dict[str, str] | None = None
) -> HttpResponse:
    """Run `change` for the signed-in reader; back to the page saying what changed, or why not."""
    user = signed_in(request)
    try:
        saved = change(user)
    except TownsquareError as exc:
        return _page(request, user, form=form, error=exc, values=values)
    query = urlencode({"next": next_url(request), "saved": saved})
    return HttpResponseRedirect(f"{reverse('accounts:me')}?{query}#{form}")


@require_POST
def change_name(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("display_name", "")

    def change(user: User) -> str:
        do_change_display_name(user, name)
        return "name"

    return _change(request, "name", change, {"display_name": name})


@require_POST
def change_email(request: HttpRequest) -> HttpResponse:
    email = request.POST.get("email", "")

    def change(user: User) -> str:
        before = user.email
        do_change_email(user, email, password=request.POST.get("password", ""), request=request)
        if user.email == before:
            return "email_same"
        return "email" if user.email else "email_removed"

    return _change(request, "email", change, {"email": email})


@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    def change(user: User) -> str:
        do_change_password(
            user,
            old_password=request.POST.get("old_password", ""),
            new_password1=request.POST.get("new_password1", ""),
            new_password2=request.POST.get("new_password2", ""),
            request=request,
        )
        update_session_auth_hash(request, user)  # this session stays; every other one ends
        return "password"

    return _change(request, "password", change)


@require_POST
def set_reply_emails(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("reply_emails") == "on"

    def change(user: User) -> str:
        do_set_reply_emails(user, on=on)
        return "replies_on" if on else "replies_off"

    return _change(request, "replies", change)


@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """The confirmation step, then the deletion: the reader is signed out and told it is done."""
    user = _signed_in_or_sign_in(request) if request.method == "GET" else signed_in(request)
    if isinstance(user, HttpResponse):
        return user
    context = account_context(request, user) | {"confirm_word": CONFIRM_WORD, "error": "", "code": ""}
    if request.method == "POST":
        try:
            do_delete_account(user, confirmation=request.POST.get("confirmation", ""), request=request)
        except TownsquareError as exc:
            context |= {"error": exc.message, "code": exc.code}
            page = render(request, "accounts/delete_account.html", context, status=exc.status)
            return in_frame(request, page)
        logout(request)
        return in_frame(request, render(request, "accounts/account_deleted.html", {"next": context["next"]}))
    return in_frame(request, render(request, "accounts/delete_account.html", context))
