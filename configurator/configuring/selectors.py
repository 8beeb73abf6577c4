"""Reads of the studio: the published version a shopper designs on, and its engine."""

from __future__ import annotations

from django.conf import settings

from catalog.models import OptionSetVersion, Product, VersionStatus
from configurator.compilation.cache import BoundedCache
from configurator.compilation.selectors import engine_for_version
from configurator.engine import Engine


def published_products() -> list[Product]:
    """Active products with a published option set, in SKU order (one query)."""
    return list(
        Product.objects.filter(is_active=True, versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .order_by("sku")
    )


_latest: BoundedCache[tuple[str, int | None], OptionSetVersion] = BoundedCache()


def published_version_get(*, sku: str, number: int | None = None) -> OptionSetVersion:
    """The product's latest published version, or version ``number`` (published or not
    found: drafts are never shown to shoppers). Raises ``OptionSetVersion.DoesNotExist``.

    The answer is remembered per process for ``CONFIGURATOR_VERSION_TTL`` seconds (published
    versions never change; a new one, or a product switched off, shows within that time).
    """
    ttl = getattr(settings, "CONFIGURATOR_VERSION_TTL", 2.0)
    if ttl:
        hit = _latest.get((sku, number))
        if hit is not None:
            return hit
    versions = OptionSetVersion.objects.select_related("product").filter(
        product__sku=sku, product__is_active=True, status=VersionStatus.PUBLISHED
    )
    if number is not None:
        version = versions.get(number=number)
    else:
        latest = versions.order_by("-number").first()
        if latest is None:
            raise OptionSetVersion.DoesNotExist(sku)
        version = latest
    if ttl:
        _latest.put((sku, number), version, ttl)
    return version


_engines: BoundedCache[int, Engine] = BoundedCache()


def studio_engine(*, version: OptionSetVersion) -> Engine:
    """The version's engine; a published version's engine is remembered for the TTL too."""
    ttl = getattr(settings, "CONFIGURATOR_VERSION_TTL", 2.0)
    hit = _engines.get(version.pk) if ttl else None
    if hit is not None:
        return hit
    engine = engine_for_version(version_id=version.pk)
    if ttl:
        _engines.put(version.pk, engine, ttl)
    return engine
