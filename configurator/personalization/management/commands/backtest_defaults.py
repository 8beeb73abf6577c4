"""``python manage.py backtest_defaults EVENTS.csv[.gz] --cutoff DATE --predictions OUT.csv``"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from configurator.personalization.backtest import backtest
from configurator.personalization.events import BadFile, EventLine, open_events, read_events


class Command(BaseCommand):
    help = (
        "How often the pre-selected default would have been the shopper's choice: the "
        "protocol of docs/purchase-events-format.md, on the studio's own model. Needs no catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("events")
        parser.add_argument("--cutoff", required=True, help="ISO date or time; UTC if bare")
        parser.add_argument("--predictions", required=True)

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cutoff = datetime.fromisoformat(options["cutoff"].replace("Z", "+00:00"))
        except ValueError as exc:
            raise CommandError(f"--cutoff: {exc}") from exc
        if cutoff.tzinfo is None:
            cutoff = cutoff.replace(tzinfo=UTC)
        try:
            with open_events(options["events"]) as handle:
                purchases = [e.purchase for e in read_events(handle) if isinstance(e, EventLine)]
        except (BadFile, OSError) as exc:
            raise CommandError(str(exc)) from exc
        with open(options["predictions"], "w", encoding="utf-8", newline="") as out:
            result = backtest(purchases, cutoff, predictions=out)
        self.stdout.write(f"Scored rows: {result.rows}")
        self.stdout.write("group       model   popularity   last value")
        for group in sorted(result.per_group):
            n = result.per_group[group]
            self.stdout.write(
                f"{group:<10} {result.per_group_hits[group] / n:7.1%} "
                f"{result.per_group_popularity[group] / n:12.1%} "
                f"{result.per_group_last[group] / n:12.1%}"
            )
        self.stdout.write(
            f"{'overall':<10} {result.rate(result.hits):7.1%} "
            f"{result.rate(result.popularity_hits):12.1%} {result.rate(result.last_hits):12.1%}"
        )
