"""Compilation through a real Celery worker and broker (Redis in CI)."""

from __future__ import annotations

import pytest

from catalog.services import option_set_import
from configurator.compilation.models import CompiledOptionSet
from configurator.compilation.tasks import compile_version
from tests.fixtures.documents import SHOE

pytestmark = [pytest.mark.slow, pytest.mark.worker]


def test_a_real_worker_compiles_once(celery_worker):
    version = option_set_import(document=SHOE)  # a draft: no Check has compiled it
    assert CompiledOptionSet.objects.count() == 0
    assert compile_version.delay(version.pk).get(timeout=60) == "6"
    compiled = CompiledOptionSet.objects.get()
    assert compiled.version_id == version.pk
    assert compile_version.delay(version.pk).get(timeout=60) == "6"
    assert CompiledOptionSet.objects.get().compiled_at == compiled.compiled_at
