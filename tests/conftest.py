"""Fixtures shared by the whole suite; each area keeps its own in its folder's conftest.

Data and helpers the fixtures use live in ``tests/fixtures/``. Tests marked ``slow``
(fuzzing, heavy property tests, browser and real-worker tests) are deselected in a
developer's run; ``pytest --slow`` or ``CI=true`` runs them, and under ``CI=true`` a skip fails.
"""

from __future__ import annotations

import copy
import os
import shutil

import pytest
from django.conf import settings

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import AN_SHIPPING

IN_CI = os.environ.get("CI", "").lower() == "true"
SLOW_HOW = "run them with `pytest --slow` (CI=true runs everything)"
_SLOW_DESELECTED = pytest.StashKey[int]()


def pytest_addoption(parser):
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run the tests marked slow (fuzzing, heavy property tests, browser and "
        "real-worker tests); CI=true runs them without it",
    )


def pytest_collection_modifyitems(config, items):
    """A developer's run deselects the slow tests; CI=true or ``--slow`` keeps every test.

    Browser and real-worker tests are slow whether or not their module says so.
    """
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.slow)
    if IN_CI or config.getoption("--slow"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if not slow:
        return
    config.hook.pytest_deselected(items=slow)
    items[:] = [item for item in items if not item.get_closest_marker("slow")]
    config.stash[_SLOW_DESELECTED] = len(slow)


def pytest_report_collectionfinish(config):
    count = config.stash.get(_SLOW_DESELECTED, 0)
    if count:
        return f"{count} slow tests deselected: {SLOW_HOW}"
    return None


def pytest_terminal_summary(terminalreporter, config):
    count = config.stash.get(_SLOW_DESELECTED, 0)
    if count:
        terminalreporter.write_line(f"{count} slow tests deselected: {SLOW_HOW}")


@pytest.fixture(scope="session", autouse=True)
def _clean_media():
    """One media and one run-time folder per run, emptied before and after."""
    for folder in (settings.MEDIA_ROOT, settings.VAR_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    yield
    for folder in (settings.MEDIA_ROOT, settings.VAR_DIR):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true, a test that skips (a missing service, a missing browser) fails."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every service must run: {report.longrepr}"


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread of this process) on the configured broker.

    Tasks stop running eagerly for the test; the worker shares the test database. Needs
    ``CELERY_BROKER_URL`` (Redis in CI).
    """
    from celery.contrib.testing.worker import start_worker

    from configurator.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a Redis broker) for a real worker")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def media_urls(settings):
    """The URL configuration as built with DEBUG on (it serves MEDIA_URL then), for a test."""
    import importlib

    from django.urls import clear_url_caches

    import configurator.urls

    settings.DEBUG = True
    importlib.reload(configurator.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(configurator.urls)
    clear_url_caches()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Imports and publishes a document (a copy), compiled in-process; returns the version."""

    def publish_document(document):
        engine_cache.clear()
        # Layer specs are kept per version id in each process; ids come back in a test
        # database, so a version published here must not find another test's layers.
        from configurator.configuring import previews

        previews._cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return option_set_import(document=copy.deepcopy(document), publish=True)

    return publish_document


@pytest.fixture
def tote(publish):
    """The canvas tote (``TOTE``), published through the importer; its version."""
    return publish(TOTE)


@pytest.fixture
def an(client, publish, django_user_model, django_capture_on_commit_callbacks):
    """A signed-in shopper who ordered a navy canvas tote twice on the web."""
    publish(TOTE)
    user = django_user_model.objects.create_user("an", "an@example.vn", "mat-khau-2026")
    client.force_login(user)
    for key in ("w1", "w2"):
        client.post(
            "/api/v1/cart/lines/",
            {"product": "TOTE-01", "selection": {"material": "canvas", "color": "navy"}},
            content_type="application/json",
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/v1/orders/",
                {**AN_SHIPPING, "idempotency_key": key},
                content_type="application/json",
            )
        assert response.status_code == 201, response.content
    return user
