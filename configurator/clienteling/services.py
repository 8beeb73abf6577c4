"""Writes of the store staff's page: handing a design over to a customer, by a link (and its
QR code) or straight into their cart."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import OptionSetVersion
from configurator.configuring.selectors import published_version_get, studio_engine
from configurator.designs.services import design_reopen, design_save, design_share
from configurator.designs.shoppers import Shopper
from configurator.engine import Engine
from configurator.orders.models import CartLine
from configurator.orders.services import cart_line_add

from .errors import StaffCode, StaffRefused
from .models import Handover
from .selectors import Acting

logger = logging.getLogger(__name__)

SELECTION_MAX_CHARS = 20_000  # the hand-over form's JSON; a design is a few hundred


@transaction.atomic
def handover_create(
    *,
    staff: Any,
    acting: Acting,
    version: OptionSetVersion,
    engine: Engine,
    selection: Mapping[str, Any],
    proposed: Mapping[str, Any],
    language: str = "vi",
) -> Handover:
    """Save the design made for the customer and the link that hands it over.

    The design belongs to the customer's account when they have one (it shows in their
    designs), else to the staff member. Pictures are left out: an upload is its owner's
    alone, and the customer adds their own. Raises :class:`StaffRefused` for an empty design
    and ``SelectionProblem`` for a choice the product does not offer; nothing is written.
    """
    kept = {
        code: value
        for code, value in selection.items()
        if code in engine.groups and engine.groups[code].kind != "image"
    }
    if not kept:
        raise StaffRefused(
            StaffCode.NOTHING_TO_HAND_OVER,
            _("Choose the options of the design first."),
            "selection",
        )
    customer = acting.customer
    owner = customer.user_id if customer.user_id is not None else staff.pk
    design = design_save(
        shopper=Shopper(owner, ""),
        version=version,
        engine=engine,
        selection=kept,
        name=version.product.name_in(language),
        language=language,
    )
    design_share(design=design)
    handover = Handover.objects.create(
        token=secrets.token_urlsafe(16)[:22],
        staff=staff,
        customer=customer,
        design=design,
        proposed_defaults={
            group: proposal for group, proposal in proposed.items() if group in engine.groups
        },
    )
    logger.info("hand-over %s: staff %s for customer %s", handover.pk, staff.pk, customer.pk)
    return handover


def handover_to_cart(*, handover: Handover, shopper: Shopper, language: str = "vi") -> CartLine:
    """Add the handed-over design, as it holds on the product's current version, to
    ``shopper``'s cart; the line carries the staff member, so its order is the store's.

    Raises :class:`StaffRefused` (``staff.E006``) when the product is no longer offered and
    ``SelectionProblem`` when the design is not complete; nothing is written.
    """
    design = handover.design
    try:
        version = published_version_get(sku=design.product.sku)
    except OptionSetVersion.DoesNotExist:
        raise StaffRefused(
            StaffCode.DESIGN_GONE, _("This product is no longer offered."), "design"
        ) from None
    engine = studio_engine(version=version)
    selection, _dropped = design_reopen(design=design, engine=engine)
    mine = shopper.user_id is not None and design.owner_id == shopper.user_id
    line = cart_line_add(
        shopper=shopper,
        version=version,
        engine=engine,
        selection=selection,
        design=design if mine else None,
        language=language,
        proposed_defaults=handover.proposed_defaults,
        staff=handover.staff,
    )
    logger.info("hand-over %s: added to a cart (line %s)", handover.pk, line.pk)
    return line


def handover_to_customer_cart(*, handover: Handover, language: str = "vi") -> CartLine:
    """The staff's "add to the customer's cart": their account's cart; raises
    :class:`StaffRefused` (``staff.E005``) for a customer without an account."""
    customer = handover.customer
    if customer is None or customer.user_id is None:
        raise StaffRefused(
            StaffCode.NO_ACCOUNT,
            _("This customer has no account, so no cart: hand the design over by its QR code."),
            "cart",
        )
    return handover_to_cart(
        handover=handover, shopper=Shopper(customer.user_id, ""), language=language
    )
