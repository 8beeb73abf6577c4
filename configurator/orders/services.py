"""Cart and checkout: every line re-validated and re-priced on the server when placed."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import OptionSetVersion, ProductView
from configurator.compilation.selectors import NotCompiledYet, engine_for_version
from configurator.configuring.errors import SelectionCode, SelectionProblem
from configurator.configuring.evaluation import localized
from configurator.configuring.placement import Placement, selection_placements
from configurator.configuring.selection import selection_parse, violation_text
from configurator.configuring.stock import chosen_pairs, engine_in_stock
from configurator.designs.display import both_languages, number_names
from configurator.designs.models import Design, Upload
from configurator.designs.services import image_resolver, selection_storable
from configurator.designs.shoppers import Shopper
from configurator.engine import Engine, Price
from configurator.metrics import ORDERS_PLACED
from configurator.storage import private_read, private_storage

from .effects import order_effects_write
from .errors import CheckoutCode, CheckoutRefused
from .hooks import order_placed_listeners
from .models import Cart, CartLine, Order, OrderChannel, OrderLine, PaymentStatus
from .payments import payment_provider
from .stock import StockKey, StockNeed, stock_reserve

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shipping:
    name: str
    email: str
    phone: str
    address: str
    province: str
    note: str = ""
    province_code: str = ""
    ward: str = ""
    ward_code: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Shipping:
        """From a checkout form's or serializer's cleaned data (extra keys ignored)."""
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


def cart_get(*, shopper: Shopper, create: bool = False) -> Cart | None:
    cart = Cart.objects.filter(shopper.owns()).order_by("-updated_at").first()
    if cart is None and create:
        cart = Cart.objects.create(**shopper.owner_fields())
    return cart


def _complete_selection(
    *, shopper: Shopper, engine: Engine, raw: Mapping[str, Any], language: str, field: str
) -> dict[str, Any]:
    """A complete, valid configuration from ``raw``; raises SelectionProblem (first problem)."""
    parsed = selection_parse(
        engine=engine,
        raw=raw,
        resolve_image=image_resolver(shopper),
        language=language,
        fresh_words=True,
    )
    violations = engine.validate(parsed)
    if violations:
        first = violations[0]
        group = first.groups[0] if first.groups else ""
        raise SelectionProblem(
            first.code,
            violation_text(engine, first, language),
            f"{field}.{group}" if group else field,
        )
    return parsed


def cart_line_add(
    *,
    shopper: Shopper,
    version: OptionSetVersion,
    engine: Engine,
    selection: Mapping[str, Any],
    quantity: int = 1,
    design: Design | None = None,
    language: str = "vi",
    proposed_defaults: Mapping[str, Any] | None = None,
    staff: Any = None,
) -> CartLine:
    """Add a complete, valid configuration to the shopper's cart; nothing written on refusal.

    Raises :class:`SelectionProblem` for the selection, :class:`CheckoutRefused`
    (``cart.E001``) for a product in another currency than the cart's.

    ``proposed_defaults`` (group -> ``{"value", "source"}``) is what the studio pre-selected;
    groups the engine does not know are left out. ``staff`` is the store's staff member who
    handed the design over (clienteling): the order that places the line is theirs too.
    """
    parsed = _complete_selection(
        shopper=shopper, engine=engine, raw=selection, language=language, field="selection"
    )
    price = engine.price(parsed)
    currency = version.product.currency
    with transaction.atomic():
        cart = cart_get(shopper=shopper, create=True)
        assert cart is not None
        other = (
            cart.lines.exclude(product__currency=currency)
            .values_list("product__currency", flat=True)
            .first()
        )
        if other is not None:
            raise CheckoutRefused(
                CheckoutCode.CART_CURRENCY,
                f"Your cart holds products priced in {other}; this one is priced in "
                f"{currency}. Order them separately.",
                "product",
            )
        line = CartLine.objects.create(
            cart=cart,
            product=version.product,
            version=version,
            design=design,
            selection=selection_storable(engine, parsed, selection),
            quantity=quantity,
            unit_price=price.total,
            proposed_defaults={
                group: proposal
                for group, proposal in (proposed_defaults or {}).items()
                if group in engine.groups and engine.groups[group].kind in ("choice", "multi")
            },
            staff=staff,
        )
        cart.save(update_fields=["updated_at"])
    return line


def _order_number() -> str:
    return timezone.now().strftime("%y%m%d") + "-" + secrets.token_hex(3).upper()


def _choices(
    engine: Engine, selection: Mapping[str, Any], stored: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One entry per chosen value; a picture as its upload id (``stored``: the line's
    selection as sent, where ``selection`` holds the picture's size and format); a placed
    text or picture with its ``placement``."""
    choices: list[dict[str, Any]] = []
    placements = selection_placements(engine, stored, selection)
    for group in engine.spec.groups:
        if group.code not in selection:
            continue
        chosen = selection[group.code]
        # Names in both languages, always: the pages and e-mails after the order read them
        # from here, never from the catalog.
        base = {
            "group": group.code,
            "group_name": both_languages(group.name, group.code),
            "kind": group.kind,
        }
        if group.number is not None and chosen is not None:
            code = str(chosen)
            choices.append(
                {
                    **base,
                    "kind": "number",
                    "value": code,
                    "unit": group.number.unit,
                    "value_name": number_names(code, group.number.unit),
                    "production_code": "",
                    "price_delta": "0",
                }
            )
        elif group.kind == "choice" and chosen is not None:
            value = group.value(chosen)
            assert value is not None
            choices.append(
                {
                    **base,
                    "value": value.code,
                    "value_name": both_languages(value.name, value.code),
                    "production_code": value.production_code,
                    "price_delta": str(value.price_delta),
                }
            )
        elif group.kind == "multi":
            for code in chosen:
                value = group.value(code)
                assert value is not None
                choices.append(
                    {
                        **base,
                        "value": value.code,
                        "value_name": both_languages(value.name, value.code),
                        "production_code": value.production_code,
                        "price_delta": str(value.price_delta),
                    }
                )
        elif group.kind == "text" and chosen:
            choices.append({**base, "text": chosen, **_placed(placements, group.code)})
        elif group.kind == "image" and chosen:
            choices.append(
                {**base, "upload": str(stored[group.code]), **_placed(placements, group.code)}
            )
    return choices


