from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Batch, DeliveryAttempt, Export, ExportStatus, Partner, RoutingRule
from .services import export_retry


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


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fk_name = "export"
    extra = 0
    can_delete = False
    readonly_fields = ["at", "outcome", "status_code", "detail"]

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
