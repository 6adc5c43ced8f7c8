from django.urls import path

from townsquare.accounts import me_views, password_views, views

app_name = "accounts"
urlpatterns = [
    path("signin/", views.signin, name="signin"),
    path("signup/", views.signup, name="signup"),
    path("signout/", views.signout, name="signout"),
    path("address/send-link/", views.send_confirmation, name="send_confirmation"),
    path("address/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("me/", me_views.me, name="me"),
    path("me/comments/", me_views.my_comments, name="my_comments"),
    path("me/data/", me_views.download_data, name="download_data"),
    path("me/delete/", me_views.delete_account, name="delete_account"),
    path("me/name/", me_views.change_name, name="change_name"),
    path("me/email/", me_views.change_email, name="change_email"),
    path("me/password/", me_views.change_password, name="change_password"),
    path("me/replies/", me_views.set_reply_emails, name="set_reply_emails"),
    path("replies/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("password/reset/", password_views.password_reset, name="password_reset"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", password_views.password_reset_complete, name="password_reset_complete"),
]
