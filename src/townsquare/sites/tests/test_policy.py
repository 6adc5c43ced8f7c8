"""A site's policy: its own values where it set them, the defaults elsewhere."""

from typing import Any

from townsquare.sites.models import Site
from townsquare.sites.policy import DEFAULT_POLICY


def test_a_site_without_a_policy_gets_the_defaults(gazette: Site):
    assert gazette.policy_value("premoderate_all") is DEFAULT_POLICY["premoderate_all"]


def test_a_sites_own_value_wins(gazette: Site):
    gazette.policy = {"premoderate_all": True}
    gazette.save()
    gazette.refresh_from_db()
    assert gazette.policy_value("premoderate_all") is True


def test_premoderate_all_holds_every_new_comment(gazette: Site, article: Any, alice: Any, settings: Any):
    from townsquare.comments.actions import do_post_comment

    settings.MODERATION_PIPELINE = [{"NAME": "townsquare.moderation.phases.reader.Premoderation"}]
    gazette.policy = {"premoderate_all": True}
    gazette.save()
    article.site = gazette
    result = do_post_comment(reader=alice, article=article, body="Hello there")
    assert result.comment is not None
    assert result.comment.state == "held"
