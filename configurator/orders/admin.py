import logging
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.money import money_display

from .effects import order_effect_label, order_effect_retry
from .errors import OrderRefused
from .models import Order, OrderEffect, OrderLine, OrderStatus, StockReservation
from .stock import order_cancel

logger = logging.getLogger(__name__)


_RESERVATION_FIELDS: list[str] = ["group_code", "value_code", "quantity", "released_at"]


class StockReservationInline(admin.TabularInline):
    """The stock the order took, and whether it was given back."""

    model = StockReservation
    extra = 0
    can_delete = False
    fields = ("group_code", "value_code", "quantity", "released_at")
    readonly_fields = _RESERVATION_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


class OrderForm(forms.ModelForm):
    """The status is edited here, but cancelling goes through the action, which gives the
    order's stock back; a cancelled order stays cancelled."""

    class Meta:
        model = Order
        fields = ["status", "payment_status"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else None
        if before == OrderStatus.CANCELLED and status != OrderStatus.CANCELLED:
            raise forms.ValidationError(_("A cancelled order cannot be opened again."))
        if status == OrderStatus.CANCELLED and before != OrderStatus.CANCELLED:
            raise forms.ValidationError(
                _(
                    "Cancel it with the action “Cancel the selected orders” on the order "
                    "list: it gives the stock back."
                )
            )
        return status


class OrderLineInline(admin.StackedInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in OrderLine._meta.fields if f.name != "id"] + ["margin"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("margin"))
    def margin(self, line: OrderLine) -> str:
        """What the line leaves after its production cost, as it was when ordered."""
        unit = line.unit_margin
        if unit is None:
            return str(_("not known (ordered before production costs were kept)"))
        language = (get_language() or "vi")[:2]
        currency = line.order.currency
        percent = (
            f" ({(unit * 100 / line.unit_price).quantize(Decimal('0.1')).normalize():f}%)"
            if line.unit_price
            else ""
        )
        if language == "vi":
            percent = percent.replace(".", ",")
        return str(_("%(line)s for the line, %(unit)s a unit%(percent)s")) % {
            "line": money_display(unit * line.quantity, currency, language),
            "unit": money_display(unit, currency, language),
            "percent": percent,
        }


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders as placed; production adds its columns and actions (production/admin.py)."""

    list_display = [
        "number",
        "placed_at",
        "shipping_name",
        "total",
        "currency",
        "status",
        "payment_status",
        "channel",
    ]
    list_filter = ["status", "payment_status", "channel"]
    search_fields = ["number", "email", "phone", "shipping_name"]
    readonly_fields = [
        f.name for f in Order._meta.fields if f.name not in ("status", "payment_status")
    ]
    inlines = [OrderLineInline, StockReservationInline]
    form = OrderForm
    actions = ["cancel_orders"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel the selected orders (their stock is given back)"))
    def cancel_orders(self, request, queryset):
        done = 0
        for order in queryset.order_by("pk"):
            try:
                order_cancel(order_id=order.pk, now=timezone.now())
            except OrderRefused as refused:
                logger.info("admin: order %s not cancelled: %s", order.number, refused.code)
                messages.warning(request, refused.detail)
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)d orders cancelled.") % {"count": done})


class EffectKindFilter(admin.SimpleListFilter):
    """The follow-ups by kind, named for merchants rather than by their codes."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = OrderEffect.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, order_effect_label(kind)) for kind in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OrderEffect)
class OrderEffectAdmin(admin.ModelAdmin):
    """What follows each order (the e-mail, the purchase history): done by workers."""

    list_display = ["order", "kind_label", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", EffectKindFilter]
    search_fields = ["order__number"]
    list_select_related = ["order"]
    readonly_fields = [
        "kind_label" if f.name == "kind" else f.name
        for f in OrderEffect._meta.fields
        if f.name != "id"
    ]
    fields = list(readonly_fields)
    actions = ["try_again"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return order_effect_label(obj.kind)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try the selected follow-ups again now"))
    def try_again(self, request, queryset):
        count = sum(order_effect_retry(effect=effect) for effect in queryset)
        messages.success(request, _("%(count)d follow-ups queued again.") % {"count": count})
