"""``python manage.py import_purchase_events FILE.csv[.gz]``: purchases from other channels."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from tqdm import tqdm

from configurator.personalization.events import (
    BadFile,
    BadLine,
    EventLine,
    open_events,
    read_events,
)
from configurator.personalization.services import purchase_events_import


class Command(BaseCommand):
    help = "Import purchase events (../shared/formats/purchase-events.md). Re-imports add nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        bad: list[BadLine] = []

        def good_lines():
            with open_events(options["file"]) as handle:
                progress = tqdm(read_events(handle), unit=" lines", disable=None, file=self.stderr)
                for item in progress:
                    if isinstance(item, BadLine):
                        bad.append(item)
                    else:
                        yield item

        try:
            result = purchase_events_import(lines=good_lines())
        except (BadFile, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        for line in bad[:200]:
            self.stderr.write(f"line {line.line}: {line.message} [{line.code}]")
        self.stdout.write(
            f"Imported {result.created} lines ({result.duplicates} already there, "
            f"{result.customers} new customers, {len(bad)} refused)."
        )
        if bad:
            raise CommandError(f"{len(bad)} lines refused; the others are imported.")


__all__ = ["Command", "EventLine"]
