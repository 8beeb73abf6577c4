"""``python -m bench.staff_search_bench``: the store staff's customer search at shop scale.

A fresh database (SQLite in a temporary folder, or ``DATABASE_URL``) with ``--customers``
till customers (half known by a phone number written in assorted ways, half by a code) and
``--orders`` web orders of 20,000 accounts with their phones as shoppers type them. Then
``customers_find`` (the staff page's call) by phone (a regular expression over customer ids
and order phones, which are stored as typed) and by e-mail (indexed, case-insensitive); in
the same run, the baseline of one indexed query (a customer by their exact id).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

FORMATS = ["0{}", "+84{}", "0{} ", "+84 {}", "84{}"]


def _phone(rng: random.Random) -> str:
    return "9" + "".join(rng.choice("0123456789") for _ in range(8))


def _spaced(nsn: str, rng: random.Random) -> str:
    """A phone number as a shopper or a till writes it."""
    if rng.random() < 0.5:
        nsn = f"{nsn[:2]} {nsn[2:5]} {nsn[5:]}"
    return rng.choice(FORMATS).format(nsn).strip()


def setup(customers: int, orders: int, seed: int) -> tuple[str, str]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from configurator.orders.models import Order
    from configurator.personalization.models import Customer

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    rows = []
    for n in range(customers):
        external = _spaced(_phone(rng), rng) if n % 2 else f"cust-{n}"
        rows.append(Customer(external_id=f"{external}#{n}" if n % 2 == 0 else external))
    Customer.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    users = get_user_model().objects
    users.bulk_create(
        [users.model(username=f"u{n}", email=f"u{n}@example.vn") for n in range(20_000)],
        batch_size=5000,
    )
    ids = list(users.values_list("pk", flat=True))
    target = _phone(rng)
    rows = []
    for n in range(orders):
        phone = _spaced(target, rng) if n == orders // 2 else _spaced(_phone(rng), rng)
        rows.append(
            Order(
                number=f"B{n}",
                idempotency_key=f"b{n}",
                owner_id=ids[n % len(ids)],
                email=f"u{n}@example.vn",
                phone=phone,
                shipping_name="Khách",
                address="1 Lê Lợi",
                province="Huế",
                currency="VND",
                total=Decimal(100000),
                payment_provider="manual",
            )
        )
    Order.objects.bulk_create(rows, batch_size=5000)
    return "0" + target, ids[(orders // 2) % len(ids)]


def _times(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-staff-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    from configurator.clienteling.selectors import customers_find, query_parse
    from configurator.personalization.models import Customer

    phone, owner = setup(args.customers, args.orders, args.seed)
    found = customers_find(query=query_parse(phone))
    assert [c.user_id for c in found] == [owner], found
    email = query_parse("U77@Example.VN")
    by_phone = _times(lambda: customers_find(query=query_parse(phone)), args.runs)
    by_email = _times(lambda: customers_find(query=email), args.runs)
    baseline = _times(lambda: Customer.objects.filter(external_id="cust-2").first(), args.runs)
    base = statistics.median(baseline)
    print(
        f"{connection.vendor}: {args.customers:,} customers, {args.orders:,} orders, "
        f"{args.runs} runs\n\n"
        "| search | p50 (ms) | max (ms) | ratio to one indexed query |\n|---|---|---|---|\n"
        f"| by phone | {statistics.median(by_phone):.1f} | {max(by_phone):.1f} | "
        f"{statistics.median(by_phone) / base:.0f} |\n"
        f"| by e-mail | {statistics.median(by_email):.1f} | {max(by_email):.1f} | "
        f"{statistics.median(by_email) / base:.0f} |\n"
        f"| one indexed query (baseline) | {base:.2f} | {max(baseline):.2f} | 1 |"
    )


if __name__ == "__main__":
    main()
