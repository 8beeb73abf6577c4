"""The merchant's admin: products, their option set on one page, Check, publish, import.

A draft version is edited on one page with nested inlines (groups with their values, rules,
preview layers; ordered by drag or by number). Published versions are read-only. The buttons
on a version call the catalog's services; the Check lists every problem with its code.
"""

from __future__ import annotations

import functools
import json
from functools import partial
from typing import Any

import nested_admin
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_stock import ValueStockInline
from .checks import option_set_check, problem_summary
from .extensions import (
    Problem,
    product_admin_links,
    version_admin_links,
    version_margins,
    version_preview_images,
)
from .format import OptionSetFormatError
from .forms import (
    BlockedWordForm,
    ImportForm,
    OptionGroupForm,
    OptionSetVersionForm,
    OptionValueForm,
    PreviewLayerForm,
    ProductForm,
    RuleForm,
    condition_text,
    rule_grid_readonly,
    rule_groups_text,
    rule_rows_text,
    saved_groups,
    submitted_groups,
)
from .jobs import import_job_create
from .libraries import library_groups_refresh, library_propagate
from .limits import LIMIT_CODES
from .models import (
    BlockedWord,
    GroupKind,
    ImportJob,
    Library,
    LibraryValue,
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    PreviewLayer,
    Product,
    ProductView,
    Rule,
    VersionStatus,
)
from .places import problem_place
from .selectors import option_set_document
from .services import (
    DraftAlreadyExists,
    PublishRefused,
    option_set_import,
    option_set_new_draft,
    option_set_publish,
    option_set_version_add,
)


class _DraftOnly(InlineModelAdmin):
    """Inlines of a published version can be read, never changed."""

    def _editable(self, obj: Any) -> bool:
        version = obj if isinstance(obj, OptionSetVersion) else getattr(obj, "version", None)
        return version is None or version.status == VersionStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class OptionValueInline(_DraftOnly, nested_admin.NestedTabularInline):
    model = OptionValue
    form = OptionValueForm
    extra = 0
    sortable_field_name = "position"
    readonly_fields = ["swatch_preview"]
    fields = [
        "position",
        "code",
        "name_vi",
        "name_en",
        "swatch",
        "swatch_preview",
        "image",
        "price_delta",
        "cost",
        "production_code",
        "is_default",
        "is_active",
    ]

    @admin.display(description=_("swatch"))
    def swatch_preview(self, obj: OptionValue) -> str:
        if not obj.swatch:
            return ""
        # SVG paint, not a style attribute: the Content-Security-Policy refuses inline styles.
        return format_html(
            '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">'
            '<circle cx="10" cy="10" r="9" fill="{}" stroke="#888"/></svg>',
            obj.swatch,
        )


class OptionGroupInline(_DraftOnly, nested_admin.NestedStackedInline):
    model = OptionGroup
    form = OptionGroupForm
    extra = 0
    sortable_field_name = "position"
    inlines = [OptionValueInline]
    fieldsets = [
        (None, {"fields": [("code", "kind", "position", "step", "required"), "library"]}),
        (None, {"fields": [("name_vi", "name_en"), ("help_vi", "help_en")]}),
        (
            _("Display and limits"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("max_visible_values", "curated_order"),
                    ("min_values", "max_values"),
                    ("max_length", "pattern", "price_per_char", "price_delta"),
                    ("cost", "cost_per_char"),
                    ("max_bytes", "min_width", "min_height", "formats"),
                ],
            },
        ),
        (
            _("Measurement (kind “Measurement”)"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("number_min", "number_max", "number_increment", "unit"),
                    ("number_default", "price_per_unit", "price_formula"),
                ],
            },
        ),
    ]


