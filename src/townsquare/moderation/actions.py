"""Every write a moderator or site administrator makes, shared by the dashboard, the API and the tests.

Each `do_*` checks permission first (through `permissions`), changes state inside one transaction and
writes its `ModerationEvent` (source "moderator") in that same transaction; `do_reapply_sanction`, which
no moderator calls, checks nothing and writes source "system". Comment state changes go through
`transitions.transition`, so `townsquare model train --with-decisions` finds every decision as
`source="moderator", to_state in ("published", "rejected")`.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from townsquare.comments.models import Comment, CommentState, Report
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.lib.http import ID_MAX
from townsquare.lib.text import check_storable
from townsquare.moderation.models import ModerationEvent, ReaderSanction
from townsquare.moderation.permissions import check_moderates, is_site_admin, role_on
from townsquare.moderation.policy_rules import check_policy_changes, reject_reasons
from townsquare.moderation.queues import APPROVED_BY_MODERATOR
from townsquare.moderation.transitions import record_on_comment, transition
from townsquare.sites.models import Site

MODERATOR = ModerationEvent.Source.MODERATOR
MAX_BULK = 500
NOTE_MAX = 2000


def _check_note(note: str) -> str:
    note = check_storable(note.strip(), "The note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"A note has at most {NOTE_MAX} characters.", code="note_too_long")
    return note


def check_reject_reason(site: Site, reason_code: str) -> dict[str, Any]:
    """The reason a moderator gives for a rejection, from the site's policy."""
    reasons = reject_reasons(site)
    if reason_code not in reasons:
        choices = ", ".join(sorted(reasons))
        raise InvalidInput(f"Choose a rejection reason: {choices}.", code="reject_reason_invalid")
    return {"code": reason_code, "text": reasons[reason_code], "span": None, "phase": "moderator"}


def _resolve_open_reports(comments: Sequence[Comment]) -> None:
    ids = [c.pk for c in comments]
    Report.objects.filter(comment_id__in=ids, resolved=False).update(resolved=True)
    Comment.objects.filter(pk__in=ids, report_count__gt=0).update(report_count=0)
    for comment in comments:
        comment.report_count = 0


def _locked(comment: Comment) -> Comment:
    """The comment as stored now, locked until the transaction ends (PostgreSQL; SQLite locks all)."""
    return Comment.objects.select_related("article").select_for_update(of=("self",)).get(pk=comment.pk)


def check_seen(comments: Sequence[Comment], seen: Mapping[int, str]) -> None:
    """Refuse a decision taken on an old view of a comment: another moderator decided it, or its author
    edited it, after the page or the API call that the moderator acted on was made. `seen` maps ids to
    the `Comment.version` they saw; a comment without an entry is not checked."""
    changed = [c.pk for c in comments if seen.get(c.pk) and seen[c.pk] != c.version]
    if changed:
        which = "This comment" if len(comments) == 1 else f"Comments {', '.join(map(str, changed))}"
        raise Conflict(
            f"{which} changed since you saw it: another moderator decided, or the author edited. "
            "Reload to see it as it is now.",
            code="changed_meanwhile",
        )


def _approve(moderator: User, comment: Comment, note: str) -> ModerationEvent:
    comment.decided_by = APPROVED_BY_MODERATOR
    return transition(
        comment, CommentState.PUBLISHED, source=MODERATOR, actor=moderator, action="approve", note=note
    )


def _reject(moderator: User, comment: Comment, reason: dict[str, Any], note: str) -> ModerationEvent:
    # The pipeline's reasons stay with the comment, so the audit row explains both decisions.
    kept = [r for r in comment.reasons if r.get("phase") != "moderator"]
    comment.decided_by = reason["code"]
    return transition(
        comment,
        CommentState.REJECTED,
        source=MODERATOR,
        actor=moderator,
        action="reject",
        reasons=[*kept, reason],
        note=note,
    )


def do_approve(moderator: User, comment: Comment, *, note: str = "", seen: str = "") -> ModerationEvent:
    """Publish a held, reported or rejected comment at once; its open reports are resolved. With
    `seen` (the `Comment.version` the moderator saw), refused if the comment changed since."""
    check_moderates(moderator, comment.article.site)
    note = _check_note(note)
    with transaction.atomic():
        comment = _locked(comment)
        check_seen([comment], {comment.pk: seen})
        _resolve_open_reports([comment])
        return _approve(moderator, comment, note)


def do_reject(
    moderator: User, comment: Comment, reason_code: str, *, note: str = "", seen: str = ""
) -> ModerationEvent:
    """Reject a comment: a published one disappears from the reader thread (a placeholder if it has
    replies). The reason code must be one of the site's `reject_reasons`; `seen` as for `do_approve`."""
    site = comment.article.site
    check_moderates(moderator, site)
    reason = check_reject_reason(site, reason_code)
    note = _check_note(note)
    with transaction.atomic():
        comment = _locked(comment)
        check_seen([comment], {comment.pk: seen})
        _resolve_open_reports([comment])
        return _reject(moderator, comment, reason, note)


