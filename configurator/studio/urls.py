from django.urls import path

from . import views

app_name = "studio"

urlpatterns = [
    path("", views.home, name="home"),
    path("studio/<str:sku>/", views.studio, name="studio"),
    path(
        "studio/<str:sku>/versions/<int:pk>/layers.png",
        views.version_preview,
        name="version-preview",
    ),
]
