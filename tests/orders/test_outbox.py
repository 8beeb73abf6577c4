"""Best-effort sends: a broker that is down costs a checkout one failed send, not one each."""

from __future__ import annotations

from types import SimpleNamespace

from kombu.exceptions import OperationalError as BrokerDown

from configurator import outbox


class Task:
    name = "tests.task"

    def __init__(self, *, eager: bool, fail: bool) -> None:
        self.app = SimpleNamespace(conf=SimpleNamespace(task_always_eager=eager))
        self.fail = fail
        self.calls: list[tuple] = []

    def apply_async(self, args, retry):
        self.calls.append((args, retry))
        if self.fail:
            raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_after_a_failed_send_the_broker_is_left_alone_for_a_while(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    clock = [1000.0]
    monkeypatch.setattr(outbox.time, "monotonic", lambda: clock[0])
    down = Task(eager=False, fail=True)

    assert outbox.enqueue(down, ["a", "b", "c"]) == 0
    assert down.calls == [(("a",), False)]  # one try, no retry; b and c left to the sweeper

    clock[0] += outbox.BROKER_PAUSE_SECONDS - 1
    assert outbox.enqueue(down, ["d"]) == 0
    assert len(down.calls) == 1
    clock[0] += 2
    up = Task(eager=False, fail=False)
    assert outbox.enqueue(up, ["e", "f"]) == 2
    assert up.calls == [(("e",), False), (("f",), False)]


def test_a_task_failing_in_process_does_not_pause_sending(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    failing = Task(eager=True, fail=True)  # no broker: the task itself ran and failed

    assert outbox.enqueue(failing, ["a", "b"]) == 0

    assert len(failing.calls) == 2
    assert outbox._broker_down_until == 0.0
