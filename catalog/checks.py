"""The Check of an option-set version: every problem a merchant should fix, with stable codes.

:func:`option_set_check` reads the version as its option-set document, runs the catalog's own
checks (``catalog.E0xx`` errors block publishing, ``catalog.W0xx`` warnings do not), then every
analyzer registered in :mod:`catalog.extensions` (the engine adds the number of valid
configurations, dead values and contradictions).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, gettext_noop

from .extensions import MarginSummary, Problem, analyzers
from .format import ANY, PRESENT, OptionSetFormatError, key_path, parse_option_set
from .moderation import WordList
from .money import has_valid_decimals
from .numbers import NumberError, condition_values, grid_of, number_text, parse_number
from .places import problem_place
from .selectors import blocked_words, option_set_document

if TYPE_CHECKING:
    from .models import OptionSetVersion

CHECK_CODES: dict[str, str] = {
    "catalog.E001": gettext_noop("The product has no name."),
    "catalog.E002": gettext_noop("A group or value has no name."),
    "catalog.E003": gettext_noop("A required group has no active values."),
    "catalog.E004": gettext_noop(
        "A multi group asks for more values (min) than it has active values."
    ),
    "catalog.E005": gettext_noop("A choice group has more than one default value."),
    "catalog.E006": gettext_noop("A default value is inactive."),
    "catalog.E007": gettext_noop("An amount has more decimals than the product's currency allows."),
    "catalog.E010": gettext_noop("A rule names a group that does not exist."),
    "catalog.E011": gettext_noop("A rule names a value that does not exist."),
    "catalog.E012": gettext_noop("A table rule names a group that is not a choice group."),
    "catalog.E013": gettext_noop("A table row has the wrong number of cells."),
    "catalog.E014": gettext_noop("A table row leaves a required group empty (null)."),
    "catalog.E015": gettext_noop(
        'A condition is empty, or names a text or image group with other than ["present"].'
    ),
    "catalog.E016": gettext_noop("An allowed table has no rows: nothing could be configured."),
    "catalog.E020": gettext_noop("The default values break a rule."),
    "catalog.E030": gettext_noop("The version would not export as a valid option-set/1 document."),
    "catalog.W001": gettext_noop(
        "A group has more values than its step shows, and no curated order."
    ),
    "catalog.W002": gettext_noop("A rule names an inactive value."),
    "catalog.W003": gettext_noop("A forbidden table has no rows: it forbids nothing."),
    "catalog.W004": gettext_noop("An optional group has no active values: it is never offered."),
    "catalog.W010": gettext_noop("A text shoppers read holds a word of the blocked list."),
    "catalog.W011": gettext_noop("The version has no preview layer: the studio shows no picture."),
    "catalog.W012": gettext_noop("A view has no preview layer: its picture would be empty."),
}

# Format problems that the catalog's own codes already report in their own words.
_COVERED_FORMAT_CODES = frozenset(
    {"format.E006", "format.E013", "format.E032", "format.E041", "format.E042"}
    | {"format.E043", "format.E044", "format.E045", "format.E046", "format.E050"}
    | {"format.E052", "format.E054"}
)

_UNKNOWN = object()  # a group whose state under the defaults is not decided


@dataclass(frozen=True)
class CheckReport:
    """What the Check found; ``configurations``, ``dead_values`` and ``lowest_margin`` come
    from the analyzers."""

    problems: tuple[Problem, ...]
    configurations: int | None = None
    dead_values: tuple[tuple[str, str], ...] = ()
    #: (path, place): where each problem is, in the merchant's words (see catalog.places).
    places: tuple[tuple[str, str], ...] = ()

    def place(self, path: str) -> str:
        """Where ``path`` is, by the names the merchant gave ("" when not known)."""
        return dict(self.places).get(path, "")

    lowest_margin: MarginSummary | None = None

    @property
    def configurations_text(self) -> str:
        return "?" if self.configurations is None else count_text(self.configurations)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "warning")


EXACT_DIGITS = 60


def count_text(count: int) -> str:
    """A count as text: exact up to 60 digits, else "≈ 3.11e+4771".

    Counts of configurations grow as the product of the groups' sizes: 3^10,000 has 4,772
    digits, more than ``str()`` converts (Python refuses past 4,300) or a column keeps.
    """
    if count < 10**EXACT_DIGITS:
        return str(count)
    exponent = math.floor(math.log10(count))
    mantissa = 10 ** (math.log10(count) - exponent)
    return f"≈ {mantissa:.2f}e+{exponent}"


def empty_view_problems(document: dict[str, Any]) -> Iterator[Problem]:
    """``catalog.W012`` for each view no layer belongs to (a layer naming no view belongs
    to the first)."""
    extensions = document.get("extensions") or {}
    views = extensions.get("views") or []
    if not views:
        return
    used = {layer.get("view") or views[0]["code"] for layer in extensions.get("preview_layers", ())}
    for i, view in enumerate(views):
        if view["code"] not in used:
            yield _problem(
                "catalog.W012",
                f"$.extensions.views[{i}]",
                f"The view “{view['code']}” has no preview layer: shoppers who open it see an "
                "empty picture. Add its base image, or delete the view.",
            )


def option_set_check(*, version: OptionSetVersion) -> CheckReport:
    """Every problem of ``version``: the catalog's own, then each analyzer's."""
    document = option_set_document(version=version)
    problems = list(document_problems(document))
    problems.extend(blocked_word_problems(document, blocked_words(fresh=True)))
    if not (document.get("extensions") or {}).get("preview_layers"):
        problems.append(
            _problem(
                "catalog.W011",
                "$.extensions.preview_layers",
                "The version has no preview layer: shoppers see an empty picture in the studio. "
                "Add a base image at least.",
            )
        )
    problems.extend(empty_view_problems(document))
    problems.extend(empty_view_problems(document))
    configurations: int | None = None
    dead_values: list[tuple[str, str]] = []
    lowest_margin: MarginSummary | None = None
    for analyzer in analyzers():
        analysis = analyzer(version)
        problems.extend(analysis.problems)
        if configurations is None:
            configurations = analysis.configurations
        dead_values.extend(analysis.dead_values)
        lowest_margin = lowest_margin or analysis.lowest_margin
    places = {p.path: problem_place(document, p.path) for p in problems}
    return CheckReport(
        problems=tuple(problems),
        configurations=configurations,
        dead_values=tuple(dead_values),
        places=tuple(places.items()),
        lowest_margin=lowest_margin,
    )


def document_problems(document: dict[str, Any]) -> list[Problem]:
    """The catalog's own problems of an option-set document (no analyzer)."""
    checker = _Checker(document)
    problems = [*checker.product(), *checker.groups(), *checker.rules(), *checker.defaults()]
    try:
        parse_option_set(document)
    except OptionSetFormatError as exc:
        problems.extend(
            _problem("catalog.E030", p.path, f"{p.message} ({p.code}); fix it before publishing.")
            for p in exc.problems
            if p.code not in _COVERED_FORMAT_CODES
        )
    return problems


