"""option_set_check: every catalog Check code, and how analyzers' findings are merged."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalog.checks import CHECK_CODES, CheckReport, option_set_check
from catalog.extensions import Problem
from catalog.models import (
    BlockedWord,
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    PreviewLayer,
    Product,
    ProductView,
    Rule,
    RuleKind,
)
from catalog.services import option_set_import
from tests.fixtures.documents import rich_document

pytestmark = pytest.mark.django_db

BASELINE = [
    ("catalog.W002", "$.rules[0].rows[3][0]", "warning"),
    ("catalog.W002", "$.rules[3].then.color[1]", "warning"),
]


def _group(code: str, **fields: Any) -> None:
    OptionGroup.objects.filter(code=code).update(**fields)


def _value(group: str, code: str, **fields: Any) -> None:
    OptionValue.objects.filter(group__code=group, code=code).update(**fields)


def _rule(position: int, **fields: Any) -> None:
    Rule.objects.filter(position=position).update(**fields)


def _add_rule(kind: str, **fields: Any) -> None:
    version = OptionSetVersion.objects.get()
    Rule.objects.create(version=version, kind=kind, position=4, **fields)


# (code, change to the imported rich document, path reported)
CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("catalog.E001", lambda: Product.objects.update(name_vi="", name_en=""), "$.product.name"),
    ("catalog.E002", lambda: _group("color", name_vi="", name_en=""), "$.groups[0].name"),
    (
        "catalog.E002",
        lambda: _value("material", "denim", name_vi=" "),
        "$.groups[1].values[2].name",
    ),
    (
        "catalog.E003",
        lambda: OptionValue.objects.filter(group__code="material").update(is_active=False),
        "$.groups[1]",
    ),
    ("catalog.E004", lambda: _group("extras", min_values=4, max_values=None), "$.groups[3].min"),
    (
        "catalog.E005",
        lambda: _value("color", "navy", is_default=True),
        "$.groups[0].values[1].default",
    ),
    (
        "catalog.E006",
        lambda: _value("color", "natural", is_active=False),
        "$.groups[0].values[0].default",
    ),
    (
        "catalog.E007",
        lambda: _value("color", "navy", price_delta=Decimal("0.50")),
        "$.groups[0].values[1].price_delta",
    ),
    (
        "catalog.E007",
        lambda: Product.objects.update(base_price=Decimal("350000.25")),
        "$.product.base_price",
    ),
    ("catalog.E010", lambda: _rule(0, table_groups=["color", "size"]), "$.rules[0].groups[1]"),
    ("catalog.E010", lambda: _rule(2, condition_if={"size": ["xl"]}), "$.rules[2].if.size"),
    (
        "catalog.E011",
        lambda: _rule(0, rows=[["natural", "*"], ["navy", "silk"]]),
        "$.rules[0].rows[1][1]",
    ),
    (
        "catalog.E011",
        lambda: _rule(2, condition_then={"material": ["silk"]}),
        "$.rules[2].then.material[0]",
    ),
    ("catalog.E012", lambda: _rule(0, table_groups=["color", "extras"]), "$.rules[0].groups[1]"),
    ("catalog.E013", lambda: _rule(0, rows=[["natural", "*"], ["navy"]]), "$.rules[0].rows[1]"),
    ("catalog.E014", lambda: _rule(1, rows=[[None, "cotton"]]), "$.rules[1].rows[0][0]"),
    ("catalog.E015", lambda: _rule(2, condition_if={}), "$.rules[2].if"),
    (
        "catalog.E015",
        lambda: _rule(2, condition_if={"monogram": ["yes"]}),
        "$.rules[2].if.monogram",
    ),
    ("catalog.E016", lambda: _rule(0, rows=[]), "$.rules[0].rows"),
    (
        "catalog.E020",
        lambda: (
            _value("color", "natural", is_default=False),
            _value("color", "navy", is_default=True),
            _value("material", "canvas", is_default=False),
            _value("material", "linen", is_default=True),
        ),
        "$.rules[0]",
    ),
    (
        "catalog.E020",
        lambda: (
            _value("material", "canvas", is_default=False),
            _value("material", "denim", is_default=True),
            _value("lining", "cotton", is_default=True),
        ),
        "$.rules[1]",
    ),
    (
        "catalog.E020",
        lambda: (
            _value("extras", "zip", is_default=True),
            _add_rule(
                RuleKind.REQUIRES,
                condition_if={"extras": ["zip"]},
                condition_then={"color": ["navy"]},
            ),
        ),
        "$.rules[4]",
    ),
    (
        "catalog.E020",
        lambda: (
            _value("extras", "strap", is_default=True),
            _add_rule(
                RuleKind.EXCLUDES,
                condition_if={"color": ["natural"]},
                condition_then={"material": ["canvas"], "extras": ["zip", "strap"]},
            ),
        ),
        "$.rules[4]",
    ),
    (
        "catalog.E030",
        lambda: _value("color", "natural", swatch="beige"),
        "$.groups[0].values[0].swatch",
    ),
    ("catalog.E030", lambda: _group("monogram", pattern="[a-z"), "$.groups[4].pattern"),
    ("catalog.E030", lambda: _group("monogram", pattern=r"(a)\1"), "$.groups[4].pattern"),
    ("catalog.W001", lambda: _group("color", max_visible_values=1), "$.groups[0]"),
    ("catalog.W002", lambda: None, "$.rules[0].rows[3][0]"),
    ("catalog.W003", lambda: _rule(1, rows=[]), "$.rules[1].rows"),
    ("catalog.W004", lambda: _value("lining", "cotton", is_active=False), "$.groups[2]"),
    (
        "catalog.W010",
        lambda: (BlockedWord.objects.create(word="ngu"), _value("color", "navy", name_vi="N.g.u")),
        "$.groups[0].values[1].name.vi",
    ),
    ("catalog.W011", lambda: PreviewLayer.objects.all().delete(), "$.extensions.preview_layers"),
    (
        "catalog.W012",
        lambda: ProductView.objects.create(
            version=OptionSetVersion.objects.get(), code="back", name_vi="Mặt sau", position=1
        ),
        "$.extensions.views[1]",
    ),
]


@pytest.fixture
def version(no_extension_points: None) -> OptionSetVersion:
    return option_set_import(document=rich_document())


def _found(report: CheckReport) -> list[tuple[str, str, str]]:
    return [(p.code, p.path, p.level) for p in report.problems]


def test_option_set_check_of_the_rich_document_reports_only_inactive_values(
    version: OptionSetVersion,
) -> None:
    report = option_set_check(version=version)

    assert _found(report) == BASELINE
    assert (report.configurations, report.dead_values, report.errors) == (None, (), ())


@pytest.mark.parametrize(("code", "change", "path"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_option_set_check_reports_code_and_path(
    version: OptionSetVersion, code: str, change: Callable[[], Any], path: str
) -> None:
    change()

    problems = _found(option_set_check(version=version))

    level = "warning" if code.startswith("catalog.W") else "error"
    assert (code, path, level) in problems


def test_every_check_code_is_tested() -> None:
    assert {case[0] for case in CASES} == set(CHECK_CODES)


def test_option_set_check_names_the_defaults_that_break_a_rule(version: OptionSetVersion) -> None:
    _value("color", "natural", is_default=False)
    _value("color", "navy", is_default=True)
    _value("material", "canvas", is_default=False)
    _value("material", "linen", is_default=True)

    problems = option_set_check(version=version).problems

    assert [p for p in problems if p.code == "catalog.E020"] == [
        Problem(
            code="catalog.E020",
            message="The default values (color=navy, material=linen) break rule “color-material”.",
            path="$.rules[0]",
        ),
        Problem(
            code="catalog.E020",
            message="The default values (material=linen, lining=empty) break rule rules[1].",
            path="$.rules[1]",
        ),
    ]


def test_option_set_check_skips_rules_on_groups_without_a_decided_default(
    version: OptionSetVersion,
) -> None:
    # color is required and has no default: the shopper decides, so no rule over it is judged.
    _value("color", "natural", is_default=False)
    _value("material", "canvas", is_default=False)
    _value("material", "denim", is_default=True)
    _rule(0, rows=[["navy", "canvas"]])

    assert [p.code for p in option_set_check(version=version).problems] == ["catalog.W002"]


def test_option_set_check_reports_a_display_limit_once_values_exceed_it(
    version: OptionSetVersion,
) -> None:
    Product.objects.update(max_visible_values=2)

    problems = option_set_check(version=version).problems

    assert [p for p in problems if p.code == "catalog.W001"] == [
        Problem(
            code="catalog.W001",
            message="Step 2 shows 2 of the 3 values of “extras” in no curated order; mark the "
            "order as curated or raise the limit.",
            path="$.groups[3]",
            level="warning",
        )
    ]


def test_option_set_check_merges_the_analyzers_findings(fake_analyzer: list[int]) -> None:
    version = option_set_import(document=rich_document())

    report = option_set_check(version=version)

    assert fake_analyzer == [version.pk]
    assert report.configurations == 42
    assert report.dead_values == (("color", "navy"),)
    assert _found(report) == [*BASELINE, ("engine.W001", "$", "warning")]


def test_docs_list_every_check_code_with_its_level() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "option-set-format.md").read_text(encoding="utf-8")

    listed = [
        code
        for code, text in CHECK_CODES.items()
        if f"| `{code}` | {'warning' if '.W' in code else 'error'} | {text} |" in docs
    ]
    assert listed == list(CHECK_CODES)


def test_counts_past_python_s_digit_limit_are_written_as_an_approximation():
    from catalog.checks import CheckReport, count_text

    assert count_text(10**59) == "1" + "0" * 59
    assert count_text(3**10_000) == "≈ 1.63e+4771"
    assert CheckReport(problems=(), configurations=3**10_000).configurations_text == (
        "≈ 1.63e+4771"
    )
    assert CheckReport(problems=()).configurations_text == "?"
