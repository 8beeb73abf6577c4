"""More than one view: the preview of each view, the studio's tabs, and the print files of
each view that prints."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from configurator.compilation.selectors import engine_for_version
from configurator.configuring import previews
from configurator.configuring.previews import encode_selection, preview_name
from configurator.designs.shoppers import Shopper
from configurator.orders.models import OrderLine
from configurator.orders.services import Shipping, cart_line_add, order_place
from configurator.production.package import package_build
from configurator.production.services import order_exports_create
from configurator.storage import private_storage

pytestmark = pytest.mark.django_db

RED, BLUE, GREEN = (200, 30, 30), (30, 40, 200), (40, 170, 60)
SHIPPING = Shipping("Lê Văn Tám", "tam@example.vn", "0903 000 111", "1 Trần Phú", "Đà Nẵng")


def _picture(name: str, colour: tuple[int, int, int]) -> str:
    """A 400 × 400 picture of one colour in the media storage; its storage name."""
    out = io.BytesIO()
    Image.new("RGBA", (400, 400), (*colour, 255)).save(out, "PNG")
    path = f"catalog/layers/{name}.png"
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(out.getvalue()))


def document() -> dict[str, Any]:
    """A bag seen from the front (red), the back (blue) and a close-up (green, not printed);
    its name is printed on the front (70 × 15 mm) and on the back (60 × 20 mm)."""
    return {
        "format": "option-set/1",
        "product": {
            "sku": "VIEWS-01",
            "name": {"vi": "Túi hai mặt", "en": "Two-sided bag"},
            "base_price": "100000",
            "currency": "VND",
        },
        "groups": [
            {
                "code": "name",
                "name": {"vi": "Tên in", "en": "Printed name"},
                "kind": "text",
                "required": False,
                "max_length": 20,
            }
        ],
        "rules": [],
        "extensions": {
            "views": [
                {"code": "front", "name": {"vi": "Mặt trước", "en": "Front"}},
                {"code": "back", "name": {"vi": "Mặt sau", "en": "Back"}},
                {"code": "detail", "name": {"vi": "Cận cảnh", "en": "Close-up"}, "prints": False},
            ],
            "preview_layers": [
                {"kind": "base", "image": _picture("front", RED)},
                {
                    "kind": "text",
                    "group": "name",
                    "text_color": "#000000",
                    "x": 50,
                    "y": 50,
                    "width": 300,
                    "height": 60,
                    "print_width_mm": 70,
                    "print_height_mm": 15,
                },
                {"kind": "base", "view": "back", "image": _picture("back", BLUE)},
                {
                    "kind": "text",
                    "view": "back",
                    "group": "name",
                    "x": 50,
                    "y": 250,
                    "width": 300,
                    "height": 100,
                    "print_width_mm": 60,
                    "print_height_mm": 20,
                },
                {"kind": "base", "view": "detail", "image": _picture("detail", GREEN)},
                {"kind": "text", "view": "detail", "group": "name", "width": 400, "height": 400},
            ],
        },
    }


@pytest.fixture
def bag(publish):
    previews._cache.clear()
    return publish(document())


def _url(view: str = "", selection: dict[str, Any] | None = None) -> str:
    token = encode_selection(selection or {})
    url = f"/api/v1/products/VIEWS-01/preview/1/256.png?s={token}"
    return f"{url}&v={view}" if view else url


def _image(response) -> Image.Image:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_each_view_has_its_own_picture(client, bag):
    front = _image(client.get(_url()))
    back = _image(client.get(_url("back")))
    detail = _image(client.get(_url("detail")))

    assert (front.size, front.getpixel((128, 200))) == ((256, 256), RED)
    assert back.getpixel((128, 100)) == BLUE
    assert detail.getpixel((128, 128)) == GREEN
    assert _image(client.get(_url("front"))).getpixel((128, 200)) == RED


def test_the_text_is_drawn_in_each_views_region(client, bag):
    front = _image(client.get(_url(selection={"name": "HOA"})))
    back = _image(client.get(_url("back", {"name": "HOA"})))

    def dark(image: Image.Image, top: int, bottom: int) -> int:
        return sum(
            1 for y in range(top, bottom) for x in range(256) if max(image.getpixel((x, y))) < 60
        )

    # The front's region is 50–110 of 400 (32–70 of 256), the back's 250–350 (160–224).
    assert dark(front, 32, 71) > 100 and dark(front, 160, 224) == 0
    assert dark(back, 160, 224) > 100 and dark(back, 32, 71) == 0


def test_each_views_preview_is_stored_under_its_own_name_and_served_from_there(client, bag):
    client.get(_url("back"))

    names = {view: preview_name(bag.pk, {}, 256, "png", view=view) for view in ("", "back")}
    assert names[""] != names["back"]
    assert names["back"].endswith("-back.png")
    with default_storage.open(names["back"], "rb") as stored:
        assert Image.open(stored).convert("RGB").getpixel((128, 100)) == BLUE
    cached = client.get(_url("back"))  # the middleware's fast path
    assert cached["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _image(cached).getpixel((128, 100)) == BLUE


def _stored(version_id: int) -> list[str]:
    folder = f"previews/{version_id}"
    return sorted(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else []


def test_an_unknown_view_is_refused_and_nothing_is_stored(client, bag):
    before = _stored(bag.pk)

    response = client.get(_url("side"))

    assert response.status_code == 400
    assert response.json() == {"code": "preview.view", "detail": "Unknown view.", "field": "v"}
    assert client.get(_url("x" * 65)).json()["code"] == "preview.view"
    assert _stored(bag.pk) == before


def test_the_studio_shows_a_tab_per_view_in_the_pages_language(client, bag):
    page = client.get("/studio/VIEWS-01/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    english = client.get("/studio/VIEWS-01/?view=back", HTTP_ACCEPT_LANGUAGE="en")

    assert page.count('class="views__tab"') == 3
    assert 'value="front" class="views__tab" data-view="front" aria-pressed="true"' in page
    assert '<span class="views__name">Mặt trước</span>' in page
    assert '<span class="views__name">Cận cảnh</span>' in page
    html = english.content.decode()
    assert '<span class="views__name">Close-up</span>' in html
    assert 'data-view="back" aria-pressed="true"' in html
    assert 'name="view" id="view-shown" value="back"' in html
    src = html.split('id="preview" class="studio__image" src="')[1].split('"')[0]
    assert src.endswith("&amp;v=back")


def test_a_product_with_one_view_shows_no_tabs(client, publish):
    doc = document()
    del doc["extensions"]["views"]
    doc["extensions"]["preview_layers"] = doc["extensions"]["preview_layers"][:2]
    publish(doc)

    page = client.get("/studio/VIEWS-01/").content.decode()

    assert "views__tab" not in page
    assert "view-shown" not in page


def test_without_javascript_a_view_tab_updates_and_shows_that_view(client, bag):
    response = client.post(
        "/studio/VIEWS-01/", {"name--text": "Hoa", "view": "front", "show_view": "back"}
    )

    assert response.status_code == 303
    assert response["Location"].endswith("&view=back")
    page = client.get(response["Location"]).content.decode()
    assert 'data-view="back" aria-pressed="true"' in page


def _order_package(version) -> tuple[OrderLine, dict[str, Any]]:
    shopper = Shopper(None, "views-package")
    cart_line_add(
        shopper=shopper,
        version=version,
        engine=engine_for_version(version_id=version.pk),
        selection={"name": "Hoa"},
    )
    order, _ = order_place(
        shopper=shopper, shipping=SHIPPING, provider="manual", idempotency_key="views"
    )
    [export] = order_exports_create(order_id=order.pk)
    return order.lines.get(), package_build(export)


def test_the_package_has_the_artwork_of_each_view_that_prints(
    bag, django_capture_on_commit_callbacks
):
    line, manifest = _order_package(bag)

    artwork = [
        (entry["name"], entry["kind"], entry["group"], entry["view"])
        for entry in manifest["files"]
        if entry["group"]
    ]
    assert artwork == [
        ("name.front.png", "artwork", "name", "front"),
        ("name.front.pdf", "artwork-pdf", "name", "front"),
        ("name.back.png", "artwork", "name", "back"),
        ("name.back.pdf", "artwork-pdf", "name", "back"),
    ]
    root = f"production/{manifest['export_id']}"
    sizes = {}
    for name in ("name.front.png", "name.back.png"):
        with private_storage().open(f"{root}/{name}", "rb") as handle:
            sizes[name] = Image.open(handle).size
    assert sizes == {"name.front.png": (827, 177), "name.back.png": (709, 236)}
    views = [
        {"code": "front", "name": {"vi": "Mặt trước", "en": "Front"}, "prints": True},
        {"code": "back", "name": {"vi": "Mặt sau", "en": "Back"}, "prints": True},
        {"code": "detail", "name": {"vi": "Cận cảnh", "en": "Close-up"}, "prints": False},
    ]
    assert line.views == views
    assert manifest["views"] == views


def test_the_versions_admin_page_shows_the_layers_of_each_view(admin_client, client, bag):
    page = admin_client.get(f"/admin/catalog/optionsetversion/{bag.pk}/change/").content.decode()
    url = f"/studio/VIEWS-01/versions/{bag.pk}/layers.png"

    assert re.findall(r'src="(/studio/VIEWS-01/versions/\d+/layers\.png[^"]*)"', page) == [
        url,
        f"{url}?v=back",
        f"{url}?v=detail",
    ]
    colours = [
        Image.open(io.BytesIO(admin_client.get(f"{url}{query}").content))
        .convert("RGB")
        .getpixel((256, 200))
        for query in ("", "?v=back", "?v=detail")
    ]
    assert colours[0] == RED and colours[1] == BLUE
    assert admin_client.get(f"{url}?v=side").status_code == 404
    assert client.get(f"{url}?v=back").status_code == 404


def test_the_placement_frame_has_the_box_of_each_view(bag):
    engine = engine_for_version(version_id=bag.pk)

    boxes = previews.placement_boxes_by_view(bag.pk, engine.presentation)

    assert boxes == {
        "front": {"name": [0.125, 0.125, 0.75, 0.15]},
        "back": {"name": [0.125, 0.625, 0.75, 0.25]},
        "detail": {"name": [0.0, 0.0, 1.0, 1.0]},
    }


def test_the_studio_gives_the_script_each_views_box(client, bag):
    page = client.get("/studio/VIEWS-01/", HTTP_ACCEPT_LANGUAGE="vi")

    areas = page.context["state"]["areas"]
    assert areas["name"]["box"] == [0.125, 0.125, 0.75, 0.15]
    assert areas["name"]["boxes"]["back"] == [0.125, 0.625, 0.75, 0.25]
