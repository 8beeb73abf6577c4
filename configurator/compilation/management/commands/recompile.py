"""``manage.py recompile``: compile every published version the running engine cannot read.

Run it in a release after an engine change (``ENGINE_FORMAT``): until a version has a row of
the new format the studio says "being prepared". By default the compiles are sent to the
workers (one task per version, idempotent); ``--here`` compiles in this process, one after
the other, and says how long each took.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from catalog.models import OptionSetVersion
from configurator.compilation.models import CompiledOptionSet
from configurator.compilation.services import ENGINE_FORMAT, compiled_option_set_build
from configurator.compilation.tasks import compile_version
from configurator.engine import EngineError
from configurator.outbox import enqueue


class Command(BaseCommand):
    help = "Compile every published version that has no engine of the current format."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--here", action="store_true", help="compile in this process")

    def handle(self, *args: Any, here: bool, **options: Any) -> None:
        current = CompiledOptionSet.objects.filter(engine_format=ENGINE_FORMAT)
        pending = (
            OptionSetVersion.objects.filter(status="published")
            .exclude(pk__in=current.values("version_id"))
            .select_related("product")
        )
        versions = list(pending.order_by("product__sku", "number"))
        if not versions:
            self.stdout.write("Every published version has an engine of the current format.")
            return
        if not here:
            sent = enqueue(compile_version, [v.pk for v in versions])
            self.stdout.write(f"Sent {sent} of {len(versions)} compiles to the workers.")
            if sent < len(versions):
                raise CommandError("The broker did not take every compile; run it again.")
            return
        failed = 0
        for version in versions:
            started = time.perf_counter()
            try:
                compiled = compiled_option_set_build(version=version)
            except EngineError as error:
                failed += 1
                self.stderr.write(f"{version.product.sku} v{version.number}: {error}")
                continue
            self.stdout.write(
                f"{version.product.sku} v{version.number}: {compiled.configurations} "
                f"configurations in {time.perf_counter() - started:.1f} s"
            )
        if failed:
            raise CommandError(f"{failed} version(s) could not be compiled.")
