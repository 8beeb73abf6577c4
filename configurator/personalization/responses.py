"""The download of a shopper's purchase history, as the account page and the API serve it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from .selectors import customer_export
from .services import customer_for_account


def history_download(*, user: Any) -> HttpResponse:
    """The shopper's purchase history and preferences as a JSON attachment."""
    data = customer_export(customer=customer_for_account(user=user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-purchase-history.json"'
    return response
