from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "townsquare.comments"
    label = "comments"
    default_auto_field = "django.db.models.BigAutoField"
