from django.apps import AppConfig


class ClassifierConfig(AppConfig):
    name = "townsquare.classifier"
    label = "classifier"
    verbose_name = "Moderation model"

    def ready(self) -> None:
        from townsquare.classifier import jobs  # noqa: F401  (registers the retraining job)
