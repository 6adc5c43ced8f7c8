"""A reader deletes their account (GDPR Article 17): what they wrote and who they were is erased.

The account's row stays, emptied and deactivated. Comments, audit rows, sanctions, reactions and
reports point at it, and threads hang on comments: keeping the row keeps every site's audit log,
its sanctions and its threads consistent (a reply stays where it was, under a placeholder; a count
stays true), and nothing cascades away. What identifies or was written by the reader goes:

- every comment becomes DELETED through the one transition, with its audit row, as the reader's
  own delete does; its body, rendering, fingerprint, address hash and earlier versions are cleared,
  and so are the excerpts its reasons quote, there and in its audit rows (`erase_comment`);
- the text of comments they were nudged about and never posted, and the notes of their reports;
- their earlier display names, which each `rename` audit row quotes (the row stays: a rename happened);
- the e-mail address (and its confirmation), the password (made unusable), the publisher's id for
  them, their first and last names;
- the user name becomes `deleted-<id>` and the display name `Deleted reader <id>`, names nobody can
  sign up with or change to (`accounts.actions.RESERVED_PREFIXES`, `check_display_name_free`).

The account goes in one transaction (`do_delete_account`), and its comments in the job it queues
there (`erase_comments`), a hundred to a transaction: a reader with thousands of comments would
otherwise hold SQLite's one writer long past every other post's busy timeout. With in-process jobs
(the default) they are erased as soon as the reader has the answer to the request; with Celery
workers, moments later; a job lost with its process or worker is queued again by the sweep
(`resume_erasures`).

Kept, as the newsroom's record or because they say nothing of the reader without the rest: which
comments they reacted to and reported (the counts stay true), sanctions and moderators' notes, trust.

The old user name and display name are free at once, for anyone. That is safe: nothing shown
anywhere still carries them (the comments are placeholders without an author, the desk and the
audit log show the new names), and a newcomer who takes one inherits nothing (comments, sanctions,
mail, sessions all follow the row, not the name). Holding the names back would mean keeping them,
which is what the reader asked us not to do. Each site the reader had anything on gets a
`delete_account` audit row.

A reader whom their publisher signs in comes back, if the publisher signs them in again, as a new
account: their old one is no longer found by the publisher's id. It starts empty but for one thing:
the measures in force against them (a ban, a suspension, pre-moderation, on any site). A sanction
must survive the deletion, or deleting the account would be the way out of any ban: keeping it is
the site's legitimate interest in protecting its readers from abuse (GDPR Article 6(1)(f)), and only
as much is kept as that needs. So, for a publisher's reader only, each such measure is kept as a
tombstone (`accounts.tombstones`): its site, kind, end and the moderator's reason, and the reader
known only by a keyed hash (HMAC-SHA256 with `SECRET_KEY`) of the publisher's site and id for them,
never the id itself, nor anything they wrote. The new account gets the measures still in force, with
an audit row by the system, and the tombstones go; those of measures that end go with the sweep.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import get_random_string

from townsquare.accounts.actions import ensure_profile, reader_sites, unused_display_name
from townsquare.accounts.changes import check_own_password
from townsquare.accounts.models import DELETED_NAME, DELETED_PREFIX, Profile, publisher_site_id
from townsquare.accounts.tombstones import keep_sanctions
from townsquare.comments.actions import erase_comment, scrub_reasons
from townsquare.comments.models import Comment, CommentState, Report
from townsquare.errors import Forbidden, InvalidInput
from townsquare.jobs.api import enqueue, register
from townsquare.moderation.models import ModerationEvent

# What a reader whom their publisher signs in types to confirm: they have no password here.
CONFIRM_WORD = "delete"
ERASE_JOB = "accounts.erase_comments"
ERASE_CHUNK = 100


def check_delete_confirmation(request: HttpRequest | None, user: User, confirmation: str) -> None:
    """The reader's password, or for a publisher's reader the confirm word; InvalidInput otherwise."""
    if user.is_staff or user.is_superuser:
        raise Forbidden(
            "An account that can use the admin site is removed there, by another administrator.",
            code="staff_account",
        )
    if publisher_site_id(user) is None:
        check_own_password(request, user, confirmation)
    elif confirmation.strip().casefold() != CONFIRM_WORD:
        raise InvalidInput(f'Type "{CONFIRM_WORD}" to confirm.', code="confirmation_word")


def do_delete_account(user: User, *, confirmation: str, request: HttpRequest | None = None) -> None:
    """Erase the reader's personal data and deactivate the account, as the module says. The account
    goes in one transaction, or nothing does; its comments follow in the `ERASE_JOB` job, queued in
    that transaction. The caller then signs the reader out; every other session of theirs already
    ends, as the account is inactive."""
    check_delete_confirmation(request, user, confirmation)
    with transaction.atomic():
        sites = reader_sites(user)
        comments = Counter(Comment.objects.filter(author=user).values_list("article__site_id", flat=True))
        _erase_audit_text(user)
        Report.objects.filter(reporter=user).update(note="")
        keep_sanctions(user)  # before the publisher's id for the reader leaves with the account's name
        _erase_account(user)
        for site_id in sorted(sites):
            ModerationEvent.objects.create(
                site_id=site_id,
                target_user=user,
                actor=user,
                source=ModerationEvent.Source.READER,
                action="delete_account",
                note=f"The reader deleted their account; their comments erased here: {comments[site_id]}.",
            )
        enqueue(ERASE_JOB, user_id=user.pk)


# A comment not erased yet: an erased one is deleted and has no text.
UNERASED = ~Q(state=CommentState.DELETED, body="")


@register(ERASE_JOB, soft_time_limit=600, time_limit=660, max_retries=8, retry_backoff=10)
def erase_comments(user_id: int) -> int:
    """Erase every comment of a deleted account, `ERASE_CHUNK` to a transaction; returns how many.

    In chunks, because a reader may have written thousands: in one transaction, SQLite's only writer
    would keep every other reader's post waiting past its busy timeout. Newest first, so a reply of
    theirs leaves the thread before a comment of theirs it answers. Safe to run twice or to resume:
    an erased comment is not touched again, and `resume_erasures` queues an unfinished one again."""
    user = User.objects.filter(pk=user_id, is_active=False, username__startswith=DELETED_PREFIX).first()
    if user is None:
        return 0  # not a deleted account: nothing here erases a reader who is still here
    erased = 0
    while True:
        with transaction.atomic():
            todo = Comment.objects.filter(UNERASED, author=user).order_by("-pk")
            ids = list(todo.values_list("pk", flat=True)[:ERASE_CHUNK])
            for pk in ids:
                erase_comment(pk, actor=user, note="account deleted")
            _scrub_reasons(ModerationEvent.objects.filter(comment_id__in=ids))
        if not ids:
            return erased
        erased += len(ids)


def resume_erasures(limit: int = 20) -> int:
    """Queue `ERASE_JOB` again for deleted accounts that still have comments to erase (their job lost
    with a worker, or given up), deleted over `TOWNSQUARE_SWEEP_AFTER_MINUTES` ago; returns how many.
    The sweep calls it."""
    cutoff = timezone.now() - timedelta(minutes=settings.TOWNSQUARE_SWEEP_AFTER_MINUTES)
    deleted_before = ModerationEvent.objects.filter(
        action="delete_account", target_user_id=OuterRef("author_id"), created_at__lt=cutoff
    )
    waiting = Comment.objects.filter(
        UNERASED, author__is_active=False, author__username__startswith=DELETED_PREFIX
    ).filter(Exists(deleted_before))
    user_ids = list(waiting.values_list("author_id", flat=True).distinct()[:limit])
    for user_id in user_ids:
        enqueue(ERASE_JOB, user_id=user_id)
    return len(user_ids)


def _erase_audit_text(user: User) -> None:
    """What the audit rows quote of the reader's words: the texts they were nudged about and never
    posted (kept as the row's note), their report notes, the excerpts the nudges' reasons quote (the
    comments' own go with them, in `erase_comments`), and the names their renames went from and to."""
    nudges = ModerationEvent.objects.filter(target_user=user, action="nudge")
    nudges.update(note="")
    ModerationEvent.objects.filter(target_user=user, action="rename").update(note="")
    ModerationEvent.objects.filter(actor=user, action="report").update(note="")
    _scrub_reasons(nudges)


def _scrub_reasons(events: "QuerySet[ModerationEvent]") -> None:
    for event in events.only("pk", "reasons").iterator():
        if event.reasons:
            ModerationEvent.objects.filter(pk=event.pk).update(reasons=scrub_reasons(event.reasons))


def _erase_account(user: User) -> None:
    profile = ensure_profile(user)
    name = f"{DELETED_PREFIX}{user.pk}"
    if User.objects.filter(username=name).exclude(pk=user.pk).exists():  # signed up before it was kept
        name = f"{name}-{get_random_string(8)}"
    user.username = name
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    Profile.objects.filter(pk=profile.pk).update(
        display_name=unused_display_name(f"{DELETED_NAME} {user.pk}"),
        confirmed_email="",
        external_id="",
        reply_emails=False,
    )
