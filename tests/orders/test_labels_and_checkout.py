"""Issue 13, items 7 and 11: names (never codes) and a thumbnail of the design on every page
after the studio; a checkout with a Vietnamese two-level address and phone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from configurator.orders.addresses import phone_e164, provinces, ward_name, wards
from configurator.orders.models import Cart, CartLine, Order, OrderLine
from tests.fixtures.documents import PHOTO
from tests.fixtures.orders import FORM
from tests.fixtures.pictures import png, upload

pytestmark = pytest.mark.django_db

CANVAS_RED = {"material": "canvas", "color": "red", "monogram": "Ánh"}
VI_CHOICES = [
    '<li><span class="choices__group">Chất liệu:</span> Vải bố</li>',
    '<li><span class="choices__group">Màu:</span> Đỏ</li>',
    '<li><span class="choices__group">Chữ thêu:</span> “Ánh”</li>',
]
EN_CHOICES = [
    '<li><span class="choices__group">Material:</span> Canvas</li>',
    '<li><span class="choices__group">Colour:</span> Red</li>',
    '<li><span class="choices__group">Monogram:</span> “Ánh”</li>',
]


def add(client, selection=CANVAS_RED, sku="TOTE-01"):
    response = client.post(
        "/api/v1/cart/lines/",
        {"product": sku, "selection": selection},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def choice_lists(page: str) -> list[list[str]]:
    return [
        re.findall(r"<li>.*?</li>", block)
        for block in re.findall(r'<ul class="choices">(.*?)</ul>', page, re.S)
    ]


def thumbnails(page: str) -> list[str]:
    return [
        src.replace("&amp;", "&") for src in re.findall(r'<img class="thumb" src="([^"]+)"', page)
    ]


def checkout(client, language="vi", **changes):
    page = client.get("/checkout/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)[1]
    return client.post(
        "/checkout/", {**FORM, "idempotency_key": key, **changes}, HTTP_ACCEPT_LANGUAGE=language
    )


# Names in the page's language, and a thumbnail ------------------------------------------


@pytest.mark.parametrize(("language", "expected"), [("vi", VI_CHOICES), ("en", EN_CHOICES)])
def test_cart_and_checkout_name_every_choice_in_the_page_language(client, tote, language, expected):
    add(client)
    for url in ("/cart/", "/checkout/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert choice_lists(page) == [expected]
        assert ": red<" not in page and ": canvas<" not in page


def test_cart_thumbnail_is_the_design_preview(client, tote):
    add(client)
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    [src] = thumbnails(page)
    assert src.startswith("/api/v1/products/TOTE-01/preview/1/256.webp?s=")
    assert 'alt="Thiết kế Túi tote vải của bạn"' in page
    image = client.get(src)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/webp"


@pytest.mark.parametrize(("language", "expected"), [("vi", VI_CHOICES), ("en", EN_CHOICES)])
def test_confirmation_and_email_name_every_choice(
    client, tote, language, expected, django_capture_on_commit_callbacks
):
    add(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, language=language)
    assert response.status_code == 302
    order = Order.objects.get()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert choice_lists(page) == [expected]
    assert thumbnails(page) == [f"/orders/{order.number}/lines/1/thumbnail.webp"]
    [email] = mail.outbox
    names = {
        "vi": "    Chất liệu: Vải bố\n    Màu: Đỏ\n    Chữ thêu: “Ánh”\n",
        "en": "    Material: Canvas\n    Colour: Red\n    Monogram: “Ánh”\n",
    }
    assert names[language] in email.body
    assert "canvas" not in email.body and "red\n" not in email.body
    address = {
        "vi": "Chúng tôi sẽ giao đến 5 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh.",
        "en": "We will deliver to 5 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh.",
    }
    assert address[language] in email.body


def test_the_snapshot_keeps_names_in_both_languages(client, tote):
    add(client)
    checkout(client)
    line = OrderLine.objects.get()
    assert [(c["group_name"], c.get("value_name")) for c in line.choices] == [
        ({"vi": "Chất liệu", "en": "Material"}, {"vi": "Vải bố", "en": "Canvas"}),
        ({"vi": "Màu", "en": "Colour"}, {"vi": "Đỏ", "en": "Red"}),
        ({"vi": "Chữ thêu", "en": "Monogram"}, None),
    ]


def test_an_old_order_line_without_names_is_named_from_its_version(client, tote):
    add(client)
    checkout(client)
    line = OrderLine.objects.get()
    line.choices = [
        {
            "group": c["group"],
            "kind": c["kind"],
            **({"value": c["value"]} if "value" in c else {}),
            **({"text": c["text"]} if "text" in c else {}),
        }
        for c in line.choices
    ]
    line.save(update_fields=["choices"])
    page = client.get(f"/orders/{line.order.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert choice_lists(page) == [EN_CHOICES]


def test_my_designs_name_choices_and_show_a_thumbnail(client, tote):
    saved = client.post(
        "/api/v1/designs/",
        {"product": "TOTE-01", "selection": CANVAS_RED, "name": "Quà tặng mẹ"},
        content_type="application/json",
    )
    assert saved.status_code == 201
    for language, expected in (("vi", VI_CHOICES), ("en", EN_CHOICES)):
        page = client.get("/designs/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert choice_lists(page) == [expected]
        [src] = thumbnails(page)
        assert client.get(src).status_code == 200


def test_account_history_names_choices_in_vietnamese(client, an):
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    history = page[page.index('id="purchase-history"') : page.index("</table>")]
    assert (
        choice_lists(history)
        == [
            [
                '<li><span class="choices__group">Chất liệu:</span> Vải bố</li>',
                '<li><span class="choices__group">Màu:</span> Xanh đen</li>',
            ]
        ]
        * 2
    )
    numbers = sorted(Order.objects.values_list("number", flat=True))
    assert sorted(thumbnails(history)) == [
        f"/orders/{number}/lines/1/thumbnail.webp" for number in numbers
    ]
    assert all(client.get(src).status_code == 200 for src in thumbnails(history))


# Private previews stay private --------------------------------------------------------


def test_a_thumbnail_with_the_shoppers_picture_is_theirs_alone(client, publish):
    publish(PHOTO)
    photo = upload(client, png(), "me.png").json()["id"]
    add(client, {"material": "canvas", "color": "navy", "photo": photo})
    client.post(
        "/api/v1/designs/",
        {"product": "TOTE-01", "selection": {"material": "canvas", "photo": photo}},
        content_type="application/json",
    )
    stranger = Client()
    for url in ("/cart/", "/designs/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert '<li><span class="choices__group">Ảnh:</span> ảnh của bạn</li>' in page
        [src] = thumbnails(page)
        assert client.get(src).status_code == 200
        response = stranger.get(src)
        assert response.status_code == 404
        assert response["Content-Type"] != "image/webp"
    response = checkout(client)
    assert response.status_code == 302
    order = Order.objects.get()
    src = f"/orders/{order.number}/lines/1/thumbnail.webp"
    assert src in client.get(response["Location"]).content.decode()
    mine = client.get(src)
    assert (mine.status_code, mine["Content-Type"]) == (200, "image/webp")
    assert "private" in mine["Cache-Control"]
    assert stranger.get(src).status_code == 404
    assert stranger.get(response["Location"]).status_code == 404


# Checkout: address and phone ----------------------------------------------------------


def test_the_data_is_the_2025_two_level_division():
    assert len(provinces()) == 34
    assert sum(len(wards(code)) for code, _ in provinces()) == 3321
    assert ("79", "Thành phố Hồ Chí Minh") in provinces()
    assert ("26740", "Phường Sài Gòn") in wards("79")
    assert ward_name("70", province_code="1") == "Phường Hoàn Kiếm"
    assert ward_name("70", province_code="79") is None
    assert wards("0") == () and wards("x" * 400) == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("024 3825 3536", "+842438253536"),
        ("0912 345", None),
        ("+1 202 555 0101", None),
        ("abc", None),
        ("0" * 30, None),
    ],
)
def test_phone_numbers_are_vietnamese_in_e164(raw, expected):
    assert phone_e164(raw) == expected


def test_checkout_keeps_the_address_as_seen_and_its_codes(client, tote):
    add(client)
    response = checkout(client, phone="0912 345 678")
    assert response.status_code == 302
    order = Order.objects.get()
    assert (
        order.phone,
        order.address,
        order.ward,
        order.ward_code,
        order.province,
        order.province_code,
    ) == (
        "+84912345678",
        "5 Nguyễn Huệ",
        "Phường Sài Gòn",
        "26740",
        "Thành phố Hồ Chí Minh",
        "79",
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert (
        '<p id="delivery-address">Trần Văn Minh · +84912345678<br>\n'
        "  5 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh</p>"
    ) in page


def assert_nothing_written(client):
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert CartLine.objects.count() == 1
    assert Cart.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Hãy nhập số điện thoại Việt Nam, ví dụ 0912 345 678."),
        ("en", "Enter a Vietnamese phone number, e.g. 0912 345 678."),
    ],
)
def test_a_foreign_phone_is_refused_beside_the_field(client, tote, language, message):
    add(client)
    response = checkout(client, language=language, phone="+1 202 555 0101")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<p class="field-error" id="id_phone_error">{message}</p>' in page
    assert page.count('class="field-error"') == 1
    assert 'value="+1 202 555 0101"' in page  # what was typed stays
    assert_nothing_written(client)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Phường/xã này không thuộc Thành phố Hà Nội."),
        ("en", "This ward or commune is not in Thành phố Hà Nội."),
    ],
)
def test_a_ward_of_another_province_is_refused_beside_the_field(client, tote, language, message):
    add(client)
    response = checkout(client, language=language, province="1", ward="26740")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<p class="field-error" id="id_ward_error">{message}</p>' in page
    assert page.count('class="field-error"') == 1
    assert '<option value="70">Phường Hoàn Kiếm</option>' in page  # Hà Nội's wards offered
    assert_nothing_written(client)


def test_without_javascript_choosing_the_province_lists_its_wards(client, tote):
    add(client)
    page = client.get("/checkout/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'name="show_wards"' in page
    assert '<option value="70">' not in page  # no province yet: no wards
    response = client.post(
        "/checkout/",
        {"name": "Lan", "phone": "0912 345 678", "province": "1", "show_wards": "1"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="1" selected>Thành phố Hà Nội</option>' in page
    assert '<option value="70">Phường Hoàn Kiếm</option>' in page
    ward_select = re.search(r'<select name="ward".*?</select>', page, re.S)[0]
    assert ward_select.count("<option") == 1 + len(wards("1"))
    assert 'value="Lan"' in page
    assert 'class="field-error"' not in page
    assert_nothing_written(client)


def test_the_ward_list_endpoint(client):
    response = client.get("/checkout/wards/79/")
    assert response.status_code == 200
    found = response.json()["wards"]
    assert len(found) == len(wards("79"))
    assert ["26740", "Phường Sài Gòn"] in found
    assert client.get("/checkout/wards/999/").status_code == 404


def test_every_page_links_the_favicon(client, tote):
    page = client.get("/cart/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_a_purchase_from_another_channel_is_named_from_the_product(client, an):
    from datetime import UTC, datetime

    from configurator.personalization.models import Customer, PurchaseEvent

    PurchaseEvent.objects.create(
        customer=Customer.objects.get(user=an),
        identity="pos-1",
        timestamp=datetime(2020, 1, 1, tzinfo=UTC),
        order="POS-1",
        product="TOTE-01",
        channel="pos",
        options={"material": "suede", "color": "black", "strap": "long"},
    )
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = page[page.index('id="purchase-history"') : page.index("</table>")]
    assert choice_lists(history)[-1] == [
        '<li><span class="choices__group">Colour:</span> Black</li>',
        '<li><span class="choices__group">Material:</span> Suede</li>',
        '<li><span class="choices__group">strap:</span> long</li>',  # unknown: as sent
    ]
    assert len(thumbnails(history)) == 2  # the web orders' lines; none for the shop's till


# Query plans ----------------------------------------------------------------------------


def test_the_cart_reads_its_lines_and_names_in_three_queries(
    client, tote, django_assert_num_queries
):
    from configurator.orders.selectors import cart_lines

    add(client)
    add(client, {"material": "suede", "color": "black"})
    cart = Cart.objects.get()
    with django_assert_num_queries(3):
        rows = cart_lines(cart=cart)
    assert [len(row.choices) for row in rows] == [3, 2]


def test_order_lines_with_names_in_the_snapshot_read_no_catalog(
    client, tote, django_assert_num_queries
):
    from configurator.orders.selectors import order_lines

    add(client)
    checkout(client)
    order = Order.objects.get()
    with django_assert_num_queries(1):
        rows = order_lines(order=order)
    assert rows[0].choices[0]["value_name"] == {"vi": "Vải bố", "en": "Canvas"}
