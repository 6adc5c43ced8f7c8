from django import template

from townsquare.comments.live import last_published_id
from townsquare.comments.models import Article

register = template.Library()


@register.simple_tag
def live_after(article: Article) -> int:
    """The id of the article's newest published comment: where the live updates start from."""
    return last_published_id(article)
