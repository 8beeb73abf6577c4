"""A placed picture: checked by the server, kept with the cart line and the order, drawn."""

from __future__ import annotations

import base64
import json

import pytest

from configurator.orders.models import CartLine, OrderLine
from tests.fixtures.documents import PRINTED
from tests.fixtures.orders import AN_SHIPPING
from tests.fixtures.pictures import decode, png, upload

pytestmark = pytest.mark.django_db

EVALUATE = "/api/v1/products/TOTE-01/evaluate/"
CHOICES = {"material": "canvas", "color": "navy"}
HALF_LEFT = {"x": 0.25, "y": 0.5, "scale": 0.5, "rotation": 0}


@pytest.fixture
def photo(client, publish):
    publish(PRINTED)
    return upload(client, png(400, 300), "photo.png").json()["id"]


def evaluate(client, selection, language="vi"):
    return client.post(
        EVALUATE,
        {"selection": selection},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_evaluate_echoes_the_placement_as_kept(client, photo):
    placed = {"photo": {"x": 0.250001, "y": 0.5, "scale": 0.5, "rotation": 0}}
    response = evaluate(client, {**CHOICES, "photo": photo, "@placement": placed})
    assert response.status_code == 200, response.content
    assert response.json()["placement"] == {"photo": HALF_LEFT}
    assert response.json()["selection"].get("@placement") is None  # the engine's selection


def test_a_centred_placement_changes_nothing(client, photo):
    centred = {"photo": {"x": 0.5, "y": 0.5, "scale": 1, "rotation": 0}}
    response = evaluate(client, {**CHOICES, "photo": photo, "@placement": centred})
    assert response.json()["placement"] == {}


def test_the_print_warning_follows_the_scale(client, publish):
    publish(PRINTED)
    small = upload(client, png(400, 300), "small.png").json()["id"]  # 102 DPI over 100 mm

    def quality(scale):
        placed = {"photo": {"x": 0.5, "y": 0.5, "scale": scale, "rotation": 0}}
        answer = evaluate(client, {"photo": small, "@placement": placed}, "en").json()
        return next(g for g in answer["groups"] if g["code"] == "photo")["print_quality"]

    full, half, third = quality(1), quality(0.5), quality(0.3)
    assert (full["level"], full["effective_dpi"]) == ("poor", 101.6)
    assert (half["level"], half["code"], half["effective_dpi"]) == ("low", "print.W001", 203.2)
    assert (third["level"], third["code"], third["effective_dpi"]) == ("ok", None, 338.7)
    assert half["needed"] == [590, 443]  # half the area at 300 DPI


@pytest.mark.parametrize(
    ("placement", "code", "field", "detail"),
    [
        (
            {"photo": {"x": 0.5, "y": 0.5, "scale": 2, "rotation": 0}},
            "placement.E003",
            "selection.@placement.photo",
            "Cỡ của Ảnh phải từ 10% đến 100%.",
        ),
        (
            {"photo": {"x": 0.5, "y": 0.5, "scale": 0.5, "rotation": 200}},
            "placement.E004",
            "selection.@placement.photo",
            "Ảnh chỉ xoay được tối đa 180° mỗi chiều.",
        ),
        (
            {"photo": {"x": 0.1, "y": 0.5, "scale": 0.5, "rotation": 0}},
            "placement.E005",
            "selection.@placement.photo",
            "Ảnh phải nằm trong vùng in: hãy đưa vào gần giữa hoặc thu nhỏ lại.",
        ),
        (
            {"photo": {"x": 1.5}},
            "placement.E005",
            "selection.@placement.photo.x",
            "Hãy đặt trong vùng in (từ 0 đến 1 tính từ mép).",
        ),
        (
            {"photo": {"x": "left"}},
            "placement.E001",
            "selection.@placement.photo.x",
            "Vị trí phải là các con số: x, y, cỡ và góc xoay.",
        ),
        (
            {"photo": {"zoom": 2}},
            "placement.E001",
            "selection.@placement.photo.zoom",
            "Vị trí phải là các con số: x, y, cỡ và góc xoay.",
        ),
        (
            {"photo": [0.5, 0.5]},
            "placement.E001",
            "selection.@placement.photo",
            "Vị trí phải là các con số: x, y, cỡ và góc xoay.",
        ),
        (
            "centre",
            "placement.E001",
            "selection.@placement",
            "Vị trí phải là các con số: x, y, cỡ và góc xoay.",
        ),
        (
            {"color": {"x": 0.5}},
            "placement.E002",
            "selection.@placement.color",
            "“Màu” không thể di chuyển hay xoay.",
        ),
        (
            {"nothing": {"x": 0.5}},
            "placement.E002",
            "selection.@placement.nothing",
            "Không có nhóm lựa chọn “nothing”.",
        ),
    ],
)
def test_a_bad_placement_is_refused_with_its_code_and_field(
    client, photo, placement, code, field, detail
):
    response = evaluate(client, {**CHOICES, "photo": photo, "@placement": placement})
    assert response.status_code == 400
    assert response.json() == {"code": code, "detail": detail, "field": field}
    added = client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {**CHOICES, "photo": photo, "@placement": placement}},
        content_type="application/json",
    )
    assert (added.status_code, added.json()["code"]) == (400, code)
    assert CartLine.objects.count() == 0


