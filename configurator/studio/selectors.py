"""Reads of the studio: the published version a shopper designs on, and its engine."""

from __future__ import annotations

from catalog.models import OptionSetVersion, Product, VersionStatus
from configurator.compilation.selectors import engine_for_version
from configurator.engine import Engine


def published_products() -> list[Product]:
    """Active products with a published option set, in SKU order (one query)."""
    return list(
        Product.objects.filter(is_active=True, versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .order_by("sku")
    )


def published_version_get(*, sku: str, number: int | None = None) -> OptionSetVersion:
    """The product's latest published version, or version ``number`` (published or not
    found: drafts are never shown to shoppers). Raises ``OptionSetVersion.DoesNotExist``."""
    versions = OptionSetVersion.objects.select_related("product").filter(
        product__sku=sku, product__is_active=True, status=VersionStatus.PUBLISHED
    )
    if number is not None:
        return versions.get(number=number)
    version = versions.order_by("-number").first()
    if version is None:
        raise OptionSetVersion.DoesNotExist(sku)
    return version


def studio_engine(*, version: OptionSetVersion) -> Engine:
    return engine_for_version(version_id=version.pk)
