"""The demo command: three published products with preview art; safe to run again."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from catalog.models import OptionSetVersion, PreviewLayer, Product

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_prepares_three_products_and_is_safe_to_rerun(django_user_model):
    out = io.StringIO()
    call_command("demo", "--noserve", stdout=out)
    assert sorted(Product.objects.values_list("sku", flat=True)) == [
        "MUG-01",
        "SNEAKER-01",
        "TOTE-01",
    ]
    assert OptionSetVersion.objects.filter(status="published").count() == 3
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
    assert OptionSetVersion.objects.count() == 3
    assert again.getvalue().count("is up to date") == 3
