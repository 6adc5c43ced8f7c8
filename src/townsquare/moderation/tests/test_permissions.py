"""Who may moderate the Gazette: maria (moderator) and ada (admin) may; readers, the troll, a staff
commenter and oscar, the Courier's moderator, are refused on every page and every API endpoint."""

import json

import pytest
from conftest import client_for, make_reader
from django.contrib.auth import get_user_model
from django.urls import reverse

from townsquare.comments.models import CommentState
from townsquare.errors import Forbidden, NotFound
from townsquare.moderation import permissions
from townsquare.moderation.models import ModerationEvent, ReaderSanction
from townsquare.moderation.tests.desk_helpers import make_comment
from townsquare.sites.models import SiteRole


@pytest.fixture
def staff(gazette):
    user = make_reader("sam")
    SiteRole.objects.create(site=gazette, user=user, role=SiteRole.Role.STAFF)
    return user


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="x" * 12)


@pytest.fixture
def people(alice, troll, maria, oscar, ada, staff, root):
    return {
        "alice": alice,
        "troll": troll,
        "maria": maria,
        "oscar": oscar,
        "ada": ada,
        "sam": staff,
        "root": root,
    }


REFUSED = ["alice", "troll", "oscar", "sam"]
ALLOWED = ["maria", "ada", "root"]


def test_access_site_for_moderator(people, gazette, courier):
    for name in ALLOWED:
        assert permissions.access_site_for_moderator(people[name], "gazette") == gazette
    for name in REFUSED:
        with pytest.raises(Forbidden):
            permissions.access_site_for_moderator(people[name], "gazette")
    assert permissions.access_site_for_moderator(people["oscar"], "courier") == courier
    with pytest.raises(NotFound):
        permissions.access_site_for_moderator(people["maria"], "nowhere")
    with pytest.raises(Forbidden):
        permissions.access_site_for_moderator(None, "gazette")


def test_access_comment_for_moderator(people, troll, article):
    comment = make_comment(troll, article)
    assert permissions.access_comment_for_moderator(people["maria"], comment.pk) == comment
    for name in REFUSED:
        with pytest.raises(Forbidden):
            permissions.access_comment_for_moderator(people[name], comment.pk)
    with pytest.raises(NotFound):
        permissions.access_comment_for_moderator(people["maria"], comment.pk + 1000)


def test_only_admins_reach_the_settings(people):
    for name in ("ada", "root"):
        assert permissions.access_site_for_admin(people[name], "gazette").slug == "gazette"
    for name in ["maria", *REFUSED]:
        with pytest.raises(Forbidden):
            permissions.access_site_for_admin(people[name], "gazette")


def test_moderated_sites(people, gazette, courier):
    assert list(permissions.moderated_sites(people["maria"])) == [gazette]
    assert list(permissions.moderated_sites(people["oscar"])) == [courier]
    assert list(permissions.moderated_sites(people["alice"])) == []
    assert set(permissions.moderated_sites(people["root"])) == {gazette, courier}


def page_requests(comment, reader, sanction):
    """(method, url, data) for every page of the desk that concerns the Gazette."""
    site = "gazette"
    return [
        ("get", reverse("moderation:queue", args=[site]), None),
        ("get", reverse("moderation:counts", args=[site]), None),
        ("get", reverse("moderation:context", args=[comment.pk]), None),
        ("get", reverse("moderation:reader", args=[site, reader.pk]), None),
        ("get", reverse("moderation:audit", args=[site]), None),
        ("get", reverse("moderation:audit_csv", args=[site]), None),
        ("post", reverse("moderation:approve", args=[comment.pk]), {}),
        ("post", reverse("moderation:resolve", args=[comment.pk]), {}),  # published now: may be kept
        ("post", reverse("moderation:reject", args=[comment.pk]), {"reason": "spam"}),
        (
            "post",
            reverse("moderation:bulk", args=[site]),
            {"ids": [comment.pk], "action": "reject", "reason": "spam"},
        ),
        ("post", reverse("moderation:sanction", args=[site, reader.pk]), {"kind": "ban"}),
        ("post", reverse("moderation:note", args=[site, reader.pk]), {"text": "hello"}),
        ("post", reverse("moderation:revoke", args=[site, sanction.pk]), {}),
    ]


