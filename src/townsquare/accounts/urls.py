from django.urls import path

from townsquare.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signin/", views.signin, name="signin"),
    path("signup/", views.signup, name="signup"),
    path("signout/", views.signout, name="signout"),
    path("address/send-link/", views.send_confirmation, name="send_confirmation"),
    path("address/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
]
