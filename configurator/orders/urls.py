from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_page, name="cart"),
    path("cart/<int:line_id>/quantity/", views.cart_line_quantity, name="cart-quantity"),
    path("cart/<int:line_id>/remove/", views.cart_line_remove, name="cart-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:number>/", views.confirmation, name="confirmation"),
]
