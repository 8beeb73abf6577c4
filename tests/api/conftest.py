"""Shared API fixtures: a second shopper's client (``publish`` and ``tote`` are the root's)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def other_client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")
