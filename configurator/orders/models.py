"""Carts and orders. An order line is a snapshot: it never reads the catalog again."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import OptionSetVersion, Product

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class Cart(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(session_key=""), name="cart_has_owner"
            ),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(owner__isnull=False), name="one_cart_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    version = models.ForeignKey(OptionSetVersion, on_delete=models.PROTECT)
    design = models.ForeignKey("designs.Design", on_delete=models.SET_NULL, null=True, blank=True)
    selection = models.JSONField(default=dict)
    quantity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    unit_price = models.DecimalField(**MONEY)  # as shown when added; recomputed at checkout
    # What the studio pre-selected: group -> {"value": ..., "source": ...}; empty when unknown.
    proposed_defaults = models.JSONField(default=dict, blank=True)
    # The store's staff member who handed this design over (clienteling); None online.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=99), name="cart_line_quantity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    IN_PRODUCTION = "in_production", _("In production")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class OrderChannel(models.TextChoices):
    WEB = "web", _("Online shop")
    STORE = "store", _("In store")


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    # A digest of what the checkout asked for: the same key with another request is refused.
    request_digest = models.CharField(max_length=64, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20)
    shipping_name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=300)
    province = models.CharField(_("province or city"), max_length=80)
    # The 2025 two-level address: names as the shopper saw them (above and in ``ward``) and
    # the official codes (vietnam-provinces); blank on orders from before, and from the API
    # when it sends a free-text province.
    province_code = models.CharField(_("province code"), max_length=8, blank=True)
    ward = models.CharField(_("ward or commune"), max_length=120, blank=True)
    ward_code = models.CharField(_("ward code"), max_length=8, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    language = models.CharField(max_length=5, default="vi")
    currency = models.CharField(max_length=3)
    total = models.DecimalField(**MONEY)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default="placed")
    payment_provider = models.CharField(max_length=30)
    payment_status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    # What the payment provider answered when the payment was started (once per order).
    payment_started_at = models.DateTimeField(null=True, blank=True)
    payment_instructions = models.JSONField(default=dict, blank=True)  # language -> text
    payment_redirect_url = models.URLField(max_length=2000, blank=True)
    placed_at = models.DateTimeField(auto_now_add=True)
    # "store" when a staff member handed a line of it over (clienteling); they are ``staff``.
    channel = models.CharField(
        _("channel"), max_length=30, choices=OrderChannel.choices, default=OrderChannel.WEB
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assisted_orders",
        verbose_name=_("staff member"),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=Decimal(0)), name="order_total_gte_0")
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """What the shopper saw and paid, copied: names, codes, production codes, prices, files."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True)
    version = models.ForeignKey(OptionSetVersion, on_delete=models.PROTECT)
    product_sku = models.CharField(max_length=64)
    product_name = models.JSONField()  # {"vi": ..., "en": ...}
    version_number = models.PositiveIntegerField()
    selection = models.JSONField()
    choices = models.JSONField()  # one entry per chosen value, with names and codes
    price_lines = models.JSONField()
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveSmallIntegerField()
    line_total = models.DecimalField(**MONEY)
    preview_key = models.CharField(max_length=64, blank=True)
    files = models.JSONField(default=list, blank=True)  # copied uploads: group, path, format
    # The defaults the studio proposed for this line, copied from the cart line.
    proposed_defaults = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.position} {self.product_sku}"


class EffectStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class OrderEffect(models.Model):
    """Something that must happen because an order was placed (the confirmation e-mail,
    the purchase history): written in the order's transaction, done by a worker.

    Production exports have their own rows (``production.Export``), written in the same
    transaction.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="effects")
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EffectStatus.choices,
        default=EffectStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order follow-up")
        verbose_name_plural = _("order follow-ups")
        ordering = ["order", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="one_effect_per_order_kind")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
