from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import designs, orders, personalization, purchase_events, stock, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # The split view serves Swagger UI's script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/<str:sku>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("products/<str:sku>/evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path("products/<str:sku>/stock/", stock.StockView.as_view(), name="stock"),
    path(
        "products/<str:sku>/preview/<int:number>/<int:size>.<str:fmt>",
        views.PreviewView.as_view(),
        name="preview",
    ),
    path("uploads/", designs.UploadView.as_view(), name="uploads"),
    path("designs/", designs.DesignListView.as_view(), name="design-list"),
    path("designs/<str:design_id>/", designs.DesignDetailView.as_view(), name="design-detail"),
    path("designs/<str:design_id>/share/", designs.DesignShareView.as_view(), name="design-share"),
    path("shared/<str:token>/", designs.SharedDesignView.as_view(), name="shared-design"),
    path("cart/", orders.CartView.as_view(), name="cart"),
    path("cart/lines/", orders.CartLinesView.as_view(), name="cart-lines"),
    path("cart/lines/<int:line_id>/", orders.CartLineView.as_view(), name="cart-line"),
    path("orders/", orders.OrderListView.as_view(), name="order-list"),
    path("me/personalization/", personalization.MyPersonalizationView.as_view(), name="me"),
    path(
        "me/personalization/export/",
        personalization.MyPersonalizationExportView.as_view(),
        name="me-export",
    ),
    path(
        "purchase-events/",
        purchase_events.PurchaseEventsView.as_view(),
        name="purchase-events",
    ),
    path("orders/<str:number>/", orders.OrderDetailView.as_view(), name="order-detail"),
]
