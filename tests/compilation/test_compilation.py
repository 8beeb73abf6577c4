"""Compile at publish, once; load everywhere; tell the Check and the import command."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import call_command

from catalog.checks import option_set_check
from catalog.models import OptionSetVersion, VersionStatus
from catalog.services import PublishRefused, option_set_import, option_set_publish
from configurator.compilation import services as compilation_services
from configurator.compilation.models import CompiledOptionSet
from configurator.compilation.selectors import NotCompiledYet, engine_cache, engine_for_version
from configurator.compilation.tasks import compile_version
from tests.fixtures.documents import SHOE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    engine_cache.clear()
    yield
    engine_cache.clear()


@pytest.fixture
def compile_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = compilation_services.compile_option_set
    analysis_real = __import__(
        "configurator.compilation.analysis", fromlist=["compile_option_set"]
    ).compile_option_set

    def counting(document, **kwargs):
        calls.append(1)
        return real(document, **kwargs)

    monkeypatch.setattr(compilation_services, "compile_option_set", counting)
    monkeypatch.setattr("configurator.compilation.analysis.compile_option_set", counting)
    assert analysis_real is real
    return calls


def test_import_publish_prints_the_count_and_dead_values_and_compiles_once(
    tmp_path, compile_calls, django_capture_on_commit_callbacks
):
    path = tmp_path / "shoe.json"
    path.write_text(json.dumps(SHOE, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_option_set", str(path), "--publish", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Valid configurations: 6" in lines  # canvas × 3 colours + suede × 3
    assert "Dead values: color.red" in lines
    compiled = CompiledOptionSet.objects.get()
    assert compiled.version.status == VersionStatus.PUBLISHED
    assert compiled.configurations == "6"
    assert compiled.dead_values == [["color", "red"]]
    assert len(compile_calls) == 1  # the Check compiled it; the publish task found it


def test_contradictory_rules_are_refused_at_check_and_publish_writes_nothing():
    doc = copy.deepcopy(SHOE)
    doc["rules"].append(
        {"kind": "forbidden", "id": "no-suede", "groups": ["material"], "rows": [["suede"]]}
    )
    doc["rules"].append(
        {
            "kind": "requires",
            "id": "only-red",
            "if": {"material": ["canvas"]},
            "then": {"color": ["red"]},
        }
    )
    version = option_set_import(document=doc)
    report = option_set_check(version=version)
    assert [p.code for p in report.errors] == ["engine.E040"]
    assert "no-red-canvas, no-suede, only-red" in report.errors[0].message
    with pytest.raises(PublishRefused):
        option_set_publish(version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert CompiledOptionSet.objects.count() == 0


def test_the_task_is_idempotent(compile_calls):
    version = option_set_import(document=SHOE)
    assert compile_version.delay(version.pk).get() == "6"
    first = CompiledOptionSet.objects.get()
    assert compile_version.delay(version.pk).get() == "6"
    assert CompiledOptionSet.objects.get().compiled_at == first.compiled_at
    assert len(compile_calls) == 1


def test_a_changed_draft_is_compiled_again():
    version = option_set_import(document=SHOE)
    compile_version.delay(version.pk)
    doc = copy.deepcopy(SHOE)
    doc["rules"].pop()  # red canvas allowed again
    option_set_import(document=doc)
    compile_version.delay(version.pk)
    compiled = CompiledOptionSet.objects.get()
    assert compiled.configurations == "7"
    assert compiled.dead_values == []


def test_engine_loads_once_per_process(django_assert_num_queries):
    version = option_set_import(document=SHOE)
    compile_version.delay(version.pk)
    with django_assert_num_queries(2):  # digest, then the blob
        engine = engine_for_version(version_id=version.pk)
    with django_assert_num_queries(1):  # digest only: the engine is in memory
        again = engine_for_version(version_id=version.pk)
    assert again is engine
    assert engine.valid_values({"material": "suede"})["color"] == {"black", "brown", "sand"}


def test_loader_never_compiles():
    version = option_set_import(document=SHOE)
    with pytest.raises(NotCompiledYet):
        engine_for_version(version_id=version.pk, wait=0)
    assert CompiledOptionSet.objects.count() == 0
    assert OptionSetVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_next_version_compiles_from_the_previous_layer_order(monkeypatch):
    version = option_set_import(document=SHOE, publish=False)
    compile_version.delay(version.pk)
    first = CompiledOptionSet.objects.get()
    assert [tuple(key) for key in first.layer_order] in (
        [("material", None), ("color", None)],
        [("color", None), ("material", None)],
    )
    option_set_publish(version=version)
    from catalog.services import option_set_new_draft

    draft = option_set_new_draft(version=version)
    hints: list = []
    real = compilation_services.compile_option_set

    def spying(document, **kwargs):
        hints.append(kwargs.get("order_hint"))
        return real(document, **kwargs)

    monkeypatch.setattr(compilation_services, "compile_option_set", spying)
    compile_version.delay(draft.pk)
    assert hints == [first.layer_order]
