"""The demo command: four published products with preview art; safe to run again."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from catalog.models import OptionSetVersion, PreviewLayer, Product

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_prepares_four_products_and_is_safe_to_rerun(django_user_model):
    out = io.StringIO()
    call_command("demo", "--noserve", stdout=out)
    assert sorted(Product.objects.values_list("sku", flat=True)) == [
        "BANNER-01",
        "MUG-01",
        "SNEAKER-01",
        "TOTE-01",
    ]
    assert OptionSetVersion.objects.filter(status="published").count() == 4
    assert "login demo / demo-shop" in out.getvalue()
    user = django_user_model.objects.get(username="demo")
    assert user.is_staff and user.check_password("demo-shop")
    layers = PreviewLayer.objects.exclude(image="")
    assert layers.count() >= 20
    for layer in layers:
        with default_storage.open(layer.image.name, "rb") as f:
            image = Image.open(io.BytesIO(f.read()))
            assert image.size == (1024, 1024)
            assert image.mode == "RGBA"
    again = io.StringIO()
    call_command("demo", "--noserve", stdout=again)
    assert OptionSetVersion.objects.count() == 4
    assert again.getvalue().count("is up to date") == 4


def test_demo_serves_under_its_own_settings_for_the_address_it_listens_on(settings):
    from catalog.management.commands.demo import demo_server

    argv, env = demo_server("192.168.1.20:8123", {"PATH": "/bin"})
    assert argv == [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "runserver",
        "192.168.1.20:8123",
        "--noreload",
    ]
    assert env == {
        "PATH": "/bin",
        "DJANGO_SETTINGS_MODULE": "configurator.settings.demo",
        "DJANGO_ALLOWED_HOSTS": "192.168.1.20,127.0.0.1,localhost",
    }
    _, chosen = demo_server("8123", {"DJANGO_ALLOWED_HOSTS": "shop.example.vn"})
    assert chosen["DJANGO_ALLOWED_HOSTS"] == "shop.example.vn"


DEMO_REQUESTS = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
print(settings.DEBUG, settings.ALLOWED_HOSTS)
for path in ("/no-such-page/", "/static/studio/studio.js", "/media/demo/thumb.png",
             "/media/uploads/2025/01/secret.png", "/media/previews/1/private/k.png"):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print(path, response.status_code, b"Traceback" in body or b"URLconf" in body)
"""


def test_demo_settings_serve_static_and_public_media_with_debug_off(tmp_path):
    media = tmp_path / "media"
    for name in ("demo/thumb.png", "uploads/2025/01/secret.png", "previews/1/private/k.png"):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    result = subprocess.run(
        [sys.executable, "-c", DEMO_REQUESTS],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "configurator.settings.demo",
            "DJANGO_MEDIA_ROOT": str(media),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
            "DJANGO_SECRET_KEY": "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "False ['127.0.0.1']",
        "/no-such-page/ 404 False",
        "/static/studio/studio.js 200 False",
        "/media/demo/thumb.png 200 False",
        "/media/uploads/2025/01/secret.png 404 False",
        "/media/previews/1/private/k.png 404 False",
    ]
