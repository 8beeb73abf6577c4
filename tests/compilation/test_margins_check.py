"""The Check names the configuration with the lowest margin; the admin, orders and the insight
show margins (Vietnamese, as a merchant reads them)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.checks import option_set_check
from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.orders.models import OrderLine
from configurator.personalization.insight import Margin, product_insight
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import place

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


@pytest.fixture(autouse=True)
def _fresh_cache():
    engine_cache.clear()
    yield
    engine_cache.clear()


def costed_tote(*, suede_cost: str = "250000", min_margin: str | None = "30") -> dict[str, Any]:
    """The tote with costs: suede sells 150,000 over canvas and costs more than that to make;
    each monogram letter sells for 10,000 and costs 12,000 (at most 10 letters)."""
    doc = copy.deepcopy(TOTE)
    doc["product"]["base_cost"] = "200000"
    if min_margin is not None:
        doc["product"]["min_margin"] = min_margin
    doc["groups"][0]["values"][1]["cost"] = suede_cost
    doc["groups"][2] |= {"cost": "5000", "cost_per_char": "12000"}
    return doc


def _margin_problems(report) -> list[tuple[str, str, str, str]]:
    return [
        (p.code, p.level, p.path, p.message)
        for p in report.problems
        if p.code.startswith("engine.W01")
    ]


def test_check_names_the_configuration_below_the_minimum_margin():
    version = option_set_import(document=costed_tote())

    with translation.override("vi"):
        report = option_set_check(version=version)
        lowest = report.lowest_margin.text()

    # 350,000 + 150,000 + 10 letters × 10,000 = 600,000 for 200,000 + 250,000 + 5,000 +
    # 10 × 12,000 = 575,000: the configuration furthest below 30 % (suede loses the most,
    # each letter loses; black is the first colour).
    expected = f"Túi tote vải · Da lộn · Đen · Chữ thêu (10 ký tự): lãi 25.000{NBSP}₫ (4,2%)"
    assert lowest == expected
    assert _margin_problems(report) == [
        (
            "engine.W011",
            "warning",
            "$.product.min_margin",
            f"Có cấu hình lãi dưới mức tối thiểu 30%: {expected}.",
        )
    ]


def test_check_warns_below_cost_naming_the_cheapest_margin_configuration():
    version = option_set_import(document=costed_tote(suede_cost="400000", min_margin=None))

    with translation.override("vi"):
        report = option_set_check(version=version)

    assert _margin_problems(report) == [
        (
            "engine.W010",
            "warning",
            "$.product.base_cost",
            "Có cấu hình bán dưới giá vốn: Túi tote vải · Da lộn · Đen · Chữ thêu (10 ký tự): "
            f"lỗ 125.000{NBSP}₫ (-20,8%).",
        )
    ]


def test_check_warns_when_a_text_without_length_limit_loses_by_the_letter():
    doc = costed_tote(min_margin=None)
    del doc["groups"][2]["max_length"]
    version = option_set_import(document=doc)

    with translation.override("vi"):
        report = option_set_check(version=version)

    assert [(code, path) for code, _, path, _ in _margin_problems(report)] == [
        ("engine.W012", "$.groups[2]")
    ]
    assert _margin_problems(report)[0][3].startswith(
        "Mỗi ký tự của “Chữ thêu” tốn tiền làm nhiều hơn giá bán"
    )


def test_no_margin_warning_when_every_configuration_keeps_the_minimum():
    doc = costed_tote(suede_cost="0", min_margin="10")
    doc["groups"][2] |= {"cost": "0", "cost_per_char": "0"}
    version = option_set_import(document=doc)

    with translation.override("vi"):
        report = option_set_check(version=version)
        lowest = report.lowest_margin.text()

    assert _margin_problems(report) == []
    # Canvas, black, no monogram: 350,000 for 200,000.
    assert lowest == f"Túi tote vải · Vải bố · Đen: lãi 150.000{NBSP}₫ (42,9%)"


def test_version_page_shows_the_lowest_margin_once_checked(admin_client):
    version = option_set_import(document=costed_tote())
    url = reverse("admin:catalog_optionsetversion_change", args=[version.pk])

    before = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    admin_client.get(reverse("admin:catalog_version_check", args=[version.pk]))
    after = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert "Bấm “Kiểm tra” để xem cấu hình có tiền lãi thấp nhất." in before
    assert "Túi tote vải · Da lộn · Đen · Chữ thêu (10 ký tự): lãi 25.000" in after
    assert "Bấm “Kiểm tra”" not in after


def test_check_page_shows_the_lowest_margin(admin_client):
    version = option_set_import(document=costed_tote())

    page = admin_client.get(
        reverse("admin:catalog_version_check", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()

    assert "Cấu hình lãi thấp nhất: Túi tote vải · Da lộn · Đen · Chữ thêu (10 ký tự)" in page
    assert "engine.W011" in page


def test_order_lines_keep_their_cost_and_the_admin_shows_their_margin(publish, admin_client):
    version = publish(costed_tote())

    order = place(version, monogram="Ngọc Ánh")  # two suede black totes, 7 letters

    line = OrderLine.objects.get(order=order)
    # 350,000 + 150,000 + 70,000 = 570,000 for 200,000 + 250,000 + 5,000 + 84,000 = 539,000.
    assert (line.unit_price, line.unit_cost, line.unit_margin) == (
        Decimal(570000),
        Decimal(539000),
        Decimal(31000),
    )
    assert [(c["kind"], c["group"], c["amount"]) for c in line.cost_lines] == [
        ("base", "", "200000"),
        ("value", "material", "250000"),
        ("text", "monogram", "89000"),
    ]
    page = admin_client.get(
        reverse("admin:orders_order_change", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert f"62.000{NBSP}₫ cho cả dòng, 31.000{NBSP}₫ mỗi sản phẩm (5,4%)" in page


def test_insight_shows_the_margin_beside_take_rates(publish, admin_client):
    version = publish(costed_tote())
    place(version, key="k1", monogram="Ngọc Ánh")
    OrderLine.objects.create(  # ordered before costs were kept: no margin
        **{
            f.name: getattr(OrderLine.objects.get(), f.name)
            for f in OrderLine._meta.fields
            if f.name not in ("id", "position", "unit_cost")
        },
        position=2,
    )

    insight = product_insight(sku="TOTE-01")

    assert insight.margin == Margin(Decimal(1140000), Decimal(1078000), 1)
    suede = next(t for t in insight.takes if t.value == "suede")
    assert (suede.overall.hits, suede.overall.total) == (2, 2)
    assert (suede.margin.amount, suede.margin.percent) == (Decimal(62000), Decimal("5.4"))
    page = admin_client.get(
        reverse("product-insight", args=[version.product_id]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert f"Tiền lãi sau giá vốn: 62.000{NBSP}₫ (5,4% doanh thu)" in page
    assert f"62.000{NBSP}₫ (5,4%)</td>" in page
