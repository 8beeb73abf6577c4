from django.urls import path

from . import views

app_name = "clienteling"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/customers/<int:pk>/", views.customer, name="customer"),
    path("staff/handover/", views.handover_new, name="handover-new"),
    path("staff/handover/<str:token>/", views.handover, name="handover"),
    path("staff/handover/<str:token>/cart/", views.handover_cart, name="handover-cart"),
    path("h/<str:token>/", views.received, name="received"),
    path("h/<str:token>/cart/", views.received_cart, name="received-cart"),
]
