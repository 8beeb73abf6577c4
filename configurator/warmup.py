"""Work a web process does once, done in gunicorn's master before it forks its workers.

With ``preload_app`` the workers share the master's memory page by page until one of them
writes to a page. What every worker would otherwise build for itself on its first requests
is built here once, then shared: the engine's machine code (Numba loads it from its cache
and initializes LLVM, tens of megabytes), the URL configuration with every view module it
imports (0.4 s of a worker's first request otherwise), the published products' engines,
the templates of the shop's pages and the translations. A worker recycled after
``max_requests`` is forked from this master, so it starts warm too: a cold one held its
node's queue for a second (docs/benchmarks.md, "Steady state"; ``bench.worker_start``).
``gc.freeze()`` then moves every object made so far out of the collector's
reach, so a collection in a worker does not write to (and copy) the shared pages.
``deploy/gunicorn.conf.py`` calls :func:`warm` when the master is ready.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

logger = logging.getLogger(__name__)

# The smallest option set that runs every kernel: two choice groups and a rule.
DOCUMENT: dict[str, Any] = {
    "format": "option-set/1",
    "product": {
        "sku": "WARM-UP",
        "name": {"en": "Warm-up", "vi": "Khởi động"},
        "base_price": "1",
        "currency": "VND",
    },
    "groups": [
        {
            "code": "a",
            "name": {"en": "A", "vi": "A"},
            "kind": "choice",
            "values": [
                {"code": "x", "name": {"en": "X", "vi": "X"}},
                {"code": "y", "name": {"en": "Y", "vi": "Y"}, "price_delta": "1"},
            ],
        },
        {
            "code": "b",
            "name": {"en": "B", "vi": "B"},
            "kind": "choice",
            "values": [
                {"code": "x", "name": {"en": "X", "vi": "X"}},
                {"code": "y", "name": {"en": "Y", "vi": "Y"}},
            ],
        },
    ],
    "rules": [
        {
            "kind": "allowed",
            "id": "warm-up",
            "groups": ["a", "b"],
            "rows": [["x", "*"], ["y", "x"]],
            "message": {"en": "Not together.", "vi": "Không đi cùng nhau."},
        }
    ],
}

TEMPLATES = (
    "base.html",
    "studio/home.html",
    "studio/group.html",
    "studio/studio.html",
    "orders/cart.html",
    "orders/checkout.html",
)


def warm() -> None:
    """Load the kernels, views, engines, templates and translations, then freeze the
    collector's objects.

    Never raises: a warm-up that fails costs each worker its own copy, nothing else.
    """
    try:
        _warm()
    except Exception:
        logger.exception("warm-up failed; each worker loads what it needs itself")


def _warm() -> None:
    from django.db import DatabaseError
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse
    from django.utils import translation

    from configurator.engine import compile_option_set

    engine = compile_option_set(DOCUMENT)
    engine.answers({"a": "y"})
    engine.is_consistent({"a": "x"})
    engine.complete({})
    get_resolver().resolve("/")  # imports the URL configuration and every view module
    try:
        engines = warm_engines()
    except DatabaseError:
        logger.warning("warm-up: no engine loaded, the database did not answer", exc_info=True)
        engines = 0
    for name in TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            logger.warning("warm-up: no template %s", name)
    for language in ("vi", "en"):
        with translation.override(language):
            translation.gettext("Add to cart")
            reverse("studio:home")  # the resolver's names, built per language
    gc.collect()
    gc.freeze()
    logger.info(
        "warm-up done: %d engines loaded, %d objects frozen", engines, gc.get_freeze_count()
    )


def warm_engines() -> int:
    """Load the engine of every published product's latest version into this process's
    cache (at most ``CONFIGURATOR_ENGINE_CACHE_SIZE``), and return how many were loaded.

    The database connections are closed afterwards: a forked worker must open its own. An
    engine that is not compiled yet is left to the workers; a later version is found by
    its digest as in any process (``engine_for_version``).
    """
    from django.conf import settings
    from django.db import connections

    from catalog.models import OptionSetVersion, VersionStatus
    from configurator.compilation.selectors import NotCompiledYet, engine_for_version

    try:
        latest = (
            OptionSetVersion.objects.filter(product__is_active=True, status=VersionStatus.PUBLISHED)
            .order_by("product_id", "-number")
            .values_list("product_id", "pk")
        )
        newest: dict[int, int] = {}
        for product_id, version_id in latest:
            newest.setdefault(product_id, version_id)
        loaded = 0
        for version_id in list(newest.values())[: settings.CONFIGURATOR_ENGINE_CACHE_SIZE]:
            try:
                engine_for_version(version_id=version_id)
            except NotCompiledYet:
                continue
            loaded += 1
        return loaded
    finally:
        connections.close_all()
