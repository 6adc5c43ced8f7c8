import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
application = get_wsgi_application()

# In-process jobs: each web process runs the stuck-comment sweeper on a timer (see jobs.sweeper).
from townsquare.jobs.sweeper import start_timer  # noqa: E402

start_timer()
