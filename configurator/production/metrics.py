"""Gauges over the export outbox, read from the database when Prometheus scrapes.

Every node answers the same figures (they are facts about rows, not about a process), so a
dashboard may scrape any one of them; alert on ``stuck`` and ``failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import DatabaseError
from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from configurator import outbox
from configurator.orders.models import OrderEffect

from .models import Export

logger = logging.getLogger(__name__)


class OutboxCollector(Collector):
    """Exports and order effects by state: pending (first try), retrying, stuck, failed."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The names, without reading the database (called once, when registered)."""
        yield from self._families()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        exports, effects = self._families()
        try:
            for state, count in self._states(Export.objects.all()).items():
                exports.add_metric([state], count)
            for kind in OrderEffect.objects.values_list("kind", flat=True).distinct():
                rows = OrderEffect.objects.filter(kind=kind)
                for state, count in self._states(rows).items():
                    effects.add_metric([kind, state], count)
        except DatabaseError:
            logger.exception("metrics: the outbox could not be read")
            return
        yield exports
        yield effects

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        exports = GaugeMetricFamily(
            "configurator_exports",
            "Production exports not yet accepted by their partner, by state.",
            labels=["state"],
        )
        effects = GaugeMetricFamily(
            "configurator_order_effects",
            "Work after an order (e-mail, purchase history) not yet done, by kind and state.",
            labels=["kind", "state"],
        )
        return exports, effects

    @staticmethod
    def _states(queryset) -> dict[str, int]:
        now = timezone.now()
        counts = queryset.aggregate(
            pending=Count("pk", filter=Q(status="pending", attempts=0)),
            retrying=Count("pk", filter=Q(status="pending", attempts__gt=0)),
            failed=Count("pk", filter=Q(status="failed")),
        )
        counts["stuck"] = outbox.stuck(queryset, now=now).count()
        return counts
