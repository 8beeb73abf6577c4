from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.ShopperLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="/"), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("me/", views.account, name="account"),
    path("me/personalization/", views.account_personalization, name="personalization"),
    path("me/messages/", views.account_messages, name="messages"),
    path("me/export/", views.account_export, name="export"),
    path("me/erase/", views.account_erase, name="erase"),
]
