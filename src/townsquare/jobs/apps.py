from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "townsquare.jobs"
    label = "jobs"
