"""Root URL configuration."""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from configurator.media import public_media
from configurator.metrics import metrics_view
from configurator.personalization.admin_insight import product_insight_view

# A URL no route matches answers the API's error shape under /api/, Django's page elsewhere.
handler404 = "configurator.api.errors.page_not_found"

urlpatterns: list[URLPattern | URLResolver] = [
    # Before the admin's own URLs: an admin page of a later stage, signed in like the rest.
    path(
        "admin/insight/products/<int:pk>/",
        admin.site.admin_view(product_insight_view),
        name="product-insight",
    ),
    path("metrics", metrics_view, name="metrics"),  # Prometheus (docs/operations.md)
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("configurator.api.urls")),
    path("", include("configurator.studio.urls")),
    path("", include("configurator.orders.urls")),
    path("", include("configurator.designs.urls")),
    path("", include("configurator.clienteling.urls")),
    path("accounts/", include("configurator.accounts.urls")),
    path("production/", include("configurator.production.urls")),
]

serve_media = settings.DEBUG or settings.CONFIGURATOR_SERVE_MEDIA
if serve_media and settings.MEDIA_URL.startswith("/"):
    # Public media only (MEDIA_ROOT): shoppers' pictures live in the private storage.
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", public_media)
    )
