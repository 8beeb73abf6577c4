"""Try before publishing: "Xem thử" opens the studio on a draft for staff (shoppers get 404),
its evaluations and previews use the draft as it is now, and the version's admin page shows
its preview layers composed."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import OptionGroup, OptionValue, PreviewLayer
from catalog.services import option_set_new_draft
from tests.fixtures.pictures import decode, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tote):
    """A draft of the tote with a green colour the published version does not have."""
    version = option_set_new_draft(version=tote)
    color = OptionGroup.objects.get(version=version, code="color")
    OptionValue.objects.create(
        group=color, code="green", name_vi="Xanh lá", name_en="Green", position=9
    )
    return version


def state_of(page: str) -> dict:
    match = re.search(r'<script id="studio-state" type="application/json">(.*?)</script>', page)
    assert match is not None
    return json.loads(match[1])


def color_codes(state: dict) -> list[str]:
    color = next(group for group in state["groups"] if group["code"] == "color")
    return [value["code"] for value in color["values"]]


def evaluate(client, selection: dict, language: str = "en"):
    return client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": selection},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_the_draft_page_offers_try_it_and_the_published_page_does_not(admin_client, draft, tote):
    page = admin_client.get(
        f"/admin/catalog/optionsetversion/{draft.pk}/change/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert f'href="/studio/TOTE-01/?draft={draft.pk}"' in page
    assert ">Xem thử</a>" in page
    published = admin_client.get(
        f"/admin/catalog/optionsetversion/{tote.pk}/change/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "?draft=" not in published
    assert "Xem thử" not in published


def test_staff_open_the_studio_on_the_draft(admin_client, draft):
    response = admin_client.get(f"/studio/TOTE-01/?draft={draft.pk}")
    assert response.status_code == 200
    state = state_of(response.content.decode())
    assert "green" in color_codes(state)
    assert f'data-version="{draft.number}"' in response.content.decode()


@pytest.mark.parametrize("who", ["guest", "shopper"])
def test_shoppers_get_404_for_a_draft(client, draft, who, django_user_model):
    if who == "shopper":
        client.force_login(django_user_model.objects.create_user("lan", "lan@example.vn", "x"))
    assert client.get(f"/studio/TOTE-01/?draft={draft.pk}").status_code == 404
    assert client.get("/studio/TOTE-01/").status_code == 200  # the published one stays
    assert "green" not in color_codes(state_of(client.get("/studio/TOTE-01/").content.decode()))


def test_a_published_version_or_another_product_is_no_draft(admin_client, draft, tote):
    assert admin_client.get(f"/studio/TOTE-01/?draft={tote.pk}").status_code == 404
    assert admin_client.get("/studio/TOTE-01/?draft=abc").status_code == 404
    assert admin_client.get(f"/studio/OTHER/?draft={draft.pk}").status_code == 404


def test_the_studio_evaluates_the_draft_it_opened_and_forgets_it_after(admin_client, client, draft):
    assert evaluate(admin_client, {"color": "green"}).status_code == 400  # not opened yet
    admin_client.get(f"/studio/TOTE-01/?draft={draft.pk}")
    answer = evaluate(admin_client, {"material": "canvas", "color": "green"})
    assert answer.status_code == 200
    assert answer.json()["preview_url"].startswith(
        f"/api/v1/products/TOTE-01/preview/{draft.number}/512.webp?s="
    )
    refused = evaluate(client, {"color": "green"})  # a shopper: the published version
    assert (refused.status_code, refused.json()["code"]) == (400, "engine.V002")
    admin_client.get("/studio/TOTE-01/")  # the live studio again
    assert evaluate(admin_client, {"color": "green"}).status_code == 400


def test_a_change_to_the_draft_shows_at_once(admin_client, draft):
    admin_client.get(f"/studio/TOTE-01/?draft={draft.pk}")
    OptionValue.objects.filter(group__version=draft, code="green").update(name_en="Forest")
    body = evaluate(admin_client, {"color": "green"}).json()
    color = next(group for group in body["groups"] if group["code"] == "color")
    assert [v["name"] for v in color["values"] if v["code"] == "green"] == ["Forest"]


def add_base_layer(version, colour=(10, 120, 200)) -> PreviewLayer:
    return PreviewLayer.objects.create(
        version=version,
        kind="base",
        image=SimpleUploadedFile("base.png", png(400, 300, colour), content_type="image/png"),
    )


def test_the_drafts_preview_is_drawn_from_its_layers_now_and_never_kept(admin_client, draft):
    add_base_layer(draft)
    admin_client.get(f"/studio/TOTE-01/?draft={draft.pk}")
    url = evaluate(admin_client, {"color": "green"}).json()["preview_url"]
    first = admin_client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    assert decode(first.content).size[0] == 512
    PreviewLayer.objects.filter(version=draft).delete()
    add_base_layer(draft, colour=(250, 10, 10))
    again = admin_client.get(url)
    red, green, blue = decode(again.content).convert("RGB").getpixel((256, 190))
    assert red > 240 and green < 20 and blue < 20  # the new layer (webp is lossy)


def test_the_version_page_shows_its_layers_composed(admin_client, client, draft):
    page = admin_client.get(f"/admin/catalog/optionsetversion/{draft.pk}/change/")
    assert "layers.png" not in page.content.decode()  # no layer, no picture
    add_base_layer(draft, colour=(0, 200, 0))
    page = admin_client.get(
        f"/admin/catalog/optionsetversion/{draft.pk}/change/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    url = f"/studio/TOTE-01/versions/{draft.pk}/layers.png"
    assert f'src="{url}"' in page
    assert "Xem trước các lớp" in page
    picture = admin_client.get(url)
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/png")
    assert decode(picture.content).convert("RGB").getpixel((256, 190)) == (0, 200, 0)
    assert client.get(url).status_code == 404


def test_the_check_warns_a_version_without_preview_layers(admin_client, draft):
    page = admin_client.get(
        f"/admin/catalog/optionsetversion/{draft.pk}/check/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "catalog.W011" in page
    assert "Phiên bản chưa có lớp xem trước: trang thiết kế sẽ không hiện hình." in page
    add_base_layer(draft)
    page = admin_client.get(f"/admin/catalog/optionsetversion/{draft.pk}/check/").content.decode()
    assert "catalog.W011" not in page
