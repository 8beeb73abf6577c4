from django.urls import path

from . import views

app_name = "designs"

urlpatterns = [
    path("designs/", views.my_designs, name="list"),
    path("designs/<uuid:design_id>/delete/", views.design_delete, name="delete"),
]
