"""Cart, checkout and confirmation pages: forms that call the order services."""

from __future__ import annotations

import logging
import secrets

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST, require_safe

from configurator.designs.shoppers import shopper_from_request
from configurator.errors import ApplicationError
from configurator.pages import form_refusal
from configurator.storage import private_storage

from .addresses import wards
from .forms import CheckoutForm, QuantityForm
from .models import CartLine, Order, OrderLine
from .selectors import cart_lines, order_lines
from .services import Shipping, cart_get, order_payment_start, order_place
from .thumbnails import order_line_thumbnail

logger = logging.getLogger(__name__)


def _language() -> str:
    return (get_language() or "vi")[:2]


def cart_page(request: HttpRequest) -> HttpResponse:
    rows = cart_lines(
        cart=cart_get(shopper=shopper_from_request(request)),
        today=timezone.localdate(),
        language=_language(),
    )
    total = sum((row.line.unit_price * row.line.quantity for row in rows), 0)
    currency = rows[0].line.product.currency if rows else "VND"
    return render(request, "orders/cart.html", {"rows": rows, "total": total, "currency": currency})


def _my_line(request: HttpRequest, line_id: int) -> CartLine:
    shopper = shopper_from_request(request)
    line = CartLine.objects.filter(cart__in=_carts(shopper), pk=line_id).first()
    if line is None:
        raise Http404(line_id)
    return line


def _carts(shopper):
    from .models import Cart

    return Cart.objects.filter(shopper.owns())


@require_POST
def cart_line_quantity(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _my_line(request, line_id)
    form = QuantityForm(request.POST)
    if form.is_valid():
        line.quantity = form.cleaned_data["quantity"]
        line.save(update_fields=["quantity"])
    else:
        messages.error(request, str(form.errors["quantity"][0]))
    return redirect("orders:cart")


@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    _my_line(request, line_id).delete()
    return redirect("orders:cart")


def checkout(request: HttpRequest) -> HttpResponse:
    shopper = shopper_from_request(request)
    cart = cart_get(shopper=shopper)
    if cart is None or not cart.lines.exists():
        return redirect("orders:cart")
    language = _language()
    if request.method == "POST" and "show_wards" in request.POST:
        # Without JavaScript: the province was chosen, show its wards; keep what was typed.
        form = CheckoutForm(initial=request.POST.dict(), language=language)
    elif request.method == "POST":
        form = CheckoutForm(request.POST, language=language)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order, _ = order_place(
                    shopper=shopper,
                    shipping=Shipping.from_data(data),
                    provider=data["payment"],
                    idempotency_key=data["idempotency_key"],
                    language=language,
                )
            except ApplicationError as error:
                logger.info("checkout refused: %s (%s)", error.code, error.field)
                form_refusal(form, error)
            else:
                return redirect("orders:confirmation", number=order.number)
    else:
        # One key per checkout page: a double submit or a retry places one order.
        form = CheckoutForm(
            initial={"idempotency_key": secrets.token_urlsafe(24)}, language=language
        )
    rows = cart_lines(cart=cart)
    total = sum((row.line.unit_price * row.line.quantity for row in rows), 0)
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "currency": rows[0].line.product.currency,
            "checkout_script": {
                "wards_url": reverse("orders:wards", args=["000"]),
                "choose_ward": gettext("Choose a ward or commune"),
                "choose_province": gettext("Choose the province first"),
            },
        },
    )


@require_safe
def checkout_wards(request: HttpRequest, province: str) -> JsonResponse:
    """The wards and communes of a province, for the checkout's ward list (with JavaScript)."""
    found = wards(province)
    if not found:
        raise Http404(province)
    response = JsonResponse({"wards": found})
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _my_order(request: HttpRequest, number: str) -> Order:
    shopper = shopper_from_request(request)
    order = Order.objects.filter(shopper.owns(), number=number).first()
    if order is None:
        raise Http404(number)
    return order


def confirmation(request: HttpRequest, number: str) -> HttpResponse:
    order = _my_order(request, number)
    # Started once, when the order was placed; again here only if that start failed.
    order = order_payment_start(order=order)
    instructions = order.payment_instructions
    return render(
        request,
        "orders/confirmation.html",
        {
            "order": order,
            "rows": order_lines(order=order),
            "instructions": instructions.get(_language()) or instructions.get("vi", ""),
            "payment_url": order.payment_redirect_url,
        },
    )


@require_safe
def order_line_preview(request: HttpRequest, number: str, position: int) -> FileResponse:
    """The thumbnail of an order line, for the order's shopper only (it may show their
    picture); anyone else gets 404."""
    order = _my_order(request, number)
    line = OrderLine.objects.filter(order=order, position=position).first()
    if line is None:
        raise Http404(position)
    name = order_line_thumbnail(line=line, number=order.number)
    response = FileResponse(private_storage().open(name, "rb"), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=86400"
    return response
