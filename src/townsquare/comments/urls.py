from django.urls import path

from townsquare.comments import live, views

app_name = "comments"
urlpatterns = [
    path("embed/<slug:site_slug>/", views.embed, name="embed"),
    path("embed/a/<int:article_id>/page/", views.thread_fragment, name="page"),
    path("embed/a/<int:article_id>/comments/", views.post, name="post"),
    path("embed/c/<int:comment_id>/replies/", views.replies_fragment, name="replies"),
    path("embed/a/<int:article_id>/since/", live.since, name="since"),
    path("embed/a/<int:article_id>/stream/", live.stream, name="stream"),
    path("embed/c/<int:comment_id>/edit/", views.edit, name="edit"),
    path("embed/c/<int:comment_id>/delete/", views.delete, name="delete"),
    path("embed/c/<int:comment_id>/react/", views.react, name="react"),
    path("embed/c/<int:comment_id>/report/", views.report, name="report"),
]
