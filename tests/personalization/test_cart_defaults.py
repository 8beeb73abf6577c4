"""The studio's defaults with the cart and saved designs: what it reads, what it proposes,
why, and that the proposal is always a valid configuration."""

from __future__ import annotations

import copy
import itertools
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import override

from configurator.configuring.selectors import studio_engine
from configurator.designs.models import Design
from configurator.orders.models import Cart, CartLine
from configurator.personalization.defaults import reason_text, studio_defaults
from configurator.personalization.events import EventLine
from configurator.personalization.imports import purchase_events_import
from configurator.personalization.models import Customer, ProductPairStat
from configurator.personalization.scoring import Context, ContextLine, Purchase, Reason
from configurator.personalization.selectors import history_for, studio_context_for
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db


def sold(customer: str, product: str, days: int, order: str, **options: str) -> EventLine:
    when = timezone.now() - timedelta(days=days)
    purchase = Purchase(customer, when, order, product, options)
    return EventLine(1, purchase, "store", "", 1, "", "")


def tote_sales(*rows: tuple[str, str, int]) -> None:
    """Other shoppers' canvas or suede totes: (material, colour, how many), a day ago."""
    lines, n = [], 0
    for material, color, count in rows:
        for _ in range(count):
            n += 1
            lines.append(sold(f"k{n}", "TOTE-01", 1, f"K{n}", material=material, color=color))
    purchase_events_import(lines=lines)


@pytest.fixture
def totes(publish):
    """The tote and a second tote (TOTE-02) to fill carts with; the tote's engine."""
    version = publish(TOTE)
    other = copy.deepcopy(TOTE)
    other["product"]["sku"] = "TOTE-02"
    return version, publish(other), studio_engine(version=version)


def state(client, language="en"):
    page = client.get("/studio/TOTE-01/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    found = re.search(
        r'<script id="studio-state" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


def test_red_items_in_a_guests_cart_preselect_red_and_the_page_says_why(client, totes):
    # Red sells, less than black: the colour's cart weight (0.25, chosen per group) makes
    # two red lines in the cart enough to tip it.
    tote_sales(
        ("canvas", "black", 3), ("canvas", "brown", 2), ("canvas", "navy", 2), ("canvas", "red", 2)
    )
    assert state(client)["selection"]["color"] == "black"
    for _ in range(2):
        response = client.post(
            "/api/v1/cart/lines/",
            {"product": "TOTE-02", "selection": {"material": "canvas", "color": "red"}},
            content_type="application/json",
        )
        assert response.status_code == 201

    english, vietnamese = state(client), state(client, "vi")

    assert english["selection"] == {"material": "canvas", "color": "red"}
    assert english["reasons"]["color"] == "To match the Red items in your cart."
    assert vietnamese["reasons"]["color"] == "Để hợp với các món Đỏ trong giỏ của bạn."
    # Not "from your past orders": the banner stays silent; the reason speaks.
    assert (english["defaults_basis"], english["personalized"]) == ("cart", False)


def test_a_shopper_who_switched_personalization_off_gets_nothing_from_the_cart(
    client, totes, django_user_model
):
    tote_sales(
        ("canvas", "black", 3), ("canvas", "brown", 2), ("canvas", "navy", 2), ("canvas", "red", 1)
    )
    user = django_user_model.objects.create_user("lan", "lan@example.vn", "mat-khau-2026")
    Customer.objects.create(external_id="lan@example.vn", user=user, personalization_enabled=False)
    client.force_login(user)
    client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-02", "selection": {"material": "canvas", "color": "red"}},
        content_type="application/json",
    )

    page = state(client)

    assert page["selection"]["color"] == "black"
    assert "cart" not in page["reasons"].get("color", "")


def test_the_context_is_the_cart_and_saved_designs_newest_first_in_one_query(
    totes, django_user_model, django_assert_num_queries
):
    version, other, _ = totes
    user = django_user_model.objects.create_user("lan", "lan@example.vn", "mat-khau-2026")
    cart = Cart.objects.create(owner=user)
    for color in ("red", "navy"):
        CartLine.objects.create(
            cart=cart,
            product=other.product,
            version=other,
            selection={"material": "canvas", "color": color, "monogram": "LAN"},
            unit_price=350000,
        )
    Design.objects.create(
        owner=user, product=version.product, version=version, selection={"color": "black"}
    )
    Design.objects.create(  # someone else's
        session_key="other", product=version.product, version=version, selection={"color": "red"}
    )

    with django_assert_num_queries(1):
        context = studio_context_for(user=user, session_key=None)

    assert context == Context(
        (
            ContextLine("TOTE-01", {"color": "black"}, saved=True),
            ContextLine("TOTE-02", {"material": "canvas", "color": "navy", "monogram": "LAN"}),
            ContextLine("TOTE-02", {"material": "canvas", "color": "red", "monogram": "LAN"}),
        )
    )
    assert studio_context_for(user=AnonymousUser(), session_key=None) == Context()


