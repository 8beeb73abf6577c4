"""What merchants define.

A ``Product`` owns a history of ``OptionSetVersion`` rows. A draft version is edited; publishing
freezes it (the services refuse every change to a published version, and the admin shows it
read-only); designs and orders point at the version they were made with, so an older version
stays readable forever. Groups, values, rules and preview layers belong to one version.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .money import Currency

CODE_PATTERN = r"^[A-Za-z0-9_.\-]+$"
code_validator = RegexValidator(
    CODE_PATTERN, _("Use letters, digits, “_”, “-” and “.” only."), code="invalid_code"
)
swatch_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Use a colour of the form #rrggbb."), code="invalid_swatch"
)

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=64, unique=True, validators=[code_validator])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    base_price = models.DecimalField(
        _("base price"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.VND
    )
    max_visible_values = models.PositiveSmallIntegerField(
        _("values shown per step"),
        null=True,
        blank=True,
        help_text=_("How many values a step shows before “show all”. Limits display only."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(base_price__gte=0), name="product_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name_vi}"

    @property
    def names(self) -> dict[str, str]:
        """The product's name by language, as order lines and option-set documents keep it."""
        return {"vi": self.name_vi, "en": self.name_en}

    def name_in(self, language: str) -> str:
        """The name in ``language`` (``"vi"`` or ``"en"``), Vietnamese when it has none."""
        return (self.name_en if language == "en" else "") or self.name_vi


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class OptionSetVersion(models.Model):
    """One version of a product's option set.

    ``frozen_product`` holds the product part of the option-set document (names, base price,
    currency, display limit) as it was when the version was published, so that prices and
    names of a published version never move; drafts read the live ``Product``.
    """

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="versions", verbose_name=_("product")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copied from version"),
    )
    frozen_product = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("product as published")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["product", "-number"]
        get_latest_by = "number"
        verbose_name = _("option set version")
        verbose_name_plural = _("option set versions")
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="version_number_unique"),
            # At most one draft per product: merchants edit one draft at a time.
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status="draft"),
                name="one_draft_per_product",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(published_at__isnull=False, frozen_product__isnull=False),
                name="published_version_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} v{self.number} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class GroupKind(models.TextChoices):
    CHOICE = "choice", _("Choose one")
    MULTI = "multi", _("Choose several")
    TEXT = "text", _("Text")
    IMAGE = "image", _("Uploaded image")


