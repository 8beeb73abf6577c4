"""A text's colour and font from the merchant's lists (issue 13, item 8): a text layer names
the choose-one groups whose chosen value colours it and sets its font; in the format, the
copy of a draft and the print artwork."""

from __future__ import annotations

import pytest

from catalog.format import OptionSetFormatError
from catalog.models import OptionSetVersion, PreviewLayer
from catalog.selectors import option_set_document
from catalog.services import option_set_import, option_set_new_draft
from configurator.production.package import text_style
from tests.fixtures.documents import NOW, rich_document

pytestmark = pytest.mark.django_db

TEXT = 3  # the rich document's text layer


def styled_document() -> dict:
    document = rich_document()
    document["extensions"]["preview_layers"][TEXT]["color_group"] = "color"
    return document


def test_the_colour_group_round_trips_and_is_stored():
    version = option_set_import(document=styled_document())

    layer = PreviewLayer.objects.get(version=version, kind="text")
    assert (layer.color_group.code, layer.font_group) == ("color", None)
    assert option_set_document(version=version) == styled_document()


@pytest.mark.parametrize(
    ("key", "code"), [("color_group", "monogram"), ("font_group", "nothing"), ("font_group", 7)]
)
def test_a_style_group_that_is_not_a_choose_one_group_is_refused(key, code):
    document = rich_document()
    document["extensions"]["preview_layers"][TEXT][key] = code

    with pytest.raises(OptionSetFormatError) as refused:
        option_set_import(document=document)

    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("format.E061", f"$.extensions.preview_layers[{TEXT}].{key}")
    ]
    assert not OptionSetVersion.objects.exists()


def test_a_style_group_only_on_a_text_layer():
    document = rich_document()
    document["extensions"]["preview_layers"][1]["color_group"] = "color"  # the tint

    with pytest.raises(OptionSetFormatError) as refused:
        option_set_import(document=document)

    assert [p.path for p in refused.value.problems] == [
        "$.extensions.preview_layers[1].color_group"
    ]


def test_a_new_draft_keeps_the_style_group_of_its_own_version():
    published = option_set_import(document=styled_document(), publish=True, now=NOW)

    draft = option_set_new_draft(version=published)

    layer = PreviewLayer.objects.get(version=draft, kind="text")
    assert layer.color_group.version_id == draft.pk
    assert layer.color_group.code == "color"


def test_the_print_takes_the_chosen_colour_else_black():
    version = option_set_import(document=styled_document())
    chose = [{"group": "color", "value": "navy", "kind": "choice"}]

    assert text_style(version.pk, "monogram", chose) == ("#1f2a44", None)
    assert text_style(version.pk, "monogram", []) == ("#000000", None)
    red = [{"group": "color", "value": "red", "kind": "choice"}]  # a value with no swatch
    assert text_style(version.pk, "monogram", red) == ("#000000", None)


def test_a_font_group_sets_the_font_of_the_preview_and_the_print(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from configurator.configuring import previews
    from configurator.preview.text import DEFAULT_BOLD_FONT

    bold = DEFAULT_BOLD_FONT.read_bytes()
    name = default_storage.save("catalog/fonts/bold-test.ttf", ContentFile(bold))
    document = rich_document()
    document["groups"].append(
        {
            "code": "font",
            "name": {"vi": "Kiểu chữ", "en": "Font"},
            "kind": "choice",
            "required": False,
            "values": [
                {"code": "plain", "name": {"vi": "Thường", "en": "Plain"}},
                {"code": "bold", "name": {"vi": "Đậm", "en": "Bold"}, "extensions": {"font": name}},
            ],
        }
    )
    document["extensions"]["preview_layers"][TEXT]["font_group"] = "font"
    version = option_set_import(document=document)
    previews._cache.clear()

    [text] = [s for s in previews.version_layers(version.pk, document) if s.kind == "text"]
    chose = [{"group": "font", "value": "bold", "kind": "choice"}]

    assert text.font_group == "font"
    assert text.styled({"font": "bold"}).font in (bold, default_storage.path(name))
    assert text.styled({"font": "plain"}) is text
    assert text_style(version.pk, "monogram", chose) == ("#000000", bold)
    default_storage.delete(name)
