import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
application = get_wsgi_application()

# The moderation pipeline (its word lists and models) is loaded before the worker takes requests,
# so the first reader to post does not wait a second for it.
from townsquare.moderation.pipeline import phases_for  # noqa: E402

try:
    phases_for(None)
except Exception:  # a broken model must not stop the site: posts are held until it loads
    logging.getLogger(__name__).exception("could not load the moderation pipeline at start-up")

# Every URL's view imported now too, not by the first request.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# What is loaded by now lives as long as the process (Django, the word lists, the models' tables):
# frozen, the collector no longer walks its ~170,000 objects in every full collection, which took
# 100 ms here and stalled whichever request triggered it.
gc.freeze()

# In-process jobs: each web process runs the stuck-comment sweeper on a timer (see jobs.sweeper).
from townsquare.jobs.sweeper import start_timer  # noqa: E402

start_timer()
