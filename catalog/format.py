"""The option-set/1 interchange format: read and validate a document before anything is written.

:func:`parse_option_set` checks the whole document (format tag, product, groups, values, rules
and the catalog's extension keys) and either returns an :class:`OptionSetData`, a normalized
in-memory copy ready to be written, or raises :class:`OptionSetFormatError` listing every
problem with a stable ``format.E0xx`` code and its JSON path. The format and the canonical form
that exports produce are described in ``docs/option-set-format.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .extensions import Problem
from .limits import document_limits
from .models import CODE_PATTERN, GroupKind, LayerKind, RuleKind
from .money import Currency, has_valid_decimals
from .patterns import pattern_problem

FORMAT_TAG = "option-set/1"
LANGUAGES = ("en", "vi")
ANY = "*"
PRESENT = "present"
IMAGE_FORMATS = ("gif", "jpeg", "png", "webp")
MAX_AMOUNT = Decimal(10) ** 12  # Product and value prices are DecimalField(14, 2).
SMALL_INT = 32767  # PositiveSmallIntegerField
INT = 2147483647  # PositiveIntegerField

FORMAT_CODES: dict[str, str] = {
    "format.E001": "The document is not a JSON object.",
    "format.E002": "The format tag is missing or is not “option-set/1”.",
    "format.E003": "Unknown key.",
    "format.E004": "A required key is missing.",
    "format.E005": "A value has the wrong type.",
    "format.E006": "A name, help or message is empty, too long or in an unknown language.",
    "format.E007": "A text is too long.",
    "format.E010": "Invalid SKU.",
    "format.E011": "Unknown currency.",
    "format.E012": "Invalid amount (not a decimal string, or a negative base price).",
    "format.E013": "An amount has more decimals than the currency allows.",
    "format.E014": "An amount is too large.",
    "format.E020": "Invalid group code.",
    "format.E021": "Duplicate group code.",
    "format.E022": "Unknown group kind.",
    "format.E023": "A field does not belong to the group's kind.",
    "format.E024": "An integer is out of range.",
    "format.E025": "A multi group's min is more than its max.",
    "format.E026": "Invalid regular expression.",
    "format.E027": "Unknown image format.",
    "format.E028": "A regular expression uses what linear-time matching cannot do "
    "(backreferences, lookaround, word boundaries).",
    "format.E030": "Invalid value code.",
    "format.E031": "Duplicate value code in a group.",
    "format.E032": "More than one default in a choice group.",
    "format.E033": "Invalid swatch colour.",
    "format.E034": "Attributes are not an object of strings.",
    "format.E040": "Unknown rule kind.",
    "format.E041": "A table rule's groups are empty or repeat a group.",
    "format.E042": "A rule names an unknown group.",
    "format.E043": "A table rule names a group that is not a choice group.",
    "format.E044": "A table row has the wrong number of cells.",
    "format.E045": "A rule names an unknown value.",
    "format.E046": "A table row leaves a required group empty (null).",
    "format.E047": "A table cell is neither a value code, “*” nor null.",
    "format.E050": "A condition is not an object naming at least one group.",
    "format.E052": "A condition's value list is empty or not a list of strings.",
    "format.E054": "A text or image group is named in a condition with something else "
    'than ["present"].',
    "format.E055": "Duplicate rule id.",
    "format.E060": "Unknown extension key or wrong extension value.",
    "format.E061": "A preview layer names an unknown kind, group or value.",
}

_CODE_RE = re.compile(CODE_PATTERN)
_AMOUNT_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_SWATCH_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_GROUP_COMMON = ("code", "name", "kind", "step", "required", "max_visible_values", "help")
_GROUP_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "choice": ("values",),
    "multi": ("values", "min", "max"),
    "text": ("max_length", "pattern", "price_delta", "price_per_char"),
    "image": ("max_bytes", "min_width", "min_height", "formats", "price_delta"),
}
_GROUP_KIND_ONLY = {key for keys in _GROUP_KIND_KEYS.values() for key in keys}
_VALUE_KEYS = ("code", "name", "price_delta", "production_code", "swatch", "attributes", "default")
_LAYER_KEYS = (
    "kind", "group", "value", "image", "font", "text_color", "x", "y", "width", "height",
    "print_dpi", "print_width_mm", "print_height_mm",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Names:
    """Texts in the two languages the catalog stores; ``""`` where a language is missing."""

    vi: str = ""
    en: str = ""


@dataclass(frozen=True, slots=True)
class ValueData:
    code: str
    name: Names
    price_delta: Decimal = Decimal(0)
    production_code: str = ""
    swatch: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    default: bool = False
    active: bool = True
    image: str = ""
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupData:
    code: str
    name: Names
    kind: str
    values: tuple[ValueData, ...] = ()
    step: int | None = None
    required: bool = True
    max_visible_values: int | None = None
    help: Names = Names()
    curated_order: bool = False
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    pattern: str = ""
    price_delta: Decimal | None = None
    price_per_char: Decimal | None = None
    max_bytes: int | None = None
    min_width: int | None = None
    min_height: int | None = None
    formats: tuple[str, ...] = ()
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleData:
    kind: str
    id: str = ""
    message: Names = Names()
    groups: tuple[str, ...] = ()
    rows: list[list[str | None]] = field(default_factory=list)
    if_: dict[str, list[str]] = field(default_factory=dict)
    then: dict[str, list[str]] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LayerData:
    kind: str
    group: str | None = None
    value: str | None = None
    image: str = ""
    font: str = ""
    text_color: str = ""
    x: int = 0
    y: int = 0
    width: int | None = None
    height: int | None = None
    print_dpi: int = 300
    print_width_mm: int | None = None
    print_height_mm: int | None = None


@dataclass(frozen=True, slots=True)
class ProductData:
    sku: str
    name: Names
    base_price: Decimal
    currency: str
    max_visible_values: int | None = None
    description: Names = Names()
    active: bool = True


@dataclass(frozen=True, slots=True)
class OptionSetData:
    """A validated option-set/1 document, in the shape the catalog stores it."""

    product: ProductData
    groups: tuple[GroupData, ...]
    rules: tuple[RuleData, ...]
    note: str = ""
    layers: tuple[LayerData, ...] = ()


class OptionSetFormatError(Exception):
    """The document is not a valid option-set/1 document; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(f"{p.path}: {p.message} [{p.code}]" for p in self.problems[:5])
        more = len(self.problems) - 5
        super().__init__(shown + (f"; and {more} more" if more > 0 else ""))


