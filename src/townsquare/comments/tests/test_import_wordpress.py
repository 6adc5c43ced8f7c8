"""The Gazette moves its comments over from WordPress: `townsquare import_comments --format wordpress`."""

from typing import Any

import pytest

from townsquare.comments.models import Article, Comment, ImportBatch
from townsquare.comments.tests.importing import FIXTURES, edited, imported, line_of, refused, run
from townsquare.sites.models import Site

EXPORT = FIXTURES / "wordpress.xml"
WP = "wordpress:gazette.example:"  # ids carry the blog's host
HARBOUR = "https://gazette.example/2024/03/harbour-plan/"
BRIDGE = "https://gazette.example/?p=40"


@pytest.fixture
def moved(gazette: Site, django_capture_on_commit_callbacks: Any) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return run(EXPORT, "--format", "wordpress")


def test_each_post_with_comments_becomes_an_article_and_pingbacks_are_left_out(moved: str):
    assert "6 comments to import (0 imported before" in moved
    assert "pingbacks and trackbacks skipped (notices from other sites, not comments): 1." in moved
    assert list(Article.objects.order_by("key").values_list("key", "title")) == [
        (HARBOUR, "The harbour plan"),
        (BRIDGE, "Council votes on the bridge"),
    ]
    assert not Comment.objects.filter(body__contains="Gazette reports").exists()


def test_approval_becomes_the_state_and_replies_keep_their_parents(moved: str):
    states = {c.imported_as.external_id: c.state for c in Comment.objects.all()}
    assert states == {
        "wordpress:gazette.example:31": "published",
        "wordpress:gazette.example:33": "published",
        "wordpress:gazette.example:34": "rejected",  # spam
        "wordpress:gazette.example:35": "deleted",  # in the bin
        "wordpress:gazette.example:36": "held",  # awaiting moderation
        "wordpress:gazette.example:41": "published",
    }
    assert imported(WP + "33").parent == imported(WP + "31")
    # Sam thanked the pingback, which is not imported: the thanks stands on its own.
    assert imported(WP + "36").parent is None


def test_authors_are_known_by_their_account_address_or_name(moved: str):
    jane = imported(WP + "31").author
    assert jane.profile.display_name == "Jane Doe" and jane.email == "jane@example.org"
    assert jane.profile.external_id == "wordpress:gazette.example:user-4"
    assert imported(WP + "33").author == imported(WP + "36").author  # Sam, by address
    nameless = imported(WP + "41").author
    assert nameless.profile.display_name == "Anonymous" and nameless.email == ""
    assert 'authors without a name, shown as "Anonymous": 1.' in moved


def test_times_are_taken_in_utc_not_the_blogs_local_time(moved: str):
    assert imported(WP + "31").created_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert imported(WP + "41").created_at.isoformat() == "2024-07-02T18:45:00+00:00"


