"""``python manage.py import_purchase_events FILE.csv[.gz]``: purchases from other channels."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from tqdm import tqdm

from configurator.personalization.events import BadFile, open_events, read_events
from configurator.personalization.services import purchase_events_import_items


class Command(BaseCommand):
    help = "Import purchase events (../shared/formats/purchase-events.md). Re-imports add nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open_events(options["file"]) as handle:
                progress = tqdm(read_events(handle), unit=" lines", disable=None, file=self.stderr)
                result = purchase_events_import_items(items=progress)
        except (BadFile, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line in result.bad[:200]:
            self.stderr.write(f"line {line.line}: {line.message} [{line.code}]")
        self.stdout.write(
            f"Imported {result.created} lines ({result.duplicates} already there, "
            f"{result.customers} new customers, {len(result.bad)} refused)."
        )
        if result.bad:
            raise CommandError(f"{len(result.bad)} lines refused; the others are imported.")
