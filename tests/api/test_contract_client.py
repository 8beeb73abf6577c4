"""A client generated from the schema drives the shopper's journey against a live server.

The schema is read from the running server, openapi-python-client generates a package from
it into the test's folder (nothing generated is kept in the repository), and the journey
goes through that package's typed functions and models: list products, evaluate, upload a
picture, save a design, add it to the cart, check out, read the order. Every answer is
also checked against the schema by schemathesis on the way.
"""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import urllib.request

import pytest
import schemathesis
from rest_framework.authtoken.models import Token

from tests.fixtures.documents import PHOTO
from tests.fixtures.orders import SHIPPING
from tests.fixtures.pictures import png

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PACKAGE = "configurator_client"
# The picture and CSV bodies as bytes: the generator reads those content types this way.
CONFIG = """\
content_type_overrides:
  image/webp: application/octet-stream
  image/png: application/octet-stream
  image/jpeg: application/octet-stream
  text/csv: application/octet-stream
"""
SELECTION = {"material": "canvas", "color": "navy", "monogram": "Lan"}


@pytest.fixture
def generated(live_server, tmp_path, monkeypatch):
    """The client package generated from the live server's schema, imported; and the schema."""
    with urllib.request.urlopen(f"{live_server.url}/api/v1/schema/?format=json") as answer:
        document = json.load(answer)
    (tmp_path / "schema.json").write_text(json.dumps(document))
    (tmp_path / "config.yaml").write_text(CONFIG)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--config",
            str(tmp_path / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--fail-on-warning",
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    yield importlib.import_module(PACKAGE), schemathesis.openapi.from_dict(document)


def conforming(schema):
    """An httpx response hook: every answer conforms to ``schema`` (raises otherwise)."""

    def check(response):
        response.read()
        request = response.request
        request.read()  # schemathesis reads the request's body too
        operation = schema.find_operation_by_path(request.method, request.url.path)
        assert operation is not None, request.url.path
        operation.validate_response(response)

    return check


def test_a_generated_client_drives_the_shopper_journey(generated, live_server, publish):
    _package, schema = generated
    publish(PHOTO)
    from configurator_client import AuthenticatedClient
    from configurator_client.api.cart import cart_lines_create
    from configurator_client.api.designs import designs_create
    from configurator_client.api.orders import orders_create, orders_retrieve
    from configurator_client.api.products import products_evaluate_create, products_list
    from configurator_client.api.uploads import uploads_create
    from configurator_client.models import (
        Cart,
        CartLineWriteRequest,
        CheckoutRequest,
        Design,
        DesignWriteRequest,
        DesignWriteRequestSelection,
        EvaluateRequest,
        EvaluateRequestSelection,
        Evaluation,
        Order,
        Product,
        UploadAnswer,
        UploadRequest,
    )
    from configurator_client.types import File

    user = _shopper()
    client = AuthenticatedClient(
        base_url=live_server.url,
        token=Token.objects.create(user=user).key,
        prefix="Token",
        headers={"Accept-Language": "en"},
        httpx_args={"event_hooks": {"response": [conforming(schema)]}},
        raise_on_unexpected_status=True,
    )

    products = products_list.sync(client=client)
    assert products == [
        Product(sku="TOTE-01", name="Canvas tote", base_price="350000", currency="VND")
    ]

    picture = uploads_create.sync(
        client=client,
        body=UploadRequest(file=File(payload=io.BytesIO(png()), file_name="lan.png")),
    )
    assert isinstance(picture, UploadAnswer)
    assert (picture.format_, picture.width, picture.height) == ("png", 200, 150)
    selection = {**SELECTION, "photo": str(picture.id)}

    evaluation = products_evaluate_create.sync(
        "TOTE-01",
        client=client,
        body=EvaluateRequest(selection=EvaluateRequestSelection.from_dict(selection)),
    )
    assert isinstance(evaluation, Evaluation)
    assert (evaluation.product, evaluation.version, evaluation.complete) == ("TOTE-01", 1, True)
    assert [g.code for g in evaluation.groups] == ["material", "color", "monogram", "photo"]
    assert evaluation.price.total == "440000"
    assert [(line.kind.value, line.group, line.amount) for line in evaluation.price.lines] == [
        ("base", None, "350000"),
        ("text", "monogram", "30000"),
        ("image", "photo", "60000"),
    ]
    assert evaluation.selection["photo"] == {"width": 200, "height": 150, "format": "png"}
    assert evaluation.violations == []

    design = designs_create.sync(
        client=client,
        body=DesignWriteRequest(
            product="TOTE-01",
            name="Lan's tote",
            selection=DesignWriteRequestSelection.from_dict(selection),
        ),
    )
    assert isinstance(design, Design)
    assert (design.product, design.version, design.name, design.share_url) == (
        "TOTE-01",
        1,
        "Lan's tote",
        None,
    )
    assert design.selection.to_dict() == selection

    cart = cart_lines_create.sync(
        client=client, body=CartLineWriteRequest(design=design.id, quantity=2)
    )
    assert isinstance(cart, Cart)
    assert [(line.product, line.design, line.quantity) for line in cart.lines] == [
        ("TOTE-01", design.id, 2)
    ]
    assert (cart.lines[0].unit_price.amount, cart.total.amount, cart.currency) == (
        "440000",
        "880000",
        "VND",
    )

    placed = orders_create.sync(
        client=client, body=CheckoutRequest(**SHIPPING, idempotency_key="journey-1")
    )
    assert isinstance(placed, Order)
    assert (placed.status.value, placed.payment.provider, placed.payment.status.value) == (
        "in_production",  # a manual payment goes to production at once (tasks run eagerly)
        "manual",
        "pending",
    )
    assert (placed.currency, placed.total.amount) == ("VND", "880000")
    assert [(line.product, line.quantity, line.line_total.amount) for line in placed.lines] == [
        ("TOTE-01", 2, "880000")
    ]
    assert [
        (choice.group, choice.kind.value, choice.value or choice.text or choice.upload)
        for choice in placed.lines[0].choices
    ] == [
        ("material", "choice", "canvas"),
        ("color", "choice", "navy"),
        ("monogram", "text", "Lan"),
        ("photo", "image", str(picture.id)),
    ]

    read = orders_retrieve.sync(placed.number, client=client)
    assert isinstance(read, Order)
    assert read.to_dict() == placed.to_dict()


def _shopper():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("lan", "lan@example.vn", "mat-khau-2026")
