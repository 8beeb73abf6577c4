"""import_option_set and export_option_set management commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from catalog.models import OptionGroup, OptionSetVersion, Product
from tests.fixtures.documents import rich_document

pytestmark = pytest.mark.django_db

WriteJson = Callable[..., Path]


def _run(*args: Any, **options: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_import_option_set_prints_what_it_did(
    write_json: WriteJson, no_extension_points: None
) -> None:
    output = _run("import_option_set", str(write_json(rich_document())))

    assert output == "Imported TOTE-01 into version 1 (Draft): 6 groups, 10 values, 4 rules.\n"
    assert OptionSetVersion.objects.get().status == "draft"


def test_import_option_set_publish_without_analyzer_prints_unknown_count(
    write_json: WriteJson, no_extension_points: None
) -> None:
    output = _run("import_option_set", str(write_json(rich_document())), "--publish")

    assert output.splitlines() == [
        "Imported TOTE-01 into version 1 (Published): 6 groups, 10 values, 4 rules.",
        "Warning catalog.W002 $.rules[0].rows[3][0]: “color.red” is inactive.",
        "Warning catalog.W002 $.rules[3].then.color[1]: “color.red” is inactive.",
        "Valid configurations: unknown",
        "Dead values: none",
    ]
    assert OptionSetVersion.objects.get().status == "published"


def test_import_option_set_publish_prints_the_analyzers_count_and_dead_values(
    write_json: WriteJson, fake_analyzer: list[int]
) -> None:
    output = _run("import_option_set", str(write_json(rich_document())), publish=True)

    assert output.splitlines()[-2:] == ["Valid configurations: 42", "Dead values: color.navy"]


def test_import_option_set_reports_the_line_and_column_of_bad_json(write_json: WriteJson) -> None:
    path = write_json('{\n  "format": "option-set/1",\n  "product": {,\n}')

    with pytest.raises(CommandError) as caught:
        _run("import_option_set", str(path))

    assert str(caught.value) == (
        f"{path} is not valid JSON: line 3, column 15: Expecting property name enclosed in "
        "double quotes."
    )
    assert Product.objects.count() == 0


def test_import_option_set_lists_every_problem_and_writes_nothing(
    write_json: WriteJson, no_extension_points: None
) -> None:
    document = rich_document()
    document["product"]["currency"] = "VNĐ"
    document["rules"][0]["rows"][1] = ["navy", "silk"]

    with pytest.raises(CommandError) as caught:
        _run("import_option_set", str(write_json(document)))

    assert str(caught.value) == (
        f"{write_json(document)} is not a valid option-set/1 document; nothing was imported. "
        "2 problem(s):\n"
        "  format.E011 $.product.currency: Unknown currency “VNĐ”; use one of VND, USD, EUR, "
        "JPY, GBP, SGD, THB.\n"
        "  format.E045 $.rules[0].rows[1][1]: Unknown value “silk” of group “material”."
    )
    assert (Product.objects.count(), OptionGroup.objects.count()) == (0, 0)


def test_import_option_set_exits_non_zero_on_a_bad_file(write_json: WriteJson) -> None:
    path = write_json({"format": "option-set/1"})

    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "import_option_set", str(path)]).execute()

    assert caught.value.code == 1


def test_import_option_set_reports_a_refused_publish(
    write_json: WriteJson, no_extension_points: None
) -> None:
    document = rich_document()
    document["rules"][0]["rows"] = [["navy", "canvas"]]

    with pytest.raises(CommandError) as caught:
        _run("import_option_set", str(write_json(document)), "--publish")

    assert str(caught.value).endswith(
        "was not imported: publishing was refused. 1 problem(s):\n"
        "  catalog.E020 $.rules[0]: The default values (color=natural, material=canvas) "
        "break rule “color-material”."
    )
    assert Product.objects.count() == 0


def test_export_option_set_writes_the_document_to_stdout(
    write_json: WriteJson, no_extension_points: None
) -> None:
    _run("import_option_set", str(write_json(rich_document())))

    output = _run("export_option_set", "TOTE-01")

    assert json.loads(output) == rich_document()
    assert '"vi": "Túi tote vải"' in output
    assert output.startswith('{\n  "format": "option-set/1",\n')


def test_export_option_set_writes_a_chosen_version_to_a_file(
    write_json: WriteJson, tmp_path: Path, no_extension_points: None
) -> None:
    _run("import_option_set", str(write_json(rich_document())), "--publish")
    changed = rich_document()
    changed["product"]["base_price"] = "400000"
    _run("import_option_set", str(write_json(changed)))
    target = tmp_path / "out.json"

    _run("export_option_set", "TOTE-01", "--output", str(target))
    latest_published = json.loads(target.read_text(encoding="utf-8"))
    _run("export_option_set", "TOTE-01", "--version", "2", "--output", str(target))
    draft = json.loads(target.read_text(encoding="utf-8"))

    assert latest_published == rich_document()
    assert draft == changed


def test_export_option_set_refuses_an_unknown_product_or_version(
    write_json: WriteJson, no_extension_points: None
) -> None:
    _run("import_option_set", str(write_json(rich_document())))

    with pytest.raises(CommandError, match=r"^No version of product “MUG-01”\.$"):
        _run("export_option_set", "MUG-01")
    with pytest.raises(CommandError, match=r"^No version 7 of product “TOTE-01”\.$"):
        _run("export_option_set", "TOTE-01", version=7)
