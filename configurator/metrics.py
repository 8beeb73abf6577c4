"""The shop's own Prometheus metrics, and the ``/metrics`` endpoint that serves them.

HTTP metrics (requests, latency per view, database and cache calls) come from
django-prometheus; the figures below are the shop's: orders placed, export delivery, engine
loads, previews, imports. Gauges that are facts about rows (exports pending, retrying,
failed, stuck) are read from the database when Prometheus scrapes, by collectors the stages
register here (``collector_register``), so every node reports the same truth.

With several worker processes per node (gunicorn), set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory before they start: counters and histograms are then summed over the
processes (prometheus_client's multiprocess mode). See docs/operations.md.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from typing import Any

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram, multiprocess
from prometheus_client.registry import Collector

from .clients import client_address

logger = logging.getLogger(__name__)

__all__ = [
    "DELIVERY_ATTEMPTS",
    "DELIVERY_SECONDS",
    "ENGINE_LOADS",
    "IMPORT_ROWS",
    "ORDERS_PLACED",
    "PREVIEWS",
    "collector_register",
    "metrics_view",
]

ORDERS_PLACED = Counter(
    "configurator_orders_placed_total", "Orders placed (counted when their transaction commits)."
)
DELIVERY_SECONDS = Histogram(
    "configurator_export_delivery_seconds",
    "From an export's creation (the order placed) to the partner accepting it.",
    buckets=(1, 5, 15, 30, 60, 120, 300, 900, 3600, 4 * 3600, 24 * 3600),
)
DELIVERY_ATTEMPTS = Counter(
    "configurator_export_attempts_total",
    "Delivery attempts of production exports, by their outcome.",
    ["outcome"],  # delivered | retry | failed
)
ENGINE_LOADS = Counter(
    "configurator_engine_lookups_total",
    "Compiled engines asked for: in this process's memory (hit) or loaded from the database.",
    ["result"],
)
PREVIEWS = Counter(
    "configurator_previews_total",
    "Preview images asked for: served from storage (hit) or drawn (render).",
    ["result"],
)
IMPORT_ROWS = Counter(
    "configurator_import_rows_total",
    "Rows imported, by import (purchase events, option sets) and outcome.",
    ["kind", "outcome"],  # outcome: accepted | refused
)

_collectors: list[Collector] = []


def collector_register(collector: Collector) -> None:
    """Add a collector read at each scrape (a stage's gauges over its rows)."""
    _collectors.append(collector)
    prometheus_client.REGISTRY.register(collector)


def _registry() -> Any:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        for collector in _collectors:
            registry.register(collector)
        return registry
    return prometheus_client.REGISTRY


def _allowed(request: HttpRequest) -> bool:
    """A scraper showing ``CONFIGURATOR_METRICS_TOKEN``; with no token, only a developer's
    own machine (``DEBUG`` and a loopback client): behind a proxy every request comes from
    loopback, so an address alone proves nothing in production."""
    token: str = getattr(settings, "CONFIGURATOR_METRICS_TOKEN", "")
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if not settings.DEBUG:
        return False
    try:
        return ipaddress.ip_address(client_address(request)).is_loopback
    except ValueError:
        return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format; 404 to anybody else (the endpoint is not advertised)."""
    if not _allowed(request):
        logger.warning("metrics refused to %s", client_address(request))
        return HttpResponse(status=404)
    body = prometheus_client.generate_latest(_registry())
    response = HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
