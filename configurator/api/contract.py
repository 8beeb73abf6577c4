"""The API's contract: the shape of every answer, as the OpenAPI schema declares it.

The views build their answers as plain JSON (``configuring/payloads.py``, ``orders.py``
``cart_payload``/``order_payload``, ``designs.py`` ``design_payload``, the personalization
export, the import counts). The serializers here render nothing: they only describe those
documents to drf-spectacular, field by field, so that a client generated from the schema
gets typed models (``docs/api.md``). ``tests/api/test_contract_conformance.py`` checks
every answer against them; ``tests/api/test_contract_client.py`` drives the shopper's
journey through a generated client.

Every refusal is one :class:`Error` (``configurator/api/errors.py``); :func:`answers`
declares, per operation, the statuses it can really answer with that shape.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from configurator.compilation.errors import CompilationCode
from configurator.configuring.errors import SelectionCode
from configurator.designs.errors import UploadCode
from configurator.orders.errors import CheckoutCode
from configurator.orders.models import OrderStatus, PaymentStatus

MONEY = 'A decimal string in the currency\'s minor unit (``"120000"`` for VND, ``"12.50"``).'


def _money(help_text: str = MONEY, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, **kwargs)


def _names(**kwargs: Any) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.CharField(),
        help_text='Text per language: ``{"vi": …, "en": …}``.',
        **kwargs,
    )


def _object(help_text: str, **kwargs: Any) -> serializers.DictField:
    """A JSON object whose keys are the product's own (group codes, attribute names)."""
    return serializers.DictField(
        child=serializers.JSONField(allow_null=True), help_text=help_text, **kwargs
    )


GROUP_KINDS = ("choice", "multi", "text", "image", "number")
PRICE_LINE_KINDS = ("base", "value", "text", "image", "number")
PRINT_LEVELS = ("ok", "low", "poor")
DROPPED_REASONS = ("removed", "conflict", "private")
SELECTION = (
    "Group code to value: a value code (choice), a list of codes (multi), a text, or an "
    "upload id (image); and, under ``@placement``, where the shopper placed a picture or a "
    "text: group code to {x, y, scale, rotation} (see Placement)."
)


# Errors --------------------------------------------------------------------------------

# Codes of the API's own refusals (APIError), beside the domain's enums below. Refusals of
# DRF itself read ``request.<DRF code>`` (request.parse_error, request.not_authenticated,
# request.authentication_failed, request.permission_denied, request.csrf_failed,
# request.unsupported_media_type, request.throttled, request.invalid, request.required ...).
API_CODES = (
    "product.not_found",
    "design.not_found",
    "cart.line_not_found",
    "order.not_found",
    "preview.size",
    "preview.selection",
    "preview.view",
    "request.too_large",
    "request.too_many_fields",
    "request.too_deep",
)
EVENT_CODES = tuple(f"events.E{n:03}" for n in range(1, 10))
STOCK_CODES = tuple(f"stock.E{n:03}" for n in range(1, 10))


def error_codes() -> list[str]:
    """Every stable code an error can carry (the domain enums and the API's own)."""
    enums: list[Any] = [SelectionCode, UploadCode, CheckoutCode, CompilationCode]
    codes = [str(member) for enum in enums for member in enum]
    return [*codes, *API_CODES, *EVENT_CODES, *STOCK_CODES]


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable machine code (see Error).")
    detail = serializers.CharField(help_text="For people, in the request's language.")
    field = serializers.CharField(
        allow_null=True, help_text="The offending field as a dotted path, or null."
    )


class ErrorSerializer(ErrorItemSerializer):
    errors = ErrorItemSerializer(  # type: ignore[assignment]  # the payload's name, not DRF's attribute
        many=True,
        required=False,
        help_text="Every problem, when the refusal stands for several (the first is "
        "code/field): the bad lines of a purchase-events import.",
    )
    repair = _object(
        "On selection.E010: the choices that would make the refused one fit; on "
        "selection.E030 (a value out of stock): the refused group's best replacement "
        "(group code to value code, list of codes, or null).",
        required=False,
    )


ErrorSerializer.__doc__ = (
    "Every refusal: nothing was written. ``code`` is stable; ``request.<DRF code>`` for a "
    "malformed request; ``engine.V0xx`` for a selection the engine refuses (docs/engine.md "
    "lists them). Codes: " + ", ".join(f"``{code}``" for code in error_codes()) + "."
)

