"""Number groups in the catalog: import, export, canonical form, refusals and the Check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from catalog.checks import option_set_check
from catalog.format import OptionSetFormatError, parse_option_set
from catalog.models import OptionGroup, OptionSetVersion, Product
from catalog.selectors import option_set_document
from catalog.services import option_set_import
from tests.fixtures.documents import banner_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_extension_points")]


def test_import_then_export_gives_back_the_banner() -> None:
    version = option_set_import(document=banner_document())

    assert option_set_document(version=version) == banner_document()


def test_import_stores_the_grid_unit_and_prices() -> None:
    version = option_set_import(document=banner_document())

    rows = list(
        version.groups.filter(kind="number").values_list(
            "code",
            "number_min",
            "number_max",
            "number_increment",
            "number_default",
            "unit",
            "price_per_unit",
            "price_formula",
        )
    )
    assert rows == [
        ("width", Decimal("50"), Decimal("300"), Decimal("10"), Decimal("120"), "cm", None, ""),
        (
            "height",
            Decimal("50"),
            Decimal("200"),
            Decimal("10"),
            Decimal("80"),
            "cm",
            None,
            "width * height / 10000 * 150000",
        ),
        ("strap", Decimal("0.5"), Decimal("3"), Decimal("0.5"), None, "m", Decimal("8000"), ""),
    ]


def test_export_writes_numbers_in_canonical_form() -> None:
    document = banner_document()
    document["groups"][1] |= {"minimum": 50, "maximum": "300.0", "increment": "10.000"}
    version = option_set_import(document=document)

    exported = option_set_document(version=version)["groups"][1]
    assert (exported["minimum"], exported["maximum"], exported["increment"]) == ("50", "300", "10")


def test_parse_reads_number_fields() -> None:
    group = parse_option_set(banner_document()).groups[3]
    assert (group.kind, group.number_min, group.number_max, group.number_increment) == (
        "number",
        Decimal("0.5"),
        Decimal("3"),
        Decimal("0.5"),
    )
    assert (group.unit, group.price_per_unit, group.price_formula, group.required) == (
        "m",
        Decimal("8000"),
        "",
        False,
    )


def _problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(OptionSetFormatError) as caught:
        parse_option_set(document)
    return [(p.code, p.path) for p in caught.value.problems]


def test_every_number_problem_is_reported_at_once() -> None:
    document = banner_document()
    document["groups"][1] |= {"maximum": "305", "default": "abc"}
    document["groups"][2]["price_formula"] = "width * material"
    document["groups"][3]["price_formula"] = "strap * 2"
    document["rules"][0]["then"] = {"height": ["500..900"]}

    assert _problems(document) == [
        ("format.E035", "$.groups[1].default"),
        ("format.E036", "$.groups[1].maximum"),
        ("format.E039", "$.groups[2].price_formula"),
        ("format.E039", "$.groups[3].price_formula"),
        ("format.E056", "$.rules[0].then.height[0]"),
    ]


def test_a_refused_number_group_writes_nothing() -> None:
    document = banner_document()
    document["groups"][1]["increment"] = "0.1"  # 2,501 values

    with pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=document)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("format.E037", "$.groups[1].maximum")
    ]
    assert (Product.objects.count(), OptionSetVersion.objects.count()) == (0, 0)
    assert OptionGroup.objects.count() == 0


def test_check_reports_a_broken_number_group_typed_in_the_admin() -> None:
    version = option_set_import(document=banner_document())
    OptionGroup.objects.filter(version=version, code="width").update(number_max=Decimal("305"))

    report = option_set_check(version=version)

    assert [(p.code, p.path) for p in report.errors] == [("catalog.E030", "$.groups[1].maximum")]


def test_check_reports_a_starting_number_that_breaks_a_rule() -> None:
    document = banner_document()
    document["groups"][0]["values"][0].pop("default")
    document["groups"][0]["values"][1]["default"] = True  # cotton
    document["groups"][1]["default"] = "250"
    version = option_set_import(document=document)

    report = option_set_check(version=version)

    assert [(p.code, p.path, p.message) for p in report.errors] == [
        (
            "catalog.E020",
            "$.rules[0]",
            "The default values (material=cotton, width=250) break rule “cotton-width”.",
        )
    ]


ADD_URL = "/admin/catalog/optionsetversion/add/"


def _admin_banner(product: Product, **width: str) -> dict[str, str]:
    """The admin's add form: a material group, a "Số đo" width group and a rule over both."""
    data = {
        "product": str(product.pk),
        "note": "",
        "groups-TOTAL_FORMS": "2",
        "groups-INITIAL_FORMS": "0",
        "groups-0-code": "material",
        "groups-0-kind": "choice",
        "groups-0-position": "0",
        "groups-0-required": "on",
        "groups-0-name_vi": "Chất liệu",
        "groups-0-formats": "[]",
        "groups-0-values-TOTAL_FORMS": "2",
        "groups-0-values-INITIAL_FORMS": "0",
        "groups-1-code": "width",
        "groups-1-kind": "number",
        "groups-1-position": "1",
        "groups-1-required": "on",
        "groups-1-name_vi": "Chiều rộng",
        "groups-1-formats": "[]",
        "groups-1-values-TOTAL_FORMS": "0",
        "groups-1-values-INITIAL_FORMS": "0",
        "groups-1-number_min": "50",
        "groups-1-number_max": "300",
        "groups-1-number_increment": "10",
        "groups-1-unit": "cm",
        "groups-1-price_per_unit": "1000",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-kind": "requires",
        "rules-0-position": "0",
        "rules-0-message_vi": "Vải cotton chỉ rộng tối đa 200 cm",
        "rules-0-if_text": "material: cotton",
        "rules-0-then_text": "width: <=200",
        "views-TOTAL_FORMS": "0",
        "views-INITIAL_FORMS": "0",
        "preview_layers-TOTAL_FORMS": "0",
        "preview_layers-INITIAL_FORMS": "0",
    }
    for number, code in enumerate(("pvc", "cotton")):
        prefix = f"groups-0-values-{number}"
        data |= {
            f"{prefix}-code": code,
            f"{prefix}-name_vi": code,
            f"{prefix}-position": str(number),
            f"{prefix}-price_delta": "0",
            f"{prefix}-is_active": "on",
        }
    return data | {f"groups-1-{key}": value for key, value in width.items()}


