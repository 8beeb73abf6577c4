"""``manage.py export_option_set SKU [--version N] [--output FILE]``: write an option-set/1
document (by default the latest published version, else the draft)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document, option_set_version_get


class Command(BaseCommand):
    help = "Export an option set as option-set/1 JSON (latest published version, else the draft)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # ``--version N`` picks a version of the option set; it replaces Django's own
        # ``--version`` (which prints Django's version) for this command.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sku", help="SKU of the product.")
        parser.add_argument("--version", type=int, dest="number", help="Version number.")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    @no_translations  # operators read and grep this output: one language, English
    def handle(self, *args: Any, **options: Any) -> None:
        sku, number = options["sku"], options["number"]
        try:
            version = option_set_version_get(sku=sku, number=number)
        except OptionSetVersion.DoesNotExist as exc:
            which = f"version {number}" if number is not None else "version"
            raise CommandError(f"No {which} of product “{sku}”.") from exc
        text = json.dumps(option_set_document(version=version), ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {sku} version {version.number} to {options['output']}.")
        else:
            self.stdout.write(text)