@pytest.fixture
def scene(troll, maria, gazette, article):
    comment = make_comment(troll, article)
    sanction = ReaderSanction.objects.create(site=gazette, user=troll, kind="warn", created_by=maria)
    return comment, sanction


@pytest.mark.parametrize("name", REFUSED)
def test_every_page_refuses_non_moderators_and_changes_nothing(people, scene, troll, name):
    comment, sanction = scene
    client = client_for(people[name])
    events_before = ModerationEvent.objects.count()
    for method, url, data in page_requests(comment, troll, sanction):
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 403, (name, url, response.status_code)
    comment.refresh_from_db()
    sanction.refresh_from_db()
    assert comment.state == CommentState.HELD
    assert not sanction.revoked
    assert ReaderSanction.objects.count() == 1
    assert ModerationEvent.objects.count() == events_before
    assert client.get(reverse("moderation:settings", args=["gazette"])).status_code == 403


@pytest.mark.parametrize("name", ALLOWED)
def test_every_page_admits_this_sites_moderators(people, scene, troll, name):
    comment, sanction = scene
    client = client_for(people[name])
    for method, url, data in page_requests(comment, troll, sanction):
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code in (200, 302), (name, url, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, scene, troll):
    comment, sanction = scene
    for method, url, data in page_requests(comment, troll, sanction):
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:signin"))
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


def test_settings_page_is_for_admins_only(people):
    url = reverse("moderation:settings", args=["gazette"])
    assert client_for(people["maria"]).get(url).status_code == 403
    assert client_for(people["ada"]).get(url).status_code == 200
    assert client_for(people["maria"]).post(url, {"premoderate_all": "on"}).status_code == 403


def test_index_refuses_readers(people):
    assert client_for(people["alice"]).get(reverse("moderation:index")).status_code == 403
    assert client_for(people["root"]).get(reverse("moderation:index")).status_code == 200


def api_requests(comment):
    return [
        ("get", "/api/v1/moderate/sites/gazette/queue", None),
        ("post", f"/api/v1/moderate/comments/{comment.pk}/approve", {}),
        ("post", f"/api/v1/moderate/comments/{comment.pk}/reject", {"reason": "spam"}),
        ("post", "/api/v1/moderate/sites/gazette/bulk", {"action": "approve", "ids": [comment.pk]}),
    ]


def call(client, method, url, data):
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("name", REFUSED)
def test_api_refuses_non_moderators(people, scene, name):
    comment, _ = scene
    client = client_for(people[name])
    for method, url, data in api_requests(comment):
        response = call(client, method, url, data)
        assert response.status_code == 403, (name, url)
        assert response.json()["error"]["code"] == "not_a_moderator"
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


def test_oscar_cannot_sneak_a_gazette_comment_into_a_courier_bulk(people, scene):
    comment, _ = scene
    response = call(
        client_for(people["oscar"]),
        "post",
        "/api/v1/moderate/sites/courier/bulk",
        {"action": "approve", "ids": [comment.pk]},
    )
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


@pytest.mark.parametrize("name", ["maria", "ada", "root"])
def test_api_admits_this_sites_moderators(people, scene, name):
    comment, _ = scene
    client = client_for(people[name])
    assert call(client, "get", "/api/v1/moderate/sites/gazette/queue", None).status_code == 200
    assert call(client, "post", f"/api/v1/moderate/comments/{comment.pk}/approve", {}).status_code == 200


@pytest.mark.parametrize("who", ["oscar", "root", "alice"])
def test_maria_sees_no_account_that_never_was_on_the_gazette(people, scene, courier, who):
    """oscar moderates the Courier, root runs the platform, alice has not commented here: none of them
    exists for the Gazette's desk, not even their names."""
    client = client_for(people["maria"])
    target = people[who]
    for url in (
        reverse("moderation:reader", args=["gazette", target.pk]),
        reverse("moderation:sanction", args=["gazette", target.pk]),
        reverse("moderation:note", args=["gazette", target.pk]),
    ):
        method = client.get if url.endswith(f"/{target.pk}/") else client.post
        response = method(url, {"kind": "warn", "reason": "x", "text": "x"})
        assert response.status_code == 404, (url, response.status_code)
        assert target.username.encode() not in response.content
    assert not ReaderSanction.objects.filter(user=target).exists()
    # The troll commented here: the desk knows them.
    assert client.get(reverse("moderation:reader", args=["gazette", people["troll"].pk])).status_code == 200