def test_a_comment_without_a_utc_time_keeps_its_local_time_as_utc(
    gazette, tmp_path, django_capture_on_commit_callbacks
):
    # Some plugins and older importers leave WordPress's "no date" in comment_date_gmt.
    path = edited(
        EXPORT,
        tmp_path,
        (
            "<![CDATA[2024-03-01 11:00:00]]></wp:comment_date_gmt>",
            "<![CDATA[0000-00-00 00:00:00]]></wp:comment_date_gmt>",
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = run(path, "--format", "wordpress")
    assert imported(WP + "33").created_at.isoformat() == "2024-03-01T12:00:00+00:00"  # comment_date
    assert imported(WP + "31").created_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert "their local time (wp:comment_date) was taken as UTC" in out and "time zone: 1." in out


def test_a_comment_with_no_time_at_all_is_an_error(gazette, tmp_path):
    path = edited(
        EXPORT,
        tmp_path,
        (
            "<![CDATA[2024-03-01 12:00:00]]></wp:comment_date>",
            "<![CDATA[0000-00-00 00:00:00]]></wp:comment_date>",
        ),
        (
            "<![CDATA[2024-03-01 11:00:00]]></wp:comment_date_gmt>",
            "<![CDATA[0000-00-00 00:00:00]]></wp:comment_date_gmt>",
        ),
    )
    refusal, report = refused(path, "--format", "wordpress")
    assert "1 line has errors; nothing was imported" in refusal
    assert 'and wp:comment_date "0000-00-00 00:00:00": the comment has no time' in report


def test_the_comment_keeps_its_lines_and_links_as_text(moved: str):
    first = imported(WP + "31")
    assert first.body == (
        "Finally, a plan.\n"
        "See [the port's page](https://port.example/plan).\n\n"
        "It costs \\*more\\* than the **bridge**."
    )
    assert first.html == (
        "<p>Finally, a plan.<br>\nSee "
        '<a href="https://port.example/plan" target="_blank" rel="nofollow ugc noopener noreferrer">'
        "the port's page</a>.</p>\n"
        "<p>It costs *more* than the <strong>bridge</strong>.</p>"
    )
    # WordPress shows comments as typed: "1." starting a line is not a list there, nor here.
    assert imported(WP + "41").html == "<p>1. The bridge can wait.<br>\n2. The harbour cannot.</p>"


@pytest.mark.parametrize(
    ("key", "harbour", "bridge"), [("id", "12", "40"), ("path", "/2024/03/harbour-plan/", "/?p=40")]
)
def test_articles_can_be_keyed_by_post_id_or_path(
    gazette, django_capture_on_commit_callbacks, key, harbour, bridge
):
    with django_capture_on_commit_callbacks(execute=True):
        run(EXPORT, "--format", "wordpress", "--key", key)
    assert set(Article.objects.values_list("key", flat=True)) == {harbour, bridge}


def test_importing_the_export_again_adds_nothing(moved: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        again = run(EXPORT, "--format", "wordpress")
    assert "nothing new (6 comments imported before)" in again
    assert Comment.objects.count() == 6 and ImportBatch.objects.count() == 1


def test_bad_comments_are_named_by_their_line_and_nothing_is_stored(gazette, tmp_path):
    path = edited(
        EXPORT,
        tmp_path,
        (
            "<![CDATA[2024-03-01 11:00:00]]></wp:comment_date_gmt>",
            "<![CDATA[1 March 2024, 11:00]]></wp:comment_date_gmt>",
        ),
        ("<![CDATA[spam]]>", "<![CDATA[maybe]]>"),
        ("<wp:comment_parent>32</wp:comment_parent>", "<wp:comment_parent>99</wp:comment_parent>"),
    )
    refusal, report = refused(path, "--format", "wordpress")
    assert "3 lines have errors; nothing was imported" in refusal
    # A comment's line is its <wp:comment>'s, the line before its id.
    sams, spam, thanks = (line_of(path, f"<wp:comment_id>{n}</wp:comment_id>") - 1 for n in (33, 34, 36))
    assert f'line {sams}: wp:comment_date_gmt is "1 March 2024, 11:00", not a time as WordPress' in report
    assert f'line {spam}: wp:comment_approved is "maybe": 1, 0, spam or trash was expected' in report
    assert f'line {thanks}: the parent "{WP}99" is neither in this file nor imported before' in report
    assert not Comment.objects.exists() and not ImportBatch.objects.exists()


def test_a_disqus_export_is_not_taken_for_a_wordpress_one(gazette):
    refusal, _ = refused(FIXTURES / "disqus.xml", "--format", "wordpress")
    assert "not a WordPress export (WXR): it starts with <disqus>, not <rss>" in refusal


def test_a_plain_rss_feed_is_not_taken_for_a_wordpress_export(gazette, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<rss version="2.0"><channel><item><title>Hi</title></item></channel></rss>')
    refusal, _ = refused(path, "--format", "wordpress")
    assert "not a WordPress export (WXR): it has no <wp:post_id>" in refusal


def test_a_hostile_file_is_refused(gazette, tmp_path):
    path = tmp_path / "hostile.xml"
    text = EXPORT.read_text()
    path.write_text(
        text.replace("<rss ", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss ', 1)
    )
    refusal, _ = refused(path, "--format", "wordpress")
    assert "refused: it declares a DTD or entities" in refusal


def test_two_blogs_moved_into_one_site_keep_their_comments_and_readers_apart(
    moved: str, tmp_path, django_capture_on_commit_callbacks
):
    # The second blog numbers its comments and users from 1 as well.
    other = tmp_path / "other.xml"
    other.write_text(EXPORT.read_text().replace("gazette.example", "sport.gazette.example"))
    with django_capture_on_commit_callbacks(execute=True):
        run(other, "--format", "wordpress")
    assert Comment.objects.count() == 12
    assert imported("wordpress:sport.gazette.example:31").author != imported(WP + "31").author
