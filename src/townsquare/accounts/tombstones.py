"""Measures that outlive the account they were taken against.

A reader whom their publisher signs in and who deletes their account is signed in again, by the same
publisher, as a new account (`accounts.erasure`): without more, deleting the account would lift every
ban. So at the deletion each measure in force that restricts the reader (a ban, a suspension,
pre-moderation; a warning restricts nothing) is kept as a `SanctionTombstone`, and when the publisher
next signs in the same id, the sign-in that makes the new account puts the measures still in force back
on it (`moderation.actions.do_reapply_sanction`, with its audit row) and drops the tombstones.

A tombstone knows the reader by a keyed hash only: HMAC-SHA256, keyed from `SECRET_KEY`, of the
publisher's site and its id for them. It shows nobody the id, and without the key nobody can test a
list of ids against it. Lookups try `SECRET_KEY_FALLBACKS` too, so rotating the key keeps them for as
long as the old one is listed there.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from townsquare.accounts.models import SSO_PREFIX, SanctionTombstone, publisher_site_id
from townsquare.moderation.actions import do_reapply_sanction
from townsquare.moderation.models import ReaderSanction
from townsquare.moderation.queues import active_sanctions_q
from townsquare.sites.models import Site

KEPT_KINDS = (ReaderSanction.Kind.BAN, ReaderSanction.Kind.SUSPEND, ReaderSanction.Kind.PREMODERATE)
_SALT = "townsquare.accounts.tombstones.subject"


def subject_digest(site_id: int, external_id: str, *, secret: str | bytes | None = None) -> str:
    """The keyed hash a tombstone knows the publisher's reader `external_id` of site `site_id` by."""
    return salted_hmac(_SALT, f"{site_id}:{external_id}", secret=secret, algorithm="sha256").hexdigest()


def _digests(site_id: int, external_id: str) -> list[str]:
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [subject_digest(site_id, external_id, secret=key) for key in keys]


def keep_sanctions(user: User) -> int:
    """Keep the measures in force against `user`, a publisher's reader, on every site; returns how many.
    Call in the deletion's transaction, before the account's name is erased: the publisher's id for
    the reader is read from it. An account with a password of its own keeps nothing: nothing outside
    it would recognise its reader again."""
    site_id = publisher_site_id(user)
    if site_id is None:
        return 0
    subject = subject_digest(site_id, user.get_username().removeprefix(f"{SSO_PREFIX}{site_id}-"))
    in_force = ReaderSanction.objects.filter(active_sanctions_q(), user=user, kind__in=KEPT_KINDS)
    kept = SanctionTombstone.objects.bulk_create(
        SanctionTombstone(
            site_id=s.site_id, subject=subject, kind=s.kind, until=s.until, reason=s.reason, sanction=s
        )
        for s in in_force.order_by("pk")
    )
    return len(kept)


def reapply_sanctions(site: Site, external_id: str, reader: User) -> list[ReaderSanction]:
    """Put back on `reader` the kept measures against the publisher's reader `external_id` of `site`
    that are still in force, and drop their tombstones. Call in the sign-in's transaction, for the
    account that sign-in has just made."""
    tombstones = list(
        SanctionTombstone.objects.filter(subject__in=_digests(site.pk, external_id))
        .select_related("site", "sanction")
        .order_by("pk")
    )
    now = timezone.now()
    applied = [
        do_reapply_sanction(t.site, reader, t.kind, until=t.until, reason=t.reason)
        for t in tombstones
        if t.in_force(now)
    ]
    SanctionTombstone.objects.filter(pk__in=[t.pk for t in tombstones]).delete()
    return applied


def purge_ended_tombstones() -> int:
    """Drop the tombstones of measures that have run out or were lifted; returns how many."""
    ended = Q(until__lte=timezone.now()) | Q(sanction__revoked=True)
    deleted, _ = SanctionTombstone.objects.filter(ended).delete()
    return deleted
