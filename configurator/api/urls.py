from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import designs, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/<str:sku>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("products/<str:sku>/evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path("uploads/", designs.UploadView.as_view(), name="uploads"),
    path("designs/", designs.DesignListView.as_view(), name="design-list"),
    path("designs/<str:design_id>/", designs.DesignDetailView.as_view(), name="design-detail"),
    path("designs/<str:design_id>/share/", designs.DesignShareView.as_view(), name="design-share"),
    path("shared/<str:token>/", designs.SharedDesignView.as_view(), name="shared-design"),
]
