"""Purchase history from every channel, and each shopper's preferences kept up to date."""

from django.conf import settings
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
    )
    personalization_enabled = models.BooleanField(_("personalized defaults"), default=True)
    # The preference profile: decayed value weights and the last orders, updated per event.
    profile = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.external_id


class PurchaseEvent(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    identity = models.CharField(max_length=64, unique=True)  # SHA-256 of the line's identity
    timestamp = models.DateTimeField(db_index=True)
    order = models.CharField(max_length=100)
    product = models.CharField(max_length=200, db_index=True)
    channel = models.CharField(max_length=30, default="import")
    sku = models.CharField(max_length=100, blank=True)
    quantity = models.IntegerField(null=True, blank=True)
    price = models.CharField(max_length=30, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    options = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("purchase event")
        verbose_name_plural = _("purchase events")
        ordering = ["-timestamp"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.order} {self.product}"


class ProductValueStat(models.Model):
    """A product's sales per option value: count and a recency-decayed weight (log scale)."""

    product = models.CharField(max_length=200)
    group = models.CharField(max_length=100)
    value = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    log_trend = models.FloatField(null=True, blank=True)  # None: no sale yet

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "group", "value"], name="one_stat_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.group}={self.value}"


class ProductPairStat(models.Model):
    """How often a product's buyers chose two values together on one line (colour given
    design), both ways round: ``value`` of ``group`` with ``other_value`` of ``other_group``."""

    product = models.CharField(max_length=200)
    group = models.CharField(max_length=100)
    value = models.CharField(max_length=200)
    other_group = models.CharField(max_length=100)
    other_value = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)

    class Meta:
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
        "orders.OrderLine", on_delete=models.CASCADE, related_name="default_outcomes"
    )
    product = models.CharField(max_length=200)  # the product's SKU, as in PurchaseEvent
    group = models.CharField(max_length=100)
    proposed = models.CharField(max_length=500, blank=True)  # a value code; "a,b" for multi
    chosen = models.CharField(max_length=500, blank=True)
    kept = models.BooleanField()
    source = models.CharField(max_length=10, choices=DefaultSource.choices)
    placed_at = models.DateTimeField()

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
