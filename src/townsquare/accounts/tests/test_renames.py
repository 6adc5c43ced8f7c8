"""A new display name is a new face in every thread: the moderators of each site the reader wrote on
read in their audit log who it was before, whether the reader or their publisher changed it."""

import secrets
import time
from typing import Any

import jwt
import pytest
from conftest import client_for
from django.test import Client

from townsquare.accounts.changes import do_change_display_name
from townsquare.accounts.sso import do_sso_sign_in
from townsquare.accounts.tests.conftest import SSO_SECRET
from townsquare.comments.actions import do_post_comment, ensure_article
from townsquare.comments.models import Article
from townsquare.errors import TownsquareError
from townsquare.moderation.models import ModerationEvent
from townsquare.sites.models import Site

pytestmark = pytest.mark.usefixtures("pipeline_without_model")


def rename(client: Client, name: str) -> Any:
    return client.post("/accounts/me/name/", {"display_name": name})


def sso_token(name: str) -> str:
    now = int(time.time())
    claims = {"sub": "reader-991", "name": name, "email": "karine@example.org", "iat": now, "exp": now + 300}
    claims["jti"] = secrets.token_hex(8)  # a new token for each sign-in, as publishers mint them
    return jwt.encode(claims, SSO_SECRET, algorithm="HS256")


def renames() -> list[tuple[str, str, Any, Any, str]]:
    rows = ModerationEvent.objects.filter(action="rename").order_by("site__slug", "pk")
    return [(e.site.slug, e.source, e.actor, e.target_user, e.note) for e in rows]


def test_the_trolls_new_name_is_in_the_log_of_each_site_he_wrote_on(
    troll: Any, article: Article, courier: Site
):
    Site.objects.create(slug="herald", name="The Herald")  # he never wrote there
    do_post_comment(reader=troll, article=article, body="Sheep, all of you.")
    do_post_comment(reader=troll, article=ensure_article(courier, "harbour"), body="Sheep in Courier too.")
    assert rename(client_for(troll), "Concerned Citizen").status_code == 302
    assert renames() == [
        ("courier", "reader", troll, troll, '"NightWatch88" → "Concerned Citizen"'),
        ("gazette", "reader", troll, troll, '"NightWatch88" → "Concerned Citizen"'),
    ]


def test_every_rename_is_one_more_row(troll: Any, article: Article):
    do_post_comment(reader=troll, article=article, body="Sheep, all of you.")
    do_change_display_name(troll, "Concerned Citizen")
    do_change_display_name(troll, "Peace Lover")
    assert [note for *_, note in renames()] == [
        '"NightWatch88" → "Concerned Citizen"',
        '"Concerned Citizen" → "Peace Lover"',
    ]


def test_a_reader_who_wrote_nowhere_leaves_no_row(alice: Any, gazette: Site):
    do_change_display_name(alice, "Alice from Leeds")
    assert not ModerationEvent.objects.exists()


def test_the_same_name_or_a_refused_one_writes_nothing(alice: Any, bob: Any, article: Article):
    do_post_comment(reader=alice, article=article, body="Peace needs patience.")
    before = ModerationEvent.objects.count()
    do_change_display_name(alice, " Alice ")
    with pytest.raises(TownsquareError):
        do_change_display_name(alice, "BOB")
    assert ModerationEvent.objects.count() == before


def test_the_publishers_rename_is_logged_as_the_publishers(karine: Any, gazette: Site, article: Article):
    do_post_comment(reader=karine, article=article, body="From Lyon, with hope.")
    assert do_sso_sign_in(gazette, sso_token("Karine D.")) == karine
    assert renames() == [("gazette", "publisher", None, karine, '"Karine from Lyon" → "Karine D."')]
    do_sso_sign_in(gazette, sso_token("Karine D."))  # signed in again, same name
    assert len(renames()) == 1


def test_a_publishers_name_that_stays_numbered_is_no_rename(alice: Any, gazette: Site, article: Article):
    """The name "Alice" is alice's: the publisher's Alice is "Alice 2" at each sign-in, not renamed."""
    gazette.sso_secret = SSO_SECRET
    gazette.save()
    karine = do_sso_sign_in(gazette, sso_token("Alice"))
    do_post_comment(reader=karine, article=article, body="From Lyon, with hope.")
    do_sso_sign_in(gazette, sso_token("Alice"))
    assert karine.profile.display_name == "Alice 2"
    assert renames() == []