class RuleInline(_DraftOnly, nested_admin.NestedStackedInline):
    model = Rule
    form = RuleForm
    extra = 0
    sortable_field_name = "position"
    fieldsets = [
        (None, {"fields": [("kind", "rule_id", "position"), ("message_vi", "message_en")]}),
        (
            _("Table (only / never these combinations)"),
            {"fields": ["groups_text", "grid", "rows_text"]},
        ),
        (_("Condition (if … then …)"), {"fields": [("if_text", "then_text")]}),
    ]

    class Media:
        # The grid works without it; the script keeps grid and rows in step as they change.
        css = {"all": ["catalog/rule-grid.css"]}
        js = ["catalog/rule-grid.js"]

    # A published version shows its rules read-only: the form's text fields are then shown
    # through these, with the form's names (Django would name them from the attribute).
    @admin.display(description=_("groups"))
    def groups_text(self, rule: Rule) -> str:
        return rule_groups_text(rule)

    @admin.display(description=_("rows"))
    def rows_text(self, rule: Rule) -> str:
        return linebreaksbr(rule_rows_text(rule))

    @admin.display(description=_("grid"))
    def grid(self, rule: Rule) -> str:
        # An inline is made per request: the version's groups are read once per page.
        cache = self.__dict__.setdefault("_groups", {})
        if rule.version_id not in cache:
            cache[rule.version_id] = saved_groups(rule.version_id)
        return rule_grid_readonly(rule, cache[rule.version_id])

    @admin.display(description=_("if"))
    def if_text(self, rule: Rule) -> str:
        return linebreaksbr(condition_text(rule.condition_if))

    @admin.display(description=_("then"))
    def then_text(self, rule: Rule) -> str:
        return linebreaksbr(condition_text(rule.condition_then))


class ProductViewInline(_DraftOnly, nested_admin.NestedTabularInline):
    model = ProductView
    extra = 0
    sortable_field_name = "position"
    fields = ["position", "code", "name_vi", "name_en", "prints"]


class PreviewLayerInline(_DraftOnly, nested_admin.NestedStackedInline):
    """A layer has fifteen fields: in a table it made the version page twice a laptop's
    width, so each layer is a short card of four lines (what, picture, where, printing)."""

    model = PreviewLayer
    form = PreviewLayerForm
    extra = 0
    sortable_field_name = "position"
    fieldsets = [
        (None, {"fields": [("kind", "view", "position"), ("group", "value")]}),
        (None, {"fields": [("image", "font", "text_color"), ("color_group", "font_group")]}),
        (None, {"fields": [("x", "y", "width", "height")]}),
        (None, {"fields": [("print_dpi", "print_width_mm", "print_height_mm")]}),
    ]

    def get_formset(self, request, obj=None, **kwargs):
        # A layer's view is one of its own version's views (saved ones: a view added in
        # the same submission is chosen after saving; until then the layer is in the first).
        formset = super().get_formset(request, obj, **kwargs)
        views = ProductView.objects.filter(version=obj) if obj is not None and obj.pk else None
        field = formset.form.base_fields.get("view")
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = views if views is not None else ProductView.objects.none()
        # A text's colour and font come from one of the version's own choose-one groups
        # (saved ones, like the view).
        for name in ("color_group", "font_group"):
            field = formset.form.base_fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = (
                    OptionGroup.objects.filter(version=obj, kind=GroupKind.CHOICE)
                    if obj is not None and obj.pk
                    else OptionGroup.objects.none()
                )
        return formset


