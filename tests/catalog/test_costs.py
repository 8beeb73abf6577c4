"""Production costs and the minimum margin in option-set/1: stored, exported, refused, hidden."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from catalog.format import OptionSetFormatError
from catalog.models import OptionGroup, OptionSetVersion, OptionValue, Product
from catalog.selectors import option_set_document, without_costs
from catalog.services import option_set_import, option_set_publish
from tests.fixtures.documents import NOW, rich_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_extension_points")]


def costed_document() -> dict[str, Any]:
    """The rich document with a cost on everything that can carry one (canonical form)."""
    doc = rich_document()
    doc["product"] |= {"base_cost": "120000", "min_margin": "15.5"}
    groups = {group["code"]: group for group in doc["groups"]}
    groups["color"]["values"][1]["cost"] = "30000"
    groups["extras"]["values"][0]["cost"] = "5000"
    groups["monogram"] |= {"cost": "10000", "cost_per_char": "500"}
    groups["artwork"]["cost"] = "25000"
    return doc


def test_costs_round_trip_exactly() -> None:
    version = option_set_import(document=costed_document())

    assert option_set_document(version=version) == costed_document()


def test_costs_are_stored_where_the_admin_edits_them() -> None:
    option_set_import(document=costed_document())

    product = Product.objects.get()
    assert (product.base_cost, product.min_margin) == (Decimal("120000"), Decimal("15.5"))
    assert list(OptionValue.objects.filter(group__code="color").values_list("code", "cost")) == [
        ("natural", Decimal(0)),
        ("navy", Decimal(30000)),
        ("red", Decimal(0)),
    ]
    monogram = OptionGroup.objects.get(code="monogram")
    assert (monogram.cost, monogram.cost_per_char) == (Decimal(10000), Decimal(500))
    assert OptionGroup.objects.get(code="artwork").cost == Decimal(25000)


def test_a_published_version_keeps_the_costs_it_was_published_with() -> None:
    version = option_set_import(document=costed_document())
    option_set_publish(version=version, now=NOW)
    Product.objects.update(base_cost=Decimal(1), min_margin=None)

    exported = option_set_document(version=OptionSetVersion.objects.get(pk=version.pk))

    assert (exported["product"]["base_cost"], exported["product"]["min_margin"]) == (
        "120000",
        "15.5",
    )


def test_a_non_canonical_percent_exports_without_trailing_zeros() -> None:
    doc = costed_document()
    doc["product"]["min_margin"] = "20.50"
    doc["product"]["base_cost"] = "0"

    exported = option_set_document(version=option_set_import(document=doc))

    assert exported["product"]["min_margin"] == "20.5"
    assert "base_cost" not in exported["product"]


@pytest.mark.parametrize(
    ("where", "raw", "code", "path"),
    [
        (("product", "base_cost"), "-1", "format.E012", "$.product.base_cost"),
        (("product", "base_cost"), 120000, "format.E012", "$.product.base_cost"),
        (("product", "min_margin"), "100", "format.E015", "$.product.min_margin"),
        (("product", "min_margin"), "12.345", "format.E015", "$.product.min_margin"),
        (("product", "min_margin"), 15, "format.E015", "$.product.min_margin"),
        (("groups", 0, "values", 1, "cost"), "-30000", "format.E012", "$.groups[0].values[1].cost"),
        (("groups", 0, "values", 1, "cost"), "300.5", "format.E013", "$.groups[0].values[1].cost"),
        (("groups", 4, "cost_per_char"), "1e3", "format.E012", "$.groups[4].cost_per_char"),
        (("groups", 5, "cost_per_char"), "500", "format.E023", "$.groups[5].cost_per_char"),
        (("groups", 0, "cost"), "500", "format.E023", "$.groups[0].cost"),
    ],
)
def test_bad_costs_are_refused_with_code_and_path_and_nothing_is_written(
    where: tuple, raw: Any, code: str, path: str
) -> None:
    doc = costed_document()
    target: Any = doc
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = raw

    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=doc)

    assert [(p.code, p.path) for p in caught.value.problems] == [(code, path)]
    assert (Product.objects.count(), OptionSetVersion.objects.count()) == (0, 0)


def test_the_shoppers_document_has_no_cost_and_no_margin() -> None:
    shown = without_costs(costed_document())

    assert shown == rich_document()
    assert list(shown) == list(rich_document())


def test_the_public_api_serves_the_document_without_costs(client, publish) -> None:
    publish(costed_document())

    body = client.get("/api/v1/products/TOTE-01/").json()

    assert body["option_set"] == without_costs(costed_document())
    assert "cost" not in str(body) and "min_margin" not in str(body)
