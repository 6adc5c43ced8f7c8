from importlib import import_module

from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "townsquare.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Jobs register themselves on import: load every app's `jobs` and `notifications` module
        # so a worker knows all of them, plus any module named in TOWNSQUARE_JOB_MODULES.
        autodiscover_modules("jobs", "notifications")
        import_module("townsquare.jobs.sweeper")
        for module in settings.TOWNSQUARE_JOB_MODULES:
            import_module(module)