class VersionInline(admin.TabularInline):
    model = OptionSetVersion
    extra = 0
    can_delete = False
    fields = ["link", "status", "published_at", "note"]
    readonly_fields = ["link", "status", "published_at", "note"]
    verbose_name_plural = _("option set versions")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("version"))
    def link(self, obj: OptionSetVersion) -> str:
        url = reverse("admin:catalog_optionsetversion_change", args=[obj.pk])
        return format_html('<a href="{}">v{}</a>', url, obj.number)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name_vi", "name_en", "base_price", "currency", "is_active"]
    list_filter = ["currency", "is_active"]
    search_fields = ["sku", "name_vi", "name_en"]
    inlines = [VersionInline, ValueStockInline]
    form = ProductForm
    fieldsets = [
        (None, {"fields": ["sku", ("name_vi", "name_en"), "is_active"]}),
        (None, {"fields": [("base_price", "currency"), "max_visible_values", "lead_time_days"]}),
        (_("Cost and margin"), {"fields": [("base_cost", "min_margin")]}),
        (_("Description"), {"fields": ["description_vi", "description_en"]}),
    ]
    change_form_template = "admin/catalog/product/change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Buttons later stages add to a product's page (e.g. its insight), by extension point.
        links = [link(obj) for link in product_admin_links()] if obj is not None else []
        context["extension_links"] = [link for link in links if link is not None]
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(OptionSetVersion)
class OptionSetVersionAdmin(nested_admin.NestedModelAdmin):
    list_display = ["product", "number", "status", "published_at", "created_at"]
    list_filter = ["status", "product__currency"]
    search_fields = ["product__sku", "product__name_vi", "product__name_en", "note"]
    list_select_related = ["product"]
    inlines = [OptionGroupInline, RuleInline, ProductViewInline, PreviewLayerInline]
    form = OptionSetVersionForm
    readonly_fields = ["status", "published_at", "created_from"]
    fields = ["product", "number", "status", "note", "published_at", "created_from"]
    change_form_template = "admin/catalog/optionsetversion/change_form.html"
    change_list_template = "admin/catalog/optionsetversion/change_list.html"

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # Later stages add to a version's page by extension point: "Xem thử" (the studio on
        # a draft) and a picture of the composed preview layers. (nested-admin passes the
        # object by keyword.)
        if obj is not None:
            links = [link(obj) for link in version_admin_links()]
            images = [image(obj) for image in version_preview_images()]
            context["extension_links"] = [link for link in links if link is not None]
            context["preview_images"] = [
                url
                for image in images
                if image
                for url in ([image] if isinstance(image, str) else image)
            ]
            margins = [margin(obj) for margin in version_margins()]
            context["margins"] = [margin for margin in margins if margin is not None]
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:  # the number is assigned on save, never typed
            return [name for name in self.fields if name != "number"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "product", "number"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            option_set_version_add(version=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A group that names a shared library takes its values from it.
        library_groups_refresh(version=form.instance)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.status == VersionStatus.PUBLISHED:
            return False  # read-only: the page still opens with view permission
        return allowed

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == VersionStatus.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or super().has_change_permission(
            request, obj
        )

    def _create_formsets(self, request, obj, change):
        # Rules are checked against the groups as this save leaves them (added, renamed or
        # deleted in the same submission), not only against the saved ones.
        # On a GET, every rule's grid reads the saved groups once for the whole page.
        formsets, inlines = super()._create_formsets(request, obj, change)
        groups = next((f for f in formsets if f.model is OptionGroup), None)
        if groups is not None:
            version_id = getattr(obj, "pk", None)
            if request.method == "POST":
                source = functools.cache(partial(submitted_groups, version_id, groups))
            else:
                source = functools.cache(partial(saved_groups, version_id))
            for formset in formsets:
                if formset.model is Rule:
                    for form in formset.forms:
                        form.groups_source = source
        return formsets, inlines

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/check/", wrap(self.check_view), name="catalog_version_check"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="catalog_version_publish"),
            path(
                "<int:pk>/new-draft/", wrap(self.new_draft_view), name="catalog_version_new_draft"
            ),
            path("<int:pk>/export/", wrap(self.export_view), name="catalog_version_export"),
            path("import/", wrap(self.import_view), name="catalog_version_import"),
            *super().get_urls(),
        ]

    def _version(self, request: HttpRequest, pk: int) -> OptionSetVersion:
        version = get_object_or_404(OptionSetVersion.objects.select_related("product"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionError
        return version

    def check_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        report = option_set_check(version=version)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check of %(version)s") % {"version": version},
            "version": version,
            "report": report,
            "problems": [
                (problem, problem_summary(problem.code), report.place(problem.path))
                for problem in report.problems
            ],
            "opts": self.model._meta,
        }
        return render(request, "admin/catalog/optionsetversion/check.html", context)

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        change_url = reverse("admin:catalog_optionsetversion_change", args=[pk])
        if request.method != "POST" or not self.has_change_permission(request, version):
            return HttpResponseRedirect(change_url)
        try:
            option_set_publish(version=version)
        except PublishRefused as refused:
            document = option_set_document(version=version)
            for problem in refused.problems:
                summary = problem_summary(problem.code)
                text = f"{summary} ({problem.message})" if summary else problem.message
                where = problem_place(document, problem.path) or problem.path
                messages.error(request, f"{problem.code} {where}: {text}")
            return HttpResponseRedirect(change_url)
        messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
        return HttpResponseRedirect(change_url)

    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        if request.method != "POST" or not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:catalog_optionsetversion_change", args=[pk]))
        try:
            draft = option_set_new_draft(version=version)
        except DraftAlreadyExists as exists:
            messages.error(request, _("A draft already exists: edit it, or publish it first."))
            draft = exists.draft
        else:
            messages.success(
                request, _("New draft made from version %(n)d.") % {"n": version.number}
            )
        return HttpResponseRedirect(
            reverse("admin:catalog_optionsetversion_change", args=[draft.pk])
        )

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        document = option_set_document(version=version)
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"{version.product.sku}-v{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        problems: list[Any] = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and self.has_add_permission(request) and form.is_valid():
            upload = form.cleaned_data["file"]
            publish = form.cleaned_data["publish"]
            if upload.size > settings.CONFIGURATOR_IMPORT_BACKGROUND_BYTES:
                job = import_job_create(
                    kind=ImportJob.Kind.OPTION_SET,
                    upload=upload,
                    options={"publish": publish},
                    user=request.user,
                )
                return _job_started(request, job)
            try:
                with transaction.atomic():
                    raw = upload.read(settings.CONFIGURATOR_OPTION_SET_MAX_BYTES + 1)
                    version = option_set_import(document=raw, publish=publish)
            except OptionSetFormatError as error:
                problems = _file_errors(form, error.problems)
            except PublishRefused as refused:
                problems = list(refused.problems)
            else:
                messages.success(request, _("Imported as version %(n)d.") % {"n": version.number})
                return HttpResponseRedirect(
                    reverse("admin:catalog_optionsetversion_change", args=[version.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import an option set"),
            "form": form,
            "problems": [(problem, problem_summary(problem.code)) for problem in problems],
            "opts": self.model._meta,
        }
        return render(request, "admin/catalog/optionsetversion/import.html", context)


def _file_errors(form: ImportForm, problems: list[Problem]) -> list[Problem]:
    """Problems of the file as a whole (too large, too deep, not JSON) become errors of the
    form's file field; the others are returned, to be listed with their paths."""
    listed = []
    for problem in problems:
        if problem.code == "format.E079":
            form.add_error(
                "file",
                _("Not a JSON document (%(where)s): %(error)s")
                % {"where": problem.path, "error": problem.message},
            )
        elif problem.code in LIMIT_CODES:
            # The detail is technical English; a merchant reading another language gets what
            # the code means first.
            summary, detail = problem_summary(problem.code), problem.message
            text = f"{summary} ({detail})" if summary != LIMIT_CODES[problem.code] else detail
            form.add_error("file", f"{problem.code} {problem.path}: {text}")
        else:
            listed.append(problem)
    return listed


def _job_started(request: HttpRequest, job: ImportJob) -> HttpResponse:
    """The answer to an upload handed to an import job: the job's page."""
    messages.success(
        request,
        _("“%(name)s” is large: it is imported in the background. Reload this page to follow it.")
        % {"name": job.filename},
    )
    return HttpResponseRedirect(reverse("admin:catalog_importjob_change", args=[job.pk]))


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Large imports and how far they have come; read-only, the page is reloaded to follow."""

    list_display = ["created_at", "kind", "filename", "status", "progress", "summary"]
    list_filter = ["kind", "status"]
    search_fields = ["filename"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "kind", "filename", "size", "status", "progress", "summary", "error_list",
        "created_by", "created_at", "started_at", "finished_at",
    ]  # fmt: skip
    fields = list(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs come from the import pages

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return (
            super().has_view_permission(request, obj)
            or user.has_perm("catalog.add_optionsetversion")
            or user.has_perm("personalization.add_purchaseevent")
        )

    @admin.display(description=_("progress"))
    def progress(self, job: ImportJob) -> str:
        if job.kind != ImportJob.Kind.PURCHASE_EVENTS:
            return job.get_status_display()
        if job.lines_total:
            percent = min(100, round(100 * job.lines_done / job.lines_total))
            return _("%(done)d of %(total)d lines (%(percent)d%%)") % {
                "done": job.lines_done,
                "total": job.lines_total,
                "percent": percent,
            }
        return _("%(done)d lines") % {"done": job.lines_done}

    @admin.display(description=_("outcome"))
    def summary(self, job: ImportJob) -> str:
        counts = job.counts or {}
        if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
            return ""
        if job.status == ImportJob.Status.FAILED and not job.errors:
            return str(_("Stopped on an unexpected error; nothing more is known here."))
        if job.status == ImportJob.Status.FAILED:
            return str(_("Refused; nothing was written."))
        if job.kind == ImportJob.Kind.OPTION_SET:
            return _("Version %(n)d: %(groups)d groups, %(values)d values, %(rules)d rules.") % {
                "n": counts.get("number", 0),
                "groups": counts.get("groups", 0),
                "values": counts.get("values", 0),
                "rules": counts.get("rules", 0),
            }
        return _(
            "%(added)d events added, %(duplicates)d already there, %(refused)d lines refused."
        ) % {
            "added": counts.get("added", 0),
            "duplicates": counts.get("duplicates", 0),
            "refused": counts.get("refused", 0),
        }

    @admin.display(description=_("problems"))
    def error_list(self, job: ImportJob) -> str:
        return format_html_join(
            "\n",
            "<div><code>{}</code> {}: {}</div>",
            ((e.get("code", ""), e.get("where", ""), e.get("message", "")) for e in job.errors),
        )


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    """The words shoppers may not write in a text option, with what they read instead."""

    form = BlockedWordForm
    list_display = ["word", "message_vi", "message_en", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_active"]
    search_fields = ["word", "message_vi", "message_en"]


class LibraryValueInline(admin.TabularInline):
    model = LibraryValue
    extra = 0
    fields = [
        "position",
        "code",
        "name_vi",
        "name_en",
        "swatch",
        "price_delta",
        "cost",
        "production_code",
        "font",
    ]


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    """Palettes, materials and fonts used by many products; a save reaches every draft."""

    list_display = ["code", "name_vi", "kind", "product_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["code", "name_vi", "name_en"]
    inlines = [LibraryValueInline]
    fields = ["code", "kind", ("name_vi", "name_en")]

    @admin.display(description=_("option groups using it"))
    def product_count(self, library: Library) -> int:
        return library.groups.count()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        drafts = library_propagate(library=form.instance)
        if not drafts:
            messages.info(request, _("No draft uses this library yet."))
            return
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:catalog_optionsetversion_change", args=[d.pk]), str(d))
                for d in drafts
            ),
        )
        messages.success(
            request,
            format_html(
                "{} {}",
                _("The change reached these drafts:"),
                links,
            ),
        )
