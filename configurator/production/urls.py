from django.urls import path

from . import views

app_name = "production"

urlpatterns = [
    path("files/<str:token>/", views.package_file, name="file"),
    path("callback/<slug:partner_code>/", views.partner_callback, name="callback"),
    path("batches/<str:token>/", views.batch_archive, name="batch"),
]
