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
from configurator.personalization.scoring import Reason
from configurator.personalization.selectors import (
    history_for,
    personalization_enabled_for,
    weights_and_reasons,
)
from configurator.personalization.services import customer_for_user

PERSONAL_REASONS = frozenset({"same-product", "same-taste"})
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

    @property
    def basis(self) -> str:
        """What the studio may tell the shopper the proposal rests on: "personal" when
        their own history picked at least one value, else "popular" when popularity did,
        else "merchant"."""
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


def reason_text(reason: Reason, value_name: str) -> str:
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


def studio_defaults(
    *,
    engine: Engine,
    product: str,
    user: Any,
    language: str,
    personal: bool = True,
    customer: Customer | None = None,
) -> Defaults:
    """The engine's best valid completion under the shopper's preference weights.

    Signed-in shoppers with personalization on get their own history blended with the
    product's popularity; others get popularity alone; ``personal=False`` (the shopper's
    "reset") or a product switched off gives the merchant's defaults. ``customer``, when
    given, is whose history counts instead of ``user``'s (a store's staff member designing
    for them, ``configurator/clienteling``).
    """
    if not personal or not personalization_enabled_for(product):
        return merchant_defaults(engine)
    customer = customer if customer is not None else customer_for_user(user)
    if not may_personalize(customer):  # the one consent check: then popularity alone
        customer = None
    history = history_for(product=product, customer=customer)
    groups = {g.code: [v.code for v in g.values] for g in engine.spec.groups if g.kind == "choice"}
    weights, reasons = weights_and_reasons(
        history=history, customer=customer, product=product, groups=groups, now=timezone.now()
    )
    if not weights:
        return merchant_defaults(engine)
    completion = engine.complete({}, dict(weights.items()))
    selection = {
        k: v for k, v in completion.items() if engine.groups[k].kind in ("choice", "multi")
    }
    texts: dict[str, str] = {}
    sources = dict.fromkeys(selection, DefaultSource.MERCHANT.value)
    for group, reason in reasons.items():
        chosen = selection.get(group)
        if chosen == reason.value:
            value = engine.groups[group].value(chosen)
            texts[group] = reason_text(reason, localized(value.name, language) if value else chosen)
            sources[group] = _source(reason)
    rankings = {
        group: sorted(values, key=lambda v: -weights.get((group, v), 0.0))
        for group, values in groups.items()
    }
    return Defaults(selection, texts, rankings, personalized=True, sources=sources)


def _source(reason: Reason) -> str:
    if reason.code in PERSONAL_REASONS:
        return DefaultSource.PERSONAL.value
    if reason.code == "popular":
        return DefaultSource.POPULAR.value
    return DefaultSource.MERCHANT.value