STATUS_TEXT = {
    400: "Bad request: malformed body or parameters, or a refused value (code, field)",
    401: "A wrong or malformed token (request.authentication_failed), or none where one is "
    "needed (request.not_authenticated)",
    403: "CSRF check failed on a session request (request.csrf_failed), or missing permission",
    404: "Not found (product.not_found, design.not_found, order.not_found, ...)",
    409: "Conflicts with the current state: choices that cannot be combined (selection.E010, "
    "with repair), or a cart or checkout refusal",
    410: "A picture of the selection is no longer stored (upload.missing)",
    413: "The body is larger than the server accepts (request.too_large)",
    415: "The body's content type is not accepted (request.unsupported_media_type)",
    429: "Too many requests (request.throttled); Retry-After says when to try again",
    503: "Not ready yet: the product is being prepared (product.compiling, checkout.E008) or "
    "every picture slot is busy (upload.E005); Retry-After says when to try again",
}
RETRY_AFTER = (429, 503)

# The statuses every request can meet: a wrong or malformed token.
ANY = (401,)
# ... every unsafe one: a session request without its CSRF token.
UNSAFE = (401, 403)
# ... and every request with a body.
BODY = (400, 401, 403, 413, 415)


def answers(ok: dict[Any, Any], *statuses: int) -> dict[Any, Any]:
    """``ok`` and an :class:`ErrorSerializer` answer for each of ``statuses``."""
    responses = dict(ok)
    for status_code in sorted(set(statuses)):
        responses[status_code] = OpenApiResponse(ErrorSerializer, STATUS_TEXT[status_code])
    return responses


def retry_after(*statuses: int) -> list[OpenApiParameter]:
    """The ``Retry-After`` header of the 429 and 503 answers among ``statuses``."""
    codes = [s for s in RETRY_AFTER if s in statuses]
    if not codes:
        return []
    return [
        OpenApiParameter(
            "Retry-After",
            int,
            OpenApiParameter.HEADER,
            response=codes,
            description="Seconds to wait before trying again.",
        )
    ]


# Products ------------------------------------------------------------------------------


class ProductSerializer(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    base_price = _money()
    currency = serializers.CharField(help_text="ISO 4217, e.g. VND.")


class ProductDetailSerializer(ProductSerializer):
    version = serializers.IntegerField(help_text="The published version's number.")
    option_set = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="The published option set as an option-set/1 document "
        "(docs/option-set-format.md).",
    )


# Evaluate ------------------------------------------------------------------------------


class ReasonSerializer(serializers.Serializer):
    conflict = serializers.ListField(
        child=serializers.CharField(), help_text="The chosen groups that rule the value out."
    )
    messages = serializers.ListField(child=serializers.CharField())
    repair = _object(
        "The choices to change to get the value (group code to value code, list of codes, "
        "or null); null when nothing can.",
        allow_null=True,
    )
    out_of_stock = serializers.BooleanField(
        required=False, help_text="Present and true when the value itself is out of stock."
    )
    restock_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="With out_of_stock: when the merchant expects it back, or null.",
    )


class ValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    price_delta = _money()
    swatch = serializers.CharField(allow_null=True, help_text="A CSS colour, or null.")
    image = serializers.CharField(allow_null=True, help_text="The value's picture URL, or null.")
    attributes = serializers.DictField(child=serializers.CharField())
    available = serializers.BooleanField()
    chosen = serializers.BooleanField()
    shown = serializers.BooleanField(help_text="Within the step's display limit.")
    reason = ReasonSerializer(allow_null=True, help_text="Why it is unavailable, or null.")


class LimitsSerializer(serializers.Serializer):
    min = serializers.IntegerField(required=False)
    max = serializers.IntegerField(required=False)
    max_length = serializers.IntegerField(required=False)
    pattern = serializers.CharField(required=False)
    max_bytes = serializers.IntegerField(required=False)
    min_width = serializers.IntegerField(required=False)
    min_height = serializers.IntegerField(required=False)
    formats = serializers.ListField(child=serializers.CharField(), required=False)
    price_per_char = _money(required=False)
    price_delta = _money(required=False)
    minimum = serializers.CharField(required=False, help_text="number groups: the smallest.")
    maximum = serializers.CharField(required=False, help_text="number groups: the largest.")
    increment = serializers.CharField(required=False, help_text="number groups: the step.")
    unit = serializers.CharField(required=False, help_text="number groups: e.g. cm.")
    price_per_unit = _money(required=False)


