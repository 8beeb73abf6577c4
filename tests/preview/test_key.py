"""The cache key: stable across runs, blind to spelling that does not change the picture."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from configurator.preview import PreviewError, canonical_selection, preview_key

SELECTION = {"color": "navy", "extras": ["gift", "badge"], "monogram": "Nguyễn", "photo": ""}


def test_the_key_is_the_hash_of_the_canonical_document():
    # A change here orphans every cached preview: bump RENDERER when that is the intent.
    canonical = (
        '{"f":"webp","r":"preview/1","s":{"color":"navy","extras":["badge","gift"],'
        '"monogram":"Nguyễn"},"v":"7","z":512}'
    )
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:40]
    assert (
        preview_key(7, SELECTION, 512, "webp")
        == expected
        == "0349c56d5ff128730987bc95b4b1c90893ad35e4"
    )
    assert len(preview_key(7, {}, 256, "png")) == 40


def test_key_order_value_order_spelling_and_empty_choices_do_not_matter():
    same = {
        "photo": None,
        "monogram": unicodedata.normalize("NFD", "Nguyễn"),
        "extras": ["badge", "gift", "gift"],
        "color": "navy",
        "engraving": "",
    }
    assert preview_key(7, same, 512, "webp") == preview_key(7, SELECTION, 512, "webp")


@pytest.mark.parametrize(
    "change",
    [
        {"version": 8},
        {"size": 1024},
        {"format": "png"},
        {"selection": {**SELECTION, "color": "red"}},
        {"selection": {**SELECTION, "monogram": "Nguyen"}},
        {"selection": {**SELECTION, "monogram": "Nguyễn "}},
        {"selection": {**SELECTION, "extras": ["gift"]}},
    ],
)
def test_anything_that_changes_the_picture_changes_the_key(change):
    args = {"version": 7, "selection": SELECTION, "size": 512, "format": "webp"}
    base = preview_key(args["version"], args["selection"], args["size"], args["format"])
    args.update(change)
    assert preview_key(args["version"], args["selection"], args["size"], args["format"]) != base


def test_the_key_refuses_sizes_and_formats_outside_the_allow_lists():
    with pytest.raises(PreviewError) as refused:
        preview_key(7, {}, 300, "tiff")
    assert refused.value.codes == ["preview.E001", "preview.E002"]


def test_canonical_selection():
    assert canonical_selection(SELECTION) == {
        "color": "navy",
        "extras": ["badge", "gift"],
        "monogram": "Nguyễn",
    }
    assert canonical_selection({"qty": 2, "ok": True, "upload": {"id": "u1", "x": None}}) == {
        "ok": True,
        "qty": 2,
        "upload": {"id": "u1"},
    }


codes = st.text(alphabet="abcdefgh", min_size=1, max_size=4)


@given(st.dictionaries(codes, st.one_of(codes, st.lists(codes, max_size=4)), max_size=6))
def test_any_reordering_keeps_the_key(selection):
    reordered = {
        key: list(reversed(value)) if isinstance(value, list) else value
        for key, value in reversed(list(selection.items()))
    }
    assert preview_key(1, reordered, 256, "jpeg") == preview_key(1, selection, 256, "jpeg")
