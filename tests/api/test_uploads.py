"""Uploads: sniffed, bounded, re-encoded without metadata; refusals write nothing."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from configurator.designs import services
from configurator.designs.models import Upload
from tests.fixtures.documents import PHOTO, PRINTED
from tests.fixtures.pictures import png, upload

pytestmark = pytest.mark.django_db


def bomb() -> bytes:
    """A tiny PNG whose header claims 30000 × 30000 pixels."""
    data = bytearray(png(1, 1))
    ihdr = data[12:29]  # type + 13 bytes of data
    ihdr[4:12] = struct.pack(">II", 30000, 30000)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (300, 100), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Phone maker"  # camera make: metadata that must not survive
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def media_files() -> list[Path]:
    roots = (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT))
    return sorted(p for root in roots if root.exists() for p in root.rglob("*"))


def test_a_picture_is_kept_and_used_in_a_selection(client, publish):
    publish(PHOTO)
    response = upload(client, png(), "cat.jpg")  # the name lies; the content decides
    assert response.status_code == 201
    body = response.json()
    assert (body["format"], body["width"], body["height"]) == ("png", 200, 150)
    evaluated = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"material": "canvas", "color": "navy", "photo": body["id"]}},
        content_type="application/json",
    )
    assert evaluated.status_code == 200
    assert evaluated.json()["price"]["total"] == "410000"
    stranger = client.__class__()
    response = stranger.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"photo": body["id"]}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 404
    assert response.json() == {
        "code": "upload.not_found",
        "detail": "Không tìm thấy ảnh này trong các ảnh bạn đã tải lên; hãy tải ảnh lên lại.",
        "field": "selection.photo",
    }


def test_a_picture_is_kept_in_the_private_storage_and_never_served_as_media(
    client, publish, media_urls
):
    publish(PHOTO)
    body = upload(client, png(), "cat.png").json()
    stored = Upload.objects.get()
    name = stored.file.name
    assert name == f"uploads/{stored.created_at:%Y/%m}/{body['id']}.png"
    assert Path(stored.file.path) == Path(settings.PRIVATE_MEDIA_ROOT) / name
    assert Path(stored.file.path).is_file()
    assert Path(settings.MEDIA_ROOT) not in Path(stored.file.path).parents
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    with pytest.raises(NotImplementedError):
        stored.file.url  # noqa: B018 - a private file has no URL
    assert client.get(f"/media/{name}").status_code == 404


def test_exif_orientation_is_applied_and_metadata_dropped(client, publish):
    publish(PHOTO)
    body = upload(client, jpeg_with_exif(), "phone.jpg").json()
    assert (body["format"], body["width"], body["height"]) == ("jpeg", 100, 300)
    stored = Upload.objects.get()
    with stored.file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        assert image.size == (100, 300)
        assert not image.getexif()


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "a.svg", "upload.E002"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a.gif", "upload.E002"),
        (bomb(), "bomb.png", "upload.E003"),
        (png()[:60], "cut.png", "upload.E004"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (16 * 1024 * 1024), "huge.png", "upload.E001"),
    ],
    ids=["svg", "gif", "bomb", "truncated", "too-large"],
)
def test_refusals_write_nothing(client, publish, data, name, code):
    publish(PHOTO)
    before = media_files()
    response = upload(client, data, name)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "file"
    assert Upload.objects.count() == 0
    assert media_files() == before


def flat_png(width: int, height: int) -> bytes:
    """A one-colour PNG: a few KB whatever its size, as a hostile one would be (one bit a
    pixel, so that building it is quick too)."""
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, "PNG")
    return out.getvalue()


def test_a_small_file_of_too_many_pixels_is_refused_before_decoding(client, publish):
    publish(PHOTO)
    data = flat_png(6300, 6300)  # 39.7 megapixels (160 MB once decoded) in a few KB
    assert len(data) < 20_000
    before = media_files()
    response = upload(client, data, "flat.png")
    assert response.status_code == 400
    assert response.json() == {
        "code": "upload.E003",
        "detail": "The picture has too many pixels (6300×6300).",
        "field": "file",
    }
    assert Upload.objects.count() == 0
    assert media_files() == before


def test_an_upload_that_finds_every_decoding_slot_taken_is_told_to_retry(
    client, publish, monkeypatch
):
    publish(PHOTO)
    monkeypatch.setattr(services, "_DECODE_SLOTS", threading.BoundedSemaphore(1))
    monkeypatch.setattr(services, "UPLOAD_DECODE_WAIT", 0.05)
    before = media_files()
    assert services._DECODE_SLOTS.acquire(blocking=False)  # another upload is decoding
    try:
        response = upload(client, png(), "photo.png")
    finally:
        services._DECODE_SLOTS.release()
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json() == {
        "code": "upload.E005",
        "detail": "Too many pictures are being prepared; try again shortly.",
        "field": "file",
    }
    assert Upload.objects.count() == 0
    assert media_files() == before
    assert upload(client, png(), "photo.png").status_code == 201  # the slot is free again


def test_completion_sends_back_the_upload_id(client, publish):
    publish(PHOTO)
    photo = upload(client, png(), "photo.png").json()["id"]
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"photo": photo}, "complete": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["completion"] == {
        "material": "canvas",
        "color": "black",
        "photo": photo,
    }


@pytest.mark.parametrize(
    ("size", "level", "code", "dpi"),
    [
        ((1000, 750), "ok", None, 254.0),
        ((800, 600), "low", "print.W001", 203.2),
        ((200, 150), "poor", "print.W002", 50.8),
    ],
)
def test_evaluate_says_how_sharp_the_picture_prints(client, publish, size, level, code, dpi):
    publish(PRINTED)
    photo = upload(client, png(*size), "photo.png").json()["id"]
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"material": "canvas", "color": "navy", "photo": photo}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    group = next(g for g in response.json()["groups"] if g["code"] == "photo")
    quality = group["print_quality"]
    # 100 × 75 mm at 300 DPI is 1181 × 886 pixels.
    assert (quality["level"], quality["code"], quality["effective_dpi"]) == (level, code, dpi)
    assert quality["needed"] == [max(size[0], 1181), max(size[1], 886)]
    if level == "poor":
        assert quality["message"] == (
            "The picture is too small for the print area: about 51 DPI where 300 DPI needs "
            "1181×886 pixels. It will look blurry."
        )
    if level == "ok":
        assert quality["message"] == ""
    other = next(g for g in response.json()["groups"] if g["code"] == "color")
    assert other["print_quality"] is None


def test_the_print_warning_speaks_vietnamese(client, publish):
    publish(PRINTED)
    photo = upload(client, png(200, 150), "photo.png").json()["id"]
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"photo": photo}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    group = next(g for g in response.json()["groups"] if g["code"] == "photo")
    assert group["print_quality"]["message"] == (
        "Ảnh quá nhỏ so với vùng in: chỉ khoảng 51 DPI, trong khi 300 DPI cần 1181×886 điểm "
        "ảnh. Bản in sẽ bị mờ."
    )
