"""``manage.py recompile``: after an engine change, every published version gets an engine
the running code can read, in the workers or here."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from configurator.compilation.models import CompiledOptionSet
from configurator.compilation.services import ENGINE_FORMAT

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("recompile", *args, stdout=out)
    return out.getvalue()


def test_an_engine_of_an_older_format_is_compiled_again_here(tote):
    CompiledOptionSet.objects.filter(version=tote).update(engine_format=ENGINE_FORMAT - 1)
    out = run("--here")
    assert out.startswith("TOTE-01 v1: 6 configurations in ")
    row = CompiledOptionSet.objects.get(version=tote)
    assert row.engine_format == ENGINE_FORMAT
    assert run("--here") == "Every published version has an engine of the current format.\n"


def test_by_default_the_compiles_go_to_the_workers(tote):
    CompiledOptionSet.objects.filter(version=tote).update(engine_format=ENGINE_FORMAT - 1)
    assert run() == "Sent 1 of 1 compiles to the workers.\n"  # in-process in tests: done
    assert CompiledOptionSet.objects.get(version=tote).engine_format == ENGINE_FORMAT
