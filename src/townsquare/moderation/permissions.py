"""Who may moderate what: `access_*` fetch an object together with its permission check.

A moderator (or site administrator) of one site has no rights on any other: every page and API
endpoint of the dashboard goes through these functions. Superusers may moderate every site. Staff
commenters have no moderation rights.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from townsquare.comments.models import Comment
from townsquare.errors import Forbidden, NotFound
from townsquare.sites.models import Site, SiteRole

MODERATING_ROLES = (SiteRole.Role.ADMIN, SiteRole.Role.MODERATOR)


def _signed_in(user: User | AnonymousUser | None) -> User:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise Forbidden("Sign in as a moderator first.", code="not_a_moderator")
    return user


def moderated_sites(user: User | AnonymousUser | None) -> QuerySet[Site]:
    """The sites `user` may moderate, by name (none for readers and anonymous users)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.order_by("name")
    return Site.objects.filter(roles__user=user, roles__role__in=MODERATING_ROLES).order_by("name")


def role_on(user: User, site: Site) -> str | None:
    """ "admin" or "moderator" (superusers count as admin), or None."""
    if user.is_superuser:
        return SiteRole.Role.ADMIN
    role = SiteRole.objects.filter(site=site, user=user).values_list("role", flat=True).first()
    return role if role in MODERATING_ROLES else None


def is_site_admin(user: User, site: Site) -> bool:
    return role_on(user, site) == SiteRole.Role.ADMIN


def check_moderates(user: User | AnonymousUser | None, site: Site) -> User:
    """The user, if they moderate `site`; Forbidden otherwise."""
    moderator = _signed_in(user)
    if role_on(moderator, site) is None:
        raise Forbidden("You do not moderate this site.", code="not_a_moderator")
    return moderator


def access_site_for_moderator(user: User | AnonymousUser | None, site_slug: str) -> Site:
    _signed_in(user)
    site = Site.objects.filter(slug=site_slug).first()
    if site is None:
        raise NotFound("There is no such site.", code="unknown_site")
    check_moderates(user, site)
    return site


def access_site_for_admin(user: User | AnonymousUser | None, site_slug: str) -> Site:
    """Only site administrators (and superusers) change a site's settings."""
    site = access_site_for_moderator(user, site_slug)
    assert isinstance(user, User)
    if not is_site_admin(user, site):
        raise Forbidden("Only the site's administrators change its settings.", code="not_site_admin")
    return site


def access_comment_for_moderator(user: User | AnonymousUser | None, comment_id: int) -> Comment:
    """The comment with its article, site and author, if `user` moderates the comment's site."""
    _signed_in(user)
    comment = Comment.objects.select_related("article__site", "author__profile").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("There is no such comment.", code="unknown_comment")
    check_moderates(user, comment.article.site)
    return comment