def _bulk_comments(
    moderator: User, site: Site, comment_ids: Iterable[int], seen: Mapping[int, str] | None
) -> list[Comment]:
    check_moderates(moderator, site)
    # An id past any table's range names no comment (and the database would refuse to compare it).
    ids = sorted({int(i) for i in comment_ids})
    stored = [i for i in ids if 0 < i <= ID_MAX]
    if not ids:
        raise InvalidInput("Select at least one comment.", code="nothing_selected")
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"Select at most {MAX_BULK} comments at once.", code="too_many_selected")
    comments = list(
        Comment.objects.select_related("article")
        .select_for_update(of=("self",))
        .filter(pk__in=stored, article__site=site)
        .order_by("pk")
    )
    if len(comments) != len(ids):
        # Either unknown or on another site: refuse the whole batch, change nothing.
        raise NotFound("Some selected comments are not on this site.", code="unknown_comment")
    deleted = [c.pk for c in comments if c.state == CommentState.DELETED]
    if deleted:
        raise Conflict(f"Deleted comments cannot be moderated: {deleted}.", code="comment_deleted")
    check_seen(comments, seen or {})
    return comments


def do_bulk_approve(
    moderator: User, site: Site, comment_ids: Iterable[int], *, seen: Mapping[int, str] | None = None
) -> list[ModerationEvent]:
    """Approve many comments in one transaction, one audit row each; all or none (also when one of
    them changed since the moderator saw it: `seen`, as for `do_approve`)."""
    with transaction.atomic():
        comments = _bulk_comments(moderator, site, comment_ids, seen)
        _resolve_open_reports(comments)
        return [_approve(moderator, c, "") for c in comments]


def do_bulk_reject(
    moderator: User,
    site: Site,
    comment_ids: Iterable[int],
    reason_code: str,
    *,
    seen: Mapping[int, str] | None = None,
) -> list[ModerationEvent]:
    """Reject many comments in one transaction, one audit row each; all or none, as `do_bulk_approve`."""
    reason = check_reject_reason(site, reason_code)
    with transaction.atomic():
        comments = _bulk_comments(moderator, site, comment_ids, seen)
        _resolve_open_reports(comments)
        return [_reject(moderator, c, reason, "") for c in comments]


def do_resolve_reports(
    moderator: User, comment: Comment, *, note: str = "", seen: str = ""
) -> ModerationEvent:
    """Close the comment's open reports and leave it published; refused if it is no longer published
    (another moderator rejected it meanwhile) or, with `seen`, changed since."""
    check_moderates(moderator, comment.article.site)
    note = _check_note(note)
    with transaction.atomic():
        comment = _locked(comment)
        check_seen([comment], {comment.pk: seen})
        if comment.state != CommentState.PUBLISHED:
            raise Conflict(
                f"This comment is {comment.state} now: there is nothing to keep.", code="not_published"
            )
        _resolve_open_reports([comment])
        return record_on_comment(
            comment, source=MODERATOR, actor=moderator, action="resolve_reports", note=note
        )


def access_reader(site: Site, reader_id: int) -> User:
    """A reader known on `site`: one who commented there, or was sanctioned there. Any other account
    (another site's readers and staff, superusers) does not exist for this site's moderators."""
    commented = Comment.objects.filter(author=OuterRef("pk"), article__site=site)
    sanctioned = ReaderSanction.objects.filter(user=OuterRef("pk"), site=site)
    known = Exists(commented) | Exists(sanctioned)
    reader = get_user_model().objects.filter(known, pk=reader_id).first()
    if reader is None:
        raise NotFound("There is no such reader on this site.", code="unknown_reader")
    return reader


def _sanction(
    moderator: User, site: Site, reader: User, kind: str, reason: str, until: datetime | None
) -> ReaderSanction:
    check_moderates(moderator, site)
    if reader.pk == moderator.pk:
        raise InvalidInput("You cannot take measures against yourself.", code="sanction_self")
    if role_on(reader, site) is not None:
        # A moderator could otherwise lock the site's administrators out of commenting.
        raise Forbidden(
            "Members of this site's moderation team cannot be sanctioned: an administrator must take "
            "their role away first.",
            code="sanction_team_member",
        )
    reason = _check_note(reason)
    return _record_sanction(site, reader, kind, reason, until, actor=moderator, note=reason)


def _record_sanction(
    site: Site, reader: User, kind: str, reason: str, until: datetime | None, *, actor: User | None, note: str
) -> ReaderSanction:
    """The measure and its audit row, by a moderator (`actor`) or, without one, by the system."""
    with transaction.atomic():
        sanction = ReaderSanction.objects.create(
            site=site, user=reader, kind=kind, reason=reason, until=until, created_by=actor
        )
        ModerationEvent.objects.create(
            site=site,
            target_user=reader,
            source=MODERATOR if actor is not None else ModerationEvent.Source.SYSTEM,
            actor=actor,
            action=kind,
            note=note,
            reasons=[{"code": kind, "text": _measure_text(sanction), "span": None}],
        )
    return sanction


