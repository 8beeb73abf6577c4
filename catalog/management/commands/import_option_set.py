"""``manage.py import_option_set FILE.json [--publish]``: import an option-set/1 document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from catalog.extensions import Problem
from catalog.format import OptionSetFormatError
from catalog.models import OptionValue
from catalog.services import PublishRefused, option_set_import

MAX_PROBLEMS_SHOWN = 200


def problems_text(problems: list[Problem]) -> str:
    """One line per problem (``code path: message``), at most ``MAX_PROBLEMS_SHOWN`` of them."""
    lines = [f"  {p.code} {p.path}: {p.message}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  … and {len(problems) - MAX_PROBLEMS_SHOWN} more.")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Import an option-set/1 JSON document into its product's draft; --publish publishes it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the option-set/1 JSON document.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the imported version if it passes."
        )

    @no_translations  # operators read and grep this output: one language, English
    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        limit = settings.CONFIGURATOR_OPTION_SET_MAX_BYTES
        try:
            with path.open("rb") as handle:
                raw = handle.read(limit + 1)  # one byte more is enough to refuse it
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        self.stderr.write(f"Read {len(raw)} bytes; checking and importing…")
        try:
            version = option_set_import(document=raw, publish=options["publish"])
        except OptionSetFormatError as exc:
            if [p.code for p in exc.problems] == ["format.E079"]:
                p = exc.problems[0]
                raise CommandError(f"{path} is not valid JSON: {p.path}, {p.message}") from exc
            raise CommandError(
                f"{path} is not a valid option-set/1 document; nothing was imported. "
                f"{len(exc.problems)} problem(s):\n{problems_text(exc.problems)}"
            ) from exc
        except PublishRefused as exc:
            raise CommandError(
                f"{path} was not imported: publishing was refused. "
                f"{len(exc.problems)} problem(s):\n{problems_text(exc.problems)}"
            ) from exc
        sku = version.product.sku
        self.stdout.write(
            f"Imported {sku} into version {version.number} ({version.get_status_display()}): "
            f"{version.groups.count()} groups, "
            f"{OptionValue.objects.filter(group__version=version).count()} values, "
            f"{version.rules.count()} rules."
        )
        report = getattr(version, "check_report", None)
        if report is None:
            return
        for warning in report.warnings:
            self.stdout.write(f"Warning {warning.code} {warning.path}: {warning.message}")
        count = "unknown" if report.configurations is None else str(report.configurations)
        self.stdout.write(f"Valid configurations: {count}")
        dead = ", ".join(f"{group}.{value}" for group, value in report.dead_values)
        self.stdout.write(f"Dead values: {dead or 'none'}")
