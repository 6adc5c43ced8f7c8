"""The Gazette moves its comments over from Disqus: `townsquare import_comments --format disqus`."""

from typing import Any

import pytest

from townsquare.comments.models import Article, Comment, ImportBatch
from townsquare.comments.tests.importing import FIXTURES, edited, imported, line_of, refused, run
from townsquare.moderation.models import ModerationEvent
from townsquare.sites.models import Site

EXPORT = FIXTURES / "disqus.xml"
HARBOUR = "https://gazette.example/2024/03/harbour-plan/"
BRIDGE = "https://gazette.example/2024/04/bridge-vote/?ref=front"


@pytest.fixture
def moved(gazette: Site, django_capture_on_commit_callbacks: Any) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return run(EXPORT, "--format", "disqus")


def test_each_disqus_thread_becomes_the_article_at_its_address(moved: str):
    assert "7 comments to import (0 imported before" in moved
    articles = Article.objects.order_by("key").values_list("key", "url", "title")
    assert list(articles) == [
        (HARBOUR, HARBOUR, "The harbour plan"),
        # Its post came before the thread in the file.
        (BRIDGE, BRIDGE, "Council votes on the bridge"),
    ]
    assert Comment.objects.filter(article__key=HARBOUR).count() == 6


def test_replies_keep_their_parents_and_spam_and_deleted_posts_their_fate(moved: str):
    first, reply, answer = imported("disqus:1001"), imported("disqus:1002"), imported("disqus:1003")
    assert (reply.parent, answer.parent, answer.root) == (first, reply, first)
    assert imported("disqus:1006").parent == imported("disqus:1005")
    states = {c.imported_as.external_id: c.state for c in Comment.objects.all()}
    assert states == {
        "disqus:1001": "published",
        "disqus:1002": "published",
        "disqus:1003": "published",
        "disqus:1004": "rejected",  # marked spam in Disqus
        "disqus:1005": "deleted",
        "disqus:1006": "published",
        "disqus:2001": "published",
    }
    assert imported("disqus:1004").reasons[0]["text"] == "Rejected in the previous system."
    assert not ModerationEvent.objects.filter(source="pipeline").exists()


def test_authors_are_known_by_their_disqus_name_or_address(moved: str):
    jane = imported("disqus:1001").author
    assert imported("disqus:1003").author == jane
    assert jane.profile.external_id == "disqus:janedoe" and jane.email == "jane@example.org"
    sam = imported("disqus:1002").author  # a guest: known by address
    assert imported("disqus:1006").author == sam and sam.profile.display_name == "Sam"
    assert sam.email == "sam@example.net" and sam.profile.external_id == ""
    owl = imported("disqus:2001").author
    assert owl.profile.display_name == "Night Owl" and owl.email == ""
    assert "e-mail addresses that are not valid, left out: 1." in moved


def test_times_are_kept_in_utc(moved: str):
    assert imported("disqus:1001").created_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert imported("disqus:2001").created_at.isoformat() == "2024-04-02T18:45:00+00:00"


def test_the_html_becomes_text_with_its_paragraphs_and_links(moved: str):
    first = imported("disqus:1001")
    assert first.body == (
        "Finally, a **plan** for the harbour.\n\n"
        "See [the port's page](https://port.example/plan) - it costs 5\\*3 million."
    )
    assert "<script" not in first.html and "alert" not in first.html
    assert '<a href="https://port.example/plan" target="_blank" rel="nofollow ugc' in first.html
    assert "5*3 million" in first.html  # a star in the text is a star, not emphasis
    assert imported("disqus:1002").body == "It will cost more\nthan they say."
    assert imported("disqus:1003").body == "Everything does & always has."


@pytest.mark.parametrize(
    ("key", "harbour", "bridge"),
    [
        ("id", "harbour-plan", "bridge-vote"),
        ("path", "/2024/03/harbour-plan/", "/2024/04/bridge-vote/?ref=front"),
    ],
)
def test_articles_can_be_keyed_as_the_pages_will_embed_them(
    gazette, django_capture_on_commit_callbacks, key, harbour, bridge
):
    with django_capture_on_commit_callbacks(execute=True):
        run(EXPORT, "--format", "disqus", "--key", key)
    assert set(Article.objects.values_list("key", flat=True)) == {harbour, bridge}
    assert Article.objects.get(key=harbour).url == HARBOUR


def test_importing_the_export_again_adds_nothing(moved: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        again = run(EXPORT, "--format", "disqus")
    assert "nothing new (7 comments imported before)" in again
    assert Comment.objects.count() == 7 and ImportBatch.objects.count() == 1


def test_bad_posts_are_named_by_their_line_and_nothing_is_stored(gazette, tmp_path):
    path = edited(
        EXPORT,
        tmp_path,
        ("<createdAt>2024-03-01T10:00:00Z</createdAt>", "<createdAt>2024-03-01T10:00:00</createdAt>"),
        ('<thread dsq:id="200"/>', '<thread dsq:id="300"/>'),
    )
    refusal, report = refused(path, "--format", "disqus")
    assert "2 lines have errors; nothing was imported" in refusal
    sams, owls = line_of(path, '<post dsq:id="1002">'), line_of(path, '<post dsq:id="2001">')
    assert f'line {sams}: "createdAt": Input should have timezone info' in report
    assert f'line {owls}: its thread (dsq:id "300") is not in the file' in report
    assert not Comment.objects.exists() and not ImportBatch.objects.exists()


def test_a_thread_without_an_identifier_cannot_be_keyed_by_it(gazette, tmp_path):
    path = edited(EXPORT, tmp_path, ("<id>bridge-vote</id>", "<id/>"))
    refusal, report = refused(path, "--format", "disqus", "--key", "id")
    assert "1 line has errors" in refusal
    assert "its thread has no identifier (try --key url)" in report


def test_a_broken_file_is_refused_with_where_it_breaks(gazette, tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(EXPORT.read_text()[:2000])  # the download stopped half-way
    refusal, _ = refused(path, "--format", "disqus")
    assert "not well-formed XML (no element found: line" in refusal and "Nothing was imported" in refusal
    assert not Comment.objects.exists()


def test_another_kind_of_xml_is_not_taken_for_a_disqus_export(gazette, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><item/></channel></rss>\n')
    refusal, _ = refused(path, "--format", "disqus")
    assert "not a Disqus export: it starts with <rss>, not <disqus>" in refusal


@pytest.mark.parametrize(
    "declarations",
    [
        # Billion laughs: a few hundred bytes that expand to gigabytes.
        '<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10)),
        # An external entity: a file of this machine read into a comment.
        '<!ENTITY lol9 SYSTEM "file:///etc/passwd">',
    ],
)
def test_a_hostile_file_is_refused_before_it_expands(gazette, tmp_path, declarations):
    path = tmp_path / "hostile.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE disqus [{declarations}]>\n'
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        '<post dsq:id="1"><message>&lol9;</message></post></disqus>\n'
    )
    refusal, _ = refused(path, "--format", "disqus")
    assert "refused: it declares a DTD or entities" in refusal
    assert not Comment.objects.exists() and not ImportBatch.objects.exists()
