"""The production admin: orders with export status, retry of failed exports."""

from __future__ import annotations

import pytest

from configurator.production.models import ExportStatus
from tests.fixtures.orders import place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_admin(admin_client):
    """These tests read the admin's English texts (Vietnamese is the shop's default)."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_failed_export_shows_and_retries(admin_client, version, webhook_partner):
    from configurator.production.services import export_deliver, order_exports_create

    _partner, receiver = webhook_partner
    receiver.script = [400]
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    export_deliver(export_id=str(export.pk))
    page = admin_client.get("/admin/orders/order/").content.decode()
    assert "1 failed and 0 retrying exports" in page
    assert admin_client.get(f"/admin/orders/order/{order.pk}/change/").status_code == 200
    assert admin_client.get("/admin/production/export/?status=failed").status_code == 200
    response = admin_client.post(
        "/admin/production/export/",
        {"action": "retry_exports", "_selected_action": [str(export.pk)]},
    )
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING
    assert export.attempts == 0
    assert admin_client.get("/admin/production/partner/").status_code == 200