def shopper_texts(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, text) of every text of the document a shopper reads: names, help, messages."""
    product = document.get("product", {})
    for language, text in (product.get("name") or {}).items():
        yield key_path("$.product.name", language), text
    description = (product.get("extensions") or {}).get("description") or {}
    for language, text in description.items():
        yield key_path("$.product.extensions.description", language), text
    for i, group in enumerate(document.get("groups", [])):
        for field in ("name", "help"):
            for language, text in (group.get(field) or {}).items():
                yield key_path(f"$.groups[{i}].{field}", language), text
        for j, value in enumerate(group.get("values", [])):
            for language, text in (value.get("name") or {}).items():
                yield key_path(f"$.groups[{i}].values[{j}].name", language), text
    for i, rule in enumerate(document.get("rules", [])):
        for language, text in (rule.get("message") or {}).items():
            yield key_path(f"$.rules[{i}].message", language), text


def blocked_word_problems(document: dict[str, Any], blocked: WordList) -> list[Problem]:
    """A warning (``catalog.W010``) for each shopper-read text holding a blocked word."""
    problems = []
    for path, text in shopper_texts(document):
        found = blocked.find(text) if isinstance(text, str) else None
        if found is not None:
            problems.append(
                _problem(
                    "catalog.W010",
                    path,
                    f"“{text}” holds “{found.word}”, a word of the blocked list: shoppers read "
                    "this text, and a shopper who typed it would be refused.",
                )
            )
    return problems


def problem_summary(code: str) -> str:
    """What a Check or format code means, in the active language ("" for other codes)."""
    from .format import FORMAT_CODES
    from .limits import LIMIT_CODES

    text = CHECK_CODES.get(code) or FORMAT_CODES.get(code) or LIMIT_CODES.get(code)
    return gettext(text) if text else ""


def _problem(code: str, path: str, message: str) -> Problem:
    if code.startswith("catalog.W"):
        return Problem(code=code, message=message, path=path, level="warning")
    return Problem(code=code, message=message, path=path)


def _active(value: dict[str, Any]) -> bool:
    return (value.get("extensions") or {}).get("active", True) is not False


class _Checker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.product_data = document["product"]
        self.currency = self.product_data["currency"]
        self.groups_data: list[dict[str, Any]] = document["groups"]
        self.by_code = {group["code"]: group for group in self.groups_data}
        self.value_codes = {
            group["code"]: {value["code"]: _active(value) for value in group.get("values", ())}
            for group in self.groups_data
        }

    def amount(self, raw: str | None, path: str) -> Iterator[Problem]:
        if raw is not None and not has_valid_decimals(Decimal(raw), self.currency):
            yield _problem("catalog.E007", path, f"Too many decimals for {self.currency}.")

    def product(self) -> Iterator[Problem]:
        if not any(text.strip() for text in self.product_data["name"].values()):
            yield _problem("catalog.E001", "$.product.name", "The product has no name.")
        yield from self.amount(self.product_data["base_price"], "$.product.base_price")
        yield from self.amount(self.product_data.get("base_cost"), "$.product.base_cost")

    def groups(self) -> Iterator[Problem]:
        limit = self.product_data.get("max_visible_values")
        for i, group in enumerate(self.groups_data):
            path = f"$.groups[{i}]"
            if not any(text.strip() for text in group["name"].values()):
                yield _problem(
                    "catalog.E002", f"{path}.name", f"Group “{group['code']}” has no name."
                )
            for key in ("price_delta", "price_per_char", "price_per_unit", "cost", "cost_per_char"):
                yield from self.amount(group.get(key), f"{path}.{key}")
            if "values" in group:
                yield from self.values(group, path, group.get("max_visible_values") or limit)

    def values(self, group: dict[str, Any], path: str, limit: int | None) -> Iterator[Problem]:
        code, values = group["code"], group["values"]
        active = [value for value in values if _active(value)]
        defaults = 0
        for j, value in enumerate(values):
            sub = f"{path}.values[{j}]"
            if not any(text.strip() for text in value["name"].values()):
                yield _problem(
                    "catalog.E002", f"{sub}.name", f"Value “{value['code']}” has no name."
                )
            yield from self.amount(value.get("price_delta"), f"{sub}.price_delta")
            yield from self.amount(value.get("cost"), f"{sub}.cost")
            if value.get("default"):
                defaults += 1
                if defaults == 2 and group["kind"] == "choice":
                    yield _problem(
                        "catalog.E005", f"{sub}.default", f"“{code}” has two default values."
                    )
                if not _active(value):
                    yield _problem(
                        "catalog.E006",
                        f"{sub}.default",
                        f"The default “{value['code']}” of “{code}” is inactive.",
                    )
        required = group.get("required", True)
        if not active:
            if required:
                yield _problem("catalog.E003", path, f"Required group “{code}” has no values.")
            else:
                yield _problem("catalog.W004", path, f"“{code}” has no values: never offered.")
        if (group.get("min") or 0) > len(active):
            yield _problem(
                "catalog.E004",
                f"{path}.min",
                f"“{code}” asks for {group['min']} values but has {len(active)}.",
            )
        curated = (group.get("extensions") or {}).get("curated_order", False)
        if limit is not None and len(active) > limit and not curated:
            step = group.get("step")
            where = f"Step {step}" if step is not None else "Its step"
            yield _problem(
                "catalog.W001",
                path,
                f"{where} shows {limit} of the {len(active)} values of “{code}” in no curated "
                "order; mark the order as curated or raise the limit.",
            )

    # Rules.

    def rules(self) -> Iterator[Problem]:
        for i, rule in enumerate(self.document["rules"]):
            path = f"$.rules[{i}]"
            if rule["kind"] in ("allowed", "forbidden"):
                yield from self.table(rule, path)
            else:
                for part in ("if", "then"):
                    yield from self.condition(rule[part], f"{path}.{part}")

    def table(self, rule: dict[str, Any], path: str) -> Iterator[Problem]:
        codes = rule["groups"]
        columns: list[dict[str, bool] | None] = []
        for j, code in enumerate(codes):
            group = self.by_code.get(code)
            if group is None:
                yield _problem("catalog.E010", f"{path}.groups[{j}]", f"No group “{code}”.")
            elif group["kind"] != "choice":
                yield _problem(
                    "catalog.E012", f"{path}.groups[{j}]", f"“{code}” is not a choice group."
                )
            columns.append(self.value_codes[code] if group and group["kind"] == "choice" else None)
        if not rule["rows"]:
            if rule["kind"] == "allowed":
                yield _problem("catalog.E016", f"{path}.rows", "The table allows nothing.")
            else:
                yield _problem("catalog.W003", f"{path}.rows", "The table forbids nothing.")
        inactive_seen: set[tuple[str, str]] = set()
        for r, row in enumerate(rule["rows"]):
            if not isinstance(row, list) or len(row) != len(codes):
                yield _problem(
                    "catalog.E013",
                    f"{path}.rows[{r}]",
                    f"The row has {len(row) if isinstance(row, list) else 0} cells, "
                    f"expected {len(codes)}.",
                )
                continue
            for c, (code, column, cell) in enumerate(zip(codes, columns, row, strict=True)):
                if column is None or cell == ANY:
                    continue
                sub = f"{path}.rows[{r}][{c}]"
                if cell is None:
                    if self.by_code[code].get("required", True):
                        yield _problem("catalog.E014", sub, f"“{code}” is required.")
                elif not isinstance(cell, str) or cell not in column:
                    yield _problem("catalog.E011", sub, f"No value “{cell}” in “{code}”.")
                elif not column[cell] and (code, cell) not in inactive_seen:
                    inactive_seen.add((code, cell))
                    yield _problem("catalog.W002", sub, f"“{code}.{cell}” is inactive.")

    def condition(self, condition: dict[str, Any], path: str) -> Iterator[Problem]:
        if not isinstance(condition, dict) or not condition:
            yield _problem("catalog.E015", path, "The condition names no group.")
            return
        for code, listed in condition.items():
            sub = key_path(path, code)
            group = self.by_code.get(code)
            if group is None:
                yield _problem("catalog.E010", sub, f"No group “{code}”.")
            elif not listed:
                yield _problem("catalog.E015", sub, "The condition lists no value.")
            elif group["kind"] == "number":
                continue  # numbers and ranges off the grid: format.E056, through catalog.E030
            elif group["kind"] in ("text", "image"):
                if listed != [PRESENT]:
                    yield _problem(
                        "catalog.E015", sub, f'“{code}” is a {group["kind"]}: use ["present"].'
                    )
            else:
                for k, cell in enumerate(listed):
                    active = self.value_codes[code].get(cell) if isinstance(cell, str) else None
                    if active is None:
                        yield _problem("catalog.E011", f"{sub}[{k}]", f"No value “{cell}”.")
                    elif not active:
                        yield _problem(
                            "catalog.W002", f"{sub}[{k}]", f"“{code}.{cell}” is inactive."
                        )

    # Defaults.

    def default_state(self, group: dict[str, Any]) -> Any:
        """What ``group`` holds before the shopper touches it, or ``_UNKNOWN``."""
        required = group.get("required", True)
        kind = group["kind"]
        if kind in ("text", "image"):
            return _UNKNOWN if required else False
        if kind == "number":
            default = group.get("default")
            if default is not None:
                return number_text(Decimal(default))
            return _UNKNOWN if required else None
        defaults = [v["code"] for v in group["values"] if v.get("default") and _active(v)]
        if kind == "choice":
            if len(defaults) == 1:
                return defaults[0]
            return None if not defaults and not required else _UNKNOWN
        if defaults or (group.get("min") or 0) == 0:
            return frozenset(defaults)
        return _UNKNOWN

    def defaults(self) -> Iterator[Problem]:
        states = {group["code"]: self.default_state(group) for group in self.groups_data}
        for i, rule in enumerate(self.document["rules"]):
            if rule["kind"] in ("allowed", "forbidden"):
                named = rule["groups"]
            elif isinstance(rule["if"], dict) and isinstance(rule["then"], dict):
                named = [*rule["if"], *rule["then"]]
            else:
                continue
            if any(states.get(code, _UNKNOWN) is _UNKNOWN for code in named):
                continue
            if (rule := self.numbers_as_codes(rule)) is None:
                continue
            if _broken(rule, states):
                label = f"“{rule['id']}”" if rule.get("id") else f"rules[{i}]"
                shown = ", ".join(f"{code}={_state_text(states[code])}" for code in named)
                yield _problem(
                    "catalog.E020",
                    f"$.rules[{i}]",
                    f"The default values ({shown}) break rule {label}.",
                )

    def numbers_as_codes(self, rule: dict[str, Any]) -> dict[str, Any] | None:
        """``rule`` with its number groups' items ("<=200") as the codes they name; None when
        one does not read (the format's own problem reports it)."""
        if rule["kind"] in ("allowed", "forbidden"):
            return rule
        parts: dict[str, dict[str, list[str]]] = {}
        for part in ("if", "then"):
            parts[part] = {}
            for code, listed in rule[part].items():
                group = self.by_code[code]
                if group["kind"] != "number":
                    parts[part][code] = listed
                    continue
                try:
                    grid = grid_of(
                        *(parse_number(group[k]) for k in ("minimum", "maximum", "increment"))
                    )
                    parts[part][code] = [
                        number_text(v) for item in listed for v in condition_values(grid, item)
                    ]
                except (NumberError, KeyError):
                    return None
        return {**rule, "if": parts["if"], "then": parts["then"]}


def _holds(condition: dict[str, list[str]], states: dict[str, Any]) -> bool:
    for code, listed in condition.items():
        state = states[code]
        if isinstance(state, bool):
            holds = state and PRESENT in listed
        elif isinstance(state, frozenset):
            holds = bool(state.intersection(listed))
        else:
            holds = state in listed
        if not holds:
            return False
    return True


def _broken(rule: dict[str, Any], states: dict[str, Any]) -> bool:
    kind = rule["kind"]
    if kind in ("allowed", "forbidden"):
        chosen = [states[code] for code in rule["groups"]]
        matched = any(
            isinstance(row, list)
            and len(row) == len(chosen)
            and all(cell in (ANY, state) for cell, state in zip(row, chosen, strict=True))
            for row in rule["rows"]
        )
        return matched if kind == "forbidden" else not matched
    if_holds, then_holds = _holds(rule["if"], states), _holds(rule["then"], states)
    return if_holds and (not then_holds if kind == "requires" else then_holds)


def _state_text(state: Any) -> str:
    if state is None or state is False:
        return "empty"
    if isinstance(state, frozenset):
        return "[" + ", ".join(sorted(state)) + "]"
    return str(state)
