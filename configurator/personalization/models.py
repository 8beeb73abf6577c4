"""Purchase history from every channel, and each shopper's preferences kept up to date."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    """A buyer as the merchant knows them: an external id and/or an e-mail, maybe an account."""

    external_id = models.CharField(_("customer id"), max_length=100, unique=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
        verbose_name=_("account"),
    )
    personalization_enabled = models.BooleanField(_("personalized defaults"), default=True)
    # The shopper's latest consent decision for personalization (None: none yet), kept equal
    # to their latest ConsentRecord by consent_record, so a page view needs no extra query.
    personalization_consent = models.BooleanField(
        _("agreed to suggestions"), null=True, blank=True, editable=False
    )
    # The preference profile: decayed value weights and the last orders, updated per event.
    profile = models.JSONField(default=dict, blank=True, verbose_name=_("preference profile"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.external_id


class PurchaseEvent(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="events", verbose_name=_("customer")
    )
    # SHA-256 of the line's identity.
    identity = models.CharField(max_length=64, unique=True, verbose_name=_("line fingerprint"))
    timestamp = models.DateTimeField(db_index=True, verbose_name=_("bought at"))
    order = models.CharField(max_length=100, verbose_name=_("order"))
    product = models.CharField(max_length=200, db_index=True, verbose_name=_("product"))
    channel = models.CharField(max_length=30, default="import", verbose_name=_("sales channel"))
    sku = models.CharField(max_length=100, blank=True, verbose_name=_("SKU"))
    quantity = models.IntegerField(null=True, blank=True, verbose_name=_("quantity"))
    price = models.CharField(max_length=30, blank=True, verbose_name=_("price"))
    currency = models.CharField(max_length=3, blank=True, verbose_name=_("currency"))
    options = models.JSONField(default=dict, verbose_name=_("options chosen"))

    class Meta:
        verbose_name = _("purchase event")
        verbose_name_plural = _("purchase events")
        ordering = ["-timestamp"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.order} {self.product}"


class ProductValueStat(models.Model):
    """A product's sales per option value: count and a recency-decayed weight (log scale)."""

    product = models.CharField(max_length=200, verbose_name=_("product"))
    group = models.CharField(max_length=100, verbose_name=_("option group"))
    value = models.CharField(max_length=200, verbose_name=_("option value"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("sold"))
    # None: no sale yet.
    log_trend = models.FloatField(null=True, blank=True, verbose_name=_("trend (log)"))

    class Meta:
        verbose_name = _("sales of a value")
        verbose_name_plural = _("sales by value")
        constraints = [
            models.UniqueConstraint(fields=["product", "group", "value"], name="one_stat_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.group}={self.value}"


class ProductPairStat(models.Model):
    """How often a product's buyers chose two values together on one line (colour given
    design), both ways round: ``value`` of ``group`` with ``other_value`` of ``other_group``."""

    product = models.CharField(max_length=200, verbose_name=_("product"))
    group = models.CharField(max_length=100, verbose_name=_("option group"))
    value = models.CharField(max_length=200, verbose_name=_("option value"))
    other_group = models.CharField(max_length=100, verbose_name=_("chosen with group"))
    other_value = models.CharField(max_length=200, verbose_name=_("chosen with value"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("times chosen together"))

    class Meta:
        verbose_name = _("values chosen together")
        verbose_name_plural = _("values chosen together")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "other_group", "other_value", "group", "value"],
                name="one_pair_stat",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.product} {self.group}={self.value} with {self.other_group}={self.other_value}"
        )


class ProductSetting(models.Model):
    """The merchant switches personalization off per product (by SKU or product code)."""

    product = models.CharField(_("product"), max_length=200, unique=True)
    personalization_enabled = models.BooleanField(_("personalized defaults"), default=True)

    class Meta:
        verbose_name = _("personalization of a product")
        verbose_name_plural = _("personalization by product")

    def __str__(self) -> str:
        return self.product


class DefaultSource(models.TextChoices):
    PERSONAL = "personal", _("the shopper's history")
    POPULAR = "popular", _("popularity")
    MERCHANT = "merchant", _("the merchant's default")


class DefaultOutcome(models.Model):
    """Whether an ordered line kept a value the studio pre-selected for one group.

    Derived from the order line's snapshot (``proposed_defaults`` and ``selection``) when
    the order is placed; rebuilding it from the snapshot gives the same rows.
    """

    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.CASCADE,
        related_name="default_outcomes",
        verbose_name=_("order line"),
    )
    # The product's SKU, as in PurchaseEvent.
    product = models.CharField(max_length=200, verbose_name=_("product"))
    group = models.CharField(max_length=100, verbose_name=_("option group"))
    # A value code; "a,b" for multi.
    proposed = models.CharField(max_length=500, blank=True, verbose_name=_("proposed value"))
    chosen = models.CharField(max_length=500, blank=True, verbose_name=_("chosen value"))
    kept = models.BooleanField(verbose_name=_("kept"))
    source = models.CharField(
        max_length=10, choices=DefaultSource.choices, verbose_name=_("source")
    )
    placed_at = models.DateTimeField(verbose_name=_("placed"))

    class Meta:
        verbose_name = _("default outcome")
        verbose_name_plural = _("default outcomes")
        constraints = [
            models.UniqueConstraint(fields=["order_line", "group"], name="one_outcome_per_group")
        ]
        indexes = [models.Index(fields=["product", "placed_at"], name="outcome_product_time")]

    def __str__(self) -> str:
        verdict = "kept" if self.kept else "changed"
        return f"{self.product} {self.group}={self.proposed} {verdict}"


