"""The blocked words are read once every few seconds, not at every keystroke; a change in
this process is seen at once, and the cart and checkout always read them afresh."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from catalog.models import BlockedWord
from catalog.selectors import blocked_words, blocked_words_forget
from configurator.compilation.selectors import engine_for_version
from configurator.configuring.errors import SelectionProblem
from configurator.orders.models import CartLine
from configurator.orders.services import cart_line_add
from tests.fixtures.api import evaluate
from tests.fixtures.orders import SHOPPER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.CATALOG_BLOCKED_WORDS_SECONDS = 30
    blocked_words_forget()
    yield
    blocked_words_forget()


def test_the_list_is_read_once_and_again_after_a_change(django_assert_num_queries):
    BlockedWord.objects.create(word="ngu")
    with django_assert_num_queries(1):
        assert blocked_words().find("n.g.u") is not None
        assert blocked_words().find("ngu") is not None
    BlockedWord.objects.create(word="đần")  # saved here: forgotten at once
    with django_assert_num_queries(1):
        assert blocked_words().find("DAN") is not None
    BlockedWord.objects.filter(word="đần").get().delete()
    with django_assert_num_queries(1):
        assert blocked_words().find("DAN") is None
    with django_assert_num_queries(1):
        blocked_words(fresh=True)


def test_typing_a_monogram_reads_the_list_once(tote):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    blocked_words_forget()  # publishing the tote read the list already
    with CaptureQueriesContext(connection) as queries:
        for text in ("A", "An", "Anh", "Anh T"):
            body = {"selection": {"material": "canvas", "color": "navy", "monogram": text}}
            assert evaluate(client, body).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "catalog_blockedword" in q["sql"]]
    assert len(reads) == 1


def test_the_cart_sees_a_word_blocked_by_another_process_at_once(tote):
    engine = engine_for_version(version_id=tote.pk)
    assert blocked_words().find("ngu") is None  # this process's list: nothing blocked
    BlockedWord.objects.bulk_create([BlockedWord(word="ngu")])  # no signal: as another node
    assert blocked_words().find("ngu") is None  # the kept list, for a few seconds more
    selection = {"material": "canvas", "color": "navy", "monogram": "Ngu"}
    with pytest.raises(SelectionProblem) as refused:
        cart_line_add(shopper=SHOPPER, version=tote, engine=engine, selection=selection)
    assert (refused.value.code, refused.value.field) == ("selection.E020", "selection.monogram")
    assert CartLine.objects.count() == 0
