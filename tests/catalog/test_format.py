"""parse_option_set: every format error code, every problem at once, normalized output."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalog.format import (
    FORMAT_CODES,
    Names,
    OptionSetFormatError,
    key_path,
    parse_option_set,
)
from tests.fixtures.documents import rich_document

Doc = dict[str, Any]


def _set(path: tuple[Any, ...], item: Any) -> Callable[[Doc], Any]:
    def mutate(doc: Doc) -> Any:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = item
        return doc

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[Doc], Any]:
    def mutate(doc: Doc) -> Any:
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return doc

    return mutate


def _with_width(**fields: Any) -> Callable[[Doc], Any]:
    """The rich document with a number group "width" (groups[6]) and ``fields`` over it;
    ``rule`` adds a requires rule (rules[4]) naming the width with those items."""
    rule = fields.pop("rule", None)

    def mutate(doc: Doc) -> Any:
        group = {"code": "width", "name": "Chiều rộng", "kind": "number", "minimum": "50"}
        group |= {"maximum": "300", "increment": "10", "unit": "cm"}
        doc["groups"].append({k: v for k, v in {**group, **fields}.items() if v is not None})
        if rule is not None:
            doc["rules"].append({"kind": "requires", "if": {"color": ["black"]}, "then": rule})
        return doc

    return mutate


VIEW = {"code": "back", "name": {"vi": "Mặt sau", "en": "Back"}}

# (code, mutation of the rich document, JSON path reported)
CASES: list[tuple[str, Callable[[Doc], Any], str]] = [
    ("format.E001", lambda doc: [doc], "$"),
    ("format.E002", _set(("format",), "option-set/2"), "$.format"),
    ("format.E003", _set(("colour",), "red"), "$.colour"),
    (
        "format.E003",
        _set(("groups", 0, "values", 0, "colour"), "red"),
        "$.groups[0].values[0].colour",
    ),
    ("format.E004", _delete(("product", "sku")), "$.product.sku"),
    ("format.E004", _delete(("groups", 0, "values")), "$.groups[0].values"),
    ("format.E005", _set(("groups", 0, "required"), "yes"), "$.groups[0].required"),
    ("format.E005", _set(("groups",), {}), "$.groups"),
    ("format.E006", _set(("product", "name"), {"fr": "Sac"}), "$.product.name.fr"),
    ("format.E006", _set(("groups", 1, "name"), {"vi": " "}), "$.groups[1].name"),
    ("format.E006", _set(("groups", 1, "name"), "x" * 201), "$.groups[1].name"),
    (
        "format.E007",
        _set(("groups", 0, "values", 0, "production_code"), "C" * 65),
        "$.groups[0].values[0].production_code",
    ),
    ("format.E010", _set(("product", "sku"), "TOTE 01"), "$.product.sku"),
    ("format.E011", _set(("product", "currency"), "XYZ"), "$.product.currency"),
    ("format.E012", _set(("product", "base_price"), 350000), "$.product.base_price"),
    ("format.E012", _set(("product", "base_price"), "-1"), "$.product.base_price"),
    (
        "format.E012",
        _set(("groups", 0, "values", 1, "price_delta"), "1e3"),
        "$.groups[0].values[1].price_delta",
    ),
    (
        "format.E013",
        _set(("groups", 0, "values", 1, "price_delta"), "20000.5"),
        "$.groups[0].values[1].price_delta",
    ),
    ("format.E014", _set(("product", "base_price"), "1000000000000"), "$.product.base_price"),
    ("format.E015", _set(("product", "min_margin"), "100"), "$.product.min_margin"),
    ("format.E020", _set(("groups", 2, "code"), "lining!"), "$.groups[2].code"),
    ("format.E021", _set(("groups", 2, "code"), "color"), "$.groups[2].code"),
    ("format.E022", _set(("groups", 2, "kind"), "slider"), "$.groups[2].kind"),
    ("format.E023", _set(("groups", 4, "values"), []), "$.groups[4].values"),
    ("format.E023", _set(("groups", 0, "max_length"), 3), "$.groups[0].max_length"),
    ("format.E024", _set(("groups", 0, "step"), -1), "$.groups[0].step"),
    ("format.E024", _set(("product", "max_visible_values"), 0), "$.product.max_visible_values"),
    ("format.E025", _set(("groups", 3, "min"), 3), "$.groups[3].min"),
    ("format.E026", _set(("groups", 4, "pattern"), "[a-z"), "$.groups[4].pattern"),
    ("format.E028", _set(("groups", 4, "pattern"), r"(a)\1"), "$.groups[4].pattern"),
    ("format.E028", _set(("groups", 4, "pattern"), "(?=a)a"), "$.groups[4].pattern"),
    ("format.E028", _set(("groups", 4, "pattern"), r"\bNg\w+"), "$.groups[4].pattern"),
    ("format.E027", _set(("groups", 5, "formats"), ["png", "svg"]), "$.groups[5].formats[1]"),
    (
        "format.E030",
        _set(("groups", 2, "values", 0, "code"), "cot ton"),
        "$.groups[2].values[0].code",
    ),
    (
        "format.E031",
        _set(("groups", 0, "values", 1, "code"), "natural"),
        "$.groups[0].values[1].code",
    ),
    (
        "format.E032",
        _set(("groups", 0, "values", 1, "default"), True),
        "$.groups[0].values[1].default",
    ),
    (
        "format.E033",
        _set(("groups", 0, "values", 0, "swatch"), "beige"),
        "$.groups[0].values[0].swatch",
    ),
    (
        "format.E034",
        _set(("groups", 0, "values", 0, "attributes"), {"weight": 3}),
        "$.groups[0].values[0].attributes",
    ),
    ("format.E035", _with_width(minimum="fifty"), "$.groups[6].minimum"),
    ("format.E035", _with_width(increment="0.0005"), "$.groups[6].increment"),
    ("format.E035", _with_width(maximum=300.5), "$.groups[6].maximum"),
    ("format.E036", _with_width(minimum="400"), "$.groups[6].maximum"),
    ("format.E036", _with_width(maximum="305"), "$.groups[6].maximum"),
    ("format.E036", _with_width(increment="0"), "$.groups[6].maximum"),
    ("format.E037", _with_width(increment="0.1"), "$.groups[6].maximum"),
    ("format.E038", _with_width(default="125"), "$.groups[6].default"),
    ("format.E038", _with_width(default="310"), "$.groups[6].default"),
    ("format.E039", _with_width(price_formula="width * * 2"), "$.groups[6].price_formula"),
    ("format.E039", _with_width(price_formula="width * color"), "$.groups[6].price_formula"),
    ("format.E039", _with_width(price_formula="1000 / width"), "$.groups[6].price_formula"),
    (
        "format.E039",
        _with_width(price_formula="width * 100", price_per_unit="100"),
        "$.groups[6].price_formula",
    ),
    ("format.E023", _with_width(max_length=3), "$.groups[6].max_length"),
    ("format.E004", _with_width(maximum=None), "$.groups[6].maximum"),
    ("format.E040", _set(("rules", 0, "kind"), "sometimes"), "$.rules[0].kind"),
    ("format.E041", _set(("rules", 0, "groups"), []), "$.rules[0].groups"),
    ("format.E041", _set(("rules", 0, "groups"), ["color", "color"]), "$.rules[0].groups[1]"),
    ("format.E042", _set(("rules", 0, "groups", 1), "size"), "$.rules[0].groups[1]"),
    ("format.E042", _set(("rules", 2, "if"), {"size": ["xl"]}), "$.rules[2].if.size"),
    ("format.E043", _set(("rules", 0, "groups", 1), "extras"), "$.rules[0].groups[1]"),
    ("format.E044", _set(("rules", 0, "rows", 1), ["navy"]), "$.rules[0].rows[1]"),
    ("format.E044", _set(("rules", 0, "rows", 1), "navy,canvas"), "$.rules[0].rows[1]"),
    ("format.E045", _set(("rules", 0, "rows", 1, 1), "silk"), "$.rules[0].rows[1][1]"),
    (
        "format.E045",
        _set(("rules", 2, "then", "material"), ["silk"]),
        "$.rules[2].then.material[0]",
    ),
    ("format.E046", _set(("rules", 1, "rows", 0, 0), None), "$.rules[1].rows[0][0]"),
    ("format.E047", _set(("rules", 0, "rows", 0, 0), 3), "$.rules[0].rows[0][0]"),
    ("format.E047", _set(("rules", 0, "rows", 0, 0), ["natural"]), "$.rules[0].rows[0][0]"),
    ("format.E050", _set(("rules", 2, "if"), {}), "$.rules[2].if"),
    ("format.E052", _set(("rules", 2, "then", "material"), []), "$.rules[2].then.material"),
    ("format.E054", _set(("rules", 2, "if", "monogram"), ["yes"]), "$.rules[2].if.monogram"),
    ("format.E056", _with_width(rule={"width": ["125"]}), "$.rules[4].then.width[0]"),
    ("format.E056", _with_width(rule={"width": [">300"]}), "$.rules[4].then.width[0]"),
    ("format.E056", _with_width(rule={"width": ["300..100"]}), "$.rules[4].then.width[0]"),
    ("format.E056", _with_width(rule={"width": ["wide"]}), "$.rules[4].then.width[0]"),
    ("format.E055", _set(("rules", 2, "id"), "color-material"), "$.rules[2].id"),
    ("format.E060", _set(("product", "extensions", "colour"), 1), "$.product.extensions.colour"),
    ("format.E065", _set(("groups", 0, "library"), "no such!"), "$.groups[0].library"),
    ("format.E060", _set(("extensions", "owner"), "me"), "$.extensions.owner"),
    (
        "format.E061",
        _set(("extensions", "preview_layers", 1, "group"), "size"),
        "$.extensions.preview_layers[1].group",
    ),
    (
        "format.E061",
        _set(("extensions", "preview_layers", 2, "value"), "silk"),
        "$.extensions.preview_layers[2].value",
    ),
    ("format.E062", _set(("extensions", "views"), [VIEW, VIEW]), "$.extensions.views[1].code"),
    (
        "format.E062",
        _set(("extensions", "views"), [{**VIEW, "code": "mặt sau"}]),
        "$.extensions.views[0].code",
    ),
    (
        "format.E063",
        _set(("extensions", "preview_layers", 1, "view"), "back"),
        "$.extensions.preview_layers[1].view",
    ),
    ("format.E064", _set(("extensions", "views"), [VIEW] * 51), "$.extensions.views"),
]


def _problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(OptionSetFormatError) as caught:
        parse_option_set(document)
    return [(problem.code, problem.path) for problem in caught.value.problems]


@pytest.mark.parametrize(("code", "mutate", "path"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_parse_option_set_reports_code_and_path(code: str, mutate: Callable, path: str) -> None:
    assert (code, path) in _problems(mutate(rich_document()))


def test_every_format_code_is_documented_and_tested() -> None:
    assert {case[0] for case in CASES} == set(FORMAT_CODES)


def test_parse_option_set_reports_every_problem_in_document_order() -> None:
    doc = rich_document()
    doc["product"]["currency"] = "VNĐ"
    doc["groups"][0]["values"][1]["swatch"] = "navy"
    doc["groups"][3]["max"] = 0
    doc["rules"][0]["rows"][2] = ["navy", "silk"]
    doc["rules"][0]["rows"][3] = ["red", "silk"]
    doc["rules"][3]["then"]["artwork"] = ["uploaded"]

    assert _problems(doc) == [
        ("format.E011", "$.product.currency"),
        ("format.E033", "$.groups[0].values[1].swatch"),
        ("format.E024", "$.groups[3].max"),
        ("format.E045", "$.rules[0].rows[2][1]"),
        ("format.E045", "$.rules[0].rows[3][1]"),
        ("format.E054", "$.rules[3].then.artwork"),
    ]


def test_parse_option_set_error_message_names_problems() -> None:
    doc = rich_document()
    doc["product"]["currency"] = "XYZ"
    with pytest.raises(OptionSetFormatError) as caught:
        parse_option_set(doc)
    assert str(caught.value) == (
        "$.product.currency: Unknown currency “XYZ”; use one of VND, USD, EUR, JPY, GBP, SGD, "
        "THB. [format.E011]"
    )


def test_parse_option_set_reports_required_top_level_keys() -> None:
    assert _problems({}) == [
        ("format.E002", "$.format"),
        ("format.E004", "$.format"),
        ("format.E004", "$.product"),
        ("format.E004", "$.groups"),
    ]


def test_parse_option_set_unknown_group_kind_reports_only_the_kind() -> None:
    doc = rich_document()
    doc["groups"][4]["kind"] = "textarea"
    assert ("format.E022", "$.groups[4].kind") in _problems(doc)
    assert not [p for p in _problems(doc) if p[0] == "format.E023"]


def test_parse_option_set_null_cell_allowed_for_optional_group() -> None:
    data = parse_option_set(rich_document())
    assert data.rules[1].rows == [["denim", "cotton"], ["linen", None]]


def test_parse_option_set_normalizes_names_prices_and_extensions() -> None:
    doc = rich_document()
    doc["groups"][2]["name"] = "Lót"
    data = parse_option_set(doc)

    assert data.product.name == Names(vi="Túi tote vải", en="Canvas tote")
    assert data.product.description == Names(vi="Túi vải bố bền chắc.", en="A sturdy tote.")
    assert data.product.base_price == Decimal("350000")
    assert data.groups[2].name == Names(vi="Lót", en="")
    assert data.groups[1].curated_order is True
    assert data.groups[1].extensions == {"erp_id": 42}
    red = data.groups[0].values[2]
    assert (red.active, red.image, red.price_delta) == (False, "catalog/values/red.png", -5000)
    assert data.note == "Bộ sưu tập hè"
    assert [layer.kind for layer in data.layers] == ["base", "tint", "texture", "text", "artwork"]


def test_parse_option_set_accepts_usd_cents_and_refuses_vnd_cents() -> None:
    doc = rich_document()
    doc["product"]["currency"] = "USD"
    doc["product"]["base_price"] = "12.50"
    doc["groups"][0]["values"][1]["price_delta"] = "0.99"
    assert parse_option_set(doc).product.base_price == Decimal("12.50")

    doc["groups"][0]["values"][1]["price_delta"] = "0.999"
    assert _problems(doc) == [("format.E013", "$.groups[0].values[1].price_delta")]


def test_parse_option_set_quotes_group_codes_that_are_not_identifiers_in_paths() -> None:
    doc = rich_document()
    doc["rules"][2]["if"] = {"body-color": ["red"]}
    assert _problems(doc) == [("format.E042", '$.rules[2].if["body-color"]')]
    assert key_path("$.x", "a.b") == '$.x["a.b"]'


def test_docs_list_every_format_code() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "option-set-format.md").read_text(encoding="utf-8")

    listed = [code for code, text in FORMAT_CODES.items() if f"| `{code}` | {text} |" in docs]
    assert listed == list(FORMAT_CODES)


def test_a_pattern_re2_cannot_match_is_refused_with_its_reason() -> None:
    doc = rich_document()
    doc["groups"][4]["pattern"] = r"([a-z])\1"
    with pytest.raises(OptionSetFormatError) as caught:
        parse_option_set(doc)
    assert [(p.code, p.path, p.message) for p in caught.value.problems][:1] == [
        (
            "format.E028",
            "$.groups[4].pattern",
            "This regular expression cannot be matched in linear time: invalid escape "
            "sequence: \\1 (backreferences, lookaround and word boundaries are not supported).",
        )
    ]


def test_catastrophic_and_vietnamese_patterns_are_accepted() -> None:
    doc = rich_document()
    doc["groups"][4]["pattern"] = "^(a+)+$"  # harmless under RE2
    assert parse_option_set(doc).groups[4].pattern == "^(a+)+$"
    doc["groups"][4]["pattern"] = r"[\w .'-]+"
    assert parse_option_set(doc).groups[4].pattern == r"[\w .'-]+"
