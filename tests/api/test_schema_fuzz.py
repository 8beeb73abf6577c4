"""Schema-driven fuzzing: whatever the OpenAPI schema admits, the API never answers 5xx.

Schemathesis generates requests from ``/api/v1/schema/`` (valid and invalid ones) and calls
the WSGI application in-process against the test database, with a published product.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client: requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published(db, tote):
    """The tote, published (with the database the fuzzer's cases need)."""


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_answers_a_server_error(case, published):
    if "{sku}" in case.path:
        case.path_parameters = {**(case.path_parameters or {}), "sku": "TOTE-01"}
    case.call_and_validate(checks=[not_a_server_error])