class OptionGroup(models.Model):
    version = models.ForeignKey(
        OptionSetVersion, on_delete=models.CASCADE, related_name="groups", verbose_name=_("version")
    )
    code = models.CharField(_("code"), max_length=64, validators=[code_validator])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_visible_values = models.PositiveSmallIntegerField(_("values shown"), null=True, blank=True)
    curated_order = models.BooleanField(
        _("values in curated order"),
        default=False,
        help_text=_("The values are ordered on purpose: the first ones are shown first."),
    )
    help_vi = models.TextField(_("help (Vietnamese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    # multi
    min_values = models.PositiveSmallIntegerField(_("at least"), null=True, blank=True)
    max_values = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    # text
    max_length = models.PositiveIntegerField(_("max length"), null=True, blank=True)
    pattern = models.CharField(_("pattern"), max_length=500, blank=True)
    price_per_char = models.DecimalField(_("price per character"), **MONEY, null=True, blank=True)
    # text and image
    price_delta = models.DecimalField(_("price delta"), **MONEY, null=True, blank=True)
    # image
    max_bytes = models.PositiveIntegerField(_("max bytes"), null=True, blank=True)
    min_width = models.PositiveIntegerField(_("min width (px)"), null=True, blank=True)
    min_height = models.PositiveIntegerField(_("min height (px)"), null=True, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    extensions = models.JSONField(default=dict, blank=True, verbose_name=_("extensions"))

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("option group")
        verbose_name_plural = _("option groups")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="group_code_unique"),
            models.CheckConstraint(
                condition=Q(min_values__isnull=True)
                | Q(max_values__isnull=True)
                | Q(min_values__lte=models.F("max_values")),
                name="group_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_kind_display()})"

    @property
    def has_values(self) -> bool:
        return self.kind in (GroupKind.CHOICE, GroupKind.MULTI)


class OptionValue(models.Model):
    group = models.ForeignKey(
        OptionGroup, on_delete=models.CASCADE, related_name="values", verbose_name=_("option group")
    )
    code = models.CharField(_("code"), max_length=64, validators=[code_validator])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    price_delta = models.DecimalField(_("price delta"), **MONEY, default=Decimal(0))
    production_code = models.CharField(_("production code"), max_length=64, blank=True)
    swatch = models.CharField(_("swatch"), max_length=7, blank=True, validators=[swatch_validator])
    image = models.ImageField(_("thumbnail"), upload_to="catalog/values/", blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    extensions = models.JSONField(default=dict, blank=True, verbose_name=_("extensions"))

    class Meta:
        ordering = ["group", "position", "id"]
        verbose_name = _("option value")
        verbose_name_plural = _("option values")
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="value_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name_vi}"


class RuleKind(models.TextChoices):
    ALLOWED = "allowed", _("Only these combinations")
    FORBIDDEN = "forbidden", _("Never these combinations")
    REQUIRES = "requires", _("If … then also …")
    EXCLUDES = "excludes", _("If … then never …")


class Rule(models.Model):
    """A rule of the option-set format.

    Tables (``allowed``/``forbidden``) keep ``table_groups`` and ``rows`` (value codes,
    ``"*"`` for any value and ``None`` for an empty optional group); ``requires`` and
    ``excludes`` keep ``condition_if`` and ``condition_then`` (group code to value codes,
    ``["present"]`` for text and image groups).
    """

    version = models.ForeignKey(
        OptionSetVersion, on_delete=models.CASCADE, related_name="rules", verbose_name=_("version")
    )
    rule_id = models.CharField(_("rule id"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    message_vi = models.CharField(_("message (Vietnamese)"), max_length=300, blank=True)
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    table_groups = models.JSONField(default=list, blank=True, verbose_name=_("groups of the table"))
    rows = models.JSONField(default=list, blank=True, verbose_name=_("rows of the table"))
    condition_if = models.JSONField(default=dict, blank=True, verbose_name=_("if"))
    condition_then = models.JSONField(default=dict, blank=True, verbose_name=_("then"))
    extensions = models.JSONField(default=dict, blank=True, verbose_name=_("extensions"))

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.rule_id or f"{self.get_kind_display()} #{self.pk}"


class LayerKind(models.TextChoices):
    BASE = "base", _("Base image")
    TINT = "tint", _("Colour mask tinted by the chosen swatch")
    TEXTURE = "texture", _("Material texture")
    OVERLAY = "overlay", _("Design overlay")
    TEXT = "text", _("Text region")
    ARTWORK = "artwork", _("Uploaded artwork region")


DEFAULT_VIEW_CODE = "front"
#: The view an option set has when its merchant named none (old documents, migrated rows).
DEFAULT_VIEW: dict[str, Any] = {
    "code": DEFAULT_VIEW_CODE,
    "name_vi": "Mặt trước",
    "name_en": "Front",
    "prints": True,
}


class ProductView(models.Model):
    """One way of looking at the product (front, back, side, a detail), with its own layers.

    The first view (by ``position``) is the one the studio opens on; a layer without a view
    belongs to it. ``prints`` says whether the text and pictures placed in this view's
    regions are printed (a detail close-up shows the print, it is not printed again).
    """

    version = models.ForeignKey(
        OptionSetVersion, on_delete=models.CASCADE, related_name="views", verbose_name=_("version")
    )
    code = models.CharField(_("code"), max_length=64, validators=[code_validator])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    prints = models.BooleanField(
        _("printed"),
        default=True,
        help_text=_("The text and pictures placed in this view are printed."),
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("view")
        verbose_name_plural = _("views")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="view_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name_vi}"

    @property
    def names(self) -> dict[str, str]:
        return {"vi": self.name_vi, "en": self.name_en}


class PreviewLayer(models.Model):
    """One layer of the live preview, drawn in ``position`` order.

    A layer with a ``value`` is drawn when that value is chosen; a ``tint`` layer with a
    ``group`` is tinted with the chosen value's swatch; ``text`` and ``artwork`` layers place
    the group's text or upload in the region (x, y, width, height) of the base image. A layer
    belongs to a ``view`` (none: the version's first view); a text or artwork layer with a
    print size is that view's print area.
    """

    version = models.ForeignKey(
        OptionSetVersion,
        on_delete=models.CASCADE,
        related_name="preview_layers",
        verbose_name=_("version"),
    )
    view = models.ForeignKey(
        ProductView,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="layers",
        verbose_name=_("view"),
        help_text=_("Empty: the first view."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LayerKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    group = models.ForeignKey(
        OptionGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="layers",
        verbose_name=_("option group"),
    )
    value = models.ForeignKey(
        OptionValue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="layers",
        verbose_name=_("option value"),
    )
    image = models.ImageField(_("image"), upload_to="catalog/layers/", blank=True)
    font = models.FileField(_("font"), upload_to="catalog/fonts/", blank=True)
    text_color = models.CharField(
        _("text colour"), max_length=7, blank=True, validators=[swatch_validator]
    )
    x = models.PositiveIntegerField(default=0, verbose_name=_("left (px)"))
    y = models.PositiveIntegerField(default=0, verbose_name=_("top (px)"))
    width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width (px)"))
    height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height (px)"))
    print_dpi = models.PositiveSmallIntegerField(_("print DPI"), default=300)
    print_width_mm = models.PositiveIntegerField(_("print width (mm)"), null=True, blank=True)
    print_height_mm = models.PositiveIntegerField(_("print height (mm)"), null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("preview layer")
        verbose_name_plural = _("preview layers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.position}"


def imports_storage() -> Any:
    """Uploads waiting for their import job: outside MEDIA_ROOT, never served."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.CONFIGURATOR_IMPORTS_ROOT, base_url=None)


class ImportJob(models.Model):
    """A large admin upload imported by a task: its progress, and how it ended.

    The file is kept until the job ends. ``counts`` holds what the import reports (lines
    added, duplicates, refused; or groups, values, rules and the version); ``errors`` the
    first problems, each ``{"code", "where", "message"}``.
    """

    class Kind(models.TextChoices):
        OPTION_SET = "option_set", _("option set")
        PURCHASE_EVENTS = "purchase_events", _("purchase events")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(
        _("file"), storage=imports_storage, upload_to="%Y/%m/", max_length=255, blank=True
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    options = models.JSONField(_("options"), default=dict, blank=True)
    lines_total = models.PositiveBigIntegerField(_("lines in the file"), null=True, blank=True)
    lines_done = models.PositiveBigIntegerField(_("lines done"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["option_set", "purchase_events"]), name="importjob_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="importjob_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename} ({self.get_status_display()})"


class BlockedWord(models.Model):
    """A word or phrase shoppers may not write in a text option (the merchant's list).

    Matched without accents, tone marks or case, as whole words, also spelled out letter by
    letter (see :mod:`catalog.moderation`).
    """

    word = models.CharField(
        _("word or phrase"),
        max_length=100,
        unique=True,
        help_text=_(
            "Matched without accents or case (“đ” is “d”), as whole words, also with spaced or "
            "dotted letters (“n.g.u”, “n g u”)."
        ),
    )
    message_vi = models.CharField(
        _("message (Vietnamese)"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the shopper reads. Empty: “This text contains a word the shop does not accept.”"
        ),
    )
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")

    def __str__(self) -> str:
        return self.word
