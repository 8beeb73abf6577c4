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
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20)
    shipping_name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=300)
    province = models.CharField(_("province or city"), max_length=80)
    note = models.CharField(_("note"), max_length=500, blank=True)
    language = models.CharField(max_length=5, default="vi")
    currency = models.CharField(max_length=3)
    total = models.DecimalField(**MONEY)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default="placed")
    payment_provider = models.CharField(max_length=30)
    payment_status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    placed_at = models.DateTimeField(auto_now_add=True)

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
