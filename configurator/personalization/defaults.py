"""The configuration a shopper's studio opens on: personalized, valid, explained."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from configurator.configuring.evaluation import localized
from configurator.engine import Engine
from configurator.personalization.consent import may_personalize
from configurator.personalization.models import Customer, DefaultSource
from configurator.personalization.scoring import NO_CONTEXT, Context, Reason
from configurator.personalization.selectors import (
    history_for,
    personalization_enabled_for,
    weights_and_reasons,
)
from configurator.personalization.services import customer_for_user

HISTORY_REASONS = frozenset({"same-product", "same-taste"})
# From what the studio knows now (the cart, saved designs): the shopper's own data too.
CONTEXT_REASONS = frozenset({"cart", "cart-variant", "together"})
PERSONAL_REASONS = HISTORY_REASONS | CONTEXT_REASONS
PROPOSAL_SALT = "configurator.studio.proposed-defaults"


@dataclass(frozen=True)
class Defaults:
    selection: dict[str, Any]
    reasons: dict[str, str] = field(default_factory=dict)  # group -> why this value
    rankings: dict[str, list[str]] = field(default_factory=dict)
    # The preference weights shaped the proposal (the shopper's history, popularity or both).
    personalized: bool = False
    # group -> where the pre-selected value came from: "personal", "popular" or "merchant".
    sources: dict[str, str] = field(default_factory=dict)
    # group -> the code of the reason shown (see ``scoring.Reason``).
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def basis(self) -> str:
        """What the studio may tell the shopper the proposal rests on: "personal" when
        their own history picked at least one value, else "cart" when their cart or saved
        designs did, else "popular" when popularity did, else "merchant"."""
        if self.codes:
            codes = set(self.codes.values())
            if codes & HISTORY_REASONS:
                return DefaultSource.PERSONAL.value
            if codes & CONTEXT_REASONS:
                return "cart"
            return DefaultSource.POPULAR.value if "popular" in codes else "merchant"
        found = set(self.sources.values())
        for source in (DefaultSource.PERSONAL, DefaultSource.POPULAR):
            if source.value in found:
                return source.value
        return DefaultSource.MERCHANT.value

    def proposal(self) -> dict[str, dict[str, Any]]:
        """What the studio proposed, per group: ``{"value": ..., "source": ...}``."""
        return {
            group: {"value": value, "source": self.sources.get(group, DefaultSource.MERCHANT.value)}
            for group, value in self.selection.items()
        }


def merchant_defaults(engine: Engine) -> Defaults:
    completion = engine.complete({})
    selection = {
        k: v for k, v in completion.items() if engine.groups[k].kind in ("choice", "multi")
    }
    return Defaults(selection, sources=dict.fromkeys(selection, DefaultSource.MERCHANT.value))


def proposal_sign(*, defaults: Defaults, sku: str) -> str:
    """A tamper-proof token of the proposed defaults, sent back with the cart line."""
    return signing.dumps({"sku": sku, "proposal": defaults.proposal()}, salt=PROPOSAL_SALT)


def proposal_read(*, token: str, sku: str) -> dict[str, dict[str, Any]]:
    """The proposal in ``token`` when it is genuine and for ``sku``; otherwise empty.

    An unreadable token only loses a data point of the merchant's insight; it never
    refuses a shopper's cart line.
    """
    if not token:
        return {}
    try:
        data = signing.loads(token, salt=PROPOSAL_SALT)
    except signing.BadSignature:
        return {}
    if not isinstance(data, Mapping) or data.get("sku") != sku:
        return {}
    proposal = data.get("proposal")
    return dict(proposal) if isinstance(proposal, Mapping) else {}


def reason_text(reason: Reason, value_name: str, other_name: str = "") -> str:
    """The shopper's words for ``reason``; ``other_name`` names ``reason.other``."""
    if reason.code in CONTEXT_REASONS:
        return _context_text(reason, value_name, other_name or reason.other)
    if reason.code == "same-product":
        return _("You chose %(value)s in %(chosen)d of your last %(orders)d orders.") % {
            "value": value_name,
            "chosen": reason.chosen,
            "orders": reason.orders,
        }
    if reason.code == "same-taste":
        return _("You often choose %(value)s.") % {"value": value_name}
    if reason.code == "popular":
        return _("Most chosen by shoppers of this product.")
    return ""


