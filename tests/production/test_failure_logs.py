"""Every refusal at the partner-facing door leaves a log line naming what was refused."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from configurator.production.models import Partner
from configurator.production.signing import signed_headers

pytestmark = pytest.mark.django_db


def post_signed(client, partner, raw: bytes):
    headers = signed_headers(partner.secret, f"m-{uuid.uuid4().hex}", raw)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.post(
        f"/production/callback/{partner.code}/", raw, content_type="application/json", **meta
    )


@pytest.fixture
def partner():
    return Partner.objects.create(code="xuong", name="Xưởng", secret="s3cr3t")


def messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "configurator.production.views"]


def test_a_forged_file_link_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="configurator.production.views"):
        assert client.get("/production/files/not-a-token/").status_code == 403
    assert messages(caplog) == ["partner file link refused: BadSignature"]


def test_an_unreadable_callback_is_logged_with_the_partner(client, partner, caplog):
    with caplog.at_level(logging.WARNING, logger="configurator.production.views"):
        assert post_signed(client, partner, b"[1, 2").status_code == 400
    assert messages(caplog) == ["partner callback from xuong: unreadable body"]


def test_a_callback_for_another_export_is_logged(client, partner, caplog):
    export_id = str(uuid.uuid4())
    raw = json.dumps({"export_id": export_id, "status": "received"}).encode()
    with caplog.at_level(logging.WARNING, logger="configurator.production.views"):
        assert post_signed(client, partner, raw).status_code == 404
    assert messages(caplog) == [f"partner callback from xuong: no export {export_id} of theirs"]
