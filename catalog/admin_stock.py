"""Stock and lead times in the admin: a list to edit many values at once, and the same rows
on each product's page (``docs/stock.md``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import GroupKind, OptionValue, ValueStock


def _value_names(product_id: int | None) -> dict[tuple[str, str], str]:
    """``(group, value) -> "Chất liệu · Da lộn"`` over every version of the product, the
    latest version's names winning."""
    if product_id is None:
        return {}
    rows = (
        OptionValue.objects.filter(
            group__version__product_id=product_id,
            group__kind__in=[GroupKind.CHOICE, GroupKind.MULTI],
        )
        .order_by("group__version__number")
        .values_list("group__code", "code", "group__name_vi", "name_vi")
    )
    return {(group, code): f"{group_name} · {name}" for group, code, group_name, name in rows}


class ValueStockForm(forms.ModelForm):
    class Meta:
        model = ValueStock
        fields = [
            "product",
            "group_code",
            "value_code",
            "quantity",
            "lead_time_days",
            "restock_date",
        ]

    def clean(self):
        data = super().clean() or {}
        product = data.get("product") or getattr(self.instance, "product", None)
        group, value = data.get("group_code"), data.get("value_code")
        known = _value_names(product.pk) if product is not None else {}
        if product is not None and group and value and (group, value) not in known:
            raise forms.ValidationError(
                _("%(sku)s has no value “%(value)s” in a group “%(group)s”."),
                code="unknown_value",
                params={"sku": product.sku, "value": value, "group": group},
            )
        return data


class ValueStockInline(admin.TabularInline):
    """The product's stock on its page."""

    model = ValueStock
    form = ValueStockForm
    extra = 0
    fields = ["group_code", "value_code", "quantity", "lead_time_days", "restock_date"]


@admin.register(ValueStock)
class ValueStockAdmin(admin.ModelAdmin):
    """Every value's stock, quantities and dates editable in the list."""

    form = ValueStockForm
    list_display = [
        "product",
        "value_name",
        "quantity",
        "lead_time_days",
        "restock_date",
        "updated_at",
    ]
    list_editable = ["quantity", "lead_time_days", "restock_date"]
    list_filter = ["product"]
    list_select_related = ["product"]
    search_fields = ["product__sku", "group_code", "value_code"]

    @admin.display(description=_("value"), ordering="value_code")
    def value_name(self, obj: ValueStock) -> str:
        names = _value_names(obj.product_id)
        return names.get((obj.group_code, obj.value_code), f"{obj.group_code}:{obj.value_code}")
