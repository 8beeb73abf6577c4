"""Text moderation: the merchant's blocked words, matched without accents, case or spacing,
refused by the API, the cart and the checkout (with a code naming the field), warned by the
Check, and kept in the admin."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from catalog.checks import option_set_check
from catalog.models import BlockedWord
from catalog.moderation import BlockedTerm, WordList, fold, words
from catalog.services import option_set_import
from configurator.compilation.selectors import engine_for_version
from configurator.configuring.errors import SelectionProblem
from configurator.orders.errors import CheckoutRefused
from configurator.orders.models import CartLine, Order
from configurator.orders.services import cart_line_add, order_place
from tests.fixtures.api import evaluate
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import SHOPPER, WORKSHOP_SHIPPING

NGU = WordList([BlockedTerm("ngu", {"vi": "Từ này không được dùng.", "en": "Not allowed."})])


# -- matching (pure) ---------------------------------------------------------------------------


def test_fold_drops_accents_tone_marks_and_case():
    assert fold("Đồ NGỐC Ăn Ướt ḍ") == "do ngoc an uot d"
    assert fold("Ｎｇｕ") == "ngu"  # full-width letters
    assert words("  n.g.u!! Đẹp-trai ") == ("n", "g", "u", "dep", "trai")


@pytest.mark.parametrize(
    "text",
    [
        "ngu",
        "NGU",
        "Ngu",
        "ngụ",
        "đồ ngu",
        "n.g.u",
        "n g u",
        "N-G-U",
        "N_G_U",
        "Ｎｇｕ",
        "mày NGU quá",
    ],
)
def test_a_blocked_word_is_found_however_it_is_written(text):
    assert NGU.find(text) == NGU.blocked[0]


@pytest.mark.parametrize("text", ["Nguyễn", "Ngọc Ánh", "nguyen ngoc", "n g", "", "   ", "ng u"])
def test_only_whole_words_are_blocked(text):
    assert NGU.find(text) is None


def test_d_and_dj_are_one_letter_and_phrases_match_as_phrases():
    blocked = WordList([BlockedTerm("đồ ngốc"), BlockedTerm("Ăn cắp")])
    assert blocked.find("DO NGOC").word == "đồ ngốc"
    assert blocked.find("anh là đồ ngốc").word == "đồ ngốc"
    assert blocked.find("d.o n.g.o.c").word == "đồ ngốc"
    assert blocked.find("d o n g o c").word == "đồ ngốc"
    assert blocked.find("an cap").word == "Ăn cắp"
    assert blocked.find("ngốc đồ") is None
    assert blocked.find("ăn cơm") is None


def test_english_words_with_accents_or_dots_are_found():
    blocked = WordList([BlockedTerm("fuck")])
    assert blocked.find("F.U.C.K you") is not None
    assert blocked.find("fück") is not None
    assert blocked.find("fuckers") is None  # whole words: list the forms to block


def test_a_word_without_letters_blocks_nothing():
    assert not WordList([BlockedTerm("..."), BlockedTerm("  ")])
    assert WordList([BlockedTerm("...")]).find("...") is None


def test_message_in_the_shoppers_language_or_vietnamese():
    term = BlockedTerm("ngu", {"vi": "Không dùng từ này.", "en": ""})
    assert term.message("en") == "Không dùng từ này."
    assert BlockedTerm("ngu", {"vi": "a", "en": "b"}).message("en") == "b"
    assert BlockedTerm("ngu").message("vi") == ""


@given(
    word=st.text(alphabet="abcdeghiklmnopqrstuvxy", min_size=2, max_size=8),
    separator=st.sampled_from([".", " ", "-", "_", " . ", "·"]),
    upper=st.booleans(),
)
def test_spelled_out_words_are_always_found(word, separator, upper):
    spelled = separator.join(word.upper() if upper else word)
    assert WordList([BlockedTerm(word)]).find(f"xin chao {spelled} nhe") is not None


# -- the API, the cart and the checkout --------------------------------------------------------


@pytest.fixture
def blocked(db):
    return BlockedWord.objects.create(
        word="ngu", message_vi="Chữ thêu này không được dùng.", message_en="Not for a monogram."
    )


pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_blocked_text_with_a_code_naming_the_field(tote, blocked):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    body = {"selection": {"material": "canvas", "color": "navy", "monogram": "N.G.U"}}
    response = evaluate(client, body)
    assert response.status_code == 400
    assert response.json() == {
        "code": "selection.E020",
        "field": "selection.monogram",
        "detail": "Monogram: Not for a monogram.",
    }
    in_vietnamese = evaluate(APIClient(HTTP_ACCEPT_LANGUAGE="vi"), body).json()
    assert in_vietnamese["detail"] == "Chữ thêu: Chữ thêu này không được dùng."


def test_the_api_says_why_in_the_shoppers_language_without_a_merchant_message(tote):
    BlockedWord.objects.create(word="đần")
    body = {"selection": {"monogram": "DAN"}}
    english = evaluate(APIClient(HTTP_ACCEPT_LANGUAGE="en"), body).json()
    assert english["detail"] == "Monogram: This text contains a word the shop does not accept."
    vietnamese = evaluate(APIClient(HTTP_ACCEPT_LANGUAGE="vi"), body).json()
    assert vietnamese["code"] == "selection.E020"
    assert vietnamese["detail"] == "Chữ thêu: Nội dung này có từ mà cửa hàng không chấp nhận."


def test_an_inactive_word_and_a_name_holding_it_pass(tote, blocked):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert evaluate(client, {"selection": {"monogram": "Nguyễn"}}).status_code == 200
    blocked.is_active = False
    blocked.save()
    assert evaluate(client, {"selection": {"monogram": "ngu"}}).status_code == 200


def test_the_cart_refuses_a_blocked_text_and_writes_nothing(tote, blocked):
    engine = engine_for_version(version_id=tote.pk)
    selection = {"material": "canvas", "color": "navy", "monogram": "n g u"}
    with pytest.raises(SelectionProblem) as refused:
        cart_line_add(shopper=SHOPPER, version=tote, engine=engine, selection=selection)
    assert (refused.value.code, refused.value.field) == ("selection.E020", "selection.monogram")
    assert CartLine.objects.count() == 0


def test_the_checkout_refuses_a_line_whose_text_was_blocked_since(tote):
    engine = engine_for_version(version_id=tote.pk)
    selection = {"material": "canvas", "color": "navy", "monogram": "Ngu"}
    cart_line_add(shopper=SHOPPER, version=tote, engine=engine, selection=selection)
    BlockedWord.objects.create(word="NGU")
    with pytest.raises(CheckoutRefused) as refused:
        order_place(
            shopper=SHOPPER, shipping=WORKSHOP_SHIPPING, provider="manual", idempotency_key="k"
        )
    assert refused.value.code == "checkout.E003"
    assert refused.value.field == "selection.monogram"
    assert "Chữ thêu" in refused.value.detail
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 1


# -- the Check and the admin -------------------------------------------------------------------


def test_the_check_warns_when_a_text_shoppers_read_holds_a_blocked_word(blocked):
    document = copy.deepcopy(TOTE)
    document["groups"][1]["values"][3]["name"]["vi"] = "Đỏ n.g.u"
    version = option_set_import(document=document)
    report = option_set_check(version=version)
    warnings = [(p.code, p.path, p.level) for p in report.problems if p.code == "catalog.W010"]
    assert warnings == [("catalog.W010", "$.groups[1].values[3].name.vi", "warning")]
    assert report.errors == ()


def test_the_check_is_quiet_without_blocked_words():
    version = option_set_import(document=copy.deepcopy(TOTE))
    assert [p for p in option_set_check(version=version).problems if p.code == "catalog.W010"] == []


def test_the_admin_keeps_the_list_and_refuses_a_folded_duplicate(admin_client, blocked):
    page = admin_client.get("/admin/catalog/blockedword/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert "Từ bị chặn" in page.content.decode()
    response = admin_client.post(
        "/admin/catalog/blockedword/add/",
        {"word": "NGỤ", "message_vi": "", "message_en": "", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["word"] == [
        "“ngu” đã bị chặn (cùng một từ khi bỏ dấu và chữ hoa)."
    ]
    empty = admin_client.post("/admin/catalog/blockedword/add/", {"word": "...", "is_active": "on"})
    assert empty.context["adminform"].form.errors["word"] == [
        "Hãy viết một từ có ít nhất một chữ cái hoặc chữ số."
    ]
    added = admin_client.post(
        "/admin/catalog/blockedword/add/", {"word": "  đồ   ngốc ", "is_active": "on"}
    )
    assert added.status_code == 302
    assert set(BlockedWord.objects.values_list("word", flat=True)) == {"ngu", "đồ ngốc"}
