"""The studio without JavaScript says when a text would not read on the chosen colour, with
a button that switches to the text colour that would (the demo tote)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/studio/TOTE-01/"
BLACK_WITH_INK = {
    "material": "canvas",
    "color": "black",
    "design": "plain",
    "text": "Lan",
    "text_color": "ink",
    "text_font": "sans",
}


@pytest.fixture
def demo():
    cache.clear()
    call_command("demo", "--noserve", stdout=io.StringIO())
    yield
    cache.clear()


def updated(client, data):
    response = client.post(URL, {**data, "action": "update"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 303
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()


def test_ink_on_black_is_said_and_one_button_makes_it_white(client, demo):
    page = updated(client, BLACK_WITH_INK)
    assert re.search(r'id="text--contrast">([^<]*)<', page)[1] == (  # type: ignore[index]
        "Chữ Mực đen khó đọc trên nền Đen (độ tương phản 1,0:1; nên từ 3:1)."
    )
    button = re.search(r'<button [^>]*id="text--contrast-repair"[^>]*>([^<]+)<', page)
    assert button is not None
    assert button[0].startswith('<button type="submit" name="repair" value="text_color:white"')
    assert button[1] == "Dùng chữ Trắng"

    page = updated(client, {**BLACK_WITH_INK, "repair": "text_color:white"})
    assert 'id="text--contrast"' not in page
    assert 'id="text_color--white" value="white" checked' in page
    assert 'value="Lan"' in page  # the text stays


def test_a_light_tote_says_nothing(client, demo):
    page = updated(client, {**BLACK_WITH_INK, "color": "natural"})
    assert 'id="text--contrast"' not in page
