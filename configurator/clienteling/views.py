"""The store staff's pages (find a customer, their history and defaults, hand a design over)
and the page a customer's phone opens from the QR code."""

from __future__ import annotations

import json
import logging
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import OptionSetVersion
from configurator.compilation.selectors import NotCompiledYet
from configurator.configuring.evaluation import localized
from configurator.configuring.previews import preview_url
from configurator.configuring.selectors import (
    published_products,
    published_version_get,
    studio_engine,
)
from configurator.designs.services import design_reopen
from configurator.designs.shoppers import shopper_from_request
from configurator.errors import ApplicationError
from configurator.pages import form_refusal
from configurator.personalization.defaults import proposal_read
from configurator.personalization.models import Customer

from .errors import StaffCode, StaffRefused
from .models import Handover
from .qr import qr_svg
from .selectors import (
    Proposal,
    Purchase,
    _customer_allows_staff,
    acting_require,
    acting_sign,
    customer_history,
    customer_label,
    customer_proposals,
    customers_find,
    query_parse,
    staff_may_serve,
)
from .services import (
    SELECTION_MAX_CHARS,
    handover_create,
    handover_to_cart,
    handover_to_customer_cart,
)

logger = logging.getLogger(__name__)


def _language() -> str:
    return (get_language() or "vi")[:2]


def staff_required(view: Any) -> Any:
    """Signed in (else to the sign-in page) and allowed to serve customers (else 403)."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff_may_serve(request.user):
            logger.info("staff page refused to user %s (no permission)", request.user.pk)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class SearchForm(forms.Form):
    query = forms.CharField(
        label=gettext_lazy("Phone number or e-mail address"), max_length=254, strip=True
    )


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Find a customer. A POST, so phone numbers and addresses stay out of URLs and logs."""
    matches = None
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            try:
                query = query_parse(form.cleaned_data["query"])
            except ApplicationError as error:
                logger.info("staff %s: customer search refused: %s", request.user.pk, error.code)
                form_refusal(form, error)
            else:
                matches = customers_find(query=query)
                logger.info(
                    "staff %s searched by %s: %d found", request.user.pk, query.kind, len(matches)
                )
                if len(matches) == 1:
                    return redirect("clienteling:customer", pk=matches[0].pk)
    else:
        form = SearchForm()
    found = [{"customer": c, "label": customer_label(c)} for c in matches or []]
    return render(
        request,
        "clienteling/home.html",
        {"form": form, "searched": matches is not None, "matches": found},
    )


@staff_required
def customer(request: HttpRequest, pk: int) -> HttpResponse:
    """A customer as the staff serves them: history, what the shop would pre-select and
    why, and a link to the studio for each product; only with the customer's permission."""
    found = get_object_or_404(Customer.objects.select_related("user"), pk=pk)
    language = _language()
    allowed = _customer_allows_staff(found)
    history: list[Purchase] = []
    counts: dict[str, int] = {}
    proposals: list[Proposal] = []
    if allowed:
        history, counter = customer_history(customer=found, language=language)
        counts = dict(counter)
        proposals = customer_proposals(customer=found, language=language)
    return render(
        request,
        "clienteling/customer.html",
        {
            "customer": found,
            "label": customer_label(found),
            "allowed": allowed,
            "history": history,
            "counts": counts,
            "proposals": proposals,
            "products": [(p.sku, p.name_in(language)) for p in published_products()],
            "acting": acting_sign(staff=request.user, customer=found),
        },
    )


class HandoverForm(forms.Form):
    acting = forms.CharField(max_length=1000)
    product = forms.CharField(max_length=64)
    selection = forms.CharField(max_length=SELECTION_MAX_CHARS, required=False)
    defaults = forms.CharField(max_length=4000, required=False)
    action = forms.ChoiceField(choices=[("link", "link"), ("cart", "cart")], required=False)


