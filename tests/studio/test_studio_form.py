"""The studio without JavaScript: the page is a real form, and the view reads what it posts
the way the API reads JSON (same parsing, same refusals), writing nothing on a refusal."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import ScopedRateThrottle

from configurator.configuring.previews import decode_selection
from configurator.designs.models import Upload
from configurator.orders.models import CartLine
from tests.fixtures.documents import PHOTO, PRINTED
from tests.fixtures.pictures import png

pytestmark = pytest.mark.django_db

URL = "/studio/TOTE-01/"


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The form counts against the API's rates: each test starts from none counted."""
    cache.clear()
    yield
    cache.clear()


def post(client, data, files=None, language="vi"):
    return client.post(URL, {**data, **(files or {})}, HTTP_ACCEPT_LANGUAGE=language)


def carried(response) -> dict:
    """The selection a redirect after an update carries (``?s=``)."""
    query = parse_qs(urlsplit(response["Location"]).query)
    return decode_selection(query["s"][0])


def checked(page: str) -> list[str]:
    return re.findall(r'id="([\w-]+)" value="[^"]*" checked', page)


def test_the_page_is_a_form_with_every_group_and_no_inline_script(client, tote):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="vi")
    page = response.content.decode()
    assert '<form id="steps" class="studio__steps" method="post" action="/studio/TOTE-01/"' in page
    assert checked(page) == ["material--canvas", "color--black"]
    assert '<input type="text" id="monogram--text" name="monogram" value=""' in page
    assert re.findall(r'<h2 class="step__title"[^>]*>([^<]+)</h2>', page) == [
        "Bước 1/4 · Chất liệu",
        "Bước 2/4 · Màu",
        "Bước 3/4 · Chữ thêu",
        "Bước 4/4 · Xem lại",
    ]
    assert 'name="action" value="update" class="button" id="update">Cập nhật</button>' in page
    assert 'id="add-to-cart" class="button button--primary">Thêm vào giỏ</button>' in page
    assert '<strong id="price-total">350.000\xa0₫</strong>' in page
    # A strict Content-Security-Policy holds: no inline script, handler or style attribute.
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", page) == []
    assert re.findall(r"\son[a-z]+=", page) == []
    assert re.findall(r"\sstyle=", page) == []
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_choices_a_shared_design_lost_are_said_without_script(client, tote):
    from configurator.designs.models import Design

    Design.objects.create(
        product=tote.product,
        version=tote,
        session_key="someone-else",
        selection={"material": "suede", "color": "brown", "gone": "x"},
        share_token="tok123",
    )
    page = client.get(URL + "?design=tok123", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        '<p id="dropped" class="notice" role="status">Some choices of this design are no longer'
        " offered and were left out: gone: x</p>"
    ) in page


def test_the_upload_control_is_in_the_pages_language(client, publish):
    publish(PHOTO)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="photo--file--label">Chọn ảnh</label>' in page
    assert 'id="photo--file--name">Chưa chọn ảnh</span>' in page
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="photo--file--label">Choose a picture</label>' in page
    assert 'id="photo--file--name">No picture chosen</span>' in page


def test_update_redirects_to_the_page_of_the_new_selection(client, tote):
    response = post(
        client,
        {"material": "suede", "color": "brown", "monogram": "Ánh", "action": "update"},
    )
    assert response.status_code == 303
    assert carried(response) == {"material": "suede", "color": "brown", "monogram": "Ánh"}
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert checked(page) == ["material--suede", "color--brown"]
    assert 'name="monogram" value="Ánh"' in page
    assert '<strong id="price-total">530.000\xa0₫</strong>' in page
    assert CartLine.objects.count() == 0


def test_a_repair_applies_its_changes_and_the_value(client, tote):
    response = post(client, {"material": "suede", "color": "black", "repair": "color:navy"})
    assert response.status_code == 303
    assert carried(response) == {"material": "canvas", "color": "navy"}


def test_show_all_keeps_the_selection_and_opens_the_group(client, tote):
    response = post(client, {"material": "canvas", "color": "black", "more": "color"})
    assert parse_qs(urlsplit(response["Location"]).query)["more"] == ["color"]
    page = client.get(response["Location"]).content.decode()
    assert 'id="color--red"' in page
    assert 'aria-expanded="true"' in page


def test_add_to_cart_adds_the_line_and_opens_the_cart(client, tote):
    response = post(
        client, {"material": "canvas", "color": "red", "monogram": "Lan", "action": "cart"}
    )
    assert (response.status_code, response["Location"]) == (302, "/cart/")
    line = CartLine.objects.get()
    assert line.selection == {"material": "canvas", "color": "red", "monogram": "Lan"}
    assert str(line.unit_price) == "380000.00"


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        (
            {"material": "suede", "color": "navy"},
            "color--error",
            "Da lộn chỉ có màu Đen hoặc Nâu",
        ),
        (
            {"material": "canvas", "color": "purple"},
            "color--error",
            "Màu không có giá trị “purple”.",
        ),
        (
            {"material": "canvas", "color": "black", "monogram": "Nguyễn Thị Ánh"},
            "monogram--text--error",
            "Chữ thêu nhận tối đa 10 ký tự.",
        ),
    ],
)
@pytest.mark.parametrize("action", ["update", "cart"])
def test_bad_input_is_said_beside_its_field_and_nothing_is_written(
    client, tote, data, field_id, message, action
):
    response = post(client, {**data, "action": action})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf'id="{field_id}">([^<]*)<', page)[1] == message  # type: ignore[index]
    assert CartLine.objects.count() == 0
    assert Upload.objects.count() == 0
    if "monogram" in data:  # what was typed stays in the field, whole
        assert 'name="monogram" value="Nguyễn Thị Ánh"' in page
        assert "4 ký tự quá giới hạn" in page


