"""One admin save builds a product: groups, values and rules together; numbers assigned;
no swatch unless one is given."""

from __future__ import annotations

import copy
import json

import pytest
from rest_framework.test import APIClient

from catalog import services
from catalog.models import OptionGroup, OptionSetVersion, OptionValue, Product, Rule
from catalog.selectors import option_set_document
from catalog.services import option_set_import, option_set_publish
from configurator.compilation.selectors import engine_cache
from tests.fixtures.api import evaluate
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/catalog/optionsetversion/add/"


@pytest.fixture(autouse=True)
def _english_admin(admin_client):
    """These tests read the admin's English texts (Vietnamese is the shop's default)."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def product() -> Product:
    return Product.objects.create(sku="CAP-01", name_vi="Mũ", base_price=100_000)


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def _group(index: int, code: str, values: list[tuple[str, str]]) -> dict[str, str]:
    """A new "choose one" group with new values (code, swatch; "" for none)."""
    prefix = f"groups-{index}"
    data = {
        f"{prefix}-code": code,
        f"{prefix}-kind": "choice",
        f"{prefix}-position": str(index),
        f"{prefix}-required": "on",
        f"{prefix}-name_vi": code,
        f"{prefix}-formats": "[]",
        **_management(f"{prefix}-values", len(values)),
    }
    for number, (value, swatch) in enumerate(values):
        field = f"{prefix}-values-{number}"
        data |= {
            f"{field}-code": value,
            f"{field}-name_vi": value,
            f"{field}-position": str(number),
            f"{field}-price_delta": "0",
            f"{field}-swatch": swatch,
            f"{field}-is_active": "on",
        }
    return data


def _table_rule(groups_text: str, rows_text: str) -> dict[str, str]:
    return {
        **_management("rules", 1),
        "rules-0-kind": "allowed",
        "rules-0-rule_id": "only-these",
        "rules-0-position": "0",
        "rules-0-groups_text": groups_text,
        "rules-0-rows_text": rows_text,
        "rules-0-if_text": "",
        "rules-0-then_text": "",
    }


def _new_version(product: Product, groups_text: str, rows_text: str) -> dict[str, str]:
    return {
        "product": str(product.pk),
        "note": "",
        **_management("groups", 2),
        **_group(0, "material", [("canvas", ""), ("suede", "#7a5230")]),
        **_group(1, "color", [("black", "#000000"), ("navy", "")]),
        **_table_rule(groups_text, rows_text),
        **_management("views", 0),
        **_management("preview_layers", 0),
    }


def test_one_save_creates_groups_values_and_a_rule_naming_them(admin_client, product):
    data = _new_version(product, "material, color", "canvas, *\nsuede, black")

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    version = OptionSetVersion.objects.get(product=product)
    assert version.number == 1
    assert list(version.groups.values_list("code", flat=True)) == ["material", "color"]
    rule = Rule.objects.get(version=version)
    assert (rule.table_groups, rule.rows) == (
        ["material", "color"],
        [["canvas", "*"], ["suede", "black"]],
    )


def test_a_rule_naming_an_unknown_group_is_refused_beside_it_and_nothing_is_saved(
    admin_client, product
):
    data = _new_version(product, "material, size", "canvas, small")

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Unknown group “size”." in body
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert errors == {"groups_text": ["Unknown group “size”."]}
    assert not OptionSetVersion.objects.exists()
    assert not OptionGroup.objects.exists()
    assert not Rule.objects.exists()


def test_a_rule_may_name_a_group_renamed_in_the_same_save_but_not_its_old_code(admin_client):
    draft = option_set_import(document=copy.deepcopy(TOTE))
    url = f"/admin/catalog/optionsetversion/{draft.pk}/change/"
    page = admin_client.get(url)
    data = _posted(page)
    material = next(k for k, v in data.items() if k.endswith("-code") and v == "material")
    data[material] = "fabric"
    rule_prefix = "rules-0"
    data[f"{rule_prefix}-groups_text"] = "material, color"

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    assert "Unknown group “material”." in refused.content.decode()
    assert draft.groups.filter(code="material").exists()

    data[f"{rule_prefix}-groups_text"] = "fabric, color"
    saved = admin_client.post(url, data)

    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert Rule.objects.get(version=draft).table_groups == ["fabric", "color"]


def _posted(response) -> dict[str, str]:
    """What the browser would post back for a change page left as it is."""
    data: dict[str, str] = {}
    for form in [response.context["adminform"].form] + [
        f for fs in _all_formsets(response.context["inline_admin_formsets"]) for f in fs
    ]:
        if hasattr(form, "management_form"):
            for name in form.management_form.fields:
                data[form.management_form.add_prefix(name)] = str(
                    form.management_form[name].value()
                )
            continue
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if name == "formats":
                value = json.dumps(value)
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def _all_formsets(inline_admin_formsets):
    for inline_admin_formset in inline_admin_formsets:
        formset = inline_admin_formset.formset
        yield [formset, *formset.forms]
        for form in formset.forms:
            for nested in getattr(form, "nested_formsets", []):
                yield [nested, *nested.forms]


def test_version_numbers_are_assigned_one_then_two(admin_client, product):
    assert "number" not in admin_client.get(ADD_URL).context["adminform"].form.fields
    first = admin_client.post(ADD_URL, {**_new_version(product, "material, color", "canvas, *")})
    assert first.status_code == 302
    option_set_publish(version=OptionSetVersion.objects.get(product=product))

    second = admin_client.post(ADD_URL, {**_new_version(product, "material, color", "canvas, *")})

    assert second.status_code == 302
    assert list(
        OptionSetVersion.objects.filter(product=product)
        .order_by("number")
        .values_list("number", flat=True)
    ) == [1, 2]


def test_a_number_taken_meanwhile_is_refused_by_the_constraint_and_the_next_one_taken(
    product, monkeypatch
):
    OptionSetVersion.objects.create(
        product=product,
        number=1,
        status="published",
        published_at="2026-01-01T00:00:00Z",
        frozen_product={},
    )
    stale = iter([1])  # a concurrent save read the highest number before this one was made
    real = services.option_set_next_number
    monkeypatch.setattr(
        services,
        "option_set_next_number",
        lambda *, product: next(stale, None) or real(product=product),
    )

    version = services.option_set_version_add(version=OptionSetVersion(product=product))

    assert version.number == 2
    assert sorted(OptionSetVersion.objects.values_list("number", flat=True)) == [1, 2]


def test_a_value_saved_without_a_swatch_has_none_in_the_export_and_the_payload(
    admin_client, product, django_capture_on_commit_callbacks
):
    # A colour input cannot be empty: it would post #000000 for every value left alone.
    assert 'type="color"' not in admin_client.get(ADD_URL).content.decode()
    response = admin_client.post(ADD_URL, _new_version(product, "material, color", "canvas, *"))
    assert response.status_code == 302
    version = OptionSetVersion.objects.get(product=product)
    assert dict(OptionValue.objects.values_list("code", "swatch")) == {
        "canvas": "",
        "suede": "#7a5230",
        "black": "#000000",
        "navy": "",
    }

    document = option_set_document(version=version)
    values = {v["code"]: v for g in document["groups"] for v in g["values"]}
    assert "swatch" not in values["navy"] and "swatch" not in values["canvas"]
    assert values["black"]["swatch"] == "#000000"

    export = admin_client.get(f"/admin/catalog/optionsetversion/{version.pk}/export/")
    exported = {v["code"]: v for g in json.loads(export.content)["groups"] for v in g["values"]}
    assert "swatch" not in exported["navy"]

    engine_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        option_set_publish(version=version)
    evaluated = evaluate(APIClient(), {"selection": {}}, sku="CAP-01")
    assert evaluated.status_code == 200, evaluated.content
    shown = {v["code"]: v["swatch"] for g in evaluated.json()["groups"] for v in g["values"]}
    assert shown == {"canvas": None, "suede": "#7a5230", "black": "#000000", "navy": None}
