"""Views of an option set: stored, exported and imported exactly, refused when wrong."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django.apps import apps

from catalog.format import OptionSetFormatError
from catalog.models import OptionSetVersion, PreviewLayer, ProductView
from catalog.selectors import option_set_document
from catalog.services import option_set_import, option_set_new_draft, option_set_publish
from tests.fixtures.documents import rich_document

pytestmark = pytest.mark.django_db


def two_views() -> dict[str, Any]:
    """The rich document seen from the front and the back; the back prints, a detail not."""
    doc = rich_document()
    doc["extensions"]["views"] = [
        {"code": "front", "name": {"en": "Front", "vi": "Mặt trước"}},
        {"code": "back", "name": {"en": "Back", "vi": "Mặt sau"}},
        {"code": "detail", "name": {"vi": "Cận cảnh"}, "prints": False},
    ]
    doc["extensions"]["preview_layers"] += [
        {"kind": "base", "view": "back", "image": "catalog/layers/tote-back.png"},
        {
            "kind": "text",
            "view": "back",
            "group": "monogram",
            "x": 100,
            "y": 200,
            "width": 300,
            "height": 60,
            "print_width_mm": 60,
            "print_height_mm": 15,
        },
        {"kind": "base", "view": "detail", "image": "catalog/layers/tote-detail.png"},
    ]
    return doc


def _layer_views(version: OptionSetVersion) -> list[tuple[str, str]]:
    return list(
        PreviewLayer.objects.filter(version=version)
        .order_by("position")
        .values_list("kind", "view__code")
    )


def test_views_import_and_export_exactly() -> None:
    doc = two_views()

    version = option_set_import(document=copy.deepcopy(doc))

    assert list(
        ProductView.objects.filter(version=version).values_list(
            "code", "name_vi", "name_en", "position", "prints"
        )
    ) == [
        ("front", "Mặt trước", "Front", 0, True),
        ("back", "Mặt sau", "Back", 1, True),
        ("detail", "Cận cảnh", "", 2, False),
    ]
    assert _layer_views(version) == [
        ("base", "front"),
        ("tint", "front"),
        ("texture", "front"),
        ("text", "front"),
        ("artwork", "front"),
        ("base", "back"),
        ("text", "back"),
        ("base", "detail"),
    ]
    assert option_set_document(version=version) == doc


def test_a_document_without_views_gets_the_front_view_and_exports_as_it_was() -> None:
    doc = rich_document()
    assert "views" not in doc["extensions"]

    version = option_set_import(document=copy.deepcopy(doc))

    assert list(
        ProductView.objects.filter(version=version).values_list("code", "name_vi", "name_en")
    ) == [("front", "Mặt trước", "Front")]
    assert {view for _, view in _layer_views(version)} == {"front"}
    assert option_set_document(version=version) == doc


def test_a_layer_naming_an_unknown_view_is_refused_and_nothing_is_written() -> None:
    doc = two_views()
    doc["extensions"]["preview_layers"][6]["view"] = "side"

    with pytest.raises(OptionSetFormatError) as refused:
        option_set_import(document=doc)

    assert [(p.code, p.path, p.message) for p in refused.value.problems] == [
        (
            "format.E063",
            "$.extensions.preview_layers[6].view",
            "Unknown view “side”; views: back, detail, front.",
        )
    ]
    assert OptionSetVersion.objects.count() == 0
    assert ProductView.objects.count() == 0
    assert PreviewLayer.objects.count() == 0


def test_a_layer_of_a_document_without_views_may_name_only_the_front() -> None:
    doc = rich_document()
    doc["extensions"]["preview_layers"][0]["view"] = "back"

    with pytest.raises(OptionSetFormatError) as refused:
        option_set_import(document=doc)

    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("format.E063", "$.extensions.preview_layers[0].view")
    ]


def test_a_new_draft_copies_the_views_and_each_layer_keeps_its_view() -> None:
    published = option_set_import(document=two_views())
    option_set_publish(version=published)

    draft = option_set_new_draft(version=published)

    assert list(draft.views.values_list("code", "prints")) == [
        ("front", True),
        ("back", True),
        ("detail", False),
    ]
    assert _layer_views(draft) == _layer_views(published)
    assert not PreviewLayer.objects.filter(version=draft, view__version=published).exists()
    assert option_set_document(version=draft) == option_set_document(version=published)


def test_the_migration_puts_layers_without_a_view_in_a_front_view() -> None:
    from importlib import import_module

    migration = import_module("catalog.migrations.0011_views_default_front")
    version = option_set_import(document=rich_document())
    ProductView.objects.all().delete()  # its layers go with it: rows from before views
    PreviewLayer.objects.bulk_create(
        [PreviewLayer(version=version, kind="base", position=i) for i in range(2)]
    )

    migration.forward(apps, None)

    assert list(ProductView.objects.values_list("version_id", "code", "name_vi", "name_en")) == [
        (version.pk, "front", "Mặt trước", "Front")
    ]
    assert set(PreviewLayer.objects.values_list("view__code", flat=True)) == {"front"}


def test_the_versions_admin_page_edits_views_in_vietnamese_and_offers_only_its_views(
    admin_client,
) -> None:
    other = option_set_import(document=two_views())
    option_set_publish(version=other)
    draft = option_set_new_draft(version=other)

    page = admin_client.get(
        f"/admin/catalog/optionsetversion/{draft.pk}/change/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()

    assert "Các mặt xem" in page
    assert 'name="views-TOTAL_FORMS" value="3"' in page
    select = page.split('name="preview_layers-0-view"')[1].split("</select>")[0]
    offered = [int(pk) for pk in re.findall(r'<option value="(\d+)"', select)]
    assert offered == list(draft.views.values_list("pk", flat=True))
    assert "Có in" in page  # the column of the views' "prints"
