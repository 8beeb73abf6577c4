from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .effects import order_effect_label, order_effect_retry
from .models import Order, OrderEffect, OrderLine


class OrderLineInline(admin.StackedInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in OrderLine._meta.fields if f.name != "id"]

    def has_add_permission(self, request, obj=None):
        return False


class ProductionFilter(admin.SimpleListFilter):
    title = _("production")
    parameter_name = "production"

    def lookups(self, request, model_admin):
        return [("failed", _("an export failed")), ("stuck", _("an export is retrying"))]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(exports__status="failed").distinct()
        if self.value() == "stuck":
            return queryset.filter(exports__status="pending", exports__attempts__gt=0).distinct()
        return queryset


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "placed_at",
        "shipping_name",
        "total",
        "currency",
        "status",
        "payment_status",
        "exports_failed",
    ]
    list_filter = ["status", "payment_status", ProductionFilter, "exports__partner"]
    search_fields = ["number", "email", "phone", "shipping_name"]
    readonly_fields = [
        f.name for f in Order._meta.fields if f.name not in ("status", "payment_status")
    ]
    inlines = [OrderLineInline]
    actions = ["re_export"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(failed_count=Count("exports", filter=Q(exports__status="failed")))
        )

    @admin.display(description=_("failed exports"), ordering="failed_count")
    def exports_failed(self, obj):
        return obj.failed_count

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Export the selected orders to production again"))
    def re_export(self, request, queryset):
        from configurator.production.models import ExportStatus
        from configurator.production.services import export_retry, order_exports_create

        count = 0
        for order in queryset:
            exports = order_exports_create(order_id=order.pk)
            for export in exports:
                if export.status == ExportStatus.FAILED:
                    export_retry(export=export)
                    count += 1
        messages.success(request, _("%(count)d exports queued again.") % {"count": count})

    def changelist_view(self, request, extra_context=None):
        from configurator.production.models import Export, ExportStatus

        extra_context = extra_context or {}
        extra_context["title"] = _("Orders — %(failed)d failed and %(stuck)d retrying exports") % {
            "failed": Export.objects.filter(status=ExportStatus.FAILED).count(),
            "stuck": Export.objects.filter(status=ExportStatus.PENDING, attempts__gt=0).count(),
        }
        return super().changelist_view(request, extra_context)


@admin.register(OrderEffect)
class OrderEffectAdmin(admin.ModelAdmin):
    """What follows each order (the e-mail, the purchase history): done by workers."""

    list_display = ["order", "kind_label", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["order__number"]
    list_select_related = ["order"]
    readonly_fields = [f.name for f in OrderEffect._meta.fields]
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
