"""Preview images: composed per selection, allow-listed sizes, stored once, cache headers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from configurator.configuring.previews import preview_name
from configurator.configuring.selectors import published_version_get

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("demo", "--noserve", stdout=io.StringIO())


def preview_url(client, sku, selection):
    body = client.post(
        f"/api/v1/products/{sku}/evaluate/",
        {"selection": selection},
        content_type="application/json",
    ).json()
    return body["preview_url"]


def pixel(response, x, y):
    image = Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("RGB")
    return image.size, image.getpixel((x, y))


def test_the_chosen_colour_tints_the_product(client, demo):
    navy = client.get(preview_url(client, "TOTE-01", {"color": "navy", "design": "plain"}))
    assert navy.status_code == 200
    assert navy["Content-Type"] == "image/webp"
    assert navy["Cache-Control"] == "public, max-age=31536000, immutable"
    size, (r, g, b) = pixel(navy, 256, 380)  # the middle of the bag at 512 px
    assert size == (512, 512)
    assert b > r and b > g and max(r, g, b) < 90  # navy, shaded
    terracotta = client.get(preview_url(client, "TOTE-01", {"color": "terracotta"}))
    _, (r, g, b) = pixel(terracotta, 256, 380)
    assert r > g > b


def test_sizes_and_formats_are_allow_listed(client, demo):
    url = preview_url(client, "MUG-01", {"color": "blue"})
    bad = client.get(url.replace("/512.webp", "/4096.webp"))
    assert bad.status_code == 400
    assert bad.json()["code"] == "preview.size"
    bad = client.get(url.replace("/512.webp", "/512.gif"))
    assert bad.status_code == 400
    ok = client.get(url.replace("/512.webp", "/256.png"))
    assert ok["Content-Type"] == "image/png"


def test_a_preview_is_rendered_once(client, demo, monkeypatch):
    from configurator.configuring import previews as preview

    url = preview_url(client, "MUG-01", {"color": "celadon", "engraving": "Tặng mẹ"})
    calls = []
    real = preview.compose
    monkeypatch.setattr(preview, "compose", lambda **kw: calls.append(1) or real(**kw))
    client.get(url)
    client.get(url)
    assert len(calls) == 1


def test_storefront_lists_the_demo_products_with_prices(client, demo):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Giày sneaker Sài Gòn" in page
    assert "1.290.000\xa0₫" in page
    assert "180.000\xa0₫" in page
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bat Trang mug" in english
    assert "₫350,000" in english


def test_a_stored_preview_is_served_before_the_api_stack(client, demo, monkeypatch, settings):
    from configurator.api.views import PreviewView

    url = preview_url(client, "MUG-01", {"color": "celadon"})
    first = client.get(url)
    assert first.status_code == 200
    rendered = b"".join(first.streaming_content)
    views = []
    real = PreviewView.get
    monkeypatch.setattr(PreviewView, "get", lambda *a, **kw: views.append(1) or real(*a, **kw))
    again = client.get(url)
    assert views == []  # the middleware answered
    assert again.status_code == 200
    assert again["Content-Type"] == "image/webp"
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(again.streaming_content) == rendered
    # A URL the middleware cannot answer goes on to the view and gets its error.
    bad = client.get(url.replace("/512.webp", "/4096.webp"))
    assert bad.status_code == 400
    assert views == [1]


def test_a_preview_with_a_shoppers_picture_is_only_ever_served_to_them(client, demo):
    from django.test import Client

    photo = io.BytesIO()
    Image.new("RGB", (900, 700), (200, 30, 30)).save(photo, "PNG")
    photo.seek(0)
    photo.name = "photo.png"
    upload = client.post("/api/v1/uploads/", {"file": photo})
    assert upload.status_code == 201
    url = preview_url(client, "TOTE-01", {"color": "navy", "photo": upload.json()["id"]})
    url = url.replace("/512.webp", "/512.png")  # lossless: exact colours
    mine = client.get(url)
    assert mine.status_code == 200
    assert mine["Cache-Control"] == "private, max-age=31536000, immutable"
    _, colour = pixel(mine, 256, 290)  # the middle of the print area at 512 px
    assert colour == (200, 30, 30)
    stranger = Client().get(url)  # stored now, but not for the fast path: the view checks
    assert stranger.status_code == 404
    assert stranger.json()["code"] == "upload.not_found"


def test_a_preview_with_a_shoppers_picture_is_kept_in_the_private_storage(client, demo, settings):
    photo = io.BytesIO()
    Image.new("RGB", (900, 700), (200, 30, 30)).save(photo, "PNG")
    photo.seek(0)
    photo.name = "photo.png"
    upload = client.post("/api/v1/uploads/", {"file": photo}).json()["id"]
    selection = {"color": "navy", "photo": upload}
    assert client.get(preview_url(client, "TOTE-01", selection)).status_code == 200
    version = published_version_get(sku="TOTE-01")
    name = preview_name(version.pk, selection, 512, "webp", private=True)
    assert name.startswith(f"previews/{version.pk}/private/")
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert list(Path(settings.MEDIA_ROOT).glob("previews/*/private/*")) == []


def test_the_studio_opens_the_session_its_requests_share(client, demo):
    """Every request the studio's script sends (previews, an upload, evaluations) carries the
    one session the page opened: none of them starts another, so a picture uploaded while a
    preview is still on its way stays this shopper's."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    page = client.get("/studio/TOTE-01/")
    assert page.status_code == 200
    assert page.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.count() == 1


def test_the_studio_writes_a_new_session_once(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/studio/TOTE-01/")  # the engine and version loaded
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/studio/TOTE-01/")
    writes = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    assert page.status_code == 200
    assert writes == ["INSERT"]


def test_a_preview_without_a_picture_opens_no_session(client, demo):
    """Public previews are the same for everyone (a CDN may keep them): no cookie, no row."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    url = preview_url(client, "TOTE-01", {"color": "navy"})
    client.cookies.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.count() == 0
