"""Carts and orders. An order line is a snapshot: it never reads the catalog again."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import OptionSetVersion, Product, ValueStock

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class Cart(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("account"),
    )
    session_key = models.CharField(
        max_length=40, blank=True, db_index=True, verbose_name=_("visit")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

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
    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, related_name="lines", verbose_name=_("cart")
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    version = models.ForeignKey(
        OptionSetVersion, on_delete=models.PROTECT, verbose_name=_("version")
    )
    design = models.ForeignKey(
        "designs.Design", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("design")
    )
    selection = models.JSONField(default=dict, verbose_name=_("choices made"))
    quantity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        verbose_name=_("quantity"),
    )
    # As shown when added; recomputed at checkout.
    unit_price = models.DecimalField(**MONEY, verbose_name=_("unit price"))
    # What the studio pre-selected: group -> {"value": ..., "source": ...}; empty when unknown.
    proposed_defaults = models.JSONField(
        default=dict, blank=True, verbose_name=_("proposed defaults")
    )
    # The store's staff member who handed this design over (clienteling); None online.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
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
        verbose_name=_("account"),
    )
    session_key = models.CharField(
        max_length=40, blank=True, db_index=True, verbose_name=_("visit")
    )
    idempotency_key = models.CharField(max_length=80, unique=True, verbose_name=_("checkout key"))
    # A digest of what the checkout asked for: the same key with another request is refused.
    request_digest = models.CharField(
        max_length=64, blank=True, verbose_name=_("checkout fingerprint")
    )
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
    language = models.CharField(max_length=5, default="vi", verbose_name=_("language"))
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    total = models.DecimalField(**MONEY, verbose_name=_("total"))
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default="placed", verbose_name=_("status")
    )
    payment_provider = models.CharField(max_length=30, verbose_name=_("payment method"))
    payment_status = models.CharField(
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        verbose_name=_("payment status"),
    )
    # What the payment provider answered when the payment was started (once per order).
    payment_started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("payment started")
    )
    # Language -> text.
    payment_instructions = models.JSONField(
        default=dict, blank=True, verbose_name=_("payment instructions")
    )
    payment_redirect_url = models.URLField(
        max_length=2000, blank=True, verbose_name=_("payment page")
    )
    placed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("placed"))
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

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("product")
    )
    version = models.ForeignKey(
        OptionSetVersion, on_delete=models.PROTECT, verbose_name=_("version")
    )
    product_sku = models.CharField(max_length=64, verbose_name=_("product SKU"))
    product_name = models.JSONField(verbose_name=_("product name"))  # {"vi": ..., "en": ...}
    version_number = models.PositiveIntegerField(verbose_name=_("version number"))
    selection = models.JSONField(verbose_name=_("choices made"))
    # One entry per chosen value, with names and codes.
    choices = models.JSONField(verbose_name=_("chosen values"))
    price_lines = models.JSONField(verbose_name=_("price breakdown"))
    unit_price = models.DecimalField(**MONEY, verbose_name=_("unit price"))
    quantity = models.PositiveSmallIntegerField(verbose_name=_("quantity"))
    line_total = models.DecimalField(**MONEY, verbose_name=_("line total"))
    # What making one unit cost when it was ordered (None: ordered before costs were kept).
    unit_cost = models.DecimalField(
        **MONEY, null=True, blank=True, verbose_name=_("production cost per unit")
    )
    cost_lines = models.JSONField(
        default=list, blank=True, verbose_name=_("production cost breakdown")
    )
    preview_key = models.CharField(max_length=64, blank=True, verbose_name=_("preview picture"))
    # Copied uploads: group, path, format.
    files = models.JSONField(default=list, blank=True, verbose_name=_("files"))
    # The product's views as the shopper saw them: code, names, whether it prints.
    views = models.JSONField(default=list, blank=True, verbose_name=_("views"))
    # The defaults the studio proposed for this line, copied from the cart line.
    proposed_defaults = models.JSONField(
        default=dict, blank=True, verbose_name=_("proposed defaults")
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.position} {self.product_sku}"

    @property
    def unit_margin(self) -> Decimal | None:
        """What one unit leaves after its production cost; None when the cost is not known."""
        return None if self.unit_cost is None else self.unit_price - self.unit_cost


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

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="effects", verbose_name=_("order")
    )
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
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("being done until"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
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


class StockReservation(models.Model):
    """Stock an order took when it was placed, given back when it is cancelled.

    Written in the order's transaction; the stock row's code is copied so that the record
    stays readable when the merchant deletes the row.
    """

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("order")
    )
    stock = models.ForeignKey(
        ValueStock,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("stock of a value"),
    )
    group_code = models.CharField(_("option group code"), max_length=64)
    value_code = models.CharField(_("value code"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantity"))
    released_at = models.DateTimeField(_("given back"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock reservation")
        verbose_name_plural = _("stock reservations")
        ordering = ["order", "group_code", "value_code"]
        constraints = [
            models.UniqueConstraint(fields=["order", "stock"], name="one_reservation_per_stock"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.group_code}:{self.value_code} × {self.quantity}"
