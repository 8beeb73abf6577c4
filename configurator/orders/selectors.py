"""What the cart, checkout and order pages read: lines with names and a thumbnail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from catalog.models import OptionSetVersion, VersionStatus
from configurator.configuring.stock import delivery_of_line
from configurator.designs.display import (
    Names,
    VersionNames,
    both_languages,
    choices_completed,
    selection_choices,
    snapshot_lacks_names,
    thumbnail_url,
    version_names,
)

from .models import Cart, CartLine, Order, OrderLine


@dataclass(frozen=True)
class LineView:
    """A cart or order line as a page shows it."""

    line: Any  # CartLine or OrderLine
    product_name: Names
    choices: list[dict[str, Any]]
    thumbnail: str
    delivery: str = ""  # "Dự kiến giao: …" of a cart line, when the merchant set lead times


def cart_lines(
    *, cart: Cart | None, today: datetime.date | None = None, language: str = "vi"
) -> list[LineView]:
    """The cart's lines, named in both languages, in three queries; with ``today``, each
    with its delivery estimate (stock is read at most once per product every few seconds)."""
    if cart is None:
        return []
    lines: list[CartLine] = list(cart.lines.select_related("product", "version__product"))
    names = version_names(line.version_id for line in lines)
    return [
        LineView(
            line=line,
            product_name=both_languages(line.product.names, line.product.sku),
            choices=selection_choices(line.selection, names[line.version_id]),
            thumbnail=thumbnail_url(line.version, line.selection),
            delivery=delivery_of_line(
                product_id=line.product_id, selection=line.selection, today=today, language=language
            )
            if today is not None
            else "",
        )
        for line in lines
    ]


def order_lines(*, order: Order) -> list[LineView]:
    """The order's lines as their snapshot says, each with ``choices`` named in both
    languages and its ``thumbnail``; the catalog is read only for rows from before names."""
    lines: list[OrderLine] = list(order.lines.all())
    stale = [line.version_id for line in lines if snapshot_lacks_names(line.choices)]
    names = version_names(stale) if stale else {}
    return [
        LineView(
            line=line,
            product_name=both_languages(line.product_name, line.product_sku),
            choices=choices_completed(line.choices, names.get(line.version_id)),
            thumbnail=reverse("orders:line-preview", args=[order.number, line.position]),
        )
        for line in lines
    ]


def purchases_named(
    *, purchases: list[dict[str, Any]], owner_id: int | None
) -> list[dict[str, Any]]:
    """The shopper's purchase history (``customer_export``'s purchases) for their account
    page: each with ``product_name``, named ``choices`` and a ``thumbnail`` ("" when none).

    A web purchase is named from its order line's snapshot and shows that line's thumbnail;
    a purchase from another channel is named from the product's latest published version
    (a value that version does not know is shown as the channel sent it). Four queries.
    """
    numbers = {str(p.get("order", "")) for p in purchases}
    lines = {
        (line.order.number, line.product_sku): line
        for line in OrderLine.objects.filter(
            order__owner_id=owner_id, order__number__in=numbers
        ).select_related("order")
    }
    others = {
        str(p.get("product", ""))
        for p in purchases
        if (str(p.get("order", "")), str(p.get("product", ""))) not in lines
    }
    latest: dict[str, OptionSetVersion] = {}
    for published in (
        OptionSetVersion.objects.filter(product__sku__in=others, status=VersionStatus.PUBLISHED)
        .select_related("product")
        .order_by("product_id", "-number")
    ):
        latest.setdefault(published.product.sku, published)
    names = version_names(version.pk for version in latest.values())
    rows = []
    for purchase in purchases:
        sku = str(purchase.get("product", ""))
        line = lines.get((str(purchase.get("order", "")), sku))
        if line is not None:
            rows.append(
                {
                    **purchase,
                    "product_name": both_languages(line.product_name, sku),
                    "choices": choices_completed(
                        [c for c in line.choices if c.get("kind") in ("choice", "multi")], None
                    ),
                    "thumbnail": reverse(
                        "orders:line-preview", args=[line.order.number, line.position]
                    ),
                }
            )
            continue
        version = latest.get(sku)
        known = names[version.pk] if version is not None else VersionNames()
        rows.append(
            {
                **purchase,
                "product_name": (
                    both_languages(version.product.names, sku)
                    if version is not None
                    else both_languages({}, sku)
                ),
                "choices": [
                    {
                        "group": group,
                        "group_name": known.groups.get(group) or both_languages({}, group),
                        "kind": "choice",
                        "value": value,
                        "value_name": known.values.get((group, str(value)))
                        or both_languages({}, str(value)),
                    }
                    for group, value in sorted(dict(purchase.get("options") or {}).items())
                ],
                "thumbnail": "",
            }
        )
    return rows
