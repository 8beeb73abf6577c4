"""Consent: whether the shop may use a shopper's purchases, and which messages they want.

**The one question every caller asks** is :func:`may_personalize`: the studio's defaults,
their banner and reasons, the account page, the export and the store staff's page all
decide through it whether a shopper's own history may shape what they are shown. It
answers from the shop's regime (:class:`~.models.PersonalizationSettings`) and the
shopper's latest :class:`~.models.ConsentRecord` for ``personalization``:

- no customer (a guest, or a signed-in shopper the shop knows nothing of): no;
- the customer's switch off (``Customer.personalization_enabled``): no;
- the shopper's latest decision, when they made one: granted is yes, withdrawn is no;
- no decision yet: yes only in the opt-out regime.

Records are only added, never edited; a withdrawal is a new record and holds from the next
request, since nothing caches the answer. :func:`consent_record` writes every decision (web,
store, API, admin) and keeps ``Customer.personalization_enabled`` and
``Customer.personalization_consent`` equal to the latest one (so a page view reads the
decision from the customer row it already has: no query for a shopper who decided).

Message preferences are consents for purpose ``marketing``: offers granted or not, with the
channels offers may use (e-mail, SMS, Zalo). Order updates need no consent: they are part
of the order and always sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ConsentCode, ConsentRefused
from .models import (
    ConsentChannel,
    ConsentNotice,
    ConsentPurpose,
    ConsentRecord,
    ConsentRegime,
    Customer,
    MessageChannel,
    PersonalizationSettings,
)

logger = logging.getLogger(__name__)

# Version 1 of each notice (Vietnamese, English), as migration 0004 publishes it.
FIRST_NOTICES = {
    ConsentPurpose.PERSONALIZATION: (
        "Cho phép cửa hàng dùng các đơn hàng trước của bạn, trên website và tại cửa hàng, để "
        "chọn sẵn các tuỳ chọn bạn có thể thích và cho biết lý do. Chỉ dùng những gì bạn đã "
        "mua và các tuỳ chọn bạn đã chọn; cửa hàng không theo dõi việc bạn xem trang. Bạn có "
        "thể tắt hoặc xoá lịch sử mua hàng bất cứ lúc nào trong trang tài khoản; tắt là có "
        "hiệu lực ngay. Các lần mua quá thời hạn lưu trữ của cửa hàng sẽ bị xoá.",
        "Allow the shop to use your past orders, from the website and its stores, to "
        "pre-select options you are likely to want and to say why. Only what you bought and "
        "the options you chose are used; the shop does not track your browsing. You can turn "
        "this off or erase your purchase history at any time on your account page; turning "
        "it off takes effect at once. Purchases older than the shop keeps them are deleted.",
    ),
    ConsentPurpose.MARKETING: (
        "Nhận ưu đãi và tin tức từ cửa hàng qua các kênh bạn chọn (e-mail, SMS, Zalo). Thông "
        "báo về đơn hàng luôn được gửi, dù bạn chọn gì ở đây. Bạn có thể ngừng nhận ưu đãi "
        "bất cứ lúc nào trong trang tài khoản.",
        "Receive offers and news from the shop by the channels you choose (e-mail, SMS, "
        "Zalo). Order updates are always sent, whatever you choose here. You can stop offers "
        "at any time on your account page.",
    ),
}


def may_personalize(customer: Customer | None) -> bool:
    """True when the shopper's own purchases may shape what they are shown now.

    ``customer`` is the shopper's :class:`~.models.Customer` (``customer_for_user(user)`` for
    a signed-in shopper, the row found by phone or e-mail in store); None for a guest.
    No query for a shopper who decided (the decision is on their row); one (the settings
    row) for one who has not. Nothing is cached, so a withdrawal holds from the next request.
    """
    if customer is None or customer.pk is None or not customer.personalization_enabled:
        return False  # the switch off (by the shopper, or by the shop on their word) stops all
    if customer.personalization_consent is not None:  # their latest record, kept on the row
        return customer.personalization_consent
    return PersonalizationSettings.current().consent_regime == ConsentRegime.OPT_OUT


def latest_consent(*, customer: Customer, purpose: str) -> ConsentRecord | None:
    """The shopper's decision in force for ``purpose``: their latest record, or None."""
    return (
        ConsentRecord.objects.filter(customer=customer, purpose=purpose)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def current_notice(purpose: str) -> ConsentNotice:
    """The latest published notice for ``purpose``; version 1 (:data:`FIRST_NOTICES`, also
    published by the migrations) when there is none, so the shop can always ask."""
    notice = ConsentNotice.objects.filter(purpose=purpose).order_by("-version").first()
    if notice is None:
        text_vi, text_en = FIRST_NOTICES[ConsentPurpose(purpose)]
        notice, _created = ConsentNotice.objects.get_or_create(
            purpose=purpose, version=1, defaults={"text_vi": text_vi, "text_en": text_en}
        )
    return notice


@transaction.atomic
def notice_publish(*, notice: ConsentNotice) -> ConsentNotice:
    """Save a new text for ``notice.purpose`` as its next version, shown from now on."""
    last = (
        ConsentNotice.objects.select_for_update()
        .filter(purpose=notice.purpose)
        .order_by("-version")
        .first()
    )
    notice.version = (last.version if last else 0) + 1
    notice.save()
    logger.info("consent: notice %s v%d published", notice.purpose, notice.version)
    return notice


def notice_get(*, purpose: str, version: Any) -> ConsentNotice:
    """The notice ``version`` of ``purpose`` (the one the shopper was shown), or a refusal."""
    try:
        number = int(version)
    except (TypeError, ValueError):
        number = -1
    notice = ConsentNotice.objects.filter(purpose=purpose, version=number).first()
    if notice is None:
        logger.info("consent: unknown notice %r for %s", str(version)[:20], purpose)
        raise ConsentRefused(
            ConsentCode.NOTICE_UNKNOWN,
            _("This notice is not one the shop published; reload the page."),
            "notice",
        )
    return notice


@transaction.atomic
def consent_record(
    *,
    customer: Customer,
    purpose: str,
    granted: bool,
    channel: str,
    notice: ConsentNotice | None = None,
    message_channels: Iterable[str] = (),
    recorded_by: Any = None,
    now: datetime | None = None,
) -> ConsentRecord:
    """Record the shopper's decision; it is in force from the next request.

    ``notice`` is the version shown (the current one when None). For ``marketing``,
    ``message_channels`` lists where offers may go; at least one when granted. A refusal
    (:class:`~.errors.ConsentRefused`) writes nothing.
    """
    notice = notice if notice is not None else current_notice(purpose)
    channels = _message_channels(purpose=purpose, granted=granted, channels=message_channels)
    if notice.purpose != purpose:
        raise ConsentRefused(
            ConsentCode.NOTICE_UNKNOWN, _("This notice is for another purpose."), "notice"
        )
    # One decision at a time per shopper, so the row's copy is always the latest record's.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    record = ConsentRecord.objects.create(
        customer=customer,
        purpose=purpose,
        granted=granted,
        channel=ConsentChannel(channel),
        notice=notice,
        message_channels=channels,
        recorded_at=now or timezone.now(),
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
    )
    if purpose == ConsentPurpose.PERSONALIZATION:
        customer.personalization_enabled = granted
        customer.personalization_consent = granted
        customer.save(update_fields=["personalization_enabled", "personalization_consent"])
    return record


