"""Stock taken when an order is placed, refused when it ran out, given back on cancel."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from catalog.models import ValueStock
from catalog.stock import stock_forget
from configurator.compilation.selectors import engine_for_version
from configurator.configuring.errors import SelectionProblem
from configurator.designs.shoppers import Shopper
from configurator.orders.errors import CheckoutRefused, OrderRefused
from configurator.orders.models import CartLine, Order, OrderStatus, StockReservation
from configurator.orders.services import cart_line_add, order_place
from configurator.orders.stock import order_cancel
from configurator.production.models import Export
from tests.fixtures.orders import SHOPPER, WORKSHOP_SHIPPING

pytestmark = pytest.mark.django_db

SUEDE_BLACK = {"material": "suede", "color": "black", "monogram": "Lan"}
NOW = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_stock():
    stock_forget()
    yield
    stock_forget()


def _stock(version, group, value, quantity, **fields):
    return ValueStock.objects.create(
        product=version.product, group_code=group, value_code=value, quantity=quantity, **fields
    )


def _cart(version, shopper=SHOPPER, quantity=1, selection=SUEDE_BLACK):
    engine = engine_for_version(version_id=version.pk)
    return cart_line_add(
        shopper=shopper, version=version, engine=engine, selection=selection, quantity=quantity
    )


def _place(shopper=SHOPPER, key="k1"):
    order, _created = order_place(
        shopper=shopper, shipping=WORKSHOP_SHIPPING, provider="manual", idempotency_key=key
    )
    return order


def test_order_place_takes_the_stock_of_every_counted_value(tote):
    suede = _stock(tote, "material", "suede", 5)
    black = _stock(tote, "color", "black", None)  # not counted
    _cart(tote, quantity=2)
    order = _place()
    suede.refresh_from_db()
    black.refresh_from_db()
    assert (suede.quantity, black.quantity) == (3, None)
    reservations = list(order.reservations.values_list("group_code", "value_code", "quantity"))
    assert reservations == [("material", "suede", 2)]


def test_order_place_refuses_more_than_is_left_and_writes_nothing(tote):
    suede = _stock(tote, "material", "suede", 1)
    _cart(tote, quantity=2)
    with pytest.raises(CheckoutRefused) as refused:
        _place()
    assert refused.value.code == "checkout.E009"
    assert refused.value.detail == (
        "Túi tote vải · Chất liệu: Da lộn: chỉ còn 1; hãy giảm số lượng hoặc chọn giá trị khác."
    )
    suede.refresh_from_db()
    assert suede.quantity == 1
    assert Order.objects.count() == 0
    assert StockReservation.objects.count() == 0
    assert Export.objects.count() == 0
    assert CartLine.objects.count() == 1  # the cart stays as it was


def test_order_place_refuses_a_value_that_ran_out_since_it_was_carted(tote):
    _cart(tote)
    suede = _stock(tote, "material", "suede", 0)  # saved after the cart line, sold elsewhere
    with pytest.raises(CheckoutRefused) as refused:
        _place()
    assert (refused.value.code, refused.value.field) == ("checkout.E009", "selection.material")
    assert "Da lộn" in refused.value.detail
    suede.refresh_from_db()
    assert suede.quantity == 0
    assert Order.objects.count() == 0


def test_two_lines_of_one_value_take_their_sum(tote):
    suede = _stock(tote, "material", "suede", 3)
    _cart(tote, quantity=2)
    _cart(tote, quantity=2, selection={"material": "suede", "color": "brown"})
    with pytest.raises(CheckoutRefused):
        _place()
    suede.refresh_from_db()
    assert suede.quantity == 3
    CartLine.objects.filter(quantity=2).first().delete()
    _place()
    suede.refresh_from_db()
    assert suede.quantity == 1


def test_cart_line_add_refuses_a_value_out_of_stock(tote):
    _stock(tote, "material", "suede", 0)
    from configurator.configuring.selectors import studio_engine

    engine = studio_engine(version=tote)
    with pytest.raises(SelectionProblem) as refused:
        cart_line_add(shopper=SHOPPER, version=tote, engine=engine, selection=SUEDE_BLACK)
    assert (refused.value.code, refused.value.field) == ("selection.E030", "selection.material")
    assert refused.value.repair == {"material": "canvas"}
    assert CartLine.objects.count() == 0


def test_order_cancel_gives_the_stock_back_once(tote):
    suede = _stock(tote, "material", "suede", 4)
    _cart(tote, quantity=3)
    order = _place()
    order_cancel(order_id=order.pk, now=NOW)
    suede.refresh_from_db()
    order.refresh_from_db()
    assert (suede.quantity, order.status) == (4, OrderStatus.CANCELLED)
    assert list(order.reservations.values_list("released_at", flat=True)) == [NOW]
    with pytest.raises(OrderRefused) as again:
        order_cancel(order_id=order.pk, now=NOW)
    assert again.value.code == "order.E001"
    suede.refresh_from_db()
    assert suede.quantity == 4


def test_order_cancel_refuses_a_shipped_order(tote):
    suede = _stock(tote, "material", "suede", 4)
    _cart(tote)
    order = _place()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)
    with pytest.raises(OrderRefused) as refused:
        order_cancel(order_id=order.pk, now=NOW)
    assert refused.value.code == "order.E002"
    suede.refresh_from_db()
    assert suede.quantity == 3
    assert order.reservations.get().released_at is None


def test_a_value_no_longer_counted_takes_nothing_back(tote):
    suede = _stock(tote, "material", "suede", 4)
    _cart(tote)
    order = _place()
    ValueStock.objects.filter(pk=suede.pk).update(quantity=None)
    order_cancel(order_id=order.pk, now=NOW)
    suede.refresh_from_db()
    assert suede.quantity is None


def test_the_admin_cancels_orders_and_gives_stock_back(tote, admin_client):
    suede = _stock(tote, "material", "suede", 2)
    _cart(tote)
    order = _place()
    response = admin_client.post(
        "/admin/orders/order/",
        {"action": "cancel_orders", "_selected_action": [order.pk]},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 302
    suede.refresh_from_db()
    order.refresh_from_db()
    assert (suede.quantity, order.status) == (2, OrderStatus.CANCELLED)


def test_the_order_form_refuses_cancelling_without_giving_stock_back(tote, admin_client):
    suede = _stock(tote, "material", "suede", 2)
    _cart(tote)
    order = _place()
    status = Order.objects.get(pk=order.pk).status
    response = admin_client.post(
        f"/admin/orders/order/{order.pk}/change/",
        {
            "status": "cancelled",
            "payment_status": "pending",
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "reservations-TOTAL_FORMS": 1,
            "reservations-INITIAL_FORMS": 1,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Cancel the selected orders" in response.content.decode()
    order.refresh_from_db()
    suede.refresh_from_db()
    assert (order.status, suede.quantity) == (status, 1)


def test_another_shoppers_order_does_not_count_against_this_cart(tote):
    suede = _stock(tote, "material", "suede", 2)
    other = Shopper(None, "session-2")
    _cart(tote)
    _cart(tote, shopper=other)
    _place(key="a")
    _place(shopper=other, key="b")
    suede.refresh_from_db()
    assert suede.quantity == 0


def test_the_cart_shows_each_lines_delivery_estimate(client, tote):
    from catalog.models import Product

    Product.objects.filter(pk=tote.product_id).update(lead_time_days=2)
    _stock(tote, "material", "suede", None, lead_time_days=5)
    stock_forget()
    response = client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {"material": "suede", "color": "black"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    date = timezone.localdate() + datetime.timedelta(days=7)
    assert "Dự kiến giao: " in page
    assert f"{date:%d/%m/%Y}</p>" in page
