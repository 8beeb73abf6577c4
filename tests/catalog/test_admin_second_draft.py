"""A product has one draft at a time: adding another is a form error, not a server error."""

from __future__ import annotations

import copy

import pytest

from catalog.models import OptionSetVersion
from catalog.services import option_set_import
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db


def test_a_second_draft_is_refused_beside_the_product(admin_client):
    draft = option_set_import(document=copy.deepcopy(TOTE))
    url = "/admin/catalog/optionsetversion/add/"
    page = admin_client.get(url)
    assert page.status_code == 200

    response = admin_client.post(
        url,
        {
            "product": draft.product.pk,
            "note": "another",
            **{
                f"{prefix}-{key}": value
                for prefix in ("groups", "rules", "layers")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["product"] == [
        f"Sản phẩm này đã có bản nháp (phiên bản {draft.number}): hãy mở bản nháp đó để "
        "sửa, hoặc xuất bản nó trước."
    ]
    assert list(OptionSetVersion.objects.values_list("pk", flat=True)) == [draft.pk]
