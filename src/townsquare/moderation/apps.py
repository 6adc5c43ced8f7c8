from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "townsquare.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from townsquare.moderation import jobs  # noqa: F401  (registers the moderation jobs)
