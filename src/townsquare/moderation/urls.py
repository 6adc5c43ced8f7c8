from django.urls import path

from townsquare.moderation import article_views, views

app_name = "moderation"
urlpatterns = [
    path("", views.index, name="index"),
    path("c/<int:comment_id>/approve/", views.approve, name="approve"),
    path("c/<int:comment_id>/reject/", views.reject, name="reject"),
    path("c/<int:comment_id>/resolve/", views.resolve, name="resolve"),
    path("c/<int:comment_id>/context/", views.comment_context, name="context"),
    path("<slug:site_slug>/", views.queue, name="queue"),
    path("<slug:site_slug>/counts/", views.counts, name="counts"),
    path("<slug:site_slug>/bulk/", views.bulk, name="bulk"),
    path("<slug:site_slug>/readers/<int:reader_id>/", views.reader, name="reader"),
    path("<slug:site_slug>/readers/<int:reader_id>/sanction/", views.sanction, name="sanction"),
    path("<slug:site_slug>/readers/<int:reader_id>/note/", views.note, name="note"),
    path("<slug:site_slug>/sanctions/<int:sanction_id>/revoke/", views.revoke, name="revoke"),
    path("<slug:site_slug>/articles/", article_views.article_list, name="articles"),
    path("<slug:site_slug>/articles/<int:article_id>/", article_views.article_change, name="article"),
    path("<slug:site_slug>/settings/", views.site_settings, name="settings"),
    path("<slug:site_slug>/audit/", views.audit_log, name="audit"),
    path("<slug:site_slug>/audit.csv", views.audit_csv, name="audit_csv"),
]
