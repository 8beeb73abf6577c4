"""Reads of the studio: the published version a shopper designs on, and its engine."""

from __future__ import annotations

import time

from django.conf import settings

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


_latest: dict[tuple[str, int | None], tuple[float, OptionSetVersion]] = {}


def published_version_get(*, sku: str, number: int | None = None) -> OptionSetVersion:
    """The product's latest published version, or version ``number`` (published or not
    found: drafts are never shown to shoppers). Raises ``OptionSetVersion.DoesNotExist``.

    The answer is remembered per process for ``CONFIGURATOR_VERSION_TTL`` seconds (published
    versions never change; a new one, or a product switched off, shows within that time).
    """
    ttl = getattr(settings, "CONFIGURATOR_VERSION_TTL", 2.0)
    if ttl:
        hit = _latest.get((sku, number))
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
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
        _latest[(sku, number)] = (time.monotonic() + ttl, version)
    return version


_engines: dict[int, tuple[float, Engine]] = {}


def studio_engine(*, version: OptionSetVersion) -> Engine:
    """The version's engine; a published version's engine is remembered for the TTL too."""
    ttl = getattr(settings, "CONFIGURATOR_VERSION_TTL", 2.0)
    hit = _engines.get(version.pk)
    if ttl and hit is not None and hit[0] > time.monotonic():
        return hit[1]
    engine = engine_for_version(version_id=version.pk)
    if ttl:
        _engines[version.pk] = (time.monotonic() + ttl, engine)
    return engine
