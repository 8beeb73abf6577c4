"""Compile option-set versions and store the result."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from django.db import transaction

from catalog.checks import count_text
from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document
from configurator.engine import Engine, EngineError, compile_option_set

from .models import CompiledOptionSet

logger = logging.getLogger(__name__)

# Bump when the stored blob's layout changes: older rows are then compiled again.
ENGINE_FORMAT = 2


def document_digest(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def order_hint_for(*, version: OptionSetVersion) -> list[list[str | None]]:
    """The layer order of the product's most recent other compile, if any."""
    latest = (
        CompiledOptionSet.objects.filter(version__product_id=version.product_id)
        .exclude(version=version)
        .order_by("-version__number")
        .values_list("layer_order", flat=True)
        .first()
    )
    return latest or []


def compiled_option_set_build(
    *, version: OptionSetVersion, engine: Engine | None = None
) -> CompiledOptionSet:
    """Compile ``version`` (or store ``engine``, already compiled from its document).

    Idempotent: when a row for the same document and engine format exists it is returned
    untouched. Raises :class:`~configurator.engine.EngineError` when the option set cannot
    be compiled; nothing is written then.
    """
    document = option_set_document(version=version)
    digest = document_digest(document)
    existing = CompiledOptionSet.objects.filter(
        version=version, digest=digest, engine_format=ENGINE_FORMAT
    ).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    if engine is None:
        try:
            engine = compile_option_set(document, order_hint=order_hint_for(version=version))
        except EngineError as error:
            logger.warning(
                "%s v%s (version id %s) does not compile: %s",
                version.product.sku,
                version.number,
                version.pk,
                error,
            )
            raise
    seconds = time.perf_counter() - started
    with transaction.atomic():
        compiled, _ = CompiledOptionSet.objects.update_or_create(
            version=version,
            defaults={
                "digest": digest,
                "engine_format": ENGINE_FORMAT,
                "blob": engine.to_bytes(),
                "configurations": count_text(engine.configurations),
                "dead_values": [list(pair) for pair in engine.dead_values],
                "nodes": engine.diagram.node_count,
                "edges": engine.diagram.edge_count,
                "seconds": seconds,
                "layer_order": [list(key) for key in engine.layer_order],
            },
        )
    logger.info(
        "%s v%s (version id %s) compiled in %.2f s: %s configurations, %d nodes",
        version.product.sku,
        version.number,
        version.pk,
        seconds,
        compiled.configurations,
        compiled.nodes,
    )
    return compiled
