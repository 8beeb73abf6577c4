"""The demo's SQLite takes parallel checkouts: no "database is locked".

The demo serves from a SQLite file (the suite's own SQLite database is in memory and shared
by threads, so it cannot show this). A child process migrates a file database with the
settings a newcomer gets, publishes a tote and places twenty orders from twenty threads at
once, half of them with one idempotency key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import copy, json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    from catalog.services import option_set_import
    from configurator.compilation.selectors import engine_for_version
    from configurator.designs.shoppers import Shopper
    from configurator.orders.services import Shipping, cart_line_add, order_place
    from tests.fixtures.documents import TOTE

    version = option_set_import(document=copy.deepcopy(TOTE), publish=True)
    engine = engine_for_version(version_id=version.pk)
    selection = {"material": "suede", "color": "black", "monogram": "Lan"}
    shared = Shopper(None, "shared-session")
    cart_line_add(shopper=shared, version=version, engine=engine, selection=selection)
    for i in range(10):
        cart_line_add(
            shopper=Shopper(None, f"s{i}"), version=version, engine=engine, selection=selection
        )
    shipping = Shipping("Lan", "lan@example.vn", "0901234567", "1 Phố Huế", "Hà Nội")
    answers, barrier = [], threading.Barrier(20)

    def checkout(shopper, key):
        barrier.wait()
        try:
            order, created = order_place(
                shopper=shopper, shipping=shipping, provider="manual", idempotency_key=key
            )
            answers.append(["ok", key, order.number, created])
        except Exception as exc:
            answers.append(["error", type(exc).__name__, str(exc)])
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(shared, "same")) for _ in range(10)]
    threads += [
        threading.Thread(target=checkout, args=(Shopper(None, f"s{i}"), f"k{i}"))
        for i in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(answers))
    """
)


def test_parallel_checkouts_on_the_demo_s_sqlite(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")},
        "DJANGO_SETTINGS_MODULE": "configurator.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert [a for a in answers if a[0] != "ok"] == []  # no "database is locked"
    shared = [a for a in answers if a[1] == "same"]
    assert len(shared) == 10
    assert len({a[2] for a in shared}) == 1  # ten requests, one key: one order named
    assert sorted(a[3] for a in shared) == [False] * 9 + [True]
    others = [a for a in answers if a[1] != "same"]
    assert sorted(a[1] for a in others) == [f"k{i}" for i in range(10)]
    assert all(a[3] for a in others)
    assert len({a[2] for a in answers}) == 11
