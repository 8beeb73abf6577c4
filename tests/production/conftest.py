"""Production fixtures: the published tote (as ``version``) and a webhook partner for it."""

from __future__ import annotations

import pytest

from configurator.production.models import Partner, RoutingRule
from configurator.production.receiver import serve
from tests.fixtures.partners import ScriptedReceiver


@pytest.fixture
def version(tote):
    """The published tote, under the name the production tests give it."""
    return tote


@pytest.fixture
def webhook_partner(version):
    """A partner receiving the tote's exports at the sample receiver; yields both."""
    receiver = ScriptedReceiver("s3cr3t")
    server = serve(receiver)
    partner = Partner.objects.create(
        code="printer",
        name="Nhà in",
        destination="webhook",
        webhook_url=f"http://127.0.0.1:{server.server_port}/",
        secret="s3cr3t",
    )
    RoutingRule.objects.create(partner=partner, product=version.product)
    yield partner, receiver
    server.shutdown()


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    """Each test starts with the broker not paused by another test's outage."""
    monkeypatch.setattr("configurator.outbox._broker_down_until", 0.0)
