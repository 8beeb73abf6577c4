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
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
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
NUMBER: dict[str, Any] = {"max_digits": 12, "decimal_places": 3}  # catalog.numbers
LEAD_TIME_MAX_DAYS = 365
STOCK_MAX = 10_000_000


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
    base_cost = models.DecimalField(
        _("production cost"),
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("What making the product costs before any option. Shoppers never see it."),
    )
    min_margin = models.DecimalField(
        _("minimum margin (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("99.99"))],
        help_text=_(
            "The Check warns when some configuration keeps less than this share of its price."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("production time (days)"),
        default=0,
        validators=[MaxValueValidator(LEAD_TIME_MAX_DAYS)],
        help_text=_(
            "Days from the order to shipping for any design; the slowest chosen value's "
            "lead time is added (Stock and lead time)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(base_price__gte=0), name="product_price_gte_0"),
            models.CheckConstraint(condition=Q(base_cost__gte=0), name="product_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(min_margin__isnull=True) | Q(min_margin__gte=0, min_margin__lt=100),
                name="product_min_margin_percent",
            ),
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


class LibraryKind(models.TextChoices):
    PALETTE = "palette", _("Colour palette")
    MATERIAL = "material", _("Materials")
    FONT = "font", _("Fonts")


class Library(models.Model):
    """Values defined once and used by many products: a palette, materials, fonts.

    A choice or multi group that names a library takes its values from it; a change of the
    library reaches every draft that uses it (``catalog.services.library_propagate``) and so
    every product's next version. Published versions keep the copy they were published with.
    """

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=10, choices=LibraryKind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("shared library")
        verbose_name_plural = _("shared libraries")

    def __str__(self) -> str:
        return f"{self.code} · {self.name_vi}"


class LibraryValue(models.Model):
    """One value of a library, copied into every group that uses the library."""

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="values", verbose_name=_("shared library")
    )
    code = models.CharField(_("code"), max_length=64, validators=[code_validator])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    price_delta = models.DecimalField(_("price delta"), **MONEY, default=Decimal(0))
    cost = models.DecimalField(
        _("production cost"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    production_code = models.CharField(_("production code"), max_length=64, blank=True)
    swatch = models.CharField(_("swatch"), max_length=7, blank=True, validators=[swatch_validator])
    font = models.FileField(_("font"), upload_to="catalog/fonts/", blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)

    class Meta:
        ordering = ["library", "position", "id"]
        verbose_name = _("library value")
        verbose_name_plural = _("library values")
        constraints = [
            models.UniqueConstraint(fields=["library", "code"], name="library_value_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name_vi}"


class GroupKind(models.TextChoices):
    CHOICE = "choice", _("Choose one")
    MULTI = "multi", _("Choose several")
    TEXT = "text", _("Text")
    IMAGE = "image", _("Uploaded image")
    NUMBER = "number", _("Measurement")


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
    cost = models.DecimalField(
        _("production cost"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Making one text or picture, whatever its size."),
    )
    # text
    cost_per_char = models.DecimalField(
        _("production cost per character"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    # image
    max_bytes = models.PositiveIntegerField(_("max bytes"), null=True, blank=True)
    min_width = models.PositiveIntegerField(_("min width (px)"), null=True, blank=True)
    min_height = models.PositiveIntegerField(_("min height (px)"), null=True, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    # number (see catalog.numbers): minimum to maximum by increment, exactly
    number_min = models.DecimalField(_("smallest"), **NUMBER, null=True, blank=True)
    number_max = models.DecimalField(_("largest"), **NUMBER, null=True, blank=True)
    number_increment = models.DecimalField(
        _("increment"),
        **NUMBER,
        null=True,
        blank=True,
        help_text=_("The shopper picks the smallest, then the smallest plus this, and so on."),
    )
    number_default = models.DecimalField(_("starting number"), **NUMBER, null=True, blank=True)
    unit = models.CharField(
        _("unit"), max_length=16, blank=True, help_text=_("Shown after the number, e.g. cm.")
    )
    price_per_unit = models.DecimalField(_("price per unit"), **MONEY, null=True, blank=True)
    price_formula = models.CharField(
        _("price formula"),
        max_length=500,
        blank=True,
        help_text=_(
            "Instead of a price per unit: e.g. width * height / 10000 * 150000 "
            "(codes of measurement groups, numbers, + - * / and brackets)."
        ),
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("shared library"),
        help_text=_("The values come from this library; change them there, for every product."),
    )
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
    # "cost", short: the values table must fit a laptop's width (tests/browser).
    cost = models.DecimalField(
        _("cost"), **MONEY, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
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
    # The shopper's choice among the merchant's lists: a text layer may take its colour and
    # its font from the value chosen in a choose-one group (thread colours, a font library).
    color_group = models.ForeignKey(
        OptionGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="colored_layers",
        verbose_name=_("text colour from"),
        help_text=_(
            "A choose-one group whose values have swatches: the text takes the colour the "
            "shopper chooses there (the text colour above until then)."
        ),
    )
    font_group = models.ForeignKey(
        OptionGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="font_layers",
        verbose_name=_("font from"),
        help_text=_(
            "A choose-one group whose values have fonts (a font library): the text is set in "
            "the font the shopper chooses there (the font above until then)."
        ),
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


class ValueStock(models.Model):
    """Stock and lead time of one value of a product (a leather, a thread colour).

    Kept outside the option set: it changes every day without a publish. A value out of
    stock (``quantity`` 0) is switched off in the studio at once; ``quantity`` empty means
    the value is not counted (always available). Orders take from ``quantity`` when placed
    and give back when cancelled (``configurator/orders``); it never goes below zero.
    """

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="stock", verbose_name=_("product")
    )
    group_code = models.CharField(
        _("option group code"), max_length=64, validators=[code_validator]
    )
    value_code = models.CharField(_("value code"), max_length=64, validators=[code_validator])
    quantity = models.PositiveIntegerField(
        _("in stock"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(STOCK_MAX)],
        help_text=_("Empty: not counted, always available. 0: out of stock."),
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        default=0,
        validators=[MaxValueValidator(LEAD_TIME_MAX_DAYS)],
        help_text=_("Extra days to make a design with this value."),
    )
    restock_date = models.DateField(
        _("expected back in stock"),
        null=True,
        blank=True,
        help_text=_("Shown to shoppers while the value is out of stock."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["product", "group_code", "value_code"]
        verbose_name = _("stock of a value")
        verbose_name_plural = _("stock and lead times")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "group_code", "value_code"], name="value_stock_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="value_stock_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_code}:{self.value_code}"

    @property
    def out_of_stock(self) -> bool:
        return self.quantity is not None and self.quantity <= 0
