"""The master's warm-up (configurator/warmup.py): it builds what workers share, and a failure
never stops a server from starting."""

from __future__ import annotations

import gc
import logging

import pytest

from configurator import warmup
from configurator.engine import compile_option_set


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_the_warm_up_option_set_compiles_to_its_two_configurations_of_three():
    engine = compile_option_set(warmup.DOCUMENT)

    assert engine.configurations == 3
    assert engine.is_consistent({"a": "y", "b": "y"}) is False


def test_warm_up_freezes_what_it_built(unfrozen, caplog):
    caplog.set_level(logging.INFO, logger="configurator.warmup")

    warmup.warm()

    [record] = [r for r in caplog.records if r.name == "configurator.warmup"]
    assert record.getMessage() == f"warm-up done: {record.args[0]} objects frozen"
    assert record.args[0] > 10_000
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
