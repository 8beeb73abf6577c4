from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_page, name="cart"),
    path("cart/<int:line_id>/quantity/", views.cart_line_quantity, name="cart-quantity"),
    path("cart/<int:line_id>/remove/", views.cart_line_remove, name="cart-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/wards/<str:province>/", views.checkout_wards, name="wards"),
    path("orders/<str:number>/", views.confirmation, name="confirmation"),
    path(
        "orders/<str:number>/lines/<int:position>/thumbnail.webp",
        views.order_line_preview,
        name="line-preview",
    ),
]