def _placed(placements: Mapping[str, Placement], group: str) -> dict[str, Any]:
    """A placed text's or picture's placement, as the snapshot keeps it (none: centred)."""
    return {"placement": placements[group].as_dict()} if group in placements else {}


def _price_lines(price: Price) -> list[dict[str, Any]]:
    return [
        {
            "kind": line.kind,
            "label": dict(line.label),
            "group": line.group,
            "value": line.value,
            "quantity": line.quantity,
            "amount": str(line.amount),
        }
        for line in price.lines
    ]


def _copy_files(order_number: str, position: int, engine: Engine, stored: Mapping) -> list:
    """Copy the line's uploads under orders/ in the private storage, so deleting an upload
    never touches an order; a picture whose file is gone is left out (and logged)."""
    files = []
    for code, value in stored.items():
        if code not in engine.groups or engine.groups[code].kind != "image" or not value:
            continue
        upload = Upload.objects.get(pk=value)
        data = private_read(upload.file.name)
        if data is None:
            continue
        extension = (upload.file.name or "").rsplit(".", 1)[-1]
        name = private_storage().save(
            f"orders/{order_number}/{position}-{code}.{extension}", ContentFile(data)
        )
        files.append(
            {
                "group": code,
                "path": name,
                "format": upload.format,
                "width": upload.width,
                "height": upload.height,
            }
        )
    return files


_ADDED_LATER = ("province_code", "ward", "ward_code")


