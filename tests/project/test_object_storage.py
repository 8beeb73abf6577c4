"""Media on S3-compatible object storage (moto's server on 127.0.0.1): public previews by
unsigned, cacheable URLs; shoppers' pictures private, reached only by short signed URLs."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.test import Client
from PIL import Image

from configurator.configuring import previews
from configurator.configuring.selectors import published_version_get
from configurator.designs.models import Upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's standalone S3 server, for this module."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(endpoint, timeout=5)
            break
        except requests.RequestException:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("moto's S3 server did not start") from None
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(10)


@pytest.fixture
def s3(settings, s3_endpoint, monkeypatch):
    """The default storage on a public bucket, the private one on a private bucket."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    suffix = str(time.monotonic_ns())
    public, private = f"media-{suffix}", f"private-{suffix}"
    client.create_bucket(Bucket=public)
    client.create_bucket(Bucket=private)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **CREDENTIALS,
                "bucket_name": public,
                "location": "media",
                "endpoint_url": s3_endpoint,
                "default_acl": "public-read",
                "querystring_auth": False,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **CREDENTIALS,
                "bucket_name": private,
                "location": "private",
                "endpoint_url": s3_endpoint,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
                "custom_domain": None,
                "file_overwrite": False,
            },
        },
    }
    previews._cache.clear()  # layer sources of another storage
    # A FileField resolves its storage callable once, when the model is defined (a process
    # starts with its settings; a test changes them later).
    from django.core.files.storage import storages

    monkeypatch.setattr(Upload._meta.get_field("file"), "storage", storages["private"])
    yield client, public, private
    previews._cache.clear()


@pytest.fixture
def demo(s3):
    call_command("demo", "--noserve", stdout=io.StringIO())


def preview_url(client, selection) -> str:
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": selection},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["preview_url"].replace("/512.webp", "/512.png")


def keys(client, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def everyone_reads(client, bucket: str, key: str) -> bool:
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)


def test_a_public_preview_is_stored_in_the_bucket_and_served_from_its_url(client, s3, demo):
    s3_client, public, private = s3
    url = preview_url(client, {"color": "navy", "design": "plain"})
    first = client.get(url)  # drawn by the view, stored, then pointed to
    assert first.status_code == 302
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    location = first["Location"]
    version = published_version_get(sku="TOTE-01")
    selection = previews.decode_selection(parse_qs(urlsplit(url).query)["s"][0])
    name = previews.preview_name(version.pk, selection, 512, "png")
    assert location == f"{s3_client.meta.endpoint_url}/{public}/media/{name}"  # unsigned
    assert f"media/{name}" in keys(s3_client, public)
    assert everyone_reads(s3_client, public, f"media/{name}")
    picture = requests.get(location, timeout=10)
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(picture.content)).size == (512, 512)
    again = client.get(url)  # stored: answered by the middleware, before the API stack
    assert (again.status_code, again["Location"]) == (302, location)
    assert keys(s3_client, private) == []


def test_a_shoppers_picture_stays_private_and_only_its_owner_gets_a_short_signed_url(
    client, s3, demo
):
    s3_client, public, private = s3
    photo = io.BytesIO()
    Image.new("RGB", (900, 700), (200, 30, 30)).save(photo, "PNG")
    photo.seek(0)
    photo.name = "photo.png"
    response = client.post("/api/v1/uploads/", {"file": photo})
    assert response.status_code == 201
    upload = Upload.objects.get(pk=response.json()["id"])
    assert f"private/{upload.file.name}" in keys(s3_client, private)
    assert not everyone_reads(s3_client, private, f"private/{upload.file.name}")
    assert not any(key.startswith("media/uploads/") for key in keys(s3_client, public))

    url = preview_url(client, {"color": "navy", "photo": str(upload.pk)})
    mine = client.get(url)
    assert mine.status_code == 302
    assert mine["Cache-Control"] == "private, no-store"
    signed = urlsplit(mine["Location"])
    query = parse_qs(signed.query)
    assert signed.path.startswith(f"/{private}/private/previews/")
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert query["response-content-type"] == ["image/png"]
    picture = requests.get(mine["Location"], timeout=10)
    assert picture.status_code == 200
    image = Image.open(io.BytesIO(picture.content)).convert("RGB")
    assert image.getpixel((256, 290)) == (200, 30, 30)  # the shopper's picture, drawn
    assert not any("/private/" in key for key in keys(s3_client, public))

    stranger = Client().get(url)
    assert stranger.status_code == 404
    assert stranger.json()["code"] == "upload.not_found"