class NumberRangeSerializer(serializers.Serializer):
    from_ = serializers.CharField(help_text="The run's first number.")
    to = serializers.CharField(help_text="The run's last number (included).")
    available = serializers.BooleanField()
    reason = ReasonSerializer(allow_null=True, help_text="Why the run is unavailable, or null.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class PrintQualitySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=PRINT_LEVELS)
    code = serializers.CharField(allow_null=True, help_text="print.W001 (low), print.W002 (poor).")
    effective_dpi = serializers.FloatField()
    needed = serializers.ListField(
        child=serializers.IntegerField(), help_text="[width, height] in pixels."
    )
    message = serializers.CharField(allow_blank=True)


class ContrastSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["ok", "low"])
    code = serializers.CharField(allow_null=True, help_text="text.W001 (hard to read).")
    ratio = serializers.FloatField(
        help_text="WCAG contrast ratio of the text's colour to what is under it (1 to 21), "
        "met over four fifths of the text's box; 3 or more reads well."
    )
    message = serializers.CharField(allow_blank=True)
    repair = serializers.DictField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="The text colour that would read (its group code -> value code), or null.",
    )
    repair_label = serializers.CharField(allow_blank=True)


class GroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=GROUP_KINDS)
    step = serializers.IntegerField(allow_null=True)
    required = serializers.BooleanField()  # type: ignore[assignment]
    help = serializers.CharField(allow_blank=True)
    chosen = serializers.JSONField(
        allow_null=True,
        help_text="A value code, a list of codes, a text, a picture's {width, height, format}, "
        "or null.",
    )
    can_be_empty = serializers.BooleanField()
    more = serializers.IntegerField(help_text="Values beyond the display limit.")
    limits = LimitsSerializer()
    print_quality = PrintQualitySerializer(allow_null=True)
    contrast = ContrastSerializer(
        allow_null=True,
        help_text="text groups with a text typed: how it reads where it is printed.",
    )
    values = ValueSerializer(many=True)
    ranges = NumberRangeSerializer(
        many=True, help_text="number groups: their values as runs, available or not."
    )


class PriceLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PRICE_LINE_KINDS)
    label = serializers.CharField()  # type: ignore[assignment]
    group = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_null=True)
    quantity = serializers.IntegerField(help_text="Characters for a text line.")
    amount = _money()


class PriceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = _money()
    lines = PriceLineSerializer(many=True)


class ViolationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="engine.V0xx (docs/engine.md).")
    detail = serializers.CharField()
    groups = serializers.ListField(child=serializers.CharField())
    rule = serializers.CharField(allow_null=True, help_text="The rule's id, or null.")


class DeliverySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        help_text="The product's production days plus the slowest chosen value's lead time."
    )
    date = serializers.DateField(help_text="Today in the shop's time zone plus ``days``.")
    text = serializers.CharField(help_text="Said in the request's language.")


class PlacementSerializer(serializers.Serializer):
    """Where a picture or text sits in its print area (the selection's ``@placement``)."""

    x = serializers.FloatField(
        min_value=0, max_value=1, help_text="The centre across, a fraction of the area's width."
    )
    y = serializers.FloatField(
        min_value=0, max_value=1, help_text="The centre down, a fraction of the area's height."
    )
    scale = serializers.FloatField(
        min_value=0.1, max_value=1, help_text="A share of the size that fits the area (1)."
    )
    rotation = serializers.FloatField(
        min_value=-180, max_value=180, help_text="Degrees, clockwise, about the centre."
    )


class EvaluationSerializer(serializers.Serializer):
    product = serializers.CharField(help_text="The product's SKU.")
    version = serializers.IntegerField()
    selection = _object("The selection as read; a picture as its {width, height, format}.")
    complete = serializers.BooleanField(help_text="A full valid configuration.")
    placement = serializers.DictField(
        child=PlacementSerializer(),
        help_text="Group code to where its picture or text is placed; only those moved, "
        "scaled or turned (the others are centred, as large as fits).",
    )
    groups = GroupSerializer(many=True)
    price = PriceSerializer()
    delivery = DeliverySerializer(
        allow_null=True,
        help_text="When this configuration should ship; null when the "
        "merchant set no production or lead time.",
    )
    violations = ViolationSerializer(many=True)
    preview_url = serializers.CharField(help_text="The preview image of the selection.")
    completion = _object(
        "Only when complete was asked: the best valid completion, or null.",
        required=False,
        allow_null=True,
    )


# Uploads and designs -------------------------------------------------------------------


class UploadAnswerSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="Name it as an image group's value.")
    format = serializers.CharField(help_text="png, jpeg or webp.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    bytes = serializers.IntegerField()


class _DesignBase(serializers.Serializer):
    id = serializers.UUIDField()
    product = serializers.CharField(help_text="The product's SKU.")
    version = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    selection = _object(SELECTION)


class DesignSerializer(_DesignBase):
    share_url = serializers.URLField(allow_null=True, help_text="Set once shared.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class DroppedSerializer(serializers.Serializer):
    group = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="null for a shopper's picture.")
    reason = serializers.ChoiceField(choices=DROPPED_REASONS)


class CurrentSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The product's current version.")
    selection = _object("The design reopened on it.")
    dropped = DroppedSerializer(many=True)


class SharedDesignSerializer(_DesignBase):
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    current = CurrentSerializer()


# Cart and orders -----------------------------------------------------------------------


class AmountSerializer(serializers.Serializer):
    amount = _money()
    display = serializers.CharField(help_text="As shoppers read it, e.g. ``120.000 ₫``.")


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField()
    version = serializers.IntegerField()
    design = serializers.UUIDField(allow_null=True)
    selection = _object(SELECTION)
    quantity = serializers.IntegerField()
    unit_price = AmountSerializer()


class CartSerializer(serializers.Serializer):
    lines = CartLineSerializer(many=True)
    currency = serializers.CharField()
    total = AmountSerializer()


class PaymentSerializer(serializers.Serializer):
    provider = serializers.CharField()
    status = serializers.ChoiceField(choices=PaymentStatus.values)


class ShippingSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    province = serializers.CharField(help_text="The official name.")
    province_code = serializers.CharField(
        allow_blank=True, help_text="The official code; empty on orders placed before codes."
    )
    ward = serializers.CharField(allow_blank=True)
    ward_code = serializers.CharField(allow_blank=True)


class OrderChoiceSerializer(serializers.Serializer):
    group = serializers.CharField()
    group_name = _names()
    kind = serializers.ChoiceField(choices=GROUP_KINDS)
    value = serializers.CharField(required=False, help_text="choice and multi.")
    value_name = _names(required=False)
    unit = serializers.CharField(required=False, help_text="number groups: e.g. cm.")
    production_code = serializers.CharField(required=False, allow_blank=True)
    price_delta = serializers.CharField(required=False, help_text="A decimal string.")
    text = serializers.CharField(required=False, help_text="text.")
    upload = serializers.CharField(required=False, help_text="image: the upload's id.")
    placement = PlacementSerializer(
        required=False, help_text="text and image: where the shopper placed it, when moved."
    )


class OrderPriceLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PRICE_LINE_KINDS)
    label = _names()  # type: ignore[assignment]
    group = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()
    amount = serializers.CharField(help_text="A decimal string.")


class OrderLineSerializer(serializers.Serializer):
    product = serializers.CharField()
    name = _names()
    version = serializers.IntegerField()
    choices = OrderChoiceSerializer(many=True)
    price_lines = OrderPriceLineSerializer(many=True)
    quantity = serializers.IntegerField()
    unit_price = AmountSerializer()
    line_total = AmountSerializer()


class OrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.values)
    payment = PaymentSerializer()
    placed_at = serializers.DateTimeField()
    currency = serializers.CharField()
    total = AmountSerializer()
    shipping = ShippingSerializer()
    lines = OrderLineSerializer(many=True)


# Personalization -----------------------------------------------------------------------


class PurchaseSerializer(serializers.Serializer):
    timestamp = serializers.DateTimeField()
    order = serializers.CharField()
    product = serializers.CharField()
    channel = serializers.CharField()
    sku = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField(allow_null=True)
    options = serializers.DictField(child=serializers.JSONField(allow_null=True))


class PersonalizationSerializer(serializers.Serializer):
    customer = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    personalized_defaults = serializers.BooleanField()
    preferences = serializers.DictField(child=serializers.JSONField(allow_null=True))
    purchases = PurchaseSerializer(many=True, help_text="Oldest first.")


class PersonalizationSettingSerializer(serializers.Serializer):
    personalized_defaults = serializers.BooleanField()


def preview_answers() -> dict[Any, Any]:
    """The preview's image (webp, png or jpeg, as the URL says), its redirect, its errors."""
    responses: dict[Any, Any] = {
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, "The image")
        for content_type in ("image/webp", "image/png", "image/jpeg")
    }
    responses[302] = OpenApiResponse(
        None, "The image is on object storage: its URL is in the Location header"
    )
    for status_code in (*ANY, 400, 404, 410, 429, 503):
        responses[(status_code, "application/json")] = OpenApiResponse(
            ErrorSerializer, STATUS_TEXT[status_code]
        )
    return responses
