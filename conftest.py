"""Named personas for every test (healthchecks' habit): people, not user1 and user2.

- alice: a reader of The Gazette in good standing.      - bob: another reader, who replies to alice.
- troll: a reader who attacks others.                    - maria: moderator of The Gazette.
- oscar: moderator of The Courier, another site; he must be refused at The Gazette.
- ada: site administrator of The Gazette.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from townsquare.accounts.actions import do_confirm_email, do_create_reader
from townsquare.accounts.notifications import confirmation_token
from townsquare.comments.actions import ensure_article
from townsquare.comments.models import Article
from townsquare.sites.models import Site, SiteRole

# CI runs the same generated examples every time (a red CI must be reproducible); a developer's
# run explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")

PASSWORD = "correct horse battery"  # noqa: S105
SRC = Path(__file__).resolve().parent / "src"


def checkout_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess (`townsquare serve`, `worker`, `python -c`) that must run this
    checkout's code: the virtualenv's installed townsquare may be an editable install of another
    worktree. The checkout's root follows its src, for `tests.services` modules."""
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    paths = dict.fromkeys([str(SRC), str(SRC.parent), *inherited])
    return {**os.environ, **extra, "PYTHONPATH": os.pathsep.join(paths)}


@pytest.fixture(autouse=True)
def _fresh_cache_and_roomy_budget(settings: Any) -> None:
    """Rate limits live in the cache: each test starts with none. The moderation time budget is
    roomy here so a busy test machine never holds a comment; fault tests set their own budget."""
    from django.core.cache import cache

    cache.clear()
    settings.MODERATION_BUDGET_MS = 5000


@pytest.fixture
def pipeline_without_model(settings: Any) -> None:
    """The default pipeline less the model's phase: for stories about the rule phases and the plumbing
    around them, whose outcome must not move when the shipped model is retrained. The corpus and
    property tests of the pipeline keep the model."""
    entries = settings.MODERATION_PIPELINE
    settings.MODERATION_PIPELINE = [e for e in entries if not e["NAME"].endswith("ModelScores")]


def make_reader(username: str, display_name: str | None = None) -> Any:
    return do_create_reader(
        username=username, password=PASSWORD, display_name=display_name or username.capitalize()
    ).user


def confirm_email(user: Any, address: str) -> Any:
    """Give the reader `address`, confirmed as they would through the link mailed to them: reply
    notifications go to confirmed addresses only."""
    user.email = address
    user.save(update_fields=["email"])
    do_confirm_email(confirmation_token(user))
    user.profile.refresh_from_db()
    return user


@pytest.fixture
def gazette(db: None) -> Site:
    return Site.objects.create(
        slug="gazette", name="The Gazette", allowed_origins=["https://gazette.example"]
    )


@pytest.fixture
def courier(db: None) -> Site:
    return Site.objects.create(
        slug="courier", name="The Courier", allowed_origins=["https://courier.example"]
    )


@pytest.fixture
def article(gazette: Site) -> Article:
    return ensure_article(
        gazette, "peace-talks", url="https://gazette.example/peace-talks", title="Peace talks"
    )


@pytest.fixture
def alice(db: None) -> Any:
    return make_reader("alice")


@pytest.fixture
def bob(db: None) -> Any:
    return make_reader("bob")


@pytest.fixture
def troll(db: None) -> Any:
    return make_reader("troll", "NightWatch88")


@pytest.fixture
def maria(gazette: Site) -> Any:
    user = make_reader("maria")
    SiteRole.objects.create(site=gazette, user=user, role=SiteRole.Role.MODERATOR)
    return user


@pytest.fixture
def oscar(courier: Site) -> Any:
    user = make_reader("oscar")
    SiteRole.objects.create(site=courier, user=user, role=SiteRole.Role.MODERATOR)
    return user


@pytest.fixture
def ada(gazette: Site) -> Any:
    user = make_reader("ada")
    SiteRole.objects.create(site=gazette, user=user, role=SiteRole.Role.ADMIN)
    return user


def client_for(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


@pytest.fixture
def as_alice(alice: Any) -> Client:
    return client_for(alice)


@pytest.fixture
def as_bob(bob: Any) -> Client:
    return client_for(bob)
