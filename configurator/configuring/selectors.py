"""Reads of the studio: the published version a shopper designs on, and its engine."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

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


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _TTLCache(Generic[K, V]):
    """At most ``CONFIGURATOR_ENGINE_CACHE_SIZE`` entries, each kept for a few seconds."""

    def __init__(self) -> None:
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] <= time.monotonic():
                return None
            return hit[1]

    def put(self, key: K, value: V, ttl: float) -> None:
        size = getattr(settings, "CONFIGURATOR_ENGINE_CACHE_SIZE", 32)
        with self._lock:
            self._items[key] = (time.monotonic() + ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_latest: _TTLCache[tuple[str, int | None], OptionSetVersion] = _TTLCache()


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


_engines: _TTLCache[int, Engine] = _TTLCache()


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
