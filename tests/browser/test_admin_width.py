"""The merchant's version page at a laptop's 1366 × 900: no horizontal scroll."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.test import Client

from catalog.services import option_set_import
from tests.fixtures.documents import TOTE, rich_document

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("layers", [False, True], ids=["values", "values-and-layers"])
@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_a_version_page_fits_1366_px_without_scrolling_sideways(
    page_for, live_server, admin_user, locale, layers
):
    document = rich_document() if layers else copy.deepcopy(TOTE)
    draft = option_set_import(document=document)
    web = Client()
    web.force_login(admin_user)
    page = page_for(locale=locale, viewport={"width": 1366, "height": 900})
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page.goto(f"/admin/catalog/optionsetversion/{draft.pk}/change/")
    page.wait_for_selector("#groups-group")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == 1366
