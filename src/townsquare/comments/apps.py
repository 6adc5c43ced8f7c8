from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "townsquare.comments"
    label = "comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers: cached thread pages go stale, and live readers hear of new comments,
        # whichever process (web or worker) changed a comment. And the `comments.import` job, so
        # every worker knows it.
        from townsquare.comments import imports, live, pagecache  # noqa: F401
