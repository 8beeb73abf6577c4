"""Admin forms: rules a merchant can write without knowing JSON, images checked on upload."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .grid import (
    GridAxis,
    GridPost,
    GridView,
    RuleGridField,
    cell,
    grid_cells,
    grid_conflict_text,
    grid_lines,
    grid_render,
    grid_view,
)
from .models import (
    BlockedWord,
    GroupKind,
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    PreviewLayer,
    Product,
    Rule,
    RuleKind,
    VersionStatus,
)
from .moderation import words
from .numbers import (
    MAX_VALUES,
    Grid,
    NumberError,
    TooManyValues,
    condition_values,
    grid_of,
    parse_formula,
)
from .patterns import pattern_problem

logger = logging.getLogger(__name__)

ANY, EMPTY = "*", "-"
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def validate_image_file(upload: Any) -> None:
    """Pillow must open it as PNG, JPEG or WebP of at most 10 MB and 40 megapixels."""
    if upload is None or not hasattr(upload, "read"):
        return
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 10 MB."), code="image_size")
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(_("Use a PNG, JPEG or WebP image."), code="image_format")
            if image.width * image.height > 40_000_000:
                raise ValidationError(_("The image has too many pixels."), code="image_pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image."), code="image_invalid") from None


class OptionGroupForm(forms.ModelForm):
    """A group as the admin edits it; the pattern is refused here as an import would."""

    class Meta:
        model = OptionGroup
        fields = [
            "code",
            "kind",
            "position",
            "step",
            "required",
            "name_vi",
            "name_en",
            "help_vi",
            "help_en",
            "max_visible_values",
            "curated_order",
            "min_values",
            "max_values",
            "max_length",
            "pattern",
            "price_per_char",
            "price_delta",
            "cost",
            "cost_per_char",
            "max_bytes",
            "min_width",
            "min_height",
            "formats",
            "number_min",
            "number_max",
            "number_increment",
            "number_default",
            "unit",
            "price_per_unit",
            "price_formula",
            "library",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == GroupKind.NUMBER:
            number_group_problems(self, cleaned)
        if cleaned.get("library") and cleaned.get("kind") not in ("choice", "multi"):
            self.add_error(
                "library",
                ValidationError(
                    _("Only a choose-one or choose-several group takes its values from a library."),
                    code="format.E023",
                ),
            )
        return cleaned

    def clean_pattern(self) -> str:
        pattern = self.cleaned_data.get("pattern") or ""
        problem = pattern_problem(pattern) if pattern else None
        if problem is None:
            return pattern
        kind, reason = problem
        if kind == "syntax":
            raise ValidationError(
                _("This is not a regular expression: %(reason)s.") % {"reason": reason},
                code="format.E026",
            )
        raise ValidationError(
            _(
                "This pattern cannot be checked safely: %(reason)s. Backreferences, "
                "lookahead, lookbehind and word boundaries are not supported."
            )
            % {"reason": reason},
            code="format.E028",
        )


def number_group_problems(form: forms.ModelForm, data: dict[str, Any]) -> None:
    """Add to ``form`` each problem of a measurement group's range, starting number and price,
    in the merchant's words (the Check and the import say the same with format codes)."""
    low, high, increment = (
        data.get("number_min"),
        data.get("number_max"),
        data.get("number_increment"),
    )
    for field, number in (
        ("number_min", low),
        ("number_max", high),
        ("number_increment", increment),
    ):
        if number is None:
            form.add_error(field, _("A measurement needs its smallest, largest and increment."))
    if low is None or high is None or increment is None:
        return
    try:
        grid = grid_of(low, high, increment)
    except TooManyValues:
        form.add_error(
            "number_increment",
            _("This makes more than %(count)s numbers to choose from; use a larger increment.")
            % {"count": MAX_VALUES},
        )
        return
    except NumberError:
        form.add_error(
            "number_max",
            _(
                "The largest must be at least the smallest and reached from it in whole "
                "increments (and the increment more than 0)."
            ),
        )
        return
    default = data.get("number_default")
    if default is not None and not grid.contains(default):
        form.add_error(
            "number_default", _("The starting number must be one of the numbers offered.")
        )
    formula = data.get("price_formula") or ""
    if formula and data.get("price_per_unit") is not None:
        form.add_error("price_formula", _("Give a price per unit or a formula, not both."))
    if formula:
        try:
            parse_formula(formula)
        except NumberError as exc:
            logger.info("admin: price formula refused: %r (%s)", formula[:100], exc)
            form.add_error(
                "price_formula",
                _(
                    "This formula cannot be read. Use codes of measurement groups, numbers, "
                    "+ - * / and brackets, and divide only by a number."
                ),
            )


