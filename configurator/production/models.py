"""Production partners, routing, and the outbox of exports that must reach them once."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from configurator.orders.models import Order, OrderLine


class DestinationKind(models.TextChoices):
    FOLDER = "folder", _("Folder")
    S3 = "s3", _("S3-compatible storage")
    WEBHOOK = "webhook", _("HTTPS webhook")


class DeliveryMode(models.TextChoices):
    PER_ORDER = "per_order", _("Each order line as soon as it is ready")
    DAILY_BATCH = "daily_batch", _("One daily batch")


class Partner(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    destination = models.CharField(
        _("destination"), max_length=10, choices=DestinationKind.choices, default="folder"
    )
    folder = models.CharField(
        _("folder"), max_length=500, blank=True, help_text=_("Defaults to var/production/<code>.")
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Signs webhooks to the partner and verifies the partner's callbacks."),
    )
    s3_bucket = models.CharField(_("S3 bucket"), max_length=200, blank=True)
    s3_prefix = models.CharField(_("S3 prefix"), max_length=200, blank=True)
    s3_endpoint_url = models.URLField(_("S3 endpoint URL"), blank=True)
    mode = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryMode.choices, default="per_order"
    )
    batch_hour = models.PositiveSmallIntegerField(_("batch hour"), default=18)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("production partner")
        verbose_name_plural = _("production partners")
        constraints = [
            models.CheckConstraint(
                condition=~Q(destination="webhook") | (~Q(webhook_url="") & ~Q(secret="")),
                name="webhook_partner_has_url_and_secret",
            ),
            models.CheckConstraint(condition=Q(batch_hour__lte=23), name="batch_hour_0_23"),
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Send the lines of ``product`` (or of every product) to ``partner``; lowest first."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("production partner"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("product"),
        help_text=_("Empty: every product."),
    )
    priority = models.PositiveSmallIntegerField(
        default=100, verbose_name=_("priority"), help_text=_("The lowest number is tried first.")
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return f"{self.product or '*'} → {self.partner}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the partner")


class Batch(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name=_("production partner"),
    )
    day = models.DateField(verbose_name=_("day"))
    status = models.CharField(
        max_length=12, choices=ExportStatus.choices, default="pending", verbose_name=_("status")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    # Held while a worker sends the archive (no transaction open); a worker killed mid-way
    # leaves it to run out, and the next run sends the same batch under the same id.
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("being sent until"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered"))

    class Meta:
        verbose_name = _("daily batch")
        verbose_name_plural = _("daily batches")
        constraints = [models.UniqueConstraint(fields=["partner", "day"], name="one_batch_a_day")]

    def __str__(self) -> str:
        return f"{self.partner} {self.day}"


class Export(models.Model):
    """One order line for one partner: the outbox row. Its id is the idempotency key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="exports", verbose_name=_("order")
    )
    line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="exports", verbose_name=_("order line")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="exports",
        verbose_name=_("production partner"),
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("daily batch"),
    )
    status = models.CharField(
        max_length=12,
        choices=ExportStatus.choices,
        default=ExportStatus.PENDING,
        db_index=True,
        verbose_name=_("status"),
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("next attempt")
    )
    # A worker's claim on the row while it delivers (no lock is held across the HTTP call).
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("being sent until"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    # Storage path of the package.
    package = models.CharField(max_length=300, blank=True, verbose_name=_("package"))
    # From the partner's callback.
    partner_status = models.CharField(max_length=30, blank=True, verbose_name=_("partner's status"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered"))
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acknowledged"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            # Re-exporting a line makes a new row only once the earlier one has failed.
            models.UniqueConstraint(
                fields=["line", "partner"],
                condition=~Q(status="failed"),
                name="one_live_export_per_line_and_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.line.position} → {self.partner}"


class PartnerCallback(models.Model):
    """A status callback a partner sent, kept by its ``webhook-id`` so a replay does nothing."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="callbacks",
        verbose_name=_("production partner"),
    )
    message_id = models.CharField(max_length=200, verbose_name=_("message id"))
    export = models.ForeignKey(
        Export, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("export")
    )
    status = models.CharField(max_length=30, verbose_name=_("status"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received"))

    class Meta:
        verbose_name = _("partner callback")
        verbose_name_plural = _("partner callbacks")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "message_id"], name="one_callback_per_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.message_id} {self.status}"


class DeliveryAttempt(models.Model):
    export = models.ForeignKey(
        Export,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("export"),
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("daily batch"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))
    outcome = models.CharField(max_length=20, verbose_name=_("outcome"))  # delivered, retry, failed
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("HTTP status")
    )
    detail = models.TextField(blank=True, verbose_name=_("detail"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome}"
