"""API v1: a product's stock and lead times, for merchants' tools (an ERP, a script).

``GET /api/v1/products/<sku>/stock/`` lists what is set; ``PUT`` sets the listed values
(all or nothing; values not listed keep what they had). Staff with the
``catalog.change_valuestock`` permission, by token or session (``docs/stock.md``).
"""

from __future__ import annotations

import logging
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import LEAD_TIME_MAX_DAYS, STOCK_MAX, Product, ValueStock
from catalog.stock import StockInput, StockRefused, stock_import

from .authentication import SessionAuthentication, TokenAuthentication
from .contract import ANY, BODY, answers
from .errors import APIError
from .rendering import ORJSONParser

logger = logging.getLogger(__name__)

STOCK_PERMISSION = "catalog.change_valuestock"
MAX_ITEMS = 5_000


class CanSetStock(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_staff and user.has_perm(STOCK_PERMISSION)
        )


class StockItemSerializer(serializers.Serializer):
    group = serializers.CharField(max_length=64, help_text="The option group's code.")
    value = serializers.CharField(max_length=64, help_text="The value's code.")
    quantity = serializers.IntegerField(
        min_value=0,
        max_value=STOCK_MAX,
        allow_null=True,
        help_text="In stock; 0 is out of stock (switched off in the studio at once); "
        "null is not counted (always available).",
    )
    lead_time_days = serializers.IntegerField(
        min_value=0,
        max_value=LEAD_TIME_MAX_DAYS,
        default=0,
        help_text="Days added to the delivery estimate of a design with this value.",
    )
    restock_date = serializers.DateField(
        allow_null=True, default=None, help_text="When it is expected back (shown to shoppers)."
    )


class StockListSerializer(serializers.Serializer):
    items = serializers.ListField(child=StockItemSerializer(), max_length=MAX_ITEMS)


class StockView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CanSetStock]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="A product's stock and lead times",
        operation_id="stock_list",
        responses=answers({200: StockListSerializer}, *ANY, 403, 404),
    )
    def get(self, request: Request, sku: str) -> Response:
        product = _product(sku)
        rows = ValueStock.objects.filter(product=product).order_by("group_code", "value_code")
        return Response({"items": [_item(row) for row in rows]})

    @extend_schema(
        summary="Set the stock and lead times of a product's values (all or nothing)",
        description=(
            "Each listed value gets the quantity, lead time and restock date sent; values "
            "not listed keep theirs. One bad item and nothing is written: the 400 answer "
            "lists every problem under `errors` (`field` is `items.N`). Codes: stock.E002 "
            "(no version of the product has this value), stock.E003 (quantity), stock.E004 "
            "(lead time), stock.E008 (a value listed twice)."
        ),
        operation_id="stock_set",
        request=StockListSerializer,
        responses=answers({200: StockListSerializer}, *BODY, 404),
    )
    def put(self, request: Request, sku: str) -> Response:
        product = _product(sku)
        serializer = StockListSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = [
            StockInput(
                sku=product.sku,
                group=item["group"],
                value=item["value"],
                quantity=item["quantity"],
                lead_time_days=item["lead_time_days"],
                restock_date=item["restock_date"],
                where=f"items.{i}",
            )
            for i, item in enumerate(serializer.validated_data["items"])
        ]
        try:
            stock_import(items=items)
        except StockRefused as refused:
            logger.info("api: stock of %s refused (%d problems)", sku, refused.count)
            errors = [
                {"code": p.code, "detail": p.message, "field": p.field} for p in refused.problems
            ]
            first = errors[0]
            raise APIError(
                first["code"], f"{first['field']}: {first['detail']}", first["field"], errors=errors
            ) from None
        rows = ValueStock.objects.filter(product=product).order_by("group_code", "value_code")
        return Response({"items": [_item(row) for row in rows]}, status=status.HTTP_200_OK)


def _product(sku: str) -> Product:
    product = Product.objects.filter(sku=sku).first()
    if product is None:
        raise APIError(
            "product.not_found", f"No product “{sku}”.", "sku", status.HTTP_404_NOT_FOUND
        )
    return product


def _item(row: ValueStock) -> dict[str, Any]:
    return {
        "group": row.group_code,
        "value": row.value_code,
        "quantity": row.quantity,
        "lead_time_days": row.lead_time_days,
        "restock_date": row.restock_date.isoformat() if row.restock_date else None,
    }