def test_a_picture_is_uploaded_with_the_form_and_kept_for_the_next_update(client, publish):
    publish(PHOTO)
    picture = SimpleUploadedFile("me.png", png(400, 300), content_type="image/png")
    response = post(client, {"material": "canvas", "color": "black"}, {"photo": picture})
    assert response.status_code == 303
    upload = Upload.objects.get()
    assert carried(response) == {"material": "canvas", "color": "black", "photo": str(upload.id)}
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert f'name="photo--upload" value="{upload.id}"' in page
    assert 'id="photo--file--note" aria-live="polite">Đã tải ảnh lên</p>' in page
    response = post(
        client, {"material": "canvas", "color": "black", "photo--upload": str(upload.id)}
    )
    assert carried(response)["photo"] == str(upload.id)


def test_a_picture_is_not_uploaded_when_the_rest_of_the_form_is_refused(client, publish):
    publish(PHOTO)
    picture = SimpleUploadedFile("me.png", png(400, 300), content_type="image/png")
    response = post(client, {"material": "canvas", "color": "purple"}, {"photo": picture})
    assert response.status_code == 400
    assert Upload.objects.count() == 0


def test_a_file_that_is_not_a_picture_is_refused_beside_the_field(client, publish):
    publish(PHOTO)
    fake = SimpleUploadedFile("me.png", b"not a picture at all", content_type="image/png")
    response = post(client, {"material": "canvas", "color": "black"}, {"photo": fake})
    assert response.status_code == 400
    note = re.search(
        r'id="photo--file--note" aria-live="polite">([^<]*)<', response.content.decode()
    )
    assert note is not None and note[1]
    assert Upload.objects.count() == 0
    assert CartLine.objects.count() == 0


def test_someone_elses_upload_is_refused(client, publish, django_user_model):
    publish(PHOTO)
    other = Upload.objects.create(
        format="png", width=10, height=10, bytes=10, session_key="someone-else"
    )
    response = post(
        client, {"material": "canvas", "color": "black", "photo--upload": str(other.id)}
    )
    assert response.status_code == 400
    assert CartLine.objects.count() == 0


def test_the_form_is_throttled_at_the_apis_rates(client, publish, monkeypatch):
    publish(PHOTO)
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"evaluate": "3/minute", "upload": "1/minute"}
    )
    picture = SimpleUploadedFile("me.png", png(400, 300), content_type="image/png")
    assert post(client, {"material": "canvas"}, {"photo": picture}).status_code == 303
    picture = SimpleUploadedFile("me.png", png(400, 300), content_type="image/png")
    refused = post(client, {"material": "canvas"}, {"photo": picture}, language="en")
    assert refused.status_code == 400
    assert (
        '<p class="notice notice--error" id="form-error" role="alert">Too many requests; '
        "please wait a moment and try again.</p>"
    ) in refused.content.decode()
    assert Upload.objects.count() == 1
    assert post(client, {"material": "canvas"}).status_code == 303  # the third post
    assert post(client, {"material": "canvas"}).status_code == 400  # the fourth
    assert CartLine.objects.count() == 0


def test_the_pictures_position_is_set_with_number_fields_without_script(client, publish):
    publish(PRINTED)
    picture = SimpleUploadedFile("me.png", png(400, 300), content_type="image/png")
    response = post(client, {"material": "canvas", "color": "black"}, {"photo": picture})
    upload = Upload.objects.get()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<legend class="place__title">Vị trí</legend>' in page
    assert re.search(r'id="photo--x" name="photo--x" value="50"', page)
    assert re.search(r'id="photo--scale" name="photo--scale" value="100"', page)
    fields = {"photo--x": "25", "photo--y": "50", "photo--scale": "50", "photo--turn": "0"}
    base = {"material": "canvas", "color": "black", "photo--upload": str(upload.id)}
    response = post(client, {**base, **fields, "action": "update"})
    assert response.status_code == 303
    assert carried(response)["@placement"] == {
        "photo": {"x": 0.25, "y": 0.5, "scale": 0.5, "rotation": 0.0}
    }
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert re.search(r'id="photo--x" name="photo--x" value="25"', page)
    assert re.search(r'id="photo--scale" name="photo--scale" value="50"', page)
    post(client, {**base, **fields, "photo--x": "25,0", "action": "cart"})
    assert CartLine.objects.get().selection["@placement"] == {
        "photo": {"x": 0.25, "y": 0.5, "scale": 0.5, "rotation": 0.0}
    }


def test_a_position_outside_the_print_area_is_refused_beside_its_fields(client, publish):
    publish(PRINTED)
    picture = SimpleUploadedFile("me.png", png(400, 300), content_type="image/png")
    post(client, {"material": "canvas", "color": "black"}, {"photo": picture})
    upload = Upload.objects.get()
    base = {"material": "canvas", "color": "black", "photo--upload": str(upload.id)}
    fields = {"photo--x": "5", "photo--y": "50", "photo--scale": "50", "photo--turn": "0"}
    response = post(client, {**base, **fields, "action": "cart"})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="photo--place--error">([^<]*)<', page)[1] == (  # type: ignore[index]
        "Ảnh phải nằm trong vùng in: hãy đưa vào gần giữa hoặc thu nhỏ lại."
    )
    assert re.search(r'id="photo--x" name="photo--x" value="5"', page)  # kept as typed
    assert CartLine.objects.count() == 0
