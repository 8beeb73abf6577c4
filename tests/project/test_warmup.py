"""The master's warm-up (configurator/warmup.py): it builds what workers share, and a failure
never stops a server from starting."""

from __future__ import annotations

import copy
import gc
import logging

import pytest
from django.db import OperationalError, connections

from catalog.models import Product
from configurator import warmup
from configurator.compilation.selectors import engine_cache
from configurator.engine import compile_option_set
from tests.fixtures.documents import SHOE, TOTE


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_the_warm_up_option_set_compiles_to_its_two_configurations_of_three():
    engine = compile_option_set(warmup.DOCUMENT)

    assert engine.configurations == 3
    assert engine.is_consistent({"a": "y", "b": "y"}) is False


@pytest.mark.django_db(transaction=True)
def test_warm_up_freezes_what_it_built(unfrozen, caplog):
    caplog.set_level(logging.INFO, logger="configurator.warmup")

    warmup.warm()

    [record] = [r for r in caplog.records if r.name == "configurator.warmup"]
    assert record.getMessage() == f"warm-up done: 0 engines loaded, {record.args[1]} objects frozen"
    assert record.args[1] > 10_000
    assert gc.get_freeze_count() > 10_000


def test_a_failed_warm_up_is_logged_and_the_server_goes_on(unfrozen, caplog, monkeypatch):
    def broken() -> None:
        raise RuntimeError("no LLVM today")

    monkeypatch.setattr(warmup, "_warm", broken)
    caplog.set_level(logging.INFO, logger="configurator.warmup")

    warmup.warm()  # does not raise

    [record] = [r for r in caplog.records if r.name == "configurator.warmup"]
    assert (record.levelname, record.getMessage()) == (
        "ERROR",
        "warm-up failed; each worker loads what it needs itself",
    )
    assert record.exc_info[1].args == ("no LLVM today",)
    assert gc.get_freeze_count() == 0


@pytest.mark.django_db(transaction=True)
def test_warm_up_loads_the_newest_published_engine_of_each_active_product(publish, monkeypatch):
    publish(TOTE)
    newer = copy.deepcopy(TOTE)
    newer["product"]["base_price"] = "390000"
    tote = publish(newer)
    shoe = publish(SHOE)
    Product.objects.filter(pk=shoe.product_id).update(is_active=False)
    engine_cache.clear()
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))

    loaded = warmup.warm_engines()

    assert (tote.number, loaded) == (2, 1)
    assert [version_id for version_id, _ in engine_cache._items] == [tote.pk]
    assert closed == [True]  # a forked worker opens its own connections


def test_a_database_down_at_start_leaves_the_engines_to_the_workers(unfrozen, caplog, monkeypatch):
    def unreachable() -> int:
        raise OperationalError("connection refused")

    monkeypatch.setattr(warmup, "warm_engines", unreachable)
    caplog.set_level(logging.INFO, logger="configurator.warmup")

    warmup.warm()

    warning, done = [r for r in caplog.records if r.name == "configurator.warmup"]
    assert (warning.levelname, warning.getMessage()) == (
        "WARNING",
        "warm-up: no engine loaded, the database did not answer",
    )
    assert done.getMessage().startswith("warm-up done: 0 engines loaded, ")
    assert gc.get_freeze_count() > 10_000
