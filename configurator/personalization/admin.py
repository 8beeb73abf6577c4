"""The merchant's admin: customers and their switch, purchase events, products switched off,
and the upload of purchase events from other channels (the command's parser and service)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from catalog.jobs import import_job_create
from catalog.models import ImportJob

from .events import BadFile, events_measure, events_text, read_events
from .forms import PurchaseEventsUploadForm
from .imports import EventsRefused, ImportResult, file_limits, purchase_events_import_items
from .models import Customer, ProductSetting, PurchaseEvent

IMPORT_PERMISSION = "personalization.add_purchaseevent"
SHOWN_BAD_LINES = 500


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "email", "user", "event_count", "personalization_enabled"]
    list_editable = ["personalization_enabled"]
    list_filter = ["personalization_enabled"]
    search_fields = ["external_id", "email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["profile", "created_at"]
    fields = ["external_id", "email", "user", "personalization_enabled", "profile", "created_at"]

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