def _request_digest(shipping: Shipping, provider: str) -> str:
    """What a checkout asked for, as a digest: the same key must come with the same request."""
    fields = asdict(shipping)
    for name in _ADDED_LATER:  # blank: the digest of a request from before they existed
        if not fields[name]:
            del fields[name]
    payload = json.dumps(
        [fields, provider], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _already_placed(*, idempotency_key: str, digest: str, shopper: Shopper) -> Order | None:
    """The order this key placed, if any; refuses another shopper's key or another request."""
    existing = Order.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if not Order.objects.filter(shopper.owns(), pk=existing.pk).exists():
        raise CheckoutRefused(
            CheckoutCode.KEY_OF_ANOTHER_ORDER,
            "This idempotency key belongs to another order.",
            "idempotency_key",
        )
    if existing.request_digest and existing.request_digest != digest:
        raise CheckoutRefused(
            CheckoutCode.KEY_REUSED,
            f"This idempotency key already placed order {existing.number} with other "
            "details; use a new key for a new checkout.",
            "idempotency_key",
        )
    return existing


def order_place(
    *,
    shopper: Shopper,
    shipping: Shipping,
    provider: str,
    idempotency_key: str,
    language: str = "vi",
) -> tuple[Order, bool]:
    """Place the shopper's cart as an order; returns (order, created).

    The same idempotency key again (a double click, a retried request, twenty at once)
    returns the order it placed the first time; with other shipping or payment details it is
    refused (``checkout.E006``). Every line is validated again and priced again with the
    engine of its option-set version; a line that is no longer valid refuses the whole order
    (``checkout.E003``) and nothing is written.

    The order, its production exports and a row for each of its other effects (e-mail,
    purchase history) commit together; workers do them afterwards. Nothing that happens
    after the commit (a broker or mail server down) changes the answer.
    """
    if not idempotency_key or len(idempotency_key) > 80:
        raise CheckoutRefused(
            CheckoutCode.KEY_REQUIRED,
            "An idempotency key (1-80 characters) is required.",
            "idempotency_key",
        )
    digest = _request_digest(shipping, provider)
    existing = _already_placed(idempotency_key=idempotency_key, digest=digest, shopper=shopper)
    if existing is not None:
        return existing, False
    payment = payment_provider(provider)
    if payment is None:
        raise CheckoutRefused(
            CheckoutCode.UNKNOWN_PAYMENT, f"Unknown payment method “{provider}”.", "payment"
        )
    try:
        with transaction.atomic():
            cart = Cart.objects.select_for_update().filter(shopper.owns()).order_by("-pk").first()
            # Requests with the same key wait on the cart's lock: once the first commits,
            # the others find its order here instead of an empty cart.
            existing = _already_placed(
                idempotency_key=idempotency_key, digest=digest, shopper=shopper
            )
            if existing is not None:
                return existing, False
            order = _order_write(
                shopper=shopper,
                cart=cart,
                shipping=shipping,
                payment_code=payment.code,
                idempotency_key=idempotency_key,
                digest=digest,
                language=language,
            )
    except IntegrityError:
        # Two requests with the same key raced past the lock (no cart row yet to lock).
        existing = _already_placed(idempotency_key=idempotency_key, digest=digest, shopper=shopper)
        if existing is None:
            raise
        return existing, False
    ORDERS_PLACED.inc()
    order_payment_start(order=order)
    return order, True


def _order_write(
    *,
    shopper: Shopper,
    cart: Cart | None,
    shipping: Shipping,
    payment_code: str,
    idempotency_key: str,
    digest: str,
    language: str,
) -> Order:
    """The order, its lines, exports and effects; the cart emptied. Inside the transaction."""
    lines = list(cart.lines.select_related("product", "version")) if cart else []
    if not lines:
        raise CheckoutRefused(CheckoutCode.CART_EMPTY, "The cart is empty.", "cart")
    currencies = sorted({line.product.currency for line in lines})
    if len(currencies) > 1:
        raise CheckoutRefused(
            CheckoutCode.MIXED_CURRENCIES,
            f"The cart mixes currencies ({', '.join(currencies)}); order them separately.",
            "cart",
        )
    now = timezone.now()
    # A line a staff member handed over makes the sale the store's (the first one's staff).
    staff_id = next((line.staff_id for line in lines if line.staff_id is not None), None)
    order = Order.objects.create(
        number=_order_number(),
        idempotency_key=idempotency_key,
        request_digest=digest,
        email=shipping.email,
        phone=shipping.phone,
        shipping_name=shipping.name,
        address=shipping.address,
        province=shipping.province,
        province_code=shipping.province_code,
        ward=shipping.ward,
        ward_code=shipping.ward_code,
        note=shipping.note,
        language=language,
        currency=currencies[0],
        total=Decimal(0),
        payment_provider=payment_code,
        channel=OrderChannel.STORE if staff_id is not None else OrderChannel.WEB,
        staff_id=staff_id,
        **shopper.owner_fields(),
    )
    total = Decimal(0)
    needs: dict[StockKey, StockNeed] = {}
    for position, line in enumerate(lines, start=1):
        line_total, engine, parsed = _order_line_write(
            order=order, position=position, line=line, shopper=shopper, language=language
        )
        total += line_total
        _add_needs(needs, line, engine, parsed, language)
    stock_reserve(order=order, needs=needs)
    order.total = total
    order.save(update_fields=["total"])
    assert cart is not None
    cart.lines.all().delete()
    for listener in order_placed_listeners():
        listener(order.pk)
    order_effects_write(order=order, now=now)
    return order


def _add_needs(
    needs: dict[StockKey, StockNeed],
    line: CartLine,
    engine: Engine,
    parsed: Mapping[str, Any],
    language: str,
) -> None:
    """Add what ``line`` takes of each chosen value (its quantity) to ``needs``."""
    for group, value in chosen_pairs(engine, parsed):
        key = (line.product_id, group, value)
        need = needs.get(key)
        if need is None:
            spec = engine.groups[group]
            found = spec.value(value)
            label = (
                f"{line.product.name_in(language)} · {localized(spec.name, language)}: "
                f"{localized(found.name, language) if found else value}"
            )
            need = needs[key] = StockNeed(0, label)
        need.quantity += line.quantity


def _order_line_write(
    *, order: Order, position: int, line: CartLine, shopper: Shopper, language: str
) -> tuple[Decimal, Engine, dict[str, Any]]:
    """One order line, a snapshot of what the shopper saw; returns the line's total, the
    engine it was checked with and the selection as read."""
    try:
        # Stock read now, not as this process kept it (the reservation checks it again).
        engine = engine_in_stock(
            engine=engine_for_version(version_id=line.version_id),
            product_id=line.product_id,
            fresh=True,
        )
    except NotCompiledYet as preparing:
        raise CheckoutRefused(
            CheckoutCode.PRODUCT_PREPARING,
            f"{line.product.name_vi}: this product is being prepared; try again in a moment.",
            f"cart.lines.{line.pk}",
            retry_after=preparing.retry_after,
        ) from None
    try:
        parsed = _complete_selection(
            shopper=shopper,
            engine=engine,
            raw=line.selection,
            language=language,
            field=f"cart.lines.{line.pk}",
        )
    except SelectionProblem as problem:
        if problem.code in (SelectionCode.OUT_OF_STOCK, "engine.V050"):
            raise CheckoutRefused(
                CheckoutCode.OUT_OF_STOCK,
                f"{line.product.name_vi}: {problem.detail}",
                problem.field,
            ) from None
        raise CheckoutRefused(
            CheckoutCode.LINE_NO_LONGER_VALID,
            f"{line.product.name_vi}: {problem.detail}",
            problem.field,
        ) from None
    price = engine.price(parsed)
    cost = engine.cost(parsed)
    line_total = price.total * line.quantity
    product = line.product
    OrderLine.objects.create(
        order=order,
        position=position,
        product=product,
        version=line.version,
        product_sku=product.sku,
        product_name=product.names,
        version_number=line.version.number,
        selection=line.selection,
        choices=_choices(engine, parsed, line.selection),
        price_lines=_price_lines(price),
        unit_price=price.total,
        quantity=line.quantity,
        line_total=line_total,
        unit_cost=cost.total,
        cost_lines=[item for item in _price_lines(cost) if Decimal(item["amount"])],
        files=_copy_files(order.number, position, engine, line.selection),
        views=_views(line.version_id),
        proposed_defaults=line.proposed_defaults,
    )
    return line_total, engine, parsed


def _views(version_id: int) -> list[dict[str, Any]]:
    """The version's views for the order line: code, names, whether it prints."""
    return [
        {"code": view.code, "name": view.names, "prints": view.prints}
        for view in ProductView.objects.filter(version_id=version_id).order_by("position", "pk")
    ]


def order_payment_start(*, order: Order) -> Order:
    """Start the order's payment once, keeping the provider's answer on the order.

    A second call (the confirmation page refreshed) returns what was kept. A provider that
    fails leaves the order unstarted, to be started again on the next call; the order
    itself stands.
    """
    if order.payment_started_at is not None:
        return order
    claimed = Order.objects.filter(pk=order.pk, payment_started_at__isnull=True).update(
        payment_started_at=timezone.now()
    )
    if not claimed:  # started by a request at the same moment
        order.refresh_from_db()
        return order
    provider = payment_provider(order.payment_provider)
    try:
        if provider is None:
            raise LookupError(f"unknown payment provider {order.payment_provider!r}")
        started = provider.start(order)
    except Exception:
        logger.exception("order %s: could not start the payment", order.number)
        Order.objects.filter(pk=order.pk).update(payment_started_at=None)
        order.refresh_from_db()
        return order
    fields = {
        "payment_instructions": dict(started.instructions),
        "payment_redirect_url": started.redirect_url,
    }
    if started.status == PaymentStatus.PAID:
        fields["payment_status"] = PaymentStatus.PAID
    Order.objects.filter(pk=order.pk).update(**fields)
    order.refresh_from_db()
    return order