def key_path(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` when ``key`` is not a plain identifier."""
    if _IDENTIFIER_RE.match(key):
        return f"{path}.{key}"
    return f'{path}["{key}"]'


def parse_option_set(document: Any) -> OptionSetData:
    """The validated, normalized content of ``document``.

    Raises :class:`OptionSetFormatError` with every problem found; nothing is returned
    unless the whole document is valid. A document over the import's limits
    (:mod:`catalog.limits`) is refused with those problems alone, before it is walked.
    """
    if over := document_limits(document):
        raise OptionSetFormatError(over)
    parser = _Parser()
    data = parser.document(document)
    if parser.problems or data is None:
        raise OptionSetFormatError(parser.problems)
    return data


class _Parser:
    """Walks a document once, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.currency: str | None = None

    def add(self, code: str, path: str, message: str) -> None:
        self.problems.append(Problem(code=code, message=message, path=path))

    # Generic shapes.

    def keys(
        self,
        raw: dict[str, Any],
        path: str,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        misplaced: set[str] | frozenset[str] = frozenset(),
        kind: str = "",
    ) -> None:
        for key in required:
            if key not in raw:
                self.add("format.E004", key_path(path, key), f"“{key}” is required.")
        allowed = {*required, *optional, "extensions"}
        for key in raw:
            if key in allowed:
                continue
            if key in misplaced:
                self.add(
                    "format.E023", key_path(path, key), f"“{key}” does not apply to {kind} groups."
                )
            else:
                self.add("format.E003", key_path(path, key), f"Unknown key “{key}”.")

    def obj(self, raw: Any, path: str, what: str) -> dict[str, Any] | None:
        if isinstance(raw, dict):
            return raw
        self.add("format.E005", path, f"{what} must be an object.")
        return None

    def lst(self, raw: Any, path: str, what: str) -> list[Any]:
        if isinstance(raw, list):
            return raw
        self.add("format.E005", path, f"{what} must be a list.")
        return []

    def text(self, raw: Any, path: str, *, max_length: int, default: str = "") -> str:
        if raw is None:
            return default
        if not isinstance(raw, str):
            self.add("format.E005", path, "Must be a string.")
            return default
        if len(raw) > max_length:
            self.add("format.E007", path, f"At most {max_length} characters.")
        return raw

    def boolean(self, raw: Any, path: str, *, default: bool) -> bool:
        if raw is None:
            return default
        if not isinstance(raw, bool):
            self.add("format.E005", path, "Must be true or false.")
            return default
        return raw

    def integer(self, raw: Any, path: str, *, low: int, high: int) -> int | None:
        if raw is None:
            return None
        if not isinstance(raw, int) or isinstance(raw, bool):
            self.add("format.E005", path, "Must be an integer.")
            return None
        if not low <= raw <= high:
            self.add("format.E024", path, f"Must be between {low} and {high}.")
            return None
        return raw

    def names(self, raw: Any, path: str, *, required: bool, max_length: int) -> Names:
        if raw is None:
            return Names()
        if isinstance(raw, str):
            texts = {"vi": raw}
        elif isinstance(raw, dict):
            texts = {}
            for language, text in raw.items():
                sub = key_path(path, language)
                if language not in LANGUAGES:
                    self.add("format.E006", sub, f"Unknown language “{language}”: use “vi”, “en”.")
                elif not isinstance(text, str):
                    self.add("format.E005", sub, "Must be a string.")
                else:
                    texts[language] = text
        else:
            self.add("format.E005", path, "Must be a string or an object of language to text.")
            return Names()
        for language, text in texts.items():
            if len(text) > max_length:
                sub = path if isinstance(raw, str) else key_path(path, language)
                self.add("format.E006", sub, f"At most {max_length} characters.")
        if required and not any(text.strip() for text in texts.values()):
            self.add("format.E006", path, "Must not be empty.")
        return Names(vi=texts.get("vi", ""), en=texts.get("en", ""))

    def amount(self, raw: Any, path: str, *, negative: bool = True) -> Decimal | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not _AMOUNT_RE.match(raw):
            self.add("format.E012", path, 'Write amounts as decimal strings, e.g. "350000".')
            return None
        amount = Decimal(raw)
        if amount < 0 and not negative:
            self.add("format.E012", path, "Must not be negative.")
        elif abs(amount) >= MAX_AMOUNT:
            self.add("format.E014", path, "Must be less than 1,000,000,000,000.")
        elif self.currency and not has_valid_decimals(amount, self.currency):
            self.add("format.E013", path, f"Too many decimals for {self.currency}.")
        return amount

    def code(self, raw: Any, path: str, error: str, what: str) -> str | None:
        if isinstance(raw, str) and len(raw) <= 64 and _CODE_RE.match(raw):
            return raw
        self.add(
            error,
            path,
            f"{what} must be 1 to 64 letters, digits, “_”, “-” or “.”, not {_show(raw)}.",
        )
        return None

    def extensions(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        """The ``extensions`` object of ``raw`` (``{}`` when absent)."""
        extensions = raw.get("extensions")
        if extensions is None:
            return {}
        if not isinstance(extensions, dict):
            self.add("format.E005", f"{path}.extensions", "Must be an object.")
            return {}
        return extensions

    def strict_extensions(
        self, raw: dict[str, Any], path: str, known: tuple[str, ...]
    ) -> dict[str, Any]:
        """The ``extensions`` object of ``raw``, refusing keys other than ``known``."""
        extensions = self.extensions(raw, path)
        for key in extensions:
            if key not in known:
                self.add(
                    "format.E060",
                    key_path(f"{path}.extensions", key),
                    f"Unknown extension “{key}” here; known: {', '.join(known)}.",
                )
        return extensions

    # The document.

    def document(self, raw: Any) -> OptionSetData | None:
        if not isinstance(raw, dict):
            self.add("format.E001", "$", "The document must be a JSON object.")
            return None
        if raw.get("format") != FORMAT_TAG:
            self.add("format.E002", "$.format", f'The format must be "{FORMAT_TAG}".')
        self.keys(raw, "$", required=("format", "product", "groups"), optional=("rules",))
        extensions = self.strict_extensions(raw, "$", ("note", "preview_layers"))
        product = self.product(raw.get("product"))
        groups = self.groups(raw.get("groups", []))
        by_code = {group.code: group for group in groups}
        rules = self.rules(raw.get("rules", []), by_code)
        note = self.text(extensions.get("note"), "$.extensions.note", max_length=200)
        layers = self.layers(extensions.get("preview_layers", []), by_code)
        if product is None:
            return None
        return OptionSetData(product=product, groups=groups, rules=rules, note=note, layers=layers)

    def product(self, raw: Any) -> ProductData | None:
        path = "$.product"
        if raw is None or (raw := self.obj(raw, path, "The product")) is None:
            return None
        self.keys(
            raw,
            path,
            required=("sku", "name", "base_price", "currency"),
            optional=("max_visible_values",),
        )
        currency = raw.get("currency")
        if currency is not None and currency not in Currency.values:
            self.add(
                "format.E011",
                f"{path}.currency",
                f"Unknown currency {_show(currency)}; use one of {', '.join(Currency.values)}.",
            )
        elif isinstance(currency, str):
            self.currency = currency
        extensions = self.strict_extensions(raw, path, ("active", "description"))
        sku = self.code(raw.get("sku"), f"{path}.sku", "format.E010", "The SKU")
        base_price = self.amount(raw.get("base_price"), f"{path}.base_price", negative=False)
        return ProductData(
            sku=sku or "",
            name=self.names(raw.get("name"), f"{path}.name", required=True, max_length=200),
            base_price=base_price if base_price is not None else Decimal(0),
            currency=self.currency or "",
            max_visible_values=self.integer(
                raw.get("max_visible_values"), f"{path}.max_visible_values", low=1, high=SMALL_INT
            ),
            description=self.names(
                extensions.get("description"),
                f"{path}.extensions.description",
                required=False,
                max_length=100_000,
            ),
            active=self.boolean(
                extensions.get("active"), f"{path}.extensions.active", default=True
            ),
        )

    # Groups and values.

    def groups(self, raw: Any) -> tuple[GroupData, ...]:
        groups: list[GroupData] = []
        seen: set[str] = set()
        for i, raw_group in enumerate(self.lst(raw, "$.groups", "Groups")):
            group = self.group(raw_group, f"$.groups[{i}]")
            if group is None:
                continue
            if group.code in seen:
                self.add("format.E021", f"$.groups[{i}].code", f"Duplicate group “{group.code}”.")
                continue
            seen.add(group.code)
            groups.append(group)
        return tuple(groups)

    def group(self, raw: Any, path: str) -> GroupData | None:
        if (raw := self.obj(raw, path, "A group")) is None:
            return None
        kind = raw.get("kind")
        if kind is not None and kind not in GroupKind.values:
            self.add(
                "format.E022",
                f"{path}.kind",
                f"Unknown kind {_show(kind)}; use choice, multi, text or image.",
            )
        # An unknown or missing kind is reported once; its fields are not judged against it.
        kind_keys = _GROUP_KIND_KEYS.get(str(kind), tuple(_GROUP_KIND_ONLY))
        self.keys(
            raw,
            path,
            required=("code", "name", "kind"),
            optional=_GROUP_COMMON[3:] + tuple(kind_keys),
            misplaced=_GROUP_KIND_ONLY - set(kind_keys),
            kind=str(kind),
        )
        code = self.code(raw.get("code"), f"{path}.code", "format.E020", "A group code")
        extensions = self.extensions(raw, path)
        curated = self.boolean(
            extensions.get("curated_order"), f"{path}.extensions.curated_order", default=False
        )
        values = self.values(raw, path, kind) if kind in ("choice", "multi") else ()
        low = self.integer(raw.get("min"), f"{path}.min", low=0, high=SMALL_INT)
        high = self.integer(raw.get("max"), f"{path}.max", low=1, high=SMALL_INT)
        if low is not None and high is not None and low > high:
            self.add("format.E025", f"{path}.min", f"min ({low}) is more than max ({high}).")
        pattern = self.text(raw.get("pattern"), f"{path}.pattern", max_length=500)
        if pattern and (problem := pattern_problem(pattern)) is not None:
            kind, reason = problem
            if kind == "syntax":
                self.add("format.E026", f"{path}.pattern", f"Invalid regular expression: {reason}.")
            else:
                self.add(
                    "format.E028",
                    f"{path}.pattern",
                    f"This regular expression cannot be matched in linear time: {reason} "
                    "(backreferences, lookaround and word boundaries are not supported).",
                )
        if code is None or kind not in GroupKind.values:
            return None
        return GroupData(
            code=code,
            name=self.names(raw.get("name"), f"{path}.name", required=True, max_length=200),
            kind=kind,
            values=values,
            step=self.integer(raw.get("step"), f"{path}.step", low=0, high=SMALL_INT),
            required=self.boolean(raw.get("required"), f"{path}.required", default=True),
            max_visible_values=self.integer(
                raw.get("max_visible_values"), f"{path}.max_visible_values", low=1, high=SMALL_INT
            ),
            help=self.names(raw.get("help"), f"{path}.help", required=False, max_length=100_000),
            curated_order=curated,
            min=low,
            max=high,
            max_length=self.integer(raw.get("max_length"), f"{path}.max_length", low=1, high=INT),
            pattern=pattern,
            price_delta=self.amount(raw.get("price_delta"), f"{path}.price_delta"),
            price_per_char=self.amount(raw.get("price_per_char"), f"{path}.price_per_char"),
            max_bytes=self.integer(raw.get("max_bytes"), f"{path}.max_bytes", low=1, high=INT),
            min_width=self.integer(raw.get("min_width"), f"{path}.min_width", low=0, high=INT),
            min_height=self.integer(raw.get("min_height"), f"{path}.min_height", low=0, high=INT),
            formats=self.formats(raw.get("formats"), f"{path}.formats"),
            extensions={k: v for k, v in extensions.items() if k != "curated_order"},
        )

    def formats(self, raw: Any, path: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        formats: list[str] = []
        for i, item in enumerate(self.lst(raw, path, "Formats")):
            if item in IMAGE_FORMATS:
                formats.append(item)
            else:
                self.add(
                    "format.E027",
                    f"{path}[{i}]",
                    f"Unknown image format {_show(item)}; use {', '.join(IMAGE_FORMATS)}.",
                )
        return tuple(formats)

    def values(self, raw_group: dict[str, Any], path: str, kind: str) -> tuple[ValueData, ...]:
        if "values" not in raw_group:
            self.add("format.E004", f"{path}.values", "“values” is required.")
            return ()
        values: list[ValueData] = []
        seen: set[str] = set()
        defaults = 0
        for j, raw_value in enumerate(self.lst(raw_group["values"], f"{path}.values", "Values")):
            value = self.value(raw_value, f"{path}.values[{j}]")
            if value is None:
                continue
            if value.code in seen:
                self.add(
                    "format.E031", f"{path}.values[{j}].code", f"Duplicate value “{value.code}”."
                )
                continue
            seen.add(value.code)
            if value.default and kind == "choice":
                defaults += 1
                if defaults == 2:
                    self.add(
                        "format.E032",
                        f"{path}.values[{j}].default",
                        "A choice group has at most one default value.",
                    )
            values.append(value)
        return tuple(values)

    def value(self, raw: Any, path: str) -> ValueData | None:
        if (raw := self.obj(raw, path, "A value")) is None:
            return None
        self.keys(raw, path, required=("code", "name"), optional=_VALUE_KEYS[2:])
        code = self.code(raw.get("code"), f"{path}.code", "format.E030", "A value code")
        extensions = self.extensions(raw, path)
        swatch = self.text(raw.get("swatch"), f"{path}.swatch", max_length=7)
        if swatch and not _SWATCH_RE.match(swatch):
            self.add("format.E033", f"{path}.swatch", f"Use a colour #rrggbb, not {_show(swatch)}.")
        attributes = raw.get("attributes") or {}
        if not isinstance(attributes, dict) or not all(
            isinstance(v, str) for v in attributes.values()
        ):
            self.add("format.E034", f"{path}.attributes", "Must be an object of string to string.")
            attributes = {}
        price_delta = self.amount(raw.get("price_delta"), f"{path}.price_delta")
        if code is None:
            return None
        return ValueData(
            code=code,
            name=self.names(raw.get("name"), f"{path}.name", required=True, max_length=200),
            price_delta=price_delta if price_delta is not None else Decimal(0),
            production_code=self.text(
                raw.get("production_code"), f"{path}.production_code", max_length=64
            ),
            swatch=swatch,
            attributes=attributes,
            default=self.boolean(raw.get("default"), f"{path}.default", default=False),
            active=self.boolean(
                extensions.get("active"), f"{path}.extensions.active", default=True
            ),
            image=self.text(extensions.get("image"), f"{path}.extensions.image", max_length=100),
            extensions={k: v for k, v in extensions.items() if k not in ("active", "image")},
        )

    # Rules.

    def rules(self, raw: Any, groups: dict[str, GroupData]) -> tuple[RuleData, ...]:
        rules: list[RuleData] = []
        ids: set[str] = set()
        for i, raw_rule in enumerate(self.lst(raw, "$.rules", "Rules")):
            rule = self.rule(raw_rule, f"$.rules[{i}]", groups)
            if rule is None:
                continue
            if rule.id:
                if rule.id in ids:
                    self.add("format.E055", f"$.rules[{i}].id", f"Duplicate rule id “{rule.id}”.")
                ids.add(rule.id)
            rules.append(rule)
        return tuple(rules)

    def rule(self, raw: Any, path: str, groups: dict[str, GroupData]) -> RuleData | None:
        if (raw := self.obj(raw, path, "A rule")) is None:
            return None
        kind = raw.get("kind")
        table = kind in (RuleKind.ALLOWED, RuleKind.FORBIDDEN)
        if table or kind in (RuleKind.REQUIRES, RuleKind.EXCLUDES):
            shape = ("groups", "rows") if table else ("if", "then")
            self.keys(raw, path, required=("kind", *shape), optional=("id", "message"))
        else:
            self.keys(
                raw,
                path,
                required=("kind",),
                optional=("id", "message", "groups", "rows", "if", "then"),
            )
        rule_id = self.text(raw.get("id"), f"{path}.id", max_length=100)
        message = self.names(raw.get("message"), f"{path}.message", required=False, max_length=300)
        extensions = self.extensions(raw, path)
        if table:
            codes = self.table_groups(raw.get("groups", []), f"{path}.groups", groups)
            rows = self.rows(raw.get("rows", []), f"{path}.rows", codes, groups)
            return RuleData(
                kind=str(kind),
                id=rule_id,
                message=message,
                groups=codes,
                rows=rows,
                extensions=extensions,
            )
        if kind in (RuleKind.REQUIRES, RuleKind.EXCLUDES):
            return RuleData(
                kind=str(kind),
                id=rule_id,
                message=message,
                if_=self.condition(raw.get("if"), f"{path}.if", groups),
                then=self.condition(raw.get("then"), f"{path}.then", groups),
                extensions=extensions,
            )
        if kind is not None:
            self.add(
                "format.E040",
                f"{path}.kind",
                f"Unknown kind {_show(kind)}; use allowed, forbidden, requires or excludes.",
            )
        return None

    def table_groups(self, raw: Any, path: str, groups: dict[str, GroupData]) -> tuple[str, ...]:
        codes: list[str] = []
        items = self.lst(raw, path, "Table groups")
        if isinstance(raw, list) and not raw:
            self.add("format.E041", path, "A table names at least one group.")
        for j, code in enumerate(items):
            sub = f"{path}[{j}]"
            group = groups.get(code) if isinstance(code, str) else None
            if not isinstance(code, str):
                self.add("format.E005", sub, "Must be a group code.")
            elif code in codes:
                self.add("format.E041", sub, f"“{code}” is named twice.")
            elif group is None:
                self.add("format.E042", sub, f"Unknown group “{code}”.")
            elif group.kind != GroupKind.CHOICE:
                self.add(
                    "format.E043", sub, f"Tables take choice groups; “{code}” is a {group.kind}."
                )
            codes.append(code if isinstance(code, str) else "")
        return tuple(codes)

    def rows(
        self, raw: Any, path: str, codes: tuple[str, ...], groups: dict[str, GroupData]
    ) -> list[list[str | None]]:
        rows = self.lst(raw, path, "Rows")
        # Per column, every cell the column accepts; unknown groups accept anything so that a
        # wrong group is reported once, not once per row.
        columns: list[frozenset[Any] | None] = []
        for code in codes:
            group = groups.get(code)
            if group is None or group.kind != GroupKind.CHOICE:
                columns.append(None)
                continue
            accepted: set[Any] = {ANY, *(value.code for value in group.values)}
            if not group.required:
                accepted.add(None)
            columns.append(frozenset(accepted))
        arity = len(codes)
        for r, row in enumerate(rows):
            if type(row) is not list or len(row) != arity:
                cells = len(row) if isinstance(row, list) else "not a list of"
                self.add(
                    "format.E044", f"{path}[{r}]", f"The row has {cells} cells, expected {arity}."
                )
                continue
            try:
                if all(c is None or cell in c for c, cell in zip(columns, row, strict=True)):
                    continue
            except TypeError:  # an unhashable cell: diagnose below
                pass
            self.row_cells(row, f"{path}[{r}]", codes, columns, groups)
        return rows

    def row_cells(
        self,
        row: list[Any],
        path: str,
        codes: tuple[str, ...],
        columns: list[frozenset[Any] | None],
        groups: dict[str, GroupData],
    ) -> None:
        for c, (code, accepted, cell) in enumerate(zip(codes, columns, row, strict=True)):
            sub = f"{path}[{c}]"
            if cell is not None and not isinstance(cell, str):
                self.add("format.E047", sub, f"A cell is a value code, “*” or null, not {cell!r}.")
            elif accepted is None or cell in accepted:
                continue
            elif cell is None:
                self.add("format.E046", sub, f"“{code}” is required: a row cannot leave it empty.")
            else:
                self.add("format.E045", sub, f"Unknown value “{cell}” of group “{code}”.")

    def condition(self, raw: Any, path: str, groups: dict[str, GroupData]) -> dict[str, list[str]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict) or not raw:
            self.add("format.E050", path, "A condition is an object naming at least one group.")
            return {}
        condition: dict[str, list[str]] = {}
        for code, listed in raw.items():
            sub = key_path(path, code)
            group = groups.get(code)
            if group is None:
                self.add("format.E042", sub, f"Unknown group “{code}”.")
            if (
                not isinstance(listed, list)
                or not listed
                or not all(isinstance(v, str) for v in listed)
            ):
                self.add("format.E052", sub, "Must be a non-empty list of value codes.")
                continue
            condition[code] = listed
            if group is None:
                continue
            if group.kind in (GroupKind.TEXT, GroupKind.IMAGE):
                if listed != [PRESENT]:
                    self.add(
                        "format.E054",
                        sub,
                        f'A {group.kind} group is named with ["present"], not {_show(listed)}.',
                    )
                continue
            known = {value.code for value in group.values}
            for k, code_ in enumerate(listed):
                if code_ not in known:
                    self.add(
                        "format.E045", f"{sub}[{k}]", f"Unknown value “{code_}” of group “{code}”."
                    )
        return condition

    # Preview layers (an extension of the document).

    def layers(self, raw: Any, groups: dict[str, GroupData]) -> tuple[LayerData, ...]:
        path = "$.extensions.preview_layers"
        layers: list[LayerData] = []
        for i, raw_layer in enumerate(self.lst(raw, path, "Preview layers")):
            layer = self.layer(raw_layer, f"{path}[{i}]", groups)
            if layer is not None:
                layers.append(layer)
        return tuple(layers)

    def layer(self, raw: Any, path: str, groups: dict[str, GroupData]) -> LayerData | None:
        if (raw := self.obj(raw, path, "A preview layer")) is None:
            return None
        self.keys(raw, path, required=("kind",), optional=_LAYER_KEYS[1:])
        kind, group_code, value_code = raw.get("kind"), raw.get("group"), raw.get("value")
        valid = True
        if kind not in LayerKind.values:
            self.add("format.E061", f"{path}.kind", f"Unknown layer kind {_show(kind)}.")
            valid = False
        group = groups.get(group_code) if isinstance(group_code, str) else None
        if group_code is not None and group is None:
            self.add("format.E061", f"{path}.group", f"Unknown group {_show(group_code)}.")
            valid = False
        if value_code is not None and (
            group is None or value_code not in {value.code for value in group.values}
        ):
            self.add(
                "format.E061",
                f"{path}.value",
                f"Unknown value {_show(value_code)} of group {_show(group_code)}.",
            )
            valid = False
        text_color = self.text(raw.get("text_color"), f"{path}.text_color", max_length=7)
        if text_color and not _SWATCH_RE.match(text_color):
            self.add("format.E033", f"{path}.text_color", "Use a colour #rrggbb.")
        numbers = {
            key: self.integer(raw.get(key), f"{path}.{key}", low=0, high=INT)
            for key in ("x", "y", "width", "height", "print_width_mm", "print_height_mm")
        }
        dpi = self.integer(raw.get("print_dpi"), f"{path}.print_dpi", low=1, high=SMALL_INT)
        image = self.text(raw.get("image"), f"{path}.image", max_length=100)
        font = self.text(raw.get("font"), f"{path}.font", max_length=100)
        if not valid:
            return None
        return LayerData(
            kind=str(kind),
            group=group_code,
            value=value_code,
            image=image,
            font=font,
            text_color=text_color,
            x=numbers["x"] or 0,
            y=numbers["y"] or 0,
            width=numbers["width"],
            height=numbers["height"],
            print_dpi=dpi if dpi is not None else 300,
            print_width_mm=numbers["print_width_mm"],
            print_height_mm=numbers["print_height_mm"],
        )


def _show(raw: Any) -> str:
    """A short rendering of a bad input for a message."""
    text = repr(raw) if not isinstance(raw, str) else f"“{raw}”"
    return text if len(text) <= 60 else text[:57] + "…"
