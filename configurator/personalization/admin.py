"""The merchant's admin: customers and their switch, purchase events, products switched off,
and the upload of purchase events from other channels (the command's parser and service)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from catalog.jobs import import_job_create
from catalog.models import ImportJob

from .consent import notice_publish
from .events import BadFile, events_measure, events_text, read_events
from .forms import PurchaseEventsUploadForm
from .imports import EventsRefused, ImportResult, file_limits, purchase_events_import_items
from .models import (
    ConsentNotice,
    ConsentRecord,
    Customer,
    PersonalizationSettings,
    ProductSetting,
    PurchaseEvent,
    RetentionRun,
)

IMPORT_PERMISSION = "personalization.add_purchaseevent"
SHOWN_BAD_LINES = 500

logger = logging.getLogger(__name__)


class ConsentInline(admin.TabularInline):
    """The customer's decisions, newest first: read-only, as recorded."""

    model = ConsentRecord
    fields = ["recorded_at", "purpose", "granted", "channel", "notice", "message_channels"]
    readonly_fields = ["recorded_at", "purpose", "granted", "channel", "notice", "message_channels"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = [
        "external_id",
        "email",
        "user",
        "event_count",
        "personalization_enabled",
        "personalization_consent",
    ]
    list_editable = ["personalization_enabled"]
    list_filter = ["personalization_enabled", "personalization_consent"]
    search_fields = ["external_id", "email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["personalization_consent", "profile", "created_at"]
    fields = [
        "external_id",
        "email",
        "user",
        "personalization_enabled",
        "personalization_consent",
        "profile",
        "created_at",
    ]
    inlines = [ConsentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Customer]:
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("purchase events"), ordering="event_count")
    def event_count(self, obj: Any) -> int:
        return obj.event_count


@admin.register(PurchaseEvent)
class PurchaseEventAdmin(admin.ModelAdmin):
    """Read-only: events come from orders and imports, and feed profiles as they arrive."""

    list_display = ["timestamp", "customer", "order", "product", "channel", "sku", "quantity"]
    list_filter = ["channel", "product"]
    search_fields = ["customer__external_id", "order", "product", "sku"]
    date_hierarchy = "timestamp"
    list_select_related = ["customer"]
    change_list_template = "admin/personalization/purchaseevent/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the upload page adds events, through the import service

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # erasing a shopper's history goes through their customer

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or request.user.has_perm(IMPORT_PERMISSION)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "can_import": request.user.has_perm(IMPORT_PERMISSION)}
        return super().changelist_view(request, context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="personalization_purchaseevent_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        form = PurchaseEventsUploadForm(request.POST or None, request.FILES or None)
        result: ImportResult | None = None
        refused = False
        bad: list[Any] = []
        bad_count = 0
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            strict = form.cleaned_data["strict"]
            if upload.size > settings.CONFIGURATOR_IMPORT_BACKGROUND_BYTES:
                job = import_job_create(
                    kind=ImportJob.Kind.PURCHASE_EVENTS,
                    upload=upload,
                    options={"strict": strict},
                    user=request.user,
                )
                messages.success(
                    request,
                    _(
                        "“%(name)s” is large: it is imported in the background. "
                        "Reload this page to follow it."
                    )
                    % {"name": job.filename},
                )
                return HttpResponseRedirect(
                    reverse("admin:catalog_importjob_change", args=[job.pk])
                )
            limits = file_limits()
            try:
                events_measure(upload, limits)  # over a limit: refused before a line is written
                with events_text(upload, limits) as handle:
                    result = purchase_events_import_items(items=read_events(handle), strict=strict)
                bad, bad_count = result.bad, result.bad_count
            except BadFile as error:
                logger.info("purchase events file %s refused: %s", upload.name, error.code)
                form.add_error("file", f"{error.message} [{error.code}]")
            except EventsRefused as error:
                refused, bad, bad_count = True, error.bad, error.count
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import purchase events"),
            "form": form,
            "result": result,
            "refused": refused,
            "bad": bad[:SHOWN_BAD_LINES],
            "bad_count": bad_count,
            "opts": self.model._meta,
        }
        return render(request, "admin/personalization/purchaseevent/import.html", context)


@admin.register(ProductSetting)
class ProductSettingAdmin(admin.ModelAdmin):
    """Products (by SKU or product code) whose defaults are the merchant's, never personal."""

    list_display = ["product", "personalization_enabled"]
    list_editable = ["personalization_enabled"]
    list_filter = ["personalization_enabled"]
    search_fields = ["product"]


@admin.register(PersonalizationSettings)
class PersonalizationSettingsAdmin(admin.ModelAdmin):
    """The shop's one row: the consent regime and how long purchases are kept, with what
    the last retention run deleted."""

    fields = ["consent_regime", "retention_months", "last_retention_run"]
    readonly_fields = ["last_retention_run"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row, made on first read

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        PersonalizationSettings.current()  # the row exists before anyone opens it
        return super().get_object(request, object_id, from_field)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        row = PersonalizationSettings.current()
        return HttpResponseRedirect(
            reverse("admin:personalization_personalizationsettings_change", args=[row.pk])
        )

    @admin.display(description=_("last retention run"))
    def last_retention_run(self, obj: Any) -> str:
        run = RetentionRun.objects.order_by("-started_at").first()
        if run is None:
            return str(_("Not run yet."))
        return str(
            _(
                "%(when)s: %(events)d purchases deleted (older than %(cutoff)s); "
                "%(rebuilt)d preferences recomputed, %(cleared)d emptied, "
                "%(customers)d customers deleted."
            )
            % {
                "when": formats.localize(timezone.localtime(run.started_at)),
                "events": run.events_deleted,
                "cutoff": formats.localize(timezone.localtime(run.cutoff).date()),
                "rebuilt": run.profiles_rebuilt,
                "cleared": run.profiles_cleared,
                "customers": run.customers_deleted,
            }
        )


@admin.register(ConsentNotice)
class ConsentNoticeAdmin(admin.ModelAdmin):
    """Notices are added, never edited: consents point at the version they were given to.
    A new text for a purpose becomes its next version, shown from then on."""

    list_display = ["purpose", "version", "published_at"]
    list_filter = ["purpose"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["purpose", "text_vi", "text_en"]
        return ["purpose", "version", "text_vi", "text_en", "published_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["purpose", "version", "text_vi", "text_en", "published_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            notice_publish(notice=obj)
        # An existing notice is read-only: nothing to save.


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Every decision, as recorded: read-only (a change of mind is a new record)."""

    list_display = [
        "recorded_at",
        "customer",
        "purpose",
        "granted",
        "channel",
        "notice",
        "message_channels",
        "recorded_by",
    ]
    list_filter = ["purpose", "granted", "channel"]
    search_fields = ["customer__external_id", "customer__email"]
    date_hierarchy = "recorded_at"
    list_select_related = ["customer", "notice", "recorded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "months",
        "cutoff",
        "events_deleted",
        "profiles_rebuilt",
        "profiles_cleared",
        "customers_deleted",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
