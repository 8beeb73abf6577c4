"""Import and export of option-set/1 documents: round trips, canonical form, refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from catalog.format import OptionSetFormatError
from catalog.models import (
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    PreviewLayer,
    Product,
    Rule,
    VersionStatus,
)
from catalog.selectors import option_set_document, option_set_version_get
from catalog.services import option_set_import, option_set_publish
from tests.fixtures.documents import NOW, generated_document, rich_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_extension_points")]


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Product, OptionSetVersion, OptionGroup, OptionValue, Rule, PreviewLayer)
    )


def test_import_then_export_gives_back_the_rich_document(rich: dict[str, Any]) -> None:
    version = option_set_import(document=rich)

    assert option_set_document(version=version) == rich_document()


def test_import_writes_product_groups_values_rules_and_layers(rich: dict[str, Any]) -> None:
    version = option_set_import(document=rich)

    product = Product.objects.get()
    assert (product.sku, product.name_vi, product.name_en) == (
        "TOTE-01",
        "Túi tote vải",
        "Canvas tote",
    )
    assert (product.base_price, product.currency, product.max_visible_values) == (
        Decimal("350000"),
        "VND",
        8,
    )
    assert (version.number, version.status, version.note) == (1, "draft", "Bộ sưu tập hè")
    assert list(version.groups.values_list("code", "kind", "position")) == [
        ("color", "choice", 0),
        ("material", "choice", 1),
        ("lining", "choice", 2),
        ("extras", "multi", 3),
        ("monogram", "text", 4),
        ("artwork", "image", 5),
    ]
    red = OptionValue.objects.get(group__code="color", code="red")
    assert (red.is_active, red.image.name, red.price_delta, red.position) == (
        False,
        "catalog/values/red.png",
        Decimal("-5000"),
        2,
    )
    table = version.rules.get(rule_id="color-material")
    assert table.table_groups == ["color", "material"]
    assert table.rows[3] == ["red", "linen"]
    texture = version.preview_layers.get(kind="texture")
    assert (texture.group.code, texture.value.code, texture.position) == ("material", "linen", 2)


def test_import_and_export_of_a_generated_option_set_with_large_tables() -> None:
    document = generated_document(groups=300, tables=40, rows=2500)

    version = option_set_import(document=document)

    assert version.groups.count() == 300
    assert OptionValue.objects.filter(group__version=version).count() == 3600
    assert sum(len(rows) for rows in version.rules.values_list("rows", flat=True)) == 100_000
    assert option_set_document(version=version) == generated_document(
        groups=300, tables=40, rows=2500
    )


@pytest.mark.parametrize("size", [(3, 1, 2), (60, 30, 500)])
def test_option_set_document_reads_in_six_queries(
    django_assert_num_queries: Any, size: tuple[int, int, int]
) -> None:
    groups, tables, rows = size
    version = option_set_import(
        document=generated_document(groups=groups, tables=tables, rows=rows)
    )

    # product, groups, values, rules, views, layers: whatever the size
    with django_assert_num_queries(6):
        option_set_document(version=version)


def test_import_replaces_the_content_of_the_existing_draft(rich: dict[str, Any]) -> None:
    first = option_set_import(document=rich)
    changed = rich_document()
    changed["groups"] = changed["groups"][:2]
    changed["rules"] = changed["rules"][:1]
    del changed["extensions"]

    second = option_set_import(document=changed)

    assert second.pk == first.pk
    assert OptionSetVersion.objects.count() == 1
    assert list(OptionGroup.objects.values_list("code", flat=True)) == ["color", "material"]
    assert Rule.objects.count() == 1
    assert PreviewLayer.objects.count() == 0
    assert option_set_document(version=second) == changed


def test_import_after_a_publish_creates_the_next_draft(rich: dict[str, Any]) -> None:
    published = option_set_import(document=rich, publish=True, now=NOW)
    rich["product"]["base_price"] = "390000"

    draft = option_set_import(document=rich)

    assert (published.number, draft.number, draft.status) == (1, 2, "draft")
    assert option_set_document(version=published)["product"]["base_price"] == "350000"
    assert option_set_document(version=draft)["product"]["base_price"] == "390000"
    assert Product.objects.get().base_price == Decimal("390000")


def test_import_with_publish_publishes_the_version(rich: dict[str, Any]) -> None:
    version = option_set_import(document=rich, publish=True, now=NOW)

    version.refresh_from_db()
    assert (version.status, version.published_at) == (VersionStatus.PUBLISHED, NOW)
    assert option_set_document(version=version) == rich_document()


def test_import_of_a_bad_document_writes_nothing(rich: dict[str, Any]) -> None:
    option_set_import(document=rich_document())
    before = _counts()
    rich["product"]["name"] = {"vi": "Tên mới"}
    rich["rules"][0]["rows"].append(["navy", "silk"])

    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=rich)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("format.E045", "$.rules[0].rows[4][1]")
    ]
    assert _counts() == before
    assert Product.objects.get().name_vi == "Túi tote vải"


def test_import_of_a_pattern_re2_cannot_match_writes_nothing(rich: dict[str, Any]) -> None:
    option_set_import(document=rich_document())
    before = _counts()
    rich["groups"][4]["pattern"] = r"(\w)\1"  # a backreference: Python could, RE2 cannot

    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=rich)

    assert [(p.code, p.path) for p in caught.value.problems][:1] == [
        ("format.E028", "$.groups[4].pattern")
    ]
    assert _counts() == before
    assert OptionGroup.objects.get(code="monogram").pattern == "[A-Za-zÀ-ỹ ]*"


def test_export_writes_the_canonical_form_of_a_non_canonical_document() -> None:
    document = {
        "format": "option-set/1",
        "product": {"sku": "MUG", "name": "Cốc sứ", "base_price": "12.5", "currency": "USD"},
        "groups": [
            {
                "code": "size",
                "name": "Cỡ",
                "kind": "choice",
                "required": True,
                "values": [
                    {"code": "s", "name": "Nhỏ", "price_delta": "0", "default": False},
                    {"code": "l", "name": {"en": "Large", "vi": "Lớn"}, "price_delta": "1.5"},
                ],
            }
        ],
    }

    version = option_set_import(document=document)

    assert option_set_document(version=version) == {
        "format": "option-set/1",
        "product": {
            "sku": "MUG",
            "name": {"vi": "Cốc sứ"},
            "base_price": "12.50",
            "currency": "USD",
        },
        "groups": [
            {
                "code": "size",
                "name": {"vi": "Cỡ"},
                "kind": "choice",
                "values": [
                    {"code": "s", "name": {"vi": "Nhỏ"}},
                    {"code": "l", "name": {"en": "Large", "vi": "Lớn"}, "price_delta": "1.50"},
                ],
            }
        ],
        "rules": [],
    }


def test_export_of_a_published_version_keeps_the_frozen_product(rich: dict[str, Any]) -> None:
    version = option_set_import(document=rich, publish=True, now=NOW)
    Product.objects.update(name_vi="Túi mới", base_price=Decimal("1"), is_active=False)

    assert option_set_document(version=version)["product"] == rich_document()["product"]


def test_export_of_an_inactive_product_says_so(rich: dict[str, Any]) -> None:
    rich["product"]["extensions"]["active"] = False

    version = option_set_import(document=rich)

    assert Product.objects.get().is_active is False
    assert option_set_document(version=version)["product"]["extensions"] == {
        "active": False,
        "description": {"en": "A sturdy tote.", "vi": "Túi vải bố bền chắc."},
    }


def test_option_set_version_get_prefers_latest_published_then_draft(rich: dict[str, Any]) -> None:
    with pytest.raises(OptionSetVersion.DoesNotExist):
        option_set_version_get(sku="TOTE-01")
    draft = option_set_import(document=rich)
    assert option_set_version_get(sku="TOTE-01") == draft

    option_set_publish(version=draft, now=NOW)
    second = option_set_import(document=rich)

    assert option_set_version_get(sku="TOTE-01") == draft
    assert option_set_version_get(sku="TOTE-01", number=2) == second