def _message_channels(*, purpose: str, granted: bool, channels: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(channels))
    if purpose != ConsentPurpose.MARKETING:
        if chosen:
            raise ConsentRefused(
                ConsentCode.NOT_MARKETING,
                _("Message channels belong to offers only."),
                "message_channels",
            )
        return []
    unknown = [c for c in chosen if c not in MessageChannel.values]
    if unknown:
        raise ConsentRefused(
            ConsentCode.BAD_MESSAGE_CHANNEL,
            _("“%(channel)s” is not a channel the shop sends by.") % {"channel": unknown[0][:20]},
            "message_channels",
        )
    if granted and not chosen:
        raise ConsentRefused(
            ConsentCode.NO_MESSAGE_CHANNEL,
            _("Choose at least one way to receive offers."),
            "message_channels",
        )
    # Withdrawn: no channel, whatever was ticked.
    return [c for c in MessageChannel.values if c in chosen] if granted else []


@dataclass(frozen=True)
class MessagePreferences:
    """Which messages the shopper receives: order updates always; offers when ``offers``,
    by ``channels`` only."""

    offers: bool
    channels: tuple[str, ...]
    recorded_at: datetime | None = None


def message_preferences(customer: Customer | None) -> MessagePreferences:
    """The shopper's message preferences in force: order updates only until they agree."""
    latest = (
        latest_consent(customer=customer, purpose=ConsentPurpose.MARKETING)
        if customer is not None and customer.pk is not None
        else None
    )
    if latest is None or not latest.granted:
        return MessagePreferences(False, (), latest.recorded_at if latest else None)
    return MessagePreferences(True, tuple(latest.message_channels), latest.recorded_at)


