"""The merchant admin: pages render, Check/publish/new draft/export/import, broken rules."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import OptionSetVersion, Product, Rule
from catalog.services import option_set_import
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_admin(admin_client):
    """These tests read the admin's English texts (Vietnamese is the shop's default)."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def draft() -> OptionSetVersion:
    return option_set_import(document=copy.deepcopy(TOTE))


def test_pages_render_for_staff(admin_client, draft):
    for url in [
        "/admin/catalog/product/",
        "/admin/catalog/product/add/",
        f"/admin/catalog/product/{draft.product_id}/change/",
        "/admin/catalog/optionsetversion/",
        f"/admin/catalog/optionsetversion/{draft.pk}/change/",
        f"/admin/catalog/optionsetversion/{draft.pk}/check/",
        "/admin/catalog/optionsetversion/import/",
        "/admin/catalog/product/?q=TOTE",
        "/admin/catalog/product/?currency__exact=VND",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_non_staff_are_sent_to_the_login(client, django_user_model, draft):
    user = django_user_model.objects.create_user("shopper", password="x-123456789")
    client.force_login(user)
    response = client.get(f"/admin/catalog/optionsetversion/{draft.pk}/check/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_check_shows_the_count_and_every_problem(admin_client, draft):
    page = admin_client.get(f"/admin/catalog/optionsetversion/{draft.pk}/check/").content.decode()
    assert '<span id="configurations">6</span>' in page  # canvas × 4 + suede × 2
    # Three of four colours shown, in no curated order: a warning, with its code, the group
    # by its name and the path.
    assert (
        '<tr class="warning"><td><code>catalog.W001</code></td><td>warning</td>'
        '<td class="place">Group: Colour<br><small><code>$.groups[1]</code></small></td>'
    ) in page


def test_publish_then_new_draft(admin_client, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/catalog/optionsetversion/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    # Published: read-only.
    page = admin_client.get(
        f"/admin/catalog/optionsetversion/{draft.pk}/change/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Bản nháp mới từ phiên bản này" in page
    response = admin_client.post(f"/admin/catalog/optionsetversion/{draft.pk}/new-draft/")
    new = OptionSetVersion.objects.get(number=2)
    assert response["Location"] == f"/admin/catalog/optionsetversion/{new.pk}/change/"
    assert new.groups.count() == 3
    assert new.created_from_id == draft.pk


def test_export_downloads_the_document(admin_client, draft):
    response = admin_client.get(f"/admin/catalog/optionsetversion/{draft.pk}/export/")
    assert response["Content-Disposition"] == 'attachment; filename="TOTE-01-v1.json"'
    assert json.loads(response.content)["product"]["sku"] == "TOTE-01"


def test_import_lists_every_problem_and_writes_nothing(admin_client):
    bad = copy.deepcopy(TOTE)
    bad["groups"][1]["values"][0]["code"] = "bad code!"
    bad["rules"][0]["rows"].append(["suede", "teal"])
    upload = SimpleUploadedFile("tote.json", json.dumps(bad).encode(), "application/json")
    page = admin_client.post(
        "/admin/catalog/optionsetversion/import/", {"file": upload}
    ).content.decode()
    assert "nothing was written" in page
    assert "$.groups[1].values[0].code" in page
    assert "$.rules[0].rows[3][1]" in page
    assert Product.objects.count() == 0
    broken = SimpleUploadedFile("x.json", b'{"format": ', "application/json")
    page = admin_client.post(
        "/admin/catalog/optionsetversion/import/", {"file": broken}
    ).content.decode()
    assert "Not a JSON document (line 1)" in page
    good = SimpleUploadedFile("tote.json", json.dumps(TOTE).encode(), "application/json")
    response = admin_client.post("/admin/catalog/optionsetversion/import/", {"file": good})
    assert response.status_code == 302
    assert Product.objects.get().sku == "TOTE-01"


def _version_form_data(version: OptionSetVersion, rule_rows: str) -> dict:
    """The nested admin's POST for the version page, with one rule's rows replaced."""
    data = {
        "note": "",
        "groups-TOTAL_FORMS": "0",
        "groups-INITIAL_FORMS": "0",
        "views-TOTAL_FORMS": "0",
        "views-INITIAL_FORMS": "0",
        "preview_layers-TOTAL_FORMS": "0",
        "preview_layers-INITIAL_FORMS": "0",
    }
    rule = version.rules.get()
    data.update(
        {
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "1",
            "rules-0-id": str(rule.pk),
            "rules-0-version": str(version.pk),
            "rules-0-kind": "allowed",
            "rules-0-rule_id": rule.rule_id,
            "rules-0-position": "0",
            "rules-0-message_vi": rule.message_vi,
            "rules-0-message_en": rule.message_en,
            "rules-0-groups_text": "material, color",
            "rules-0-rows_text": rule_rows,
            "rules-0-if_text": "",
            "rules-0-then_text": "",
        }
    )
    return data


def test_saving_a_broken_rule_shows_the_error_and_saves_nothing(admin_client, draft):
    # Keep the existing groups untouched: post only the rules formset (groups unchanged).
    url = f"/admin/catalog/optionsetversion/{draft.pk}/change/"
    before = list(Rule.objects.values_list("rows", flat=True))
    page = admin_client.get(url).content.decode()
    assert "rules-0-rows_text" in page
    form = _version_form_data(draft, "suede, black\nsuede, teal\nsuede")
    response = admin_client.post(url, form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Line 2: “teal” is not a value of “color”." in body
    assert "Line 3 has 1 values; the table has 2 groups." in body
    assert list(Rule.objects.values_list("rows", flat=True)) == before
    ok = _version_form_data(draft, "suede, black\ncanvas, *")
    response = admin_client.post(url, ok)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rule.objects.get().rows == [["suede", "black"], ["canvas", "*"]]


def test_preview_layer_images_are_checked_on_upload():
    from django.core.exceptions import ValidationError
    from PIL import Image

    from catalog.forms import validate_image_file

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    gif = SimpleUploadedFile("a.gif", buffer.getvalue())
    with pytest.raises(ValidationError) as caught:
        validate_image_file(gif)
    assert caught.value.code == "image_format"
    svg = SimpleUploadedFile("a.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ValidationError) as caught:
        validate_image_file(svg)
    assert caught.value.code == "image_invalid"
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4)).save(buffer, "PNG")
    validate_image_file(SimpleUploadedFile("a.png", buffer.getvalue()))


def test_the_group_form_refuses_a_pattern_re2_cannot_match():
    from catalog.forms import OptionGroupForm

    group = {"code": "monogram", "kind": "text", "position": "0", "name_vi": "Chữ thêu"}
    form = OptionGroupForm(data={**group, "pattern": r"(a)\1", "formats": "[]"})
    assert not form.is_valid()
    assert [(e.code, e.message) for e in form.errors.as_data()["pattern"]] == [
        (
            "format.E028",
            "This pattern cannot be checked safely: invalid escape sequence: \\1. "
            "Backreferences, lookahead, lookbehind and word boundaries are not supported.",
        )
    ]
    broken = OptionGroupForm(data={**group, "pattern": "[a-z", "formats": "[]"})
    assert [e.code for e in broken.errors.as_data()["pattern"]] == ["format.E026"]
    fine = OptionGroupForm(data={**group, "pattern": r"[\w .'-]+", "formats": "[]"})
    assert fine.is_valid(), fine.errors
    assert fine.cleaned_data["pattern"] == r"[\w .'-]+"