@pytest.fixture
def cap() -> Product:
    return Product.objects.create(sku="BANNER-02", name_vi="Băng rôn", base_price=50_000)


def test_admin_builds_a_number_group_and_a_rule_over_it_in_one_save(admin_client, cap):
    response = admin_client.post(ADD_URL, _admin_banner(cap))

    assert response.status_code == 302, response.content.decode()[:3000]
    version = OptionSetVersion.objects.get(product=cap)
    document = option_set_document(version=version)
    assert document["groups"][1] == {
        "code": "width",
        "name": {"vi": "Chiều rộng"},
        "kind": "number",
        "minimum": "50",
        "maximum": "300",
        "increment": "10",
        "unit": "cm",
        "price_per_unit": "1000",
    }
    assert document["rules"][0]["then"] == {"width": ["<=200"]}


@pytest.mark.parametrize(
    ("width", "field", "message"),
    [
        (
            {"number_max": "305"},
            "number_max",
            "Số lớn nhất phải không nhỏ hơn số nhỏ nhất và cộng dần từng bước từ số nhỏ nhất "
            "phải tới đúng nó (bước nhảy lớn hơn 0).",
        ),
        (
            {"number_increment": "0.1"},
            "number_increment",
            "Như vậy có hơn 1000 số để chọn; hãy tăng bước nhảy.",
        ),
        (
            {"number_default": "125"},
            "number_default",
            "Số mặc định phải là một trong các số khách được chọn.",
        ),
        (
            {"number_min": ""},
            "number_min",
            "Số đo cần có số nhỏ nhất, số lớn nhất và bước nhảy.",
        ),
        (
            {"price_formula": "width * 2"},
            "price_formula",
            "Chỉ nhập giá mỗi đơn vị hoặc công thức giá, không nhập cả hai.",
        ),
        (
            {"price_per_unit": "", "price_formula": "width / height"},
            "price_formula",
            "Không đọc được công thức này. Chỉ dùng mã của các nhóm số đo, con số, + - * / và "
            "dấu ngoặc; chỉ chia cho một con số.",
        ),
    ],
)
def test_admin_refuses_a_bad_number_group_beside_its_field_in_vietnamese(
    admin_client, cap, width, field, message
):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"

    response = admin_client.post(ADD_URL, _admin_banner(cap, **width))

    assert response.status_code == 200
    groups = response.context["inline_admin_formsets"][0].formset
    assert groups.forms[1].errors == {field: [message]}
    assert not OptionSetVersion.objects.exists()
    assert not OptionGroup.objects.exists()


def test_admin_refuses_a_rule_naming_no_number_of_the_group(admin_client, cap):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    data = _admin_banner(cap) | {"rules-0-then_text": "width: >300"}

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    rules = response.context["inline_admin_formsets"][1].formset
    assert rules.forms[0].errors == {
        "then_text": [
            "“>300” không ứng với số nào của “width”: hãy ghi một số nhóm có, "
            "“>200”, “<=200” hoặc “100..200”."
        ]
    }
    assert not OptionSetVersion.objects.exists()


def test_admin_names_the_kind_and_fields_in_vietnamese(admin_client, cap):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"

    page = admin_client.get(ADD_URL).content.decode()

    assert '<option value="number">Số đo</option>' in page
    for label in ("Nhỏ nhất", "Lớn nhất", "Bước nhảy", "Đơn vị", "Giá mỗi đơn vị", "Công thức giá"):
        assert f">{label}:</label>" in page or f">{label}</label>" in page, label
