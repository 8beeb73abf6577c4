"""Number groups in the catalog: import, export, canonical form, refusals and the Check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from catalog.checks import option_set_check
from catalog.format import OptionSetFormatError, parse_option_set
from catalog.models import OptionGroup, OptionSetVersion, Product
from catalog.selectors import option_set_document
from catalog.services import option_set_import
from tests.fixtures.documents import banner_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_extension_points")]


def test_import_then_export_gives_back_the_banner() -> None:
    version = option_set_import(document=banner_document())

    assert option_set_document(version=version) == banner_document()


def test_import_stores_the_grid_unit_and_prices() -> None:
    version = option_set_import(document=banner_document())

    rows = list(
        version.groups.filter(kind="number").values_list(
            "code",
            "number_min",
            "number_max",
            "number_increment",
            "number_default",
            "unit",
            "price_per_unit",
            "price_formula",
        )
    )
    assert rows == [
        ("width", Decimal("50"), Decimal("300"), Decimal("10"), Decimal("120"), "cm", None, ""),
        (
            "height",
            Decimal("50"),
            Decimal("200"),
            Decimal("10"),
            Decimal("80"),
            "cm",
            None,
            "width * height / 10000 * 150000",
        ),
        ("strap", Decimal("0.5"), Decimal("3"), Decimal("0.5"), None, "m", Decimal("8000"), ""),
    ]


def test_export_writes_numbers_in_canonical_form() -> None:
    document = banner_document()
    document["groups"][1] |= {"minimum": 50, "maximum": "300.0", "increment": "10.000"}
    version = option_set_import(document=document)

    exported = option_set_document(version=version)["groups"][1]
    assert (exported["minimum"], exported["maximum"], exported["increment"]) == ("50", "300", "10")


def test_parse_reads_number_fields() -> None:
    group = parse_option_set(banner_document()).groups[3]
    assert (group.kind, group.number_min, group.number_max, group.number_increment) == (
        "number",
        Decimal("0.5"),
        Decimal("3"),
        Decimal("0.5"),
    )
    assert (group.unit, group.price_per_unit, group.price_formula, group.required) == (
        "m",
        Decimal("8000"),
        "",
        False,
    )


def _problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(OptionSetFormatError) as caught:
        parse_option_set(document)
    return [(p.code, p.path) for p in caught.value.problems]


def test_every_number_problem_is_reported_at_once() -> None:
    document = banner_document()
    document["groups"][1] |= {"maximum": "305", "default": "abc"}
    document["groups"][2]["price_formula"] = "width * material"
    document["groups"][3]["price_formula"] = "strap * 2"
    document["rules"][0]["then"] = {"height": ["500..900"]}

    assert _problems(document) == [
        ("format.E035", "$.groups[1].default"),
        ("format.E036", "$.groups[1].maximum"),
        ("format.E039", "$.groups[2].price_formula"),
        ("format.E039", "$.groups[3].price_formula"),
        ("format.E056", "$.rules[0].then.height[0]"),
    ]


def test_a_refused_number_group_writes_nothing() -> None:
    document = banner_document()
    document["groups"][1]["increment"] = "0.1"  # 2,501 values

    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=document)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("format.E037", "$.groups[1].maximum")
    ]
    assert (Product.objects.count(), OptionSetVersion.objects.count()) == (0, 0)
    assert OptionGroup.objects.count() == 0


def test_check_reports_a_broken_number_group_typed_in_the_admin() -> None:
    version = option_set_import(document=banner_document())
    OptionGroup.objects.filter(version=version, code="width").update(number_max=Decimal("305"))

    report = option_set_check(version=version)

    assert [(p.code, p.path) for p in report.errors] == [("catalog.E030", "$.groups[1].maximum")]


def test_check_reports_a_starting_number_that_breaks_a_rule() -> None:
    document = banner_document()
    document["groups"][0]["values"][0].pop("default")
    document["groups"][0]["values"][1]["default"] = True  # cotton
    document["groups"][1]["default"] = "250"
    version = option_set_import(document=document)

    report = option_set_check(version=version)

    assert [(p.code, p.path, p.message) for p in report.errors] == [
        (
            "catalog.E020",
            "$.rules[0]",
            "The default values (material=cotton, width=250) break rule “cotton-width”.",
        )
    ]
