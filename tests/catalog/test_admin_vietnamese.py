"""The admin in a merchant's Vietnamese: the words that were wrong or left in English."""

from __future__ import annotations

import copy
import re

import pytest

from catalog.services import option_set_import
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

WRONG = [
    "Đã xuất bản</button>",  # "published" on the Publish button of a draft
    "Thanh toán</button>",  # "payment" on the Check button
    "Product settings",
    "Created from",
    "Published at",
    "Model name",
    "Add link",
    "mã sản xuất</a>",  # "production code" for production partners
    "lô hằng ngày",
    "bộ tùy chọn đã biên dịch",  # "compiled option set" as the import page's title
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg).*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", html)


def test_admin_pages_speak_vietnamese(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published = option_set_import(document=copy.deepcopy(TOTE), publish=True)
    draft = option_set_import(document=copy.deepcopy(TOTE))
    pages = [
        "/admin/",
        "/admin/catalog/optionsetversion/",
        f"/admin/catalog/optionsetversion/{draft.pk}/change/",
        f"/admin/catalog/optionsetversion/{published.pk}/change/",
        f"/admin/catalog/product/{published.product.pk}/change/",
        "/admin/catalog/optionsetversion/import/",
        "/admin/production/partner/",
        "/admin/production/batch/",
    ]
    for url in pages:
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert [word for word in WRONG if word in text] == [], url
    draft_page = visible_text(
        admin_client.get(f"/admin/catalog/optionsetversion/{draft.pk}/change/").content.decode()
    )
    assert "Xuất bản" in draft_page
    assert "Kiểm tra" in draft_page
    assert "Sao chép từ phiên bản" in draft_page  # was "Created from"
