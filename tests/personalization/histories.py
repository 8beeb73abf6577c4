"""A published tote and a shopper with a history that disagrees with the shop's taste.

Lan bought three navy canvas totes in store; the shop's other shoppers mostly buy brown.
With personalization on the studio proposes navy ("You chose Navy…"); off, brown ("Most
chosen by shoppers of this product."). Plain functions, not fixtures: new test files call
them without touching the shared conftest.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from django.utils import timezone

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.personalization.events import EventLine
from configurator.personalization.imports import purchase_events_import
from configurator.personalization.scoring import Purchase
from tests.api.test_evaluate import TOTE

LAN_EMAIL = "lan@example.vn"
PASSWORD = "mat-khau-2026"


def tote_publish(capture_on_commit) -> None:
    """Publish the shared tote document, compiled in-process."""
    engine_cache.clear()
    with capture_on_commit(execute=True):
        option_set_import(document=copy.deepcopy(TOTE), publish=True)


def store_purchases(customer: str, color: str, count: int) -> None:
    """``count`` store purchases of a canvas tote in ``color``, one a week before now."""
    now = timezone.now()
    purchase_events_import(
        lines=[
            EventLine(
                line=i,
                purchase=Purchase(
                    customer,
                    now - timedelta(days=7 * (i + 1)),
                    f"{customer}-{i}",
                    "TOTE-01",
                    {"material": "canvas", "color": color},
                ),
                channel="store",
                sku="T1",
                quantity=1,
                price="350000",
                currency="VND",
            )
            for i in range(count)
        ]
    )


def lan_with_history(user_model):
    """Lan's account; her three navy purchases; six brown ones of another shopper."""
    user = user_model.objects.create_user("lan", LAN_EMAIL, PASSWORD)
    store_purchases(LAN_EMAIL, "navy", 3)
    store_purchases("khach2", "brown", 6)
    return user
