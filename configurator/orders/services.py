"""Cart and checkout: every line re-validated and re-priced on the server when placed."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from catalog.models import OptionSetVersion
from configurator.compilation.selectors import engine_for_version
from configurator.designs.models import Design, Upload
from configurator.designs.services import image_resolver, selection_storable
from configurator.designs.shoppers import Shopper
from configurator.engine import Engine, Price
from configurator.storage import private_read, private_storage
from configurator.studio.selection import SelectionProblem, selection_parse

from .hooks import order_placed_listeners
from .models import Cart, CartLine, Order, OrderLine
from .payments import payment_provider


class CheckoutRefused(Exception):
    """Why an order cannot be placed: a stable code, a message and the field."""

    def __init__(self, code: str, detail: str, field: str | None = None, status: int = 400):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Shipping:
    name: str
    email: str
    phone: str
    address: str
    province: str
    note: str = ""


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
        engine=engine, raw=raw, resolve_image=image_resolver(shopper), language=language
    )
    violations = engine.validate(parsed)
    if violations:
        first = violations[0]
        group = first.groups[0] if first.groups else ""
        raise SelectionProblem(
            first.code, first.message, f"{field}.{group}" if group else field, 400
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
) -> CartLine:
    """Add a complete, valid configuration to the shopper's cart; nothing written on refusal.

    ``proposed_defaults`` (group -> ``{"value", "source"}``) is what the studio pre-selected;
    groups the engine does not know are left out.
    """
    parsed = _complete_selection(
        shopper=shopper, engine=engine, raw=selection, language=language, field="selection"
    )
    price = engine.price(parsed)
    with transaction.atomic():
        cart = cart_get(shopper=shopper, create=True)
        assert cart is not None
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
        )
        cart.save(update_fields=["updated_at"])
    return line


def _order_number() -> str:
    return timezone.now().strftime("%y%m%d") + "-" + secrets.token_hex(3).upper()


def _choices(engine: Engine, selection: Mapping[str, Any]) -> list[dict[str, Any]]:
    choices: list[dict[str, Any]] = []
    for group in engine.spec.groups:
        if group.code not in selection:
            continue
        chosen = selection[group.code]
        base = {"group": group.code, "group_name": dict(group.name), "kind": group.kind}
        if group.kind == "choice" and chosen is not None:
            value = group.value(chosen)
            assert value is not None
            choices.append(
                {
                    **base,
                    "value": value.code,
                    "value_name": dict(value.name),
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
                        "value_name": dict(value.name),
                        "production_code": value.production_code,
                        "price_delta": str(value.price_delta),
                    }
                )
        elif group.kind == "text" and chosen:
            choices.append({**base, "text": chosen})
        elif group.kind == "image" and chosen:
            choices.append({**base, "upload": str(chosen)})
    return choices


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
        if engine.groups[code].kind != "image" or not value:
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


def order_place(
    *,
    shopper: Shopper,
    shipping: Shipping,
    provider: str,
    idempotency_key: str,
    language: str = "vi",
) -> tuple[Order, bool]:
    """Place the shopper's cart as an order; returns (order, created).

    The same idempotency key again (a double click, a retried request) returns the order it
    placed the first time. Every line is validated again and priced again with the engine
    of its option-set version; a line that is no longer valid refuses the whole order
    (``checkout.E003``, HTTP 409) and nothing is written.
    """
    if not idempotency_key or len(idempotency_key) > 80:
        raise CheckoutRefused(
            "checkout.E001", "An idempotency key (1-80 characters) is required.", "idempotency_key"
        )
    existing = Order.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_shopper(existing, shopper), False
    payment = payment_provider(provider)
    if payment is None:
        raise CheckoutRefused("checkout.E002", f"Unknown payment method “{provider}”.", "payment")
    try:
        with transaction.atomic():
            cart = Cart.objects.select_for_update().filter(shopper.owns()).order_by("-pk").first()
            lines = list(cart.lines.select_related("product", "version")) if cart else []
            if not lines:
                raise CheckoutRefused("checkout.E004", "The cart is empty.", "cart", 409)
            order = Order.objects.create(
                number=_order_number(),
                idempotency_key=idempotency_key,
                email=shipping.email,
                phone=shipping.phone,
                shipping_name=shipping.name,
                address=shipping.address,
                province=shipping.province,
                note=shipping.note,
                language=language,
                currency=lines[0].product.currency,
                total=Decimal(0),
                payment_provider=payment.code,
                **shopper.owner_fields(),
            )
            total = Decimal(0)
            for position, line in enumerate(lines, start=1):
                engine = engine_for_version(version_id=line.version_id)
                try:
                    parsed = _complete_selection(
                        shopper=shopper,
                        engine=engine,
                        raw=line.selection,
                        language=language,
                        field=f"cart.lines.{line.pk}",
                    )
                except SelectionProblem as problem:
                    raise CheckoutRefused(
                        "checkout.E003",
                        f"{line.product.name_vi}: {problem.detail}",
                        problem.field,
                        409,
                    ) from None
                price = engine.price(parsed)
                line_total = price.total * line.quantity
                total += line_total
                product = line.product
                OrderLine.objects.create(
                    order=order,
                    position=position,
                    product=product,
                    version=line.version,
                    product_sku=product.sku,
                    product_name={"vi": product.name_vi, "en": product.name_en},
                    version_number=line.version.number,
                    selection=line.selection,
                    choices=_choices(engine, parsed),
                    price_lines=_price_lines(price),
                    unit_price=price.total,
                    quantity=line.quantity,
                    line_total=line_total,
                    files=_copy_files(order.number, position, engine, line.selection),
                    proposed_defaults=line.proposed_defaults,
                )
            order.total = total
            order.save(update_fields=["total"])
            cart.lines.all().delete()  # type: ignore[union-attr]
            order_id = order.pk
            transaction.on_commit(partial(order_confirmation_send, order_id=order_id))
            for listener in order_placed_listeners():
                transaction.on_commit(partial(listener, order_id))
    except IntegrityError:
        # Two requests with the same key raced: the other one placed the order.
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_shopper(existing, shopper), False
    payment.start(order)
    return order, True


def _same_shopper(order: Order, shopper: Shopper) -> Order:
    if not Order.objects.filter(shopper.owns(), pk=order.pk).exists():
        raise CheckoutRefused(
            "checkout.E005",
            "This idempotency key belongs to another order.",
            "idempotency_key",
            409,
        )
    return order


def order_confirmation_send(*, order_id: int) -> None:
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    with translation.override(order.language):
        context = {"order": order, "lines": list(order.lines.all())}
        subject = render_to_string("orders/email/confirmation_subject.txt", context).strip()
        body = render_to_string("orders/email/confirmation.txt", context)
    send_mail(subject, body, None, [order.email])
