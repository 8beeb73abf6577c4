"""Reads of the store staff's page: finding a customer, their history across channels, what
the shop would pre-select for them, and the "designing for" token the studio reads."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import OptionSetVersion
from configurator.compilation.selectors import NotCompiledYet
from configurator.configuring.evaluation import localized
from configurator.configuring.selectors import (
    published_products,
    published_version_get,
    studio_engine,
)
from configurator.engine import Engine
from configurator.orders.models import Order
from configurator.personalization.consent import may_personalize
from configurator.personalization.defaults import studio_defaults
from configurator.personalization.models import Customer, DefaultSource
from configurator.personalization.services import customer_for_account

from .errors import StaffCode, StaffRefused

logger = logging.getLogger(__name__)

PERMISSION = "clienteling.use_clienteling"
QUERY_MAX_LENGTH = 254  # the longest e-mail address; a phone number is far shorter
MATCHES_MAX = 20
HISTORY_MAX = 200  # purchase lines shown, newest first
PRODUCTS_MAX = 30  # products whose defaults are shown
ACTING_SALT = "configurator.clienteling.acting"
ACTING_MAX_AGE = 8 * 3600  # one shift: the link stops working the next day

CHANNEL_LABELS = {
    "web": gettext_lazy("Online shop"),
    "store": gettext_lazy("In store"),
    "marketplace": gettext_lazy("Marketplace"),
    "erp": gettext_lazy("ERP"),
    "import": gettext_lazy("Imported"),
}
SOURCE_LABELS = {
    DefaultSource.PERSONAL.value: gettext_lazy("their history"),
    DefaultSource.POPULAR.value: gettext_lazy("popular with shoppers"),
    DefaultSource.MERCHANT.value: gettext_lazy("the shop's default"),
}
_SEPARATORS = re.compile(r"[\s.\-()]")
# Python's re (SQLite) and PostgreSQL's regular expressions both read these.
_SEPARATOR_CLASS = r"[\s.()-]*"


def _customer_allows_staff(customer: Customer) -> bool:
    """Whether the staff may see the customer's history and use it for defaults.

    The shop's consent rule decides (:func:`~configurator.personalization.consent.
    may_personalize`): the customer's switch, their latest decision, the shop's regime.
    """
    return may_personalize(customer)


def staff_may_serve(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(PERMISSION))


# Finding a customer.


@dataclass(frozen=True)
class Query:
    kind: str  # "email" or "phone"
    value: str  # the e-mail address, or the phone number's digits without the country code
    international: bool = False  # a "+" number of another country than Vietnam


def query_parse(raw: str) -> Query:
    """An e-mail address (any case) or a phone number (spaces, dots, dashes, a +84 or 0
    prefix ignored); raises :class:`StaffRefused` for anything else."""
    text = (raw or "").strip()
    if len(text) > QUERY_MAX_LENGTH:
        raise StaffRefused(
            StaffCode.QUERY_TOO_LONG,
            _("At most %(max)d characters.") % {"max": QUERY_MAX_LENGTH},
            "query",
        )
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise StaffRefused(
                StaffCode.QUERY_UNREADABLE, _("This e-mail address is not valid."), "query"
            ) from None
        return Query("email", text.lower())
    digits = _SEPARATORS.sub("", text)
    plus = digits.startswith("+")
    digits = digits.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        raise StaffRefused(
            StaffCode.QUERY_UNREADABLE, _("Enter a phone number or an e-mail address."), "query"
        )
    international = plus and not digits.startswith("84")
    if not international:
        if digits.startswith("0"):
            digits = digits[1:]
        elif digits.startswith("84") and (plus or len(digits) >= 11):
            digits = digits[2:]
    if not 8 <= len(digits) <= 14:
        raise StaffRefused(
            StaffCode.QUERY_UNREADABLE, _("This phone number is too short or too long."), "query"
        )
    return Query("phone", digits, international)


def _phone_regex(query: Query) -> str:
    """Matches the number as stored however it was typed: "0901 234 567", "+84901234567"."""
    prefix = r"\+?" if query.international else r"(\+?\s*84|0)?"
    return rf"^[\s(]*{prefix}{_SEPARATOR_CLASS}" + _SEPARATOR_CLASS.join(query.value) + r"\s*$"


def customers_find(*, query: Query) -> list[Customer]:
    """Customers whose e-mail or phone number is exactly the query, at most ``MATCHES_MAX``.

    Phone numbers are the customer ids of store tills and the phones of web orders; an
    account found this way gets its (empty) customer record, so the staff can serve it.
    """
    users = get_user_model().objects
    if query.kind == "email":
        found = Customer.objects.filter(Q(email__iexact=query.value) | Q(external_id=query.value))
        accounts = users.filter(email__iexact=query.value)
    else:
        # The last two digits are written together however a number is grouped: a LIKE
        # that an index-free scan does fast leaves the regular expression few rows.
        pattern, tail = _phone_regex(query), query.value[-2:]
        found = Customer.objects.filter(external_id__endswith=tail, external_id__regex=pattern)
        owners = Order.objects.filter(
            owner__isnull=False, phone__endswith=tail, phone__regex=pattern
        )
        accounts = users.filter(pk__in=owners.values("owner_id"))
    customers = {c.pk: c for c in found.order_by("pk")[:MATCHES_MAX]}
    for user in accounts.order_by("pk")[:MATCHES_MAX]:
        customer = customer_for_account(user=user)
        customers.setdefault(customer.pk, customer)
    return sorted(customers.values(), key=lambda c: c.pk)[:MATCHES_MAX]


def customer_label(customer: Customer) -> str:
    """How the staff page names a customer: their name, e-mail or till id."""
    user = customer.user
    if user is not None and user.get_full_name():
        return user.get_full_name()
    return customer.email or (user.email if user else "") or customer.external_id


# What the staff sees of a customer.


@dataclass(frozen=True)
class Purchase:
    date: Any
    order: str
    channel: str
    channel_label: str
    product: str
    options: list[tuple[str, str]]  # (group name, value name)
    quantity: int | None


@dataclass(frozen=True)
class Names:
    """Product, group and value names from the product's published engine, codes otherwise."""

    language: str
    products: dict[str, tuple[str, Engine | None]] = field(default_factory=dict)

    def product(self, sku: str) -> tuple[str, Engine | None]:
        if sku not in self.products:
            try:
                version = published_version_get(sku=sku)
                engine: Engine | None = studio_engine(version=version)
                name = version.product.name_in(self.language)
            except (OptionSetVersion.DoesNotExist, NotCompiledYet):
                engine, name = None, sku
            self.products[sku] = (name, engine)
        return self.products[sku]

    def options(self, sku: str, options: dict[str, Any]) -> list[tuple[str, str]]:
        """Named, in the product's group order (then by code): a JSON column keeps no order
        on PostgreSQL."""
        _name, engine = self.product(sku)
        rank = {g.code: n for n, g in enumerate(engine.spec.groups)} if engine else {}
        ordered = sorted(options, key=lambda g: (rank.get(g, len(rank)), g))
        return [self.option(sku, group, str(options[group])) for group in ordered]

    def option(self, sku: str, group: str, value: str) -> tuple[str, str]:
        _name, engine = self.product(sku)
        spec = engine.groups.get(group) if engine else None
        if spec is None:
            return group, value
        chosen = spec.value(value) if spec.kind == "choice" else None
        return (
            localized(spec.name, self.language) or group,
            (localized(chosen.name, self.language) if chosen else "") or value,
        )


def customer_history(*, customer: Customer, language: str) -> tuple[list[Purchase], Counter]:
    """The customer's purchases from every channel, newest first (at most ``HISTORY_MAX``),
    and the number of purchase lines per channel."""
    names = Names(language)
    events = list(customer.events.order_by("-timestamp", "-pk")[:HISTORY_MAX])
    rows = [
        Purchase(
            date=event.timestamp,
            order=event.order,
            channel=event.channel,
            channel_label=str(CHANNEL_LABELS.get(event.channel, event.channel)),
            product=names.product(event.product)[0],
            options=names.options(event.product, event.options),
            quantity=event.quantity,
        )
        for event in events
    ]
    counts: Counter = Counter()
    per_channel = (
        customer.events.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")
    )
    for row in per_channel:
        counts[str(CHANNEL_LABELS.get(row["channel"], row["channel"]))] += row["n"]
    return rows, counts


@dataclass(frozen=True)
class Proposal:
    """What the studio would open on for the customer: one row per pre-selected group."""

    sku: str
    name: str
    rows: list[dict[str, str]]  # {"group", "value", "reason", "source"}
    bought: bool


def customer_proposals(*, customer: Customer, language: str) -> list[Proposal]:
    """For each published product (those the customer bought first, at most
    ``PRODUCTS_MAX``), the defaults the studio gives them, each with its reason."""
    bought = set(customer.events.values_list("product", flat=True).distinct())
    products = sorted(published_products(), key=lambda p: (p.sku not in bought, p.sku))
    proposals = []
    for product in products[:PRODUCTS_MAX]:
        version = published_version_get(sku=product.sku)
        try:
            engine = studio_engine(version=version)
        except NotCompiledYet:
            logger.info("staff page: %s is not compiled yet; its defaults are left out", product)
            continue
        defaults = studio_defaults(
            engine=engine, product=product.sku, user=None, language=language, customer=customer
        )
        rows = []
        for group, value in defaults.selection.items():
            spec = engine.groups[group]
            values = value if isinstance(value, list) else [value]
            chosen = [spec.value(v) for v in values if v is not None]
            source = defaults.sources.get(group, DefaultSource.MERCHANT.value)
            rows.append(
                {
                    "group": localized(spec.name, language),
                    "value": ", ".join(localized(v.name, language) for v in chosen if v)
                    or _("None"),
                    "reason": defaults.reasons.get(group, ""),
                    "source": str(SOURCE_LABELS.get(source, source)),
                }
            )
        proposals.append(
            Proposal(product.sku, product.name_in(language), rows, product.sku in bought)
        )
    return proposals


# Designing for a customer: a token the studio reads, never a session of theirs.


def acting_sign(*, staff: Any, customer: Customer) -> str:
    """A token that opens the studio for ``customer``, valid for ``staff`` alone."""
    return signing.dumps({"customer": customer.pk, "staff": staff.pk}, salt=ACTING_SALT)


@dataclass(frozen=True)
class Acting:
    """A staff member designing for a customer; ``allowed`` says whether their history
    counts (see :func:`_customer_allows_staff`)."""

    customer: Customer
    token: str
    allowed: bool

    @property
    def label(self) -> str:
        return customer_label(self.customer)

    @property
    def history_customer(self) -> Customer | None:
        """Whose history the studio's defaults use: the customer's, if they allow it."""
        return self.customer if self.allowed else None


def acting_read(*, token: str, user: Any) -> Acting | None:
    """The customer ``token`` designs for, when ``user`` is the staff member it was made for
    and still has the permission; None otherwise (the studio then is the user's own)."""
    if not token:
        return None
    if not staff_may_serve(user):
        logger.info("studio: a designing-for token from a user without the permission")
        return None
    try:
        data = signing.loads(token[:1000], salt=ACTING_SALT, max_age=ACTING_MAX_AGE)
    except signing.BadSignature:
        logger.info("studio: an expired or altered designing-for token (user %s)", user.pk)
        return None
    if not isinstance(data, dict) or data.get("staff") != user.pk:
        logger.info("studio: a designing-for token of another staff member (user %s)", user.pk)
        return None
    customer_id = data.get("customer")
    if not isinstance(customer_id, int):
        return None
    customer = Customer.objects.select_related("user").filter(pk=customer_id).first()
    if customer is None:
        return None
    return Acting(customer, token, _customer_allows_staff(customer))


def acting_require(*, token: str, user: Any) -> Acting:
    acting = acting_read(token=token, user=user)
    if acting is None:
        raise StaffRefused(
            StaffCode.NOT_ACTING,
            _("This link to design for a customer has expired; find the customer again."),
            "for",
        )
    return acting
