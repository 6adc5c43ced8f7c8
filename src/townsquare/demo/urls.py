from django.urls import path

from townsquare.demo import views

app_name = "demo"
urlpatterns = [
    path("", views.home, name="home"),
    path("news/<slug:site_slug>/<slug:article_key>/", views.publisher_page, name="publisher"),
]
