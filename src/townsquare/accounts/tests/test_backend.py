"""Signed-in requests load the reader's profile with the account."""

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townsquare.accounts.actions import ensure_profile
from townsquare.accounts.backends import ReaderBackend


def test_the_profile_comes_with_the_account(alice):
    user = ReaderBackend().get_user(alice.pk)
    assert user is not None
    with CaptureQueriesContext(connection) as queries:
        assert ensure_profile(user).display_name == alice.profile.display_name
    assert len(queries) == 0


def test_an_account_made_elsewhere_gets_its_profile_on_first_use(db):
    made = User.objects.create_user("walter", password="x" * 12)
    user = ReaderBackend().get_user(made.pk)
    assert user is not None
    profile = ensure_profile(user)
    assert profile.pk is not None and user.profile == profile
    assert ensure_profile(ReaderBackend().get_user(made.pk)) == profile


def test_an_inactive_or_unknown_account_is_nobody(alice):
    alice.is_active = False
    alice.save()
    assert ReaderBackend().get_user(alice.pk) is None
    assert ReaderBackend().get_user(10**9) is None
