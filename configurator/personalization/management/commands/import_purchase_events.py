"""``python manage.py import_purchase_events FILE.csv[.gz]``: purchases from other channels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from configurator.personalization.events import (
    BadFile,
    events_measure,
    open_events,
    read_events,
)
from configurator.personalization.imports import file_limits, purchase_events_import_items

PROGRESS_EVERY = 50_000
T = TypeVar("T")


class Command(BaseCommand):
    help = "Import purchase events (docs/purchase-events-format.md). Re-imports add nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        limits = file_limits()
        try:
            # Measured first: a file over a limit is refused before a line is written.
            with open(options["file"], "rb") as raw:
                total = events_measure(raw, limits)
            with open_events(options["file"], limits) as handle:
                result = purchase_events_import_items(
                    items=self._progress(read_events(handle), total)
                )
        except (BadFile, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line in result.bad[:200]:
            self.stderr.write(f"line {line.line}: {line.message} [{line.code}]")
        self.stdout.write(
            f"Imported {result.created} lines ({result.duplicates} already there, "
            f"{result.customers} new customers, {result.bad_count} refused)."
        )
        if result.bad_count:
            raise CommandError(f"{result.bad_count} lines refused; the others are imported.")

    def _progress(self, items: Iterable[T], total: int) -> Iterator[T]:
        """``items`` unchanged, with a line on stderr every ``PROGRESS_EVERY`` of them."""
        done = 0
        for done, item in enumerate(items, start=1):
            if done % PROGRESS_EVERY == 0:
                self.stderr.write(f"{done} of about {max(total - 1, done)} lines read…")
            yield item