def _measure_text(sanction: ReaderSanction) -> str:
    """The measure in words for the audit log, with its end where it has one."""
    label = str(ReaderSanction.Kind(sanction.kind).label)
    if sanction.until is None:
        return label
    return f"{label} until {sanction.until.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def do_warn(moderator: User, site: Site, reader: User, *, reason: str = "") -> ReaderSanction:
    return _sanction(moderator, site, reader, ReaderSanction.Kind.WARN, reason, None)


def do_suspend(
    moderator: User, site: Site, reader: User, *, until: datetime, reason: str = ""
) -> ReaderSanction:
    """Refuse the reader's comments on `site` until `until` (which must lie ahead)."""
    if timezone.is_naive(until) or until <= timezone.now():
        raise InvalidInput("A suspension must end in the future.", code="suspension_until_invalid")
    return _sanction(moderator, site, reader, ReaderSanction.Kind.SUSPEND, reason, until)


def do_ban(moderator: User, site: Site, reader: User, *, reason: str = "") -> ReaderSanction:
    return _sanction(moderator, site, reader, ReaderSanction.Kind.BAN, reason, None)


def do_always_premoderate(moderator: User, site: Site, reader: User, *, reason: str = "") -> ReaderSanction:
    return _sanction(moderator, site, reader, ReaderSanction.Kind.PREMODERATE, reason, None)


def do_reapply_sanction(
    site: Site, reader: User, kind: str, *, until: datetime | None, reason: str = ""
) -> ReaderSanction:
    """The system puts back on `reader`, a new account, a measure that was in force against the same
    person's account when they deleted it (`accounts.tombstones`). No moderator acts now: nothing is
    checked, and the audit row's source is "system", its note saying where the measure comes from.
    Precondition: the measure is still in force (`until` empty or ahead)."""
    note = (
        "Put back by the system: this measure was in force when the reader deleted their account, "
        "and their publisher signed them in again."
    )
    if reason:
        note = f"{note} The moderator's reason: {reason}"
    return _record_sanction(site, reader, kind, reason, until, actor=None, note=note)


def do_revoke_sanction(moderator: User, sanction_id: int, *, reason: str = "") -> ReaderSanction:
    """Lift a measure; the audit row names the measure lifted. Lifting it twice is refused."""
    sanction = ReaderSanction.objects.select_related("site", "user").filter(pk=sanction_id).first()
    if sanction is None:
        raise NotFound("There is no such measure.", code="unknown_sanction")
    check_moderates(moderator, sanction.site)
    reason = _check_note(reason)
    with transaction.atomic():
        locked = ReaderSanction.objects.select_for_update().get(pk=sanction.pk)
        if locked.revoked:
            raise Conflict("This measure was already lifted.", code="sanction_revoked")
        sanction.revoked = True
        sanction.save(update_fields=["revoked"])
        ModerationEvent.objects.create(
            site=sanction.site,
            target_user=sanction.user,
            source=MODERATOR,
            actor=moderator,
            action=f"revoke_{sanction.kind}",
            note=reason,
            reasons=[
                {
                    "code": f"revoke_{sanction.kind}",
                    "text": f"Lifted: {_measure_text(sanction)}",
                    "span": None,
                }
            ],
        )
    return sanction


def do_add_note(
    moderator: User, site: Site, reader: User, text: str, *, comment: Comment | None = None
) -> ModerationEvent:
    """A note for other moderators about a reader (and optionally one of their comments)."""
    check_moderates(moderator, site)
    text = _check_note(text)
    if not text:
        raise InvalidInput("Write the note first.", code="note_empty")
    if comment is not None and comment.article.site_id != site.pk:
        raise InvalidInput("That comment is not on this site.", code="comment_invalid")
    return ModerationEvent.objects.create(
        site=site,
        comment=comment,
        target_user=reader,
        source=MODERATOR,
        actor=moderator,
        action="note",
        note=text,
    )


def do_update_policy(admin: User, site: Site, changes: dict[str, Any]) -> Site:
    """Validate and store policy settings; only the site's administrators may. All or nothing."""
    check_moderates(admin, site)
    if not is_site_admin(admin, site):
        raise Forbidden("Only the site's administrators change its settings.", code="not_site_admin")
    cleaned = check_policy_changes(changes)
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site.pk)
        changed = sorted(k for k, v in cleaned.items() if site.policy.get(k) != v)
        site.policy = {**site.policy, **cleaned}
        site.save(update_fields=["policy"])
        ModerationEvent.objects.create(
            site=site,
            source=MODERATOR,
            actor=admin,
            action="update_policy",
            note="Changed: " + (", ".join(changed) or "nothing"),
        )
    return site
