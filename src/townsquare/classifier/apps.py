from django.apps import AppConfig


class ClassifierConfig(AppConfig):
    name = "townsquare.classifier"
    label = "classifier"
    verbose_name = "Moderation model"