def message_preferences_set(
    *,
    customer: Customer,
    offers: bool,
    channels: Iterable[str],
    channel: str = ConsentChannel.WEB,
    notice: ConsentNotice | None = None,
    recorded_by: Any = None,
    now: datetime | None = None,
) -> ConsentRecord | None:
    """Record the shopper's message choice (a ``marketing`` consent); None when it is the
    one already in force, so saving a page twice records one decision."""
    chosen = tuple(
        _message_channels(purpose=ConsentPurpose.MARKETING, granted=offers, channels=channels)
    )
    current = message_preferences(customer)
    if current.recorded_at is not None and (current.offers, current.channels) == (offers, chosen):
        return None
    return consent_record(
        customer=customer,
        purpose=ConsentPurpose.MARKETING,
        granted=offers,
        channel=channel,
        notice=notice,
        message_channels=chosen,
        recorded_by=recorded_by,
        now=now,
    )


def may_send_offer(customer: Customer | None, channel: str) -> bool:
    """True when an offer may be sent to the shopper by ``channel`` (a MessageChannel)."""
    return channel in message_preferences(customer).channels


def offer_allowed_to(address: str, channel: str) -> bool:
    """Whether an offer may go to ``address`` by ``channel``: the check every sender goes
    through (``configurator.messaging.message_send``). Every customer record with that
    e-mail (their own or their account's) must have agreed to offers by that channel; an
    address the shop knows no customer by gets none."""
    address = address.strip()
    if not address:
        return False
    customers = list(
        Customer.objects.filter(Q(email__iexact=address) | Q(user__email__iexact=address))
    )
    allowed = bool(customers) and all(may_send_offer(c, channel) for c in customers)
    if not allowed:
        logger.info(
            "offer by %s refused: %d customer record(s) for the address, not all agreed",
            channel,
            len(customers),
        )
    return allowed


def consent_offer(*, user: Any, language: str) -> dict[str, Any] | None:
    """What the studio offers a signed-in shopper who has not decided yet, in the opt-in
    regime: the current notice's ``version`` and ``text`` in ``language``; None when there
    is nothing to ask (a guest, the opt-out regime, a shopper who said yes or no)."""
    from .services import customer_for_user  # services record consents through this module

    if user is None or not user.is_authenticated:
        return None
    customer = customer_for_user(user)
    if customer is not None and customer.personalization_consent is not None:
        return None  # they decided
    if PersonalizationSettings.current().consent_regime != ConsentRegime.OPT_IN:
        return None
    notice = current_notice(ConsentPurpose.PERSONALIZATION)
    return {"version": notice.version, "text": notice.text(language)}


def consents_export(customer: Customer) -> list[dict[str, Any]]:
    """Every decision the shopper made, oldest first, with the notice's version and text."""
    records = customer.consents.select_related("notice").order_by("recorded_at", "pk")
    return [
        {
            "purpose": r.purpose,
            "granted": r.granted,
            "recorded_at": r.recorded_at.isoformat(),
            "channel": r.channel,
            "notice_version": r.notice.version,
            "notice_text": {"vi": r.notice.text_vi, "en": r.notice.text_en},
            "message_channels": list(r.message_channels),
            "recorded_by_staff": r.recorded_by_id is not None,
        }
        for r in records
    ]
