"""Root URL configuration."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from configurator.personalization.admin_insight import product_insight_view

urlpatterns: list[URLPattern | URLResolver] = [
    # Before the admin's own URLs: an admin page of a later stage, signed in like the rest.
    path(
        "admin/insight/products/<int:pk>/",
        admin.site.admin_view(product_insight_view),
        name="product-insight",
    ),
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("configurator.api.urls")),
    path("", include("configurator.studio.urls")),
    path("", include("configurator.orders.urls")),
    path("", include("configurator.designs.urls")),
    path("accounts/", include("configurator.accounts.urls")),
    path("production/", include("configurator.production.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
