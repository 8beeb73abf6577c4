"""Cart, checkout and confirmation pages: forms that call the order services."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from configurator.designs.shoppers import shopper_from_request
from configurator.errors import ApplicationError
from configurator.pages import form_refusal

from .forms import CheckoutForm, QuantityForm
from .models import CartLine, Order
from .services import Shipping, cart_get, order_payment_start, order_place


def _language() -> str:
    return (get_language() or "vi")[:2]


def cart_page(request: HttpRequest) -> HttpResponse:
    cart = cart_get(shopper=shopper_from_request(request))
    lines = list(cart.lines.select_related("product", "version")) if cart else []
    total = sum((line.unit_price * line.quantity for line in lines), 0)
    currency = lines[0].product.currency if lines else "VND"
    return render(
        request, "orders/cart.html", {"lines": lines, "total": total, "currency": currency}
    )


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
    if request.method == "POST":
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
                form_refusal(form, error)
            else:
                return redirect("orders:confirmation", number=order.number)
    else:
        # One key per checkout page: a double submit or a retry places one order.
        form = CheckoutForm(
            initial={"idempotency_key": secrets.token_urlsafe(24)}, language=language
        )
    lines = list(cart.lines.select_related("product"))
    total = sum((line.unit_price * line.quantity for line in lines), 0)
    return render(
        request,
        "orders/checkout.html",
        {"form": form, "lines": lines, "total": total, "currency": lines[0].product.currency},
    )


def confirmation(request: HttpRequest, number: str) -> HttpResponse:
    shopper = shopper_from_request(request)
    order = Order.objects.filter(shopper.owns(), number=number).prefetch_related("lines").first()
    if order is None:
        raise Http404(number)
    # Started once, when the order was placed; again here only if that start failed.
    order = order_payment_start(order=order)
    instructions = order.payment_instructions
    return render(
        request,
        "orders/confirmation.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "instructions": instructions.get(_language()) or instructions.get("vi", ""),
            "payment_url": order.payment_redirect_url,
        },
    )