def test_a_placement_without_its_picture_is_left_out(client, photo):
    response = evaluate(client, {**CHOICES, "@placement": {"photo": HALF_LEFT}})
    assert response.status_code == 200
    assert response.json()["placement"] == {}


def test_the_cart_and_the_order_keep_the_placement(
    client, photo, django_capture_on_commit_callbacks
):
    selection = {**CHOICES, "photo": photo, "@placement": {"photo": HALF_LEFT}}
    added = client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": selection},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    line = CartLine.objects.get()
    assert line.selection == selection
    cart = client.get("/api/v1/cart/").json()
    assert cart["lines"][0]["selection"]["@placement"] == {"photo": HALF_LEFT}
    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "idempotency_key": "placed-1"},
            content_type="application/json",
        )
    assert placed.status_code == 201, placed.content
    snapshot = OrderLine.objects.get()
    assert snapshot.selection["@placement"] == {"photo": HALF_LEFT}
    [choice] = [c for c in snapshot.choices if c["group"] == "photo"]
    assert choice["placement"] == HALF_LEFT
    [answered] = [c for c in placed.json()["lines"][0]["choices"] if c["group"] == "photo"]
    assert answered["placement"] == HALF_LEFT


def _red_box(image):
    """The bounding box of the red picture on the preview."""
    red = image.convert("RGB").point(lambda v: 255 if v > 150 else 0).split()[0]
    green = image.convert("RGB").split()[1].point(lambda v: 255 if v < 80 else 0)
    from PIL import ImageChops

    return ImageChops.multiply(red, green).getbbox()


def test_the_preview_draws_the_picture_where_it_was_placed(client, photo):
    from configurator.configuring import previews

    previews._cache.clear()  # layers kept per version id: another test's version had this id

    def preview(selection):
        token = base64.urlsafe_b64encode(json.dumps(selection).encode()).decode().rstrip("=")
        response = client.get(f"/api/v1/products/TOTE-01/preview/1/1024.png?s={token}")
        assert response.status_code == 200
        return decode(
            b"".join(response.streaming_content) if response.streaming else response.content
        )

    centred = _red_box(preview({**CHOICES, "photo": photo}))
    placed = _red_box(preview({**CHOICES, "photo": photo, "@placement": {"photo": HALF_LEFT}}))
    # The artwork box is 400 × 300 at (10, 10) of a 1024-pixel canvas; the picture fills it.
    assert centred == (10, 10, 410, 310)
    assert placed == (10, 85, 210, 235)  # half size, centred a quarter across
