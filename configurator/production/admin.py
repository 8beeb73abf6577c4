from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from configurator.orders.admin import OrderAdmin
from configurator.orders.models import Order

from .models import Batch, DeliveryAttempt, Export, ExportStatus, Partner, RoutingRule
from .services import export_retry, order_exports_create


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "destination", "mode", "is_active", "stuck", "failed"]
    list_filter = ["destination", "mode", "is_active"]
    search_fields = ["name", "code"]
    inlines = [RoutingRuleInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed_count=Count("exports", filter=Q(exports__status=ExportStatus.FAILED)),
                stuck_count=Count(
                    "exports",
                    filter=Q(exports__status=ExportStatus.PENDING, exports__attempts__gt=0),
                ),
            )
        )

    @admin.display(description=_("stuck"), ordering="stuck_count")
    def stuck(self, obj):
        return obj.stuck_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, obj):
        return obj.failed_count


OUTCOMES = {
    "delivered": _("delivered"),
    "retry": _("will be tried again"),
    "failed": _("failed"),
}


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fk_name = "export"
    extra = 0
    can_delete = False
    readonly_fields = ["at", "outcome_label", "status_code", "detail"]
    fields = list(readonly_fields)

    @admin.display(description=_("outcome"))
    def outcome_label(self, attempt: DeliveryAttempt) -> str:
        return str(OUTCOMES.get(attempt.outcome, attempt.outcome))

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "line_position",
        "partner",
        "status",
        "partner_status",
        "attempts",
        "last_error_short",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "partner", "partner_status"]
    search_fields = ["order__number", "id"]
    readonly_fields = [f.name for f in Export._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_exports"]
    list_select_related = ["order", "line", "partner"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("line"))
    def line_position(self, obj):
        return obj.line.position

    @admin.display(description=_("last error"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Send the selected failed exports again"))
    def retry_exports(self, request, queryset):
        count = 0
        for export in queryset.filter(status=ExportStatus.FAILED):
            export_retry(export=export)
            count += 1
        messages.success(request, _("%(count)d exports queued again.") % {"count": count})


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["partner", "day", "status", "attempts", "delivered_at"]
    list_filter = ["status", "partner"]


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


class ProductionOrderAdmin(OrderAdmin):
    """The orders' admin with their production: failed exports, filters, "export again"."""

    list_display = [*OrderAdmin.list_display, "exports_failed"]
    list_filter = [*OrderAdmin.list_filter, ProductionFilter, "exports__partner"]
    actions = [*OrderAdmin.actions, "re_export"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(failed_count=Count("exports", filter=Q(exports__status="failed")))
        )

    @admin.display(description=_("failed exports"), ordering="failed_count")
    def exports_failed(self, obj):
        return obj.failed_count

    @admin.action(description=_("Export the selected orders to production again"))
    def re_export(self, request, queryset):
        count = 0
        for order in queryset:
            for export in order_exports_create(order_id=order.pk):
                if export.status == ExportStatus.FAILED:
                    export_retry(export=export)
                    count += 1
        messages.success(request, _("%(count)d exports queued again.") % {"count": count})

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["title"] = _("Orders — %(failed)d failed and %(stuck)d retrying exports") % {
            "failed": Export.objects.filter(status=ExportStatus.FAILED).count(),
            "stuck": Export.objects.filter(status=ExportStatus.PENDING, attempts__gt=0).count(),
        }
        return super().changelist_view(request, extra_context)


admin.site.unregister(Order)
admin.site.register(Order, ProductionOrderAdmin)
