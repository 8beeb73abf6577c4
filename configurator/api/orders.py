"""API v1: the cart, checkout and the signed-in shopper's orders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.money import money_display
from catalog.selectors import money_text
from configurator.designs.models import Design
from configurator.designs.shoppers import shopper_from_request
from configurator.orders.addresses import PHONE_MAX_LENGTH, address_resolve, phone_e164
from configurator.orders.errors import CheckoutCode, CheckoutRefused
from configurator.orders.models import Cart, CartLine, Order
from configurator.orders.services import (
    Shipping,
    cart_get,
    cart_line_add,
    order_place,
)
from configurator.personalization.defaults import proposal_read

from . import contract
from .contract import ANY, BODY, UNSAFE, answers, retry_after
from .errors import APIError
from .rendering import ORJSONParser
from .views import _engine, _language, _version


def _amount(amount: Any, currency: str) -> dict[str, str]:
    """An amount as a decimal string with the currency's minor unit, and as shoppers read it."""
    amount = Decimal(amount)
    return {
        "amount": money_text(amount, currency),
        "display": money_display(amount, currency, _language()),
    }


def cart_payload(cart: Cart | None) -> dict[str, Any]:
    lines = list(cart.lines.select_related("product", "version")) if cart else []
    currency = lines[0].product.currency if lines else "VND"
    total = sum((line.unit_price * line.quantity for line in lines), 0)
    return {
        "lines": [
            {
                "id": line.pk,
                "product": line.product.sku,
                "version": line.version.number,
                "design": str(line.design_id) if line.design_id else None,
                "selection": line.selection,
                "quantity": line.quantity,
                "unit_price": _amount(line.unit_price, currency),
            }
            for line in lines
        ],
        "currency": currency,
        "total": _amount(total, currency),
    }


def order_payload(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status,
        "payment": {"provider": order.payment_provider, "status": order.payment_status},
        "placed_at": order.placed_at.isoformat(),
        "currency": order.currency,
        "total": _amount(order.total, order.currency),
        "shipping": {
            "name": order.shipping_name,
            "email": order.email,
            "phone": order.phone,
            "address": order.address,
            "province": order.province,
            "province_code": order.province_code,
            "ward": order.ward,
            "ward_code": order.ward_code,
        },
        "lines": [
            {
                "product": line.product_sku,
                "name": line.product_name,
                "version": line.version_number,
                "choices": line.choices,
                "price_lines": line.price_lines,
                "quantity": line.quantity,
                "unit_price": _amount(line.unit_price, order.currency),
                "line_total": _amount(line.line_total, order.currency),
            }
            for line in order.lines.all()
        ],
    }


class CartLineWriteSerializer(serializers.Serializer):
    product = serializers.CharField(required=False, help_text="SKU, unless a design is given")
    version = serializers.IntegerField(required=False, min_value=1)
    design = serializers.UUIDField(required=False)
    selection = serializers.DictField(child=serializers.JSONField(allow_null=True), default=dict)
    quantity = serializers.IntegerField(min_value=1, max_value=99, default=1)
    defaults = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The studio's signed token of the defaults it proposed (defaults_token)",
    )


class CartQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=99)


class CartView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="My cart", responses=answers({200: contract.CartSerializer}, *ANY))
    def get(self, request: Request) -> Response:
        return Response(cart_payload(cart_get(shopper=shopper_from_request(request))))


class CartLinesView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="Add a configuration or a saved design",
        request=CartLineWriteSerializer,
        responses=answers({201: contract.CartSerializer}, *BODY, 404, 409, 410, 503),
        parameters=retry_after(503),
    )
    def post(self, request: Request) -> Response:
        serializer = CartLineWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        shopper = shopper_from_request(request)
        design = None
        proposed: dict[str, Any] = {}
        if data.get("design"):
            design = Design.objects.filter(shopper.owns(), pk=data["design"]).first()
            if design is None:
                design = Design.objects.filter(share_token__isnull=False, pk=data["design"]).first()
            if design is None:
                raise APIError("design.not_found", "No such design.", "design", 404)
            version = design.version
            selection = design.selection
        else:
            if not data.get("product"):
                raise APIError("request.required", "Give a product or a design.", "product")
            version = _version(data["product"], data.get("version"))
            selection = data["selection"]
            proposed = proposal_read(token=data["defaults"], sku=version.product.sku)
        cart_line_add(
            shopper=shopper,
            version=version,
            engine=_engine(version),
            selection=selection,
            quantity=data["quantity"],
            design=design,
            language=_language(),
            proposed_defaults=proposed,
        )
        return Response(cart_payload(cart_get(shopper=shopper)), status=status.HTTP_201_CREATED)