@staff_required
@require_POST
def handover_new(request: HttpRequest) -> HttpResponse:
    """The studio's "hand over" form: save the design for the customer, then show its QR
    code (or put it in their cart too)."""
    form = HandoverForm(request.POST)
    language = _language()
    try:
        if not form.is_valid():
            raise StaffRefused(
                StaffCode.NOTHING_TO_HAND_OVER, _("The design could not be read."), "selection"
            )
        data = form.cleaned_data
        acting = acting_require(token=data["acting"], user=request.user)
        selection = json.loads(data["selection"] or "{}")
        if not isinstance(selection, dict):
            raise ValueError("not an object")
        version = published_version_get(sku=data["product"])
        handover = handover_create(
            staff=request.user,
            acting=acting,
            version=version,
            engine=studio_engine(version=version),
            selection=selection,
            proposed=proposal_read(token=data["defaults"], sku=data["product"]),
            language=language,
        )
    except (ValueError, OptionSetVersion.DoesNotExist):
        logger.info("staff %s: an unreadable hand-over form", request.user.pk)
        return _refused(request, _("The design could not be read."))
    except ApplicationError as error:
        logger.info("staff %s: hand-over refused: %s", request.user.pk, error.code)
        return _refused(request, error.detail)
    if data.get("action") == "cart":
        _to_customer_cart(request, handover, language)
    return redirect("clienteling:handover", token=handover.token)


def _refused(request: HttpRequest, detail: str) -> HttpResponse:
    return render(request, "clienteling/refused.html", {"detail": detail}, status=400)


def _to_customer_cart(request: HttpRequest, handover: Handover, language: str) -> None:
    try:
        handover_to_customer_cart(handover=handover, language=language)
    except ApplicationError as error:
        logger.info("hand-over %s: not added to the cart: %s", handover.pk, error.code)
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The design is in the customer's cart."))


def _handover_for_staff(token: str) -> Handover:
    return get_object_or_404(
        Handover.objects.select_related("design__product", "customer__user"), token=token
    )


@staff_required
def handover(request: HttpRequest, token: str) -> HttpResponse:
    """The hand-over on the staff's screen: the QR code the customer scans, and its link."""
    found = _handover_for_staff(token)
    link = request.build_absolute_uri(reverse("clienteling:received", args=[found.token]))
    customer = found.customer
    return render(
        request,
        "clienteling/handover.html",
        {
            "handover": found,
            "link": link,
            "qr": qr_svg(link, label=_("QR code of the link to the design")),
            "label": customer_label(customer) if customer else "",
            "has_account": customer is not None and customer.user_id is not None,
            "product": found.design.product.name_in(_language()),
        },
    )


@staff_required
@require_POST
def handover_cart(request: HttpRequest, token: str) -> HttpResponse:
    found = _handover_for_staff(token)
    _to_customer_cart(request, found, _language())
    return redirect("clienteling:handover", token=found.token)


# The customer's side: the page their phone opens from the QR code.


def _received(token: str) -> tuple[Handover, OptionSetVersion, Any, dict[str, Any]]:
    found = (
        Handover.objects.select_related("design__product", "design__version")
        .filter(token=token[:32])
        .first()
    )
    if found is None:
        raise Http404(token)
    try:
        version = published_version_get(sku=found.design.product.sku)
        engine = studio_engine(version=version)
    except (OptionSetVersion.DoesNotExist, NotCompiledYet):
        raise Http404(token) from None
    selection, _dropped = design_reopen(design=found.design, engine=engine)
    return found, version, engine, selection


def received(request: HttpRequest, token: str) -> HttpResponse:
    """The design a staff member made for the customer: its preview, choices and price,
    with "add to my cart" and "change it in the studio"."""
    found, version, engine, selection = _received(token)
    language = _language()
    choices = []
    for group in engine.spec.groups:
        if group.code not in selection or group.kind not in ("choice", "multi", "text"):
            continue
        if group.kind == "text":
            if selection[group.code]:
                choices.append((localized(group.name, language), f"“{selection[group.code]}”"))
            continue
        codes = selection[group.code]
        codes = codes if isinstance(codes, list) else [codes]
        names = [localized(v.name, language) for c in codes if (v := group.value(c))]
        choices.append((localized(group.name, language), ", ".join(names) or _("None")))
    complete = not engine.validate(selection)
    return render(
        request,
        "clienteling/received.html",
        {
            "handover": found,
            "product": version.product,
            "name": version.product.name_in(language),
            "choices": choices,
            "complete": complete,
            "price": engine.price(selection).total if complete else None,
            "preview": preview_url(version, engine, selection),
            "studio": reverse("studio:studio", args=[version.product.sku])
            + f"?design={found.design.share_token}",
        },
    )


@require_POST
def received_cart(request: HttpRequest, token: str) -> HttpResponse:
    found, _version, _engine, _selection = _received(token)
    try:
        handover_to_cart(
            handover=found, shopper=shopper_from_request(request), language=_language()
        )
    except ApplicationError as error:
        logger.info("hand-over %s: the customer could not add it: %s", found.pk, error.code)
        messages.error(request, error.detail)
        return redirect("clienteling:received", token=found.token)
    return redirect("orders:cart")