def _context_text(reason: Reason, value_name: str, other_name: str) -> str:
    names = {"value": value_name, "other": other_name}
    if reason.code == "cart-variant":
        return _("Your cart already has this product in %(other)s.") % names
    if reason.code == "cart":
        if reason.where == "saved":
            return _("To match the %(value)s items in your saved designs.") % names
        if reason.where == "both":
            return _("To match the %(value)s items in your cart and saved designs.") % names
        return _("To match the %(value)s items in your cart.") % names
    if reason.where == "saved":
        return _("Shoppers often choose it with %(other)s, as in your saved designs.") % names
    if reason.where == "both":
        return (
            _("Shoppers often choose it with %(other)s, as in your cart and saved designs.") % names
        )
    return _("Shoppers often choose it with %(other)s, as in your cart.") % names


def studio_defaults(
    *,
    engine: Engine,
    product: str,
    user: Any,
    language: str,
    personal: bool = True,
    customer: Customer | None = None,
    context: Context | None = None,
) -> Defaults:
    """The engine's best valid completion under the shopper's preference weights.

    Signed-in shoppers with personalization on get their own history blended with the
    product's popularity; others get popularity alone; ``context`` (the cart and saved
    designs, ``selectors.studio_context_for``) adds what the shopper is buying now, unless
    they said no to personalization; ``personal=False`` (the shopper's "reset") or a product
    switched off gives the merchant's defaults. ``customer``, when given, is whose history
    counts instead of ``user``'s (a store's staff member designing for them,
    ``configurator/clienteling``).
    """
    if not personal or not personalization_enabled_for(product):
        return merchant_defaults(engine)
    customer = customer if customer is not None else customer_for_user(user)
    said_no = customer is not None and (
        not customer.personalization_enabled or customer.personalization_consent is False
    )
    if context is None or said_no:
        # The cart is what the shopper is doing now, not their history: used for a guest
        # and for a customer who has not said no; never for one who did.
        context = NO_CONTEXT
    if not may_personalize(customer):  # the one consent check: then popularity alone
        customer = None
    history = history_for(product=product, customer=customer, context=context)
    # A measurement (width, length) is made to the shopper's size, not a taste to learn: it
    # keeps the merchant's starting number, and its hundreds of numbers cost no scoring.
    groups = {
        g.code: [v.code for v in g.values]
        for g in engine.spec.groups
        if g.kind == "choice" and g.number is None
    }
    weights, reasons = weights_and_reasons(
        history=history,
        customer=customer,
        product=product,
        groups=groups,
        now=timezone.now(),
        context=context,
    )
    if not weights:
        return merchant_defaults(engine)
    completion = engine.complete({}, dict(weights.items()))
    selection = {
        k: v for k, v in completion.items() if engine.groups[k].kind in ("choice", "multi")
    }
    texts: dict[str, str] = {}
    codes: dict[str, str] = {}
    sources = dict.fromkeys(selection, DefaultSource.MERCHANT.value)
    for group, reason in reasons.items():
        chosen = selection.get(group)
        if chosen == reason.value:
            other = _name(engine, reason.other_group or group, reason.other, language)
            texts[group] = reason_text(reason, _name(engine, group, chosen, language), other)
            sources[group] = _source(reason)
            codes[group] = reason.code
    rankings = {
        group: sorted(values, key=lambda v: -weights.get((group, v), 0.0))
        for group, values in groups.items()
    }
    return Defaults(selection, texts, rankings, personalized=True, sources=sources, codes=codes)


def _name(engine: Engine, group: str, value: str, language: str) -> str:
    """The value's name in the shopper's language; its code when the product lacks it."""
    if not value:
        return ""
    found = engine.groups[group].value(value) if group in engine.groups else None
    return localized(found.name, language) if found else value


def _source(reason: Reason) -> str:
    if reason.code in PERSONAL_REASONS:
        return DefaultSource.PERSONAL.value
    if reason.code == "popular":
        return DefaultSource.POPULAR.value
    return DefaultSource.MERCHANT.value
