"""Shared API fixtures: a published tote bag, compiled in-process."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from catalog.models import OptionSetVersion
from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache

from .test_evaluate import TOTE


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def publish_document(document) -> OptionSetVersion:
        engine_cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return option_set_import(document=copy.deepcopy(document), publish=True)

    return publish_document


@pytest.fixture
def other_client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


__all__ = ["TOTE"]
