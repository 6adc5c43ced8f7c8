from django.contrib import admin
from django.urls import include, path

from townsquare.api import api
from townsquare.core import health, metrics

urlpatterns = [
    path("", include("townsquare.comments.urls")),
    path("", include("townsquare.demo.urls")),
    path("accounts/", include("townsquare.accounts.urls")),
    path("moderate/", include("townsquare.moderation.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.render_metrics, name="metrics"),
]

# Refusals Django makes before a view runs, and the last resort of a server error, in Townsquare's
# words (JSON under /api/).
handler400 = "townsquare.lib.views.bad_request"
handler500 = "townsquare.lib.views.server_error"
