"""Reads of the studio: the published version a shopper designs on, and its engine; and the
draft a merchant tries in the studio before publishing it (staff only)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.conf import settings

from catalog.models import OptionSetVersion, Product, VersionStatus
from configurator.compilation.cache import BoundedCache
from configurator.compilation.selectors import engine_for_version
from configurator.compilation.services import compiled_option_set_build
from configurator.engine import Engine

from .stock import engine_in_stock

# The session's drafts in preview: SKU -> version id, set when staff open "Xem thử".
DRAFT_PREVIEW_KEY = "configurator.draft_preview"


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
    """The version's engine, its product's out-of-stock values switched off; a published
    version's engine is remembered for the TTL too."""
    ttl = getattr(settings, "CONFIGURATOR_VERSION_TTL", 2.0)
    hit = _engines.get(version.pk) if ttl else None
    if hit is None:
        hit = engine_for_version(version_id=version.pk)
        if ttl:
            _engines.put(version.pk, hit, ttl)
    # Out-of-stock values switched off as the stock is now: no recompile (docs/stock.md).
    return engine_in_stock(engine=hit, product_id=version.product_id)


def can_preview_drafts(user: Any) -> bool:
    """Whether ``user`` may open drafts in the studio: staff who may see versions."""
    return bool(getattr(user, "is_staff", False)) and (
        user.has_perm("catalog.view_optionsetversion")
        or user.has_perm("catalog.change_optionsetversion")
    )


def draft_version_get(*, sku: str, pk: int) -> OptionSetVersion:
    """The product's draft ``pk``; raises ``OptionSetVersion.DoesNotExist`` (also once it is
    published: the studio then shows it as any shopper sees it)."""
    return OptionSetVersion.objects.select_related("product").get(
        pk=pk, product__sku=sku, status=VersionStatus.DRAFT
    )


def draft_engine(*, version: OptionSetVersion) -> Engine:
    """The draft's engine as the draft is now, compiled here when it changed since its last
    compile. Raises :class:`~configurator.engine.EngineError` when it cannot be compiled."""
    compiled_option_set_build(version=version)
    engine = engine_for_version(version_id=version.pk)
    return engine_in_stock(engine=engine, product_id=version.product_id)


def draft_in_preview(
    *, user: Any, session: MutableMapping[str, Any], sku: str
) -> OptionSetVersion | None:
    """The draft of ``sku`` this staff session opened in the studio, or None."""
    if not can_preview_drafts(user):
        return None
    pk = (session.get(DRAFT_PREVIEW_KEY) or {}).get(sku)
    if pk is None:
        return None
    try:
        return draft_version_get(sku=sku, pk=pk)
    except OptionSetVersion.DoesNotExist:
        return None


def draft_preview_remember(
    *, session: MutableMapping[str, Any], sku: str, version: OptionSetVersion | None
) -> None:
    """Remember (or, with None, forget) the draft the session tries for ``sku``."""
    drafts = dict(session.get(DRAFT_PREVIEW_KEY) or {})
    if version is None and sku not in drafts:
        return
    if version is None:
        drafts.pop(sku)
    else:
        drafts[sku] = version.pk
    session[DRAFT_PREVIEW_KEY] = drafts
