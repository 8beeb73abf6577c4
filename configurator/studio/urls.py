from django.urls import path

from . import views

app_name = "studio"

urlpatterns = [
    path("studio/<str:sku>/", views.studio, name="studio"),
]
