"""Hand-overs in the admin: who handed which design to whom, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Handover


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ["created_at", "staff", "customer", "design"]
    list_select_related = ["staff", "customer", "design"]
    list_filter = ["created_at"]
    search_fields = ["token", "staff__username", "customer__external_id", "customer__email"]
    readonly_fields = ["token", "staff", "customer", "design", "proposed_defaults", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Handover | None = None) -> bool:
        return False