def _zero_when_empty(form: forms.ModelForm, name: str) -> Decimal:
    """A cost left empty is no cost: merchants fill costs in when they know them."""
    amount = form.cleaned_data.get(name)
    return Decimal(0) if amount is None else amount


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "sku",
            "name_vi",
            "name_en",
            "is_active",
            "base_price",
            "currency",
            "max_visible_values",
            "base_cost",
            "min_margin",
            "description_vi",
            "description_en",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "base_cost" in self.fields:
            self.fields["base_cost"].required = False

    def clean_base_cost(self) -> Decimal:
        return _zero_when_empty(self, "base_cost")


class OptionValueForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost"].required = False

    def clean_cost(self) -> Decimal:
        return _zero_when_empty(self, "cost")

    class Meta:
        model = OptionValue
        fields = [
            "code",
            "name_vi",
            "name_en",
            "position",
            "price_delta",
            "cost",
            "production_code",
            "swatch",
            "image",
            "is_default",
            "is_active",
        ]
        # A text box, not <input type="color">: a colour input cannot be empty and sends
        # #000000, which showed black dots for values that have no swatch.
        widgets = {
            "swatch": forms.TextInput(
                attrs={"placeholder": "#rrggbb", "maxlength": 7, "pattern": "#[0-9a-fA-F]{6}"}
            )
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        validate_image_file(image)
        return image


class PreviewLayerForm(forms.ModelForm):
    class Meta:
        model = PreviewLayer
        fields = [
            "kind",
            "view",
            "position",
            "group",
            "value",
            "image",
            "font",
            "text_color",
            "color_group",
            "font_group",
            "x",
            "y",
            "width",
            "height",
            "print_dpi",
            "print_width_mm",
            "print_height_mm",
        ]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        validate_image_file(image)
        return image


@dataclass(frozen=True)
class GroupSeen:
    """A group as a rule sees it: its kind, whether it is required, its value codes; for the
    rule's grid, its name and its values' (code, name) in order."""

    kind: str
    required: bool
    values: frozenset[str]
    name: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    grid: Grid | None = None  # a measurement group's numbers, when its range is valid

    def axis(self, code: str) -> GridAxis:
        return GridAxis(
            code=code, name=self.name or code, required=self.required, values=self.labels
        )


def _grid(low: Any, high: Any, increment: Any) -> Grid | None:
    try:
        return grid_of(low, high, increment) if None not in (low, high, increment) else None
    except NumberError:
        return None


GroupsSource = Callable[[], Mapping[str, GroupSeen]]


def saved_groups(version_id: int | None) -> dict[str, GroupSeen]:
    """The groups of a saved version, by code."""
    if not version_id:
        return {}
    groups = OptionGroup.objects.filter(version_id=version_id).prefetch_related("values")
    return {
        g.code: GroupSeen(
            g.kind,
            g.required,
            frozenset(v.code for v in g.values.all()),
            g.name_vi,
            tuple((v.code, v.name_vi or v.code) for v in g.values.all()),
            _grid(g.number_min, g.number_max, g.number_increment),
        )
        for g in groups
    }


def _fate(form: forms.ModelForm, formset: Any) -> tuple[str | None, str]:
    """An inline form's saved code and what this save does to it: "deleted", "unchanged"
    (including an empty extra form), "invalid" or "saved"."""
    saved_code = form.initial.get("code") if form.instance.pk else None
    valid = form.is_valid()  # also fills cleaned_data, which the DELETE box is read from
    if formset.can_delete and formset._should_delete_form(form):
        return saved_code, "deleted"
    if not form.has_changed():
        return saved_code, "unchanged"
    return saved_code, "saved" if valid else "invalid"


def submitted_groups(version_id: int | None, groups_formset: Any) -> dict[str, GroupSeen]:
    """The groups a version will have once this submission is saved, by code.

    Starts from the saved groups and applies the groups formset and each group's values
    formset: what is deleted or renamed here leaves under its old code, what is added or
    renamed here comes under its new one. A form that does not validate changes nothing
    here (its own error is shown beside it).
    """
    groups = saved_groups(version_id)
    for form in groups_formset.forms:
        saved_code, fate = _fate(form, groups_formset)
        if fate == "deleted" and saved_code is not None:
            groups.pop(saved_code, None)
        if fate in ("deleted", "invalid") or (fate == "unchanged" and saved_code is None):
            continue
        before = groups.pop(saved_code, None) if saved_code is not None else None
        # code -> (position, name): the saved values keep their order, the saved ones here
        # take the position and name posted.
        values = {code: (i, name) for i, (code, name) in enumerate(before.labels)} if before else {}
        for nested in getattr(form, "nested_formsets", []):
            for value_form in nested.forms:
                saved_value, value_fate = _fate(value_form, nested)
                if value_fate in ("deleted", "saved"):
                    values.pop(saved_value or "", None)
                if value_fate == "saved":
                    posted = value_form.cleaned_data
                    name = posted.get("name_vi") or posted["code"]
                    values[posted["code"]] = (posted.get("position") or 0, name)
        labels = tuple(
            (code, name) for code, (_p, name) in sorted(values.items(), key=lambda v: v[1][0])
        )
        if fate == "unchanged" and before is not None and saved_code is not None:
            groups[saved_code] = GroupSeen(
                before.kind,
                before.required,
                frozenset(values),
                before.name,
                labels,
                before.grid,
            )
        else:
            data = form.cleaned_data
            grid = _grid(
                data.get("number_min"), data.get("number_max"), data.get("number_increment")
            )
            groups[data["code"]] = GroupSeen(
                data["kind"],
                data["required"],
                frozenset(values),
                data.get("name_vi", ""),
                labels,
                grid,
            )
    return groups


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _codes(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def rule_groups_text(rule: Rule) -> str:
    """A table rule's groups as the form shows them: ``material, color``."""
    return ", ".join(rule.table_groups or [])


def rule_rows_text(rule: Rule) -> str:
    """A table rule's rows as the form shows them: one combination per line."""
    return "\n".join(
        ", ".join(ANY if c == ANY else EMPTY if c is None else c for c in row)
        for row in rule.rows or []
    )


def rule_grid_readonly(rule: Rule, groups: Mapping[str, GroupSeen]) -> str:
    """A saved table rule's grid over its version's ``groups``, boxes that cannot be changed
    (a published version)."""
    return grid_render(
        grid_view(
            name=f"rule-{rule.pk}-grid",
            kind=rule.kind,
            codes=list(rule.table_groups or []),
            lines=rule_rows_text(rule).splitlines(),
            message=rule.message_vi,
            axes={
                code: group.axis(code) for code, group in groups.items() if group.kind == "choice"
            },
            readonly=True,
        )
    )


def condition_text(condition: Mapping[str, Any] | None) -> str:
    """A condition as the form shows it: one ``group: value, value`` per line."""
    return "\n".join(f"{group}: {', '.join(values)}" for group, values in (condition or {}).items())


class RuleForm(forms.ModelForm):
    """A rule as text: tables as one row per line, conditions as ``group: value, value``."""

    groups_text = forms.CharField(
        label=_("groups"),
        required=False,
        help_text=_("For tables: the group codes, comma separated, e.g. “material, color”."),
    )
    rows_text = forms.CharField(
        label=_("rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_(
            "One combination per line, value codes comma separated; “*” any value, “-” left empty."
        ),
    )
    if_text = forms.CharField(
        label=_("if"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("One group per line: “material: suede” (text and image: “present”)."),
    )
    then_text = forms.CharField(
        label=_("then"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    grid = RuleGridField(
        label=_("grid"),
        help_text=_(
            "For a table over two “choose one” groups: tick one box per pair of values. The grid "
            "and the rows are the same rule: change either one."
        ),
    )

    class Meta:
        model = Rule
        fields = ["kind", "rule_id", "position", "message_vi", "message_en"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = self.instance
        if rule.pk:
            self.fields["groups_text"].initial = rule_groups_text(rule)
            self.fields["rows_text"].initial = rule_rows_text(rule)
            self.fields["if_text"].initial = condition_text(rule.condition_if)
            self.fields["then_text"].initial = condition_text(rule.condition_then)
        self.fields["grid"].widget.view = self._grid_view

    def _grid_view(self, name: str) -> GridView:
        """The grid as the page shows it now: from the rows text shown (saved, posted, or
        written from the grid by :meth:`clean`), else from the boxes posted."""
        post = self["grid"].data if self.is_bound else None
        groups = self._version_groups()
        return grid_view(
            name=name,
            kind=str(self["kind"].value() or ""),
            codes=_codes(self["groups_text"].value()),
            lines=_lines(self["rows_text"].value() or ""),
            message=str(self["message_vi"].value() or ""),
            axes={
                code: group.axis(code) for code, group in groups.items() if group.kind == "choice"
            },
            posted=post.cells if isinstance(post, GridPost) else None,
        )

    #: Where the rule reads the version's groups from; the version admin points it at the
    #: groups in the same submission, so a rule may name groups added in the same save.
    groups_source: GroupsSource | None = None

    def _version_groups(self) -> Mapping[str, GroupSeen]:
        if self.groups_source is not None:
            return self.groups_source()
        return saved_groups(self.instance.version_id)

    def _values(self, group: GroupSeen) -> frozenset[str]:
        return group.values

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        kind = data.get("kind")
        groups = self._version_groups()
        if kind in (RuleKind.ALLOWED, RuleKind.FORBIDDEN):
            codes = _codes(data.get("groups_text"))
            if not codes:
                self.add_error("groups_text", _("Name the groups of the table."))
                return data
            for code in codes:
                group = groups.get(code)
                if group is None:
                    self.add_error("groups_text", _("Unknown group “%(code)s”.") % {"code": code})
                elif group.kind != "choice":
                    self.add_error(
                        "groups_text",
                        _("Tables take “choose one” groups; “%(code)s” is not one.")
                        % {"code": code},
                    )
            if self.errors:
                return data
            lines = self._table_lines(data, codes, groups)
            if lines is None:
                return data
            rows: list[list[str | None]] = []
            for number, line in enumerate(lines, start=1):
                cells = [c.strip() for c in line.split(",")]
                if len(cells) != len(codes):
                    self.add_error(
                        "rows_text",
                        _("Line %(n)d has %(got)d values; the table has %(want)d groups.")
                        % {"n": number, "got": len(cells), "want": len(codes)},
                    )
                    continue
                row: list[str | None] = []
                for code, cell in zip(codes, cells, strict=True):
                    group = groups[code]
                    if cell == EMPTY:
                        if group.required:
                            self.add_error(
                                "rows_text",
                                _("Line %(n)d: “%(code)s” is required and cannot be empty.")
                                % {"n": number, "code": code},
                            )
                        row.append(None)
                    elif cell == ANY or cell in self._values(group):
                        row.append(cell)
                    else:
                        self.add_error(
                            "rows_text",
                            _("Line %(n)d: “%(value)s” is not a value of “%(code)s”.")
                            % {"n": number, "value": cell, "code": code},
                        )
                rows.append(row)
            if not rows and not self.errors:
                self.add_error("rows_text", _("Write at least one combination."))
            self._table = (codes, rows)
        elif kind in (RuleKind.REQUIRES, RuleKind.EXCLUDES):
            self._conditions = {}
            for name in ("if_text", "then_text"):
                condition: dict[str, list[str]] = {}
                for line in _lines(data.get(name, "")):
                    code, _sep, listed = line.partition(":")
                    code = code.strip()
                    values = [v.strip() for v in listed.split(",") if v.strip()]
                    group = groups.get(code)
                    if group is None:
                        self.add_error(name, _("Unknown group “%(code)s”.") % {"code": code})
                        continue
                    if group.kind == GroupKind.NUMBER:
                        if self._number_condition(name, code, group, values):
                            condition[code] = values
                        continue
                    allowed = (
                        {"present"} if group.kind in ("text", "image") else self._values(group)
                    )
                    wrong = [v for v in values if v not in allowed]
                    if not values or wrong:
                        self.add_error(
                            name,
                            _("“%(code)s” takes: %(allowed)s.")
                            % {"code": code, "allowed": ", ".join(sorted(allowed))},
                        )
                        continue
                    condition[code] = values
                if not condition and name not in self.errors:
                    self.add_error(name, _("Name at least one group."))
                self._conditions[name] = condition
        return data

    def _table_lines(
        self, data: dict[str, Any], codes: list[str], groups: Mapping[str, GroupSeen]
    ) -> list[str] | None:
        """The table's lines: the grid's when its boxes changed, else the rows text's; None
        (with an error) when the two were changed to say different things."""
        # The rows as posted: a second clean (nested-admin cleans again) must not read the
        # rows this method wrote for the page.
        posted_rows = self.__dict__.setdefault("_rows_posted", data.get("rows_text", ""))
        lines = _lines(posted_rows)
        post = data.get("grid")
        if not isinstance(post, GridPost):
            return lines
        if post.too_large:
            logger.info(
                "rule %s of version %s: grid refused, too large",
                self.instance.pk,
                self.instance.version_id,
            )
            self.add_error("grid", _("The grid sent is larger than a grid can be."))
            return None
        if not post.edited:
            return lines
        if list(post.axes) != codes:
            logger.info(
                "rule %s: grid drawn for %s, groups now %s", self.instance.pk, post.axes, codes
            )
            self.add_error("grid", grid_conflict_text(post.axes))
            return None
        rows, columns = (groups[code].axis(code) for code in codes)
        # Text left as it was reads as the boxes that were ticked, less those of values
        # deleted in this save; text the script wrote reads as the boxes ticked now.
        boxes = {cell(a, b) for a, _n in rows.values for b, _m in columns.values}
        if grid_cells(lines, rows, columns) not in (post.was & boxes, post.cells & boxes):
            logger.info("rule %s: grid and rows both changed, differently", self.instance.pk)
            self.add_error(
                "grid",
                _(
                    "The grid and the rows were both changed, and they say different things: "
                    "change one of them only."
                ),
            )
            return None
        lines = grid_lines(post.cells, rows, columns)
        # The page drawn again (after an error elsewhere) shows the rows the grid wrote.
        shown = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
        shown[self.add_prefix("rows_text")] = "\n".join(lines)
        self.data = shown
        return lines

    def _number_condition(self, name: str, code: str, group: GroupSeen, values: list[str]) -> bool:
        """Whether each item names numbers of the measurement group (else said beside it)."""
        if group.grid is None:
            self.add_error(name, _("Fix the range of “%(code)s” first.") % {"code": code})
            return False
        for item in values or [""]:
            try:
                condition_values(group.grid, item)
            except NumberError:
                self.add_error(
                    name,
                    _(
                        "“%(item)s” names no number of “%(code)s”: write a number it offers, "
                        "“>200”, “<=200” or “100..200”."
                    )
                    % {"item": item, "code": code},
                )
                return False
        return True

    def save(self, commit: bool = True) -> Rule:
        rule = super().save(commit=False)
        if rule.kind in (RuleKind.ALLOWED, RuleKind.FORBIDDEN):
            rule.table_groups, rule.rows = self._table
            rule.condition_if, rule.condition_then = {}, {}
        else:
            rule.condition_if = self._conditions["if_text"]
            rule.condition_then = self._conditions["then_text"]
            rule.table_groups, rule.rows = [], []
        if commit:
            rule.save()
        return rule


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Option-set JSON file"))
    publish = forms.BooleanField(label=_("Publish right away"), required=False)


class OptionSetVersionForm(forms.ModelForm):
    """A version's own fields; a new one is refused when its product has a draft already
    (a product has one draft at a time: the merchant edits or publishes it first)."""

    class Meta:
        model = OptionSetVersion
        fields = ["product", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        product = cleaned.get("product")
        if self.instance.pk is None and product is not None:
            draft = OptionSetVersion.objects.filter(
                product=product, status=VersionStatus.DRAFT
            ).first()
            if draft is not None:
                self.add_error(
                    "product",
                    ValidationError(
                        _(
                            "This product already has a draft (version %(number)d): open it "
                            "to edit it, or publish it first."
                        ),
                        code="draft_exists",
                        params={"number": draft.number},
                    ),
                )
        return cleaned


class BlockedWordForm(forms.ModelForm):
    """A blocked word: it must hold a letter or a digit, and be new once folded."""

    class Meta:
        model = BlockedWord
        fields = ["word", "message_vi", "message_en", "is_active"]

    def clean_word(self) -> str:
        word = " ".join(self.cleaned_data["word"].split())
        folded = words(word)
        if not folded:
            raise ValidationError(
                _("Write a word with at least one letter or digit."), code="no_letters"
            )
        others = BlockedWord.objects.exclude(pk=self.instance.pk).values_list("word", flat=True)
        same = next((other for other in others if words(other) == folded), None)
        if same is not None:
            raise ValidationError(
                _("“%(word)s” is already blocked (the same word without accents or case).")
                % {"word": same},
                code="duplicate",
            )
        return word
