from django import template

from townsquare.comments.live import last_change_id
from townsquare.comments.models import Article

register = template.Library()


@register.simple_tag
def live_after(article: Article) -> int:
    """The id of the article's latest visibility change (`live.last_change_id`): where live updates start."""
    return last_change_id(article)
