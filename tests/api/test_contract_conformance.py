"""The API answers what its schema says: schemathesis with the response conformance checks.

Whatever the schema admits (valid and invalid requests), every answer has a declared
status, a declared content type and a body of the declared schema (the components of
``configurator/api/contract.py``), and none is a server error. The WSGI application is
called in-process against the test database, with a published product.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_conforms_to_the_schema(case, published):
    if "{sku}" in case.path:
        case.path_parameters = {**(case.path_parameters or {}), "sku": "TOTE-01"}
    case.call_and_validate(checks=CHECKS)
