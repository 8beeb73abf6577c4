"""Shared libraries: defined once, used by many products, copied into every draft."""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.format import OptionSetFormatError
from catalog.libraries import library_propagate
from catalog.models import (
    Library,
    LibraryValue,
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    Product,
)
from catalog.selectors import option_set_document
from catalog.services import option_set_import, option_set_new_draft, option_set_publish
from tests.fixtures.documents import NOW, TOTE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_extension_points")]


@pytest.fixture
def palette() -> Library:
    library = Library.objects.create(code="basic-colours", kind="palette", name_vi="Màu cơ bản")
    for position, (code, vi, swatch) in enumerate(
        [("black", "Đen", "#111111"), ("brown", "Nâu", "#6b4226"), ("navy", "Xanh đen", "#1f2a44")]
    ):
        LibraryValue.objects.create(
            library=library, code=code, name_vi=vi, swatch=swatch, position=position
        )
    return library


def tote_with_library(sku: str = "TOTE-01", values: bool = False) -> dict[str, Any]:
    """The tote whose colours come from the palette (the rule names black and brown)."""
    doc = copy.deepcopy(TOTE)
    doc["product"]["sku"] = sku
    colour = doc["groups"][1]
    colour["library"] = "basic-colours"
    if not values:
        del colour["values"]
    return doc


def _colours(version: OptionSetVersion) -> list[tuple[str, str, str]]:
    return list(
        OptionValue.objects.filter(group__version=version, group__code="color")
        .order_by("position")
        .values_list("code", "name_vi", "swatch")
    )


def test_a_group_naming_a_library_takes_its_values(palette):
    version = option_set_import(document=tote_with_library())

    assert OptionGroup.objects.get(code="color").library == palette
    assert _colours(version) == [
        ("black", "Đen", "#111111"),
        ("brown", "Nâu", "#6b4226"),
        ("navy", "Xanh đen", "#1f2a44"),
    ]


def test_a_library_reference_round_trips_exactly(palette):
    exported = option_set_document(version=option_set_import(document=tote_with_library()))

    again = option_set_document(version=option_set_import(document=copy.deepcopy(exported)))

    assert again == exported
    assert exported["groups"][1]["library"] == "basic-colours"
    assert [v["code"] for v in exported["groups"][1]["values"]] == ["black", "brown", "navy"]


def test_a_reference_to_no_library_is_refused_with_code_and_path_and_nothing_is_written():
    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=tote_with_library())

    assert [(p.code, p.path, p.message) for p in caught.value.problems] == [
        (
            "format.E065",
            "$.groups[1].library",
            "No shared library has the code “basic-colours”.",
        )
    ]
    assert (Product.objects.count(), OptionSetVersion.objects.count()) == (0, 0)


def test_the_import_command_names_the_missing_library(write_json):
    path = write_json(tote_with_library())

    with pytest.raises(CommandError) as caught:
        call_command("import_option_set", str(path), stdout=io.StringIO())

    assert "format.E065 $.groups[1].library: No shared library has the code “basic-colours”." in (
        str(caught.value)
    )
    assert Product.objects.count() == 0


def test_a_library_on_a_text_group_is_refused(palette):
    doc = tote_with_library(values=True)
    doc["groups"][2]["library"] = "basic-colours"

    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=doc)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("format.E023", "$.groups[2].library")
    ]
    assert Product.objects.count() == 0


def test_a_change_reaches_every_draft_and_the_next_version_not_the_published_one(palette):
    tote = option_set_import(document=tote_with_library())
    bag = option_set_import(document=tote_with_library("BAG-01"))
    published = option_set_publish(version=bag, now=NOW)
    LibraryValue.objects.filter(code="navy").update(name_vi="Xanh navy", swatch="#000080")
    LibraryValue.objects.create(library=palette, code="olive", name_vi="Xanh rêu", position=3)
    OptionValue.objects.filter(group__version=tote, code="brown").update(is_default=True)

    touched = library_propagate(library=palette)

    assert touched == [tote]
    assert _colours(tote) == [
        ("black", "Đen", "#111111"),
        ("brown", "Nâu", "#6b4226"),
        ("navy", "Xanh navy", "#000080"),
        ("olive", "Xanh rêu", ""),
    ]
    # The product's own choice of default stays with the product.
    assert OptionValue.objects.get(group__version=tote, code="brown").is_default is True
    assert _colours(published)[2] == ("navy", "Xanh đen", "#1f2a44")
    next_draft = option_set_new_draft(version=published)
    assert [code for code, _, _ in _colours(next_draft)] == ["black", "brown", "navy", "olive"]


def test_a_value_removed_from_the_library_leaves_the_drafts(palette):
    tote = option_set_import(document=tote_with_library())
    LibraryValue.objects.filter(code="navy").delete()

    library_propagate(library=palette)

    assert [code for code, _, _ in _colours(tote)] == ["black", "brown"]


def test_saving_a_library_in_the_admin_lists_the_drafts_it_touched(admin_client, palette):
    tote = option_set_import(document=tote_with_library())
    url = reverse("admin:catalog_library_change", args=[palette.pk])
    values = list(palette.values.order_by("position"))
    data: dict[str, Any] = {
        "code": "basic-colours",
        "kind": "palette",
        "name_vi": "Màu cơ bản",
        "name_en": "",
        "values-TOTAL_FORMS": "3",
        "values-INITIAL_FORMS": "3",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
    }
    for i, value in enumerate(values):
        data |= {
            f"values-{i}-id": str(value.pk),
            f"values-{i}-library": str(palette.pk),
            f"values-{i}-position": str(i),
            f"values-{i}-code": value.code,
            f"values-{i}-name_vi": "Đen tuyền" if value.code == "black" else value.name_vi,
            f"values-{i}-name_en": "",
            f"values-{i}-swatch": value.swatch,
            f"values-{i}-price_delta": "0",
            f"values-{i}-cost": "0",
            f"values-{i}-production_code": "",
        }

    response = admin_client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thay đổi đã đến các bản nháp sau:" in page
    assert reverse("admin:catalog_optionsetversion_change", args=[tote.pk]) in page
    assert _colours(tote)[0] == ("black", "Đen tuyền", "#111111")
    assert Decimal(0) == OptionValue.objects.get(group__version=tote, code="black").price_delta