def test_values_chosen_together_are_counted_on_import_and_read_for_the_cart(
    django_assert_num_queries,
):
    purchase_events_import(
        lines=[
            sold("a", "TOTE-01", 3, "A1", material="suede", color="black"),
            sold("b", "TOTE-01", 2, "B1", material="suede", color="black"),
            sold("c", "TOTE-01", 1, "C1", material="canvas", color="red"),
        ]
    )
    rows = ProductPairStat.objects.order_by("group", "value", "other_value")
    assert [(r.group, r.value, r.other_group, r.other_value, r.count) for r in rows] == [
        ("color", "black", "material", "suede", 2),
        ("color", "red", "material", "canvas", 1),
        ("material", "canvas", "color", "red", 1),
        ("material", "suede", "color", "black", 2),
    ]
    context = Context((ContextLine("BAG", {"material": "suede"}),))
    with django_assert_num_queries(2):  # the product's statistics and its pairs
        history = history_for(product="TOTE-01", customer=None, context=context)
    assert dict(history.together) == {("TOTE-01", "color", "material", "suede"): {"black": 2}}


def test_a_cart_never_makes_the_defaults_an_invalid_combination(totes):
    # Canvas and suede sell about alike, so do navy and black; suede comes only in black or
    # brown.
    _, _, engine = totes
    tote_sales(("canvas", "navy", 4), ("suede", "black", 3))
    values = [("suede", "navy"), ("suede", "red"), ("canvas", "red"), ("suede", "black")]
    invalid_alone = 0
    for lines in itertools.product(values, repeat=2):
        context = Context(tuple(ContextLine("BAG", {"material": m, "color": c}) for m, c in lines))
        history = history_for(product="TOTE-01", customer=None, context=context)
        alone = {
            group: history.predict(None, "TOTE-01", group, timezone.now(), None, context).value
            for group in ("material", "color")
        }
        invalid_alone += bool(engine.validate({**alone, "monogram": None}))
        with override("en"):
            defaults = studio_defaults(
                engine=engine,
                product="TOTE-01",
                user=AnonymousUser(),
                language="en",
                context=context,
            )

        assert engine.validate({**defaults.selection, "monogram": None}) == ()
        for group in defaults.reasons:  # a reason only for a value that was the prediction
            assert defaults.selection[group] == alone[group]
    assert invalid_alone  # the cart did push the groups apart into a forbidden pair


@pytest.mark.parametrize(
    ("reason", "english", "vietnamese"),
    [
        (
            Reason("cart", "retrospot", share=1.0, where="cart"),
            "To match the Retrospot items in your cart.",
            "Để hợp với các món Retrospot trong giỏ của bạn.",
        ),
        (
            Reason("cart", "retrospot", share=1.0, where="saved"),
            "To match the Retrospot items in your saved designs.",
            "Để hợp với các món Retrospot trong các thiết kế bạn đã lưu.",
        ),
        (
            Reason("cart", "retrospot", share=1.0, where="both"),
            "To match the Retrospot items in your cart and saved designs.",
            "Để hợp với các món Retrospot trong giỏ và các thiết kế bạn đã lưu.",
        ),
        (
            Reason("cart-variant", "blue", other="red", where="cart"),
            "Your cart already has this product in Red.",
            "Giỏ hàng của bạn đã có sản phẩm này loại Red.",
        ),
        (
            Reason("together", "red", other="retrospot", other_group="design", where="cart"),
            "Shoppers often choose it with Retrospot, as in your cart.",
            "Khách thường chọn kèm Retrospot, như trong giỏ của bạn.",
        ),
        (
            Reason("together", "red", other="retrospot", other_group="design", where="both"),
            "Shoppers often choose it with Retrospot, as in your cart and saved designs.",
            "Khách thường chọn kèm Retrospot, như trong giỏ và các thiết kế bạn đã lưu.",
        ),
    ],
)
def test_each_cart_reason_in_english_and_vietnamese(reason, english, vietnamese):
    other = {"red": "Red", "retrospot": "Retrospot"}.get(reason.other, "")
    with override("en"):
        assert reason_text(reason, "Retrospot", other) == english
    with override("vi"):
        assert reason_text(reason, "Retrospot", other) == vietnamese


def test_a_measurement_keeps_the_merchants_starting_number(publish):
    from tests.fixtures.documents import banner_document

    version = publish(banner_document())
    purchase_events_import(
        lines=[
            sold(f"b{n}", "BANNER-01", 1, f"B{n}", material="cotton", width="200", height="100")
            for n in range(12)
        ]
    )

    defaults = studio_defaults(
        engine=studio_engine(version=version),
        product="BANNER-01",
        user=AnonymousUser(),
        language="vi",
    )

    # What others chose weighs on a taste (cotton); a size is the shopper's own to give.
    assert (defaults.selection["material"], defaults.selection["width"]) == ("cotton", "120")
    assert defaults.selection["height"] == "80"
