"""Merchants set stock by CSV and by API: every bad line or item named, nothing half-written."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import ValueStock
from catalog.stock import stock_forget

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/TOTE-01/stock/"


@pytest.fixture(autouse=True)
def fresh_stock():
    stock_forget()
    yield
    stock_forget()


def _rows():
    return sorted(
        ValueStock.objects.values_list(
            "group_code", "value_code", "quantity", "lead_time_days", "restock_date"
        )
    )


def test_import_stock_sets_every_line(tote, tmp_path, capsys):
    path = tmp_path / "stock.csv"
    path.write_text(
        "\ufeffsku,group,value,quantity,lead_time_days,restock_date\n"
        "TOTE-01,material,suede,12,5,\n"
        "TOTE-01,color,red,0,,2026-12-24\n"
        "\n"
        "TOTE-01,color,navy,,2,\n",
        encoding="utf-8",
    )
    call_command("import_stock", str(path))
    assert capsys.readouterr().out == "Stock set for 3 value(s).\n"
    import datetime

    assert _rows() == [
        ("color", "navy", None, 2, None),
        ("color", "red", 0, 0, datetime.date(2026, 12, 24)),
        ("material", "suede", 12, 5, None),
    ]


def test_import_stock_names_every_bad_line_and_writes_nothing(tote, tmp_path):
    ValueStock.objects.create(
        product=tote.product, group_code="material", value_code="suede", quantity=4
    )
    path = tmp_path / "stock.csv"
    path.write_text(
        "sku,group,value,quantity,lead_time_days,restock_date\n"
        "TOTE-01,material,suede,9,,\n"
        "TOTE-01,color,purple,3,,\n"
        "TOTE-01,color,red,-1,,\n"
        "TOTE-01,color,navy,2,x,\n"
        "TOTE-01,color,black,2,,24/12/2026\n"
        "NOPE,color,black,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_stock", str(path))
    assert str(refused.value) == (
        f"{path}: nothing was written. 5 problem(s):\n"
        "  line 3: TOTE-01 has no value “purple” in a group “color”. [stock.E002]\n"
        "  line 4: The quantity must be between 0 and 10000000, or empty (not counted). "
        "[stock.E003]\n"
        "  line 5: The lead time “x” is not a number. [stock.E004]\n"
        "  line 6: The date “24/12/2026” is not YYYY-MM-DD. [stock.E005]\n"
        "  line 7: No product “NOPE”. [stock.E001]"
    )
    assert _rows() == [("material", "suede", 4, 0, None)]


def test_import_stock_refuses_unknown_products_and_values_with_their_lines(tote, tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text(
        "sku,group,value,quantity\n"
        "TOTE-01,material,suede,9\n"
        "TOTE-01,color,purple,3\n"
        "NOPE,color,black,1\n"
        "TOTE-01,material,suede,2\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_stock", str(path))
    assert str(refused.value) == (
        f"{path}: nothing was written. 3 problem(s):\n"
        "  line 3: TOTE-01 has no value “purple” in a group “color”. [stock.E002]\n"
        "  line 4: No product “NOPE”. [stock.E001]\n"
        "  line 5: “material:suede” of TOTE-01 comes twice. [stock.E008]"
    )
    assert _rows() == []


def test_import_stock_refuses_a_file_without_its_columns(tote, tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text("sku,value,quantity\nTOTE-01,suede,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_stock", str(path))
    assert "line 1: Missing columns: group. [stock.E006]" in str(refused.value)


@pytest.fixture
def merchant(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("kho", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_valuestock"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_api_sets_and_lists_stock(tote, merchant):
    response = merchant.put(
        URL,
        {
            "items": [
                {
                    "group": "material",
                    "value": "suede",
                    "quantity": 0,
                    "restock_date": "2026-12-24",
                },
                {"group": "color", "value": "red", "quantity": None, "lead_time_days": 4},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    expected = {
        "items": [
            {
                "group": "color",
                "value": "red",
                "quantity": None,
                "lead_time_days": 4,
                "restock_date": None,
            },
            {
                "group": "material",
                "value": "suede",
                "quantity": 0,
                "lead_time_days": 0,
                "restock_date": "2026-12-24",
            },
        ]
    }
    assert response.json() == expected
    assert merchant.get(URL).json() == expected


def test_the_api_refuses_every_bad_item_and_writes_nothing(tote, merchant):
    response = merchant.put(
        URL,
        {
            "items": [
                {"group": "material", "value": "suede", "quantity": 3},
                {"group": "color", "value": "purple", "quantity": 3},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "stock.E002",
        "detail": "items.1: TOTE-01 has no value “purple” in a group “color”.",
        "field": "items.1",
        "errors": [
            {
                "code": "stock.E002",
                "detail": "TOTE-01 has no value “purple” in a group “color”.",
                "field": "items.1",
            }
        ],
    }
    assert _rows() == []
    negative = merchant.put(
        URL, {"items": [{"group": "material", "value": "suede", "quantity": -1}]}, format="json"
    )
    assert (negative.status_code, negative.json()["field"]) == (400, "items.0.quantity")
    assert _rows() == []


def test_the_api_is_for_staff_who_may_change_stock(tote, django_user_model):
    client = APIClient()
    assert client.get(URL).status_code == 401
    user = django_user_model.objects.create_user("khach")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.get(URL).status_code == 403
    assert client.put(URL, {"items": []}, format="json").status_code == 403


def test_the_api_answers_404_for_an_unknown_product(merchant):
    response = merchant.get("/api/v1/products/NOPE/stock/")
    assert (response.status_code, response.json()["code"]) == (404, "product.not_found")


def test_the_admin_refuses_a_value_the_product_does_not_have(tote, admin_client):
    data = {
        "product": tote.product_id,
        "group_code": "color",
        "value_code": "purple",
        "quantity": "3",
        "lead_time_days": "0",
        "restock_date": "",
    }
    response = admin_client.post("/admin/catalog/valuestock/add/", data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "TOTE-01 không có giá trị “purple” trong nhóm tùy chọn “color”." in (
        response.content.decode()
    )
    assert _rows() == []
    data["value_code"] = "red"
    response = admin_client.post("/admin/catalog/valuestock/add/", data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    assert _rows() == [("color", "red", 3, 0, None)]