class ConsentRegime(models.TextChoices):
    OPT_IN = "opt_in", _("Opt-in: nothing personal until the shopper agrees")
    OPT_OUT = "opt_out", _("Opt-out: personal until the shopper says no")


class PersonalizationSettings(models.Model):
    """The shop's one row of personalization settings (``pk`` 1, made on first read).

    Opt-in by default: suggestions from a shopper's purchases are a purpose of their own,
    not needed to sell them anything, so the GDPR (art. 6, 7) and Vietnam's Decree
    13/2023 and Personal Data Protection Law of 2025 ask for the shopper's agreement first.
    """

    consent_regime = models.CharField(
        _("consent"), max_length=10, choices=ConsentRegime.choices, default=ConsentRegime.OPT_IN
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep purchase history for (months)"),
        null=True,
        blank=True,
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_(
            "Purchases older than this are deleted every night, and the preferences "
            "learnt from them. Orders are kept. Empty: keep them for ever."
        ),
    )

    class Meta:
        verbose_name = _("personalization settings")
        verbose_name_plural = _("personalization settings")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_settings_row")]

    def __str__(self) -> str:
        return str(_("Personalization settings"))

    @classmethod
    def current(cls) -> PersonalizationSettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class ConsentPurpose(models.TextChoices):
    PERSONALIZATION = "personalization", _("Suggestions from past orders")
    MARKETING = "marketing", _("Offers and news")


class ConsentChannel(models.TextChoices):
    """Where the shopper gave or withdrew their consent."""

    WEB = "web", _("Website")
    STORE = "store", _("In store")
    API = "api", _("App or partner (API)")
    ADMIN = "admin", _("The shop's admin")


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class ConsentNotice(models.Model):
    """The text a shopper is shown when asked, in both languages; never edited once
    published (a consent points at the version it was given to): a new text is a new
    version."""

    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("version"))
    text_vi = models.TextField(_("text in Vietnamese"), max_length=4000)
    text_en = models.TextField(_("text in English"), max_length=4000)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent notice")
        verbose_name_plural = _("consent notices")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="one_notice_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_vi


class ConsentRecord(models.Model):
    """One decision of a shopper: who, for what, yes or no, when, where, on which notice.

    Records are only added: the latest per customer and purpose is the one in force.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="consents", verbose_name=_("customer")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    channel = models.CharField(_("channel"), max_length=10, choices=ConsentChannel.choices)
    notice = models.ForeignKey(
        ConsentNotice, on_delete=models.PROTECT, verbose_name=_("notice shown")
    )
    # Marketing only: where offers may be sent (MessageChannel values).
    message_channels = models.JSONField(_("message channels"), default=list, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("The staff member who recorded it in store; empty when the shopper did."),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "purpose", "-recorded_at"], name="consent_latest")
        ]

    def __str__(self) -> str:
        verdict = "granted" if self.granted else "withdrawn"
        return f"{self.customer_id} {self.purpose} {verdict}"


class RetentionRun(models.Model):
    """What one run of the retention task deleted."""

    started_at = models.DateTimeField(_("started at"))
    months = models.PositiveSmallIntegerField(_("months kept"))
    cutoff = models.DateTimeField(_("deleted before"))
    events_deleted = models.PositiveIntegerField(_("purchases deleted"), default=0)
    profiles_rebuilt = models.PositiveIntegerField(_("preferences recomputed"), default=0)
    profiles_cleared = models.PositiveIntegerField(_("preferences emptied"), default=0)
    customers_deleted = models.PositiveIntegerField(_("customers deleted"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} −{self.events_deleted}"
