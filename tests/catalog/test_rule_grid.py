"""A table rule over two groups as a grid of boxes, in step with its rows text; the Check and
a refused publish name a rule by the values it touches."""

from __future__ import annotations

import copy
import re

import pytest
from django.utils import translation

from catalog.grid import GridAxis, grid_cells, grid_lines
from catalog.models import OptionSetVersion, OptionValue, Product, Rule
from catalog.places import problem_place
from catalog.selectors import option_set_document
from catalog.services import option_set_import
from tests.catalog.test_admin_one_save import ADD_URL, _group, _management, _posted
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

MATERIAL = GridAxis("material", "Chất liệu", True, (("canvas", "Vải bố"), ("suede", "Da lộn")))
COLOR = GridAxis(
    "color", "Màu", True, (("black", "Đen"), ("brown", "Nâu"), ("navy", "Xanh đen"), ("red", "Đỏ"))
)
OPTIONAL_COLOR = GridAxis("color", "Màu", False, COLOR.values)
TOTE_BOXES = {
    "canvas,black", "canvas,brown", "canvas,navy", "canvas,red", "suede,black", "suede,brown",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _vietnamese_admin(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"


@pytest.fixture
def draft() -> OptionSetVersion:
    return option_set_import(document=copy.deepcopy(TOTE))


def _url(version: OptionSetVersion) -> str:
    return f"/admin/catalog/optionsetversion/{version.pk}/change/"


def _boxes(html: str, name: str = "rules-0-grid") -> tuple[set[str], set[str]]:
    """(every box, the ticked boxes) of a grid on a page."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*>', html)
    ticked = re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*checked>', html)
    return set(boxes), set(ticked)


# The two views of one table.


def test_the_boxes_of_a_text_expand_a_star_over_a_required_group():
    assert grid_cells(["suede, black", "suede,brown", "canvas, *"], MATERIAL, COLOR) == TOTE_BOXES


@pytest.mark.parametrize(
    "lines",
    [
        ["canvas, *"],  # "*" over an optional group also matches no colour: no box says it
        ["canvas, -"],  # the empty group
        ["canvas"],  # one cell
        ["canvas, purple"],  # no such value
    ],
)
def test_a_text_boxes_cannot_say_has_no_boxes(lines):
    assert grid_cells(lines, MATERIAL, OPTIONAL_COLOR) is None


def test_the_lines_of_boxes_follow_the_grid_and_put_unknown_boxes_last():
    cells = {"suede,brown", "canvas,red", "old,navy", "canvas,black"}
    assert grid_lines(cells, MATERIAL, COLOR) == [
        "canvas, black",
        "canvas, red",
        "suede, brown",
        "old, navy",
    ]


# The admin page.


def test_a_draft_shows_its_two_group_table_as_a_ticked_grid_with_the_message(admin_client, draft):
    html = admin_client.get(_url(draft)).content.decode()

    boxes, ticked = _boxes(html)
    assert len(boxes) == 8
    assert ticked == TOTE_BOXES
    assert 'aria-label="Da lộn × Xanh đen"' in html
    assert '<input type="hidden" name="rules-0-grid_axes" value="material,color">' in html
    assert "Ô được đánh dấu: hai giá trị này được đi cùng nhau (chỉ những cặp này)." in html
    assert '<q class="rule-grid__message-text">Da lộn chỉ có màu Đen hoặc Nâu</q>' in html
    assert 'src="/static/catalog/rule-grid.js"' in html


def _page_data(admin_client, draft) -> dict:
    data = _posted(admin_client.get(_url(draft)))
    data["rules-0-grid_axes"] = "material,color"
    data["rules-0-grid_was"] = ";".join(sorted(TOTE_BOXES))
    return data


def _post_grid(admin_client, draft, data, boxes):
    return admin_client.post(_url(draft), {**data, "rules-0-grid": sorted(boxes)})


def test_a_box_cleared_rewrites_the_rows_from_the_grid(admin_client, draft):
    data = _page_data(admin_client, draft)

    response = _post_grid(admin_client, draft, data, TOTE_BOXES - {"canvas,red"})

    assert response.status_code == 302, response.content.decode()[:2000]
    rule = Rule.objects.get(version=draft)
    assert rule.rows == [
        ["canvas", "black"],
        ["canvas", "brown"],
        ["canvas", "navy"],
        ["suede", "black"],
        ["suede", "brown"],
    ]
    _boxes_now, ticked = _boxes(admin_client.get(_url(draft)).content.decode())
    assert ticked == TOTE_BOXES - {"canvas,red"}


def test_rows_typed_with_the_grid_untouched_keep_the_text(admin_client, draft):
    data = _page_data(admin_client, draft)
    data["rules-0-rows_text"] = "suede, black\ncanvas, *"

    response = _post_grid(admin_client, draft, data, TOTE_BOXES)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rule.objects.get(version=draft).rows == [["suede", "black"], ["canvas", "*"]]


def test_grid_and_rows_changed_to_say_different_things_are_refused_and_nothing_saved(
    admin_client, draft
):
    data = _page_data(admin_client, draft)
    data["rules-0-rows_text"] = "suede, black\ncanvas, *"

    response = _post_grid(admin_client, draft, data, TOTE_BOXES - {"canvas,red"})

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert errors == {
        "grid": [
            "Cả bảng ô chọn và các dòng đều bị sửa, và hai bên không khớp nhau: chỉ sửa một bên "
            "thôi."
        ]
    }
    assert Rule.objects.get(version=draft).rows == TOTE["rules"][0]["rows"]


def test_grid_and_rows_changed_alike_by_the_script_are_saved(admin_client, draft):
    data = _page_data(admin_client, draft)
    data["rules-0-rows_text"] = "canvas, black\nsuede, black"

    response = _post_grid(admin_client, draft, data, {"canvas,black", "suede,black"})

    assert response.status_code == 302
    assert Rule.objects.get(version=draft).rows == [["canvas", "black"], ["suede", "black"]]


def test_boxes_ticked_for_groups_since_changed_are_refused(admin_client, draft):
    data = _page_data(admin_client, draft)
    data["rules-0-groups_text"] = "color, material"

    response = _post_grid(admin_client, draft, data, {"canvas,black"})

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert errors == {
        "grid": [
            "Các nhóm của bảng đã đổi trong khi bảng ô chọn đang hiện “material × color”: hãy "
            "lưu một lần, rồi đánh dấu lại bảng ô chọn."
        ]
    }
    assert Rule.objects.get(version=draft).table_groups == ["material", "color"]


def test_a_box_naming_a_value_deleted_in_the_same_save_is_refused_by_its_line(admin_client, draft):
    data = _page_data(admin_client, draft)
    red = next(k for k, v in data.items() if k.endswith("-code") and v == "red")
    data[red.replace("-code", "-DELETE")] = "on"

    response = _post_grid(admin_client, draft, data, TOTE_BOXES - {"canvas,black"})

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert errors == {"rows_text": ["Dòng 5: “red” không phải giá trị của “color”."]}
    assert OptionValue.objects.filter(code="red").exists()


def test_a_grid_of_too_many_boxes_is_refused(admin_client, draft):
    data = _page_data(admin_client, draft)

    response = _post_grid(admin_client, draft, data, {f"canvas,v{n}" for n in range(401)})

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert errors == {"grid": ["Bảng ô chọn gửi lên lớn hơn mức cho phép."]}


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        (
            [["suede", "black"], ["canvas", None]],
            "Các dòng này dùng “-” hoặc “*” cho nhóm không bắt buộc, bảng ô chọn không thể "
            "hiện được: hãy sửa bằng chữ.",
        ),
    ],
)
def test_a_table_boxes_cannot_say_stays_text_and_says_why(admin_client, rows, why):
    document = copy.deepcopy(TOTE)
    document["groups"][1]["required"] = False
    document["rules"][0]["rows"] = rows
    draft = option_set_import(document=document)

    html = admin_client.get(_url(draft)).content.decode()

    assert _boxes(html) == (set(), set())
    assert f'<p class="help rule-grid__why">{why}</p>' in html
    assert '<input type="hidden" name="rules-0-grid_axes" value="">' in html


def test_a_table_over_three_groups_stays_text(admin_client):
    document = copy.deepcopy(TOTE)
    document["groups"].append(
        {
            "code": "size",
            "name": {"vi": "Cỡ"},
            "kind": "choice",
            "values": [{"code": "m", "name": "M"}],
        }
    )
    document["rules"][0] = {
        "kind": "allowed",
        "groups": ["material", "color", "size"],
        "rows": [["canvas", "*", "m"]],
    }
    draft = option_set_import(document=document)

    html = admin_client.get(_url(draft)).content.decode()

    assert _boxes(html) == (set(), set())
    assert (
        '<p class="help rule-grid__why">Bảng ô chọn chỉ dùng cho quy tắc gồm hai nhóm; quy tắc '
        "này được ghi bằng chữ bên dưới.</p>"
    ) in html


def test_one_save_builds_a_product_with_a_grid_rule(admin_client):
    product = Product.objects.create(sku="TEE-01", name_vi="Áo thun", base_price=150_000)
    data = {
        "product": str(product.pk),
        "note": "",
        **_management("groups", 2),
        **_group(0, "material", [("cotton", ""), ("suede", "")]),
        **_group(1, "color", [("white", "#ffffff"), ("black", "#111111")]),
        **_management("rules", 1),
        "rules-0-kind": "forbidden",
        "rules-0-position": "0",
        "rules-0-message_vi": "Da lộn không có màu Trắng",
        "rules-0-groups_text": "material, color",
        "rules-0-rows_text": "",
        "rules-0-grid_axes": "material,color",
        "rules-0-grid_was": "",
        "rules-0-grid": ["suede,white"],
        **_management("views", 0),
        **_management("preview_layers", 0),
    }

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    rule = Rule.objects.get(version__product=product)
    assert (rule.kind, rule.table_groups, rule.rows) == (
        "forbidden",
        ["material", "color"],
        [["suede", "white"]],
    )


def test_a_published_version_shows_its_grid_read_only(admin_client):
    published = option_set_import(document=copy.deepcopy(TOTE), publish=True)

    html = admin_client.get(_url(published)).content.decode()

    ticked = re.findall(r'<input type="checkbox" disabled value="([^"]+)"[^>]*checked>', html)
    assert set(ticked) == TOTE_BOXES
    assert 'name="rules-0-grid' not in html


# Item 2: a value without a swatch shows none in the admin.


def test_a_value_without_a_swatch_shows_no_swatch_in_the_admin(admin_client):
    document = copy.deepcopy(TOTE)
    del document["groups"][1]["values"][2]["swatch"]  # navy
    draft = option_set_import(document=document)

    html = admin_client.get(_url(draft)).content.decode()

    fills = re.findall(r'<circle cx="10" cy="10" r="9" fill="([^"]+)"', html)
    assert fills == ["#111111", "#6b4226", "#b22222"]


# Where a problem is, in the merchant's words.


def _document(rule: dict) -> dict:
    document = copy.deepcopy(TOTE)
    document["rules"] = [rule]
    return document


@pytest.mark.parametrize(
    ("rule", "path", "place"),
    [
        (
            {"kind": "forbidden", "groups": ["material", "color"], "rows": [["suede", "red"]]},
            "$.rules[0]",
            "Quy tắc: Da lộn × Đỏ",
        ),
        (
            TOTE["rules"][0],
            "$.rules[0].rows[2][1]",
            "Quy tắc: Vải bố × Màu bất kỳ",
        ),
        (
            {
                "kind": "allowed",
                "groups": ["material", "color"],
                "rows": [["suede", c] for c in ("black", "brown", "navy", "red")],
            },
            "$.rules[0]",
            "Quy tắc: Da lộn × Đen; Da lộn × Nâu; Da lộn × Xanh đen; thêm 1 dòng nữa",
        ),
        (
            {"kind": "requires", "if": {"monogram": ["present"]}, "then": {"material": ["canvas"]}},
            "$.rules[0].then.material[0]",
            "Quy tắc: Chữ thêu → Vải bố",
        ),
        (
            {
                "kind": "excludes",
                "if": {"material": ["suede"]},
                "then": {"color": ["navy", "red"]},
            },
            "$.rules[0]",
            "Quy tắc: Da lộn × Xanh đen / Đỏ",
        ),
    ],
)
def test_a_rule_is_named_by_the_values_it_touches(rule, path, place):
    with translation.override("vi"):
        assert problem_place(_document(rule), path) == place


def test_groups_values_and_unknown_paths_are_named_or_left_to_the_path():
    with translation.override("vi"):
        assert problem_place(TOTE, "$.groups[1]") == "Nhóm tùy chọn: Màu"
        assert problem_place(TOTE, "$.groups[1].values[3].name") == "Giá trị: Màu › Đỏ"
        assert problem_place(TOTE, "$.rules[7]") == ""
        assert problem_place(TOTE, "$.format") == ""
    with translation.override("en"):
        assert problem_place(TOTE, "$.rules[0].rows[0]") == "Rule: Suede × Black"


def test_the_check_names_the_rule_by_its_values(admin_client):
    document = copy.deepcopy(TOTE)
    document["groups"][1]["values"][3]["default"] = True  # red
    document["groups"][0]["values"][1]["default"] = True  # suede
    draft = option_set_import(document=document)

    html = admin_client.get(f"/admin/catalog/optionsetversion/{draft.pk}/check/").content.decode()

    assert (
        '<td class="place">Quy tắc: Da lộn × Đen; Da lộn × Nâu; Vải bố × Màu bất kỳ<br>'
        "<small><code>$.rules[0]</code></small></td>"
    ) in html


def test_a_refused_publish_names_the_rule_by_its_values(admin_client):
    document = copy.deepcopy(TOTE)
    document["rules"] = [
        {"kind": "forbidden", "groups": ["material", "color"], "rows": [["suede", "black"]]}
    ]
    document["groups"][0]["values"][1]["default"] = True  # suede
    document["groups"][1]["values"][0]["default"] = True  # black
    draft = option_set_import(document=document)

    response = admin_client.post(
        f"/admin/catalog/optionsetversion/{draft.pk}/publish/", follow=True
    )

    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("catalog.E020 Quy tắc: Da lộn × Đen: ") for m in shown), shown
    assert option_set_document(version=draft)["rules"][0]["rows"] == [["suede", "black"]]
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("publish", [False, True])
def test_the_grids_read_the_groups_once_per_page_however_many_rules(admin_client, publish):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(rules: int) -> int:
        document = copy.deepcopy(TOTE)
        document["product"]["sku"] = f"TOTE-{rules}-{int(publish)}"
        document["rules"] = [
            {"kind": "forbidden", "groups": ["material", "color"], "rows": [["suede", c]]}
            for c in ("black", "brown", "navy", "red")[:rules]
        ]
        version = option_set_import(document=document, publish=publish)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(_url(version)).status_code == 200
        return len(captured)

    queries(2)  # the first page of a run also reads the content types, once
    one, four = queries(1), queries(4)

    # No rule's grid reads anything of its own: the groups are read once for the page.
    assert four == one