class CartLineView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [ORJSONParser]

    def _line(self, request: Request, line_id: int) -> CartLine:
        shopper = shopper_from_request(request)
        line = CartLine.objects.filter(
            cart__in=Cart.objects.filter(shopper.owns()), pk=line_id
        ).first()
        if line is None:
            raise APIError("cart.line_not_found", "No such line in your cart.", "id", 404)
        return line

    @extend_schema(
        summary="Change a line's quantity",
        request=CartQuantitySerializer,
        responses=answers({200: contract.CartSerializer}, *BODY, 404),
    )
    def patch(self, request: Request, line_id: int) -> Response:
        line = self._line(request, line_id)
        serializer = CartQuantitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line.quantity = serializer.validated_data["quantity"]
        line.save(update_fields=["quantity"])
        return Response(cart_payload(line.cart))

    @extend_schema(
        summary="Remove a line",
        responses=answers({200: contract.CartSerializer}, *UNSAFE, 404),
    )
    def delete(self, request: Request, line_id: int) -> Response:
        line = self._line(request, line_id)
        cart = line.cart
        line.delete()
        return Response(cart_payload(cart))


class CheckoutSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    email = serializers.EmailField()
    phone = serializers.CharField(
        max_length=PHONE_MAX_LENGTH,
        help_text='A Vietnamese phone number ("0912 345 678", "+84 912 345 678"), kept in '
        "E.164 (+84912345678); another is checkout.E012.",
    )
    address = serializers.CharField(
        max_length=300, help_text="The street and house number (the ward and province apart)."
    )
    province = serializers.CharField(
        max_length=80,
        help_text='The province\'s official code ("79"), as the checkout page sends it, or '
        'its name ("Hồ Chí Minh"); one of the 34 of the 2025 reform, else checkout.E010.',
    )
    ward = serializers.CharField(
        max_length=6,
        help_text="The ward's or commune's official code (\"26740\"): a parcel is delivered to "
        "a ward, so it is required, and it must be in the province, else checkout.E011.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    payment = serializers.CharField(default="manual")
    idempotency_key = serializers.CharField(
        max_length=80, required=False, allow_blank=True, help_text="Or the Idempotency-Key header"
    )


class OrderListView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="My orders",
        operation_id="orders_list",
        responses=answers({200: contract.OrderSerializer(many=True)}, *ANY),
    )
    def get(self, request: Request) -> Response:
        shopper = shopper_from_request(request)
        orders = Order.objects.filter(shopper.owns()).prefetch_related("lines")
        return Response([order_payload(order) for order in orders])

    @extend_schema(
        summary="Place my cart as an order",
        description="201 with the new order; 200 with the same order when the idempotency "
        "key was already used with the same details.",
        request=CheckoutSerializer,
        responses=answers(
            {201: contract.OrderSerializer, 200: contract.OrderSerializer},
            *BODY,
            409,
            410,
            503,
        ),
        parameters=retry_after(503),
    )
    def post(self, request: Request) -> Response:
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        phone = phone_e164(data["phone"])
        if phone is None:
            raise CheckoutRefused(
                CheckoutCode.NOT_A_VIETNAMESE_PHONE,
                _("Enter a Vietnamese phone number, e.g. 0912 345 678."),
                "phone",
            )
        place = address_resolve(province=data["province"], ward=data["ward"])
        key = data.get("idempotency_key") or request.headers.get("Idempotency-Key", "")
        order, created = order_place(
            shopper=shopper_from_request(request),
            shipping=Shipping.from_data({**data, **place, "phone": phone}),
            provider=data["payment"],
            idempotency_key=key,
            language=_language(),
        )
        return Response(
            order_payload(order), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class OrderDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One of my orders",
        responses=answers({200: contract.OrderSerializer}, *ANY, 404),
    )
    def get(self, request: Request, number: str) -> Response:
        shopper = shopper_from_request(request)
        order = Order.objects.filter(shopper.owns(), number=number).first()
        if order is None:
            raise APIError("order.not_found", "No such order of yours.", "number", 404)
        return Response(order_payload(order))
