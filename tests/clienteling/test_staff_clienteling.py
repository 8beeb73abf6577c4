"""The store staff's page: who may use it, finding a customer, what is shown with and
without their permission, designing for them, handing the design over, and the order."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from configurator.clienteling.models import Handover
from configurator.orders.models import CartLine, Order
from configurator.personalization.models import Customer, PurchaseEvent
from configurator.personalization.services import customer_for_user
from tests.fixtures.histories import LAN_EMAIL, lan_with_history, store_purchases, tote_publish
from tests.fixtures.orders import AN_SHIPPING
from tests.fixtures.staff import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(django_user_model, django_capture_on_commit_callbacks):
    """The tote; Lan (account, three navy store purchases); a till customer known by phone;
    Thu, who serves customers; Minh, staff without the permission."""
    tote_publish(django_capture_on_commit_callbacks)
    lan = lan_with_history(django_user_model)
    customer_for_user(lan)  # her store history meets her account, as at her first sign-in
    store_purchases("0901234567", "red", 2)
    thu = staff_member(django_user_model, "thu")
    minh = staff_member(django_user_model, "minh", allowed=False)
    return {"lan": lan, "thu": thu, "minh": minh}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def search(client: Client, query: str):
    return client.post("/staff/", {"query": query})


def state_of(page: str) -> dict:
    match = re.search(r'<script id="studio-state" type="application/json">(.*?)</script>', page)
    return json.loads(match[1])


# Who may use it.


@pytest.mark.parametrize(
    "url", ["/staff/", "/staff/customers/1/", "/staff/handover/x/", "/staff/handover/x/cart/"]
)
def test_staff_pages_send_anonymous_visitors_to_sign_in(client, shop, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["lan", "minh"])
def test_staff_pages_refuse_shoppers_and_staff_without_the_permission(shop, who):
    client = signed_in(shop[who])
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    assert client.get("/staff/").status_code == 403
    assert search(client, LAN_EMAIL).status_code == 403
    assert client.get(f"/staff/customers/{customer.pk}/").status_code == 403
    response = client.post(
        "/staff/handover/",
        {"acting": "x", "product": "TOTE-01", "selection": '{"color": "navy"}'},
    )
    assert response.status_code == 403
    assert not Handover.objects.exists()


# Finding a customer.


def test_search_by_email_ignores_case_and_spaces_and_opens_the_customer(shop):
    client = signed_in(shop["thu"])
    response = search(client, "  Lan@Example.VN ")
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/customers/{customer.pk}/"
    # The account was linked to its imported history by the search, as on first sign-in.
    assert customer.user_id == shop["lan"].pk


@pytest.mark.parametrize(
    "typed", ["0901234567", "+84 90 123 4567", "090.123.4567", "84901234567", "(+84) 901-234-567"]
)
def test_search_by_phone_matches_the_till_id_however_it_is_typed(shop, typed):
    response = search(signed_in(shop["thu"]), typed)
    customer = Customer.objects.get(external_id="0901234567")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/staff/customers/{customer.pk}/",
    )


def test_search_by_phone_finds_the_account_of_a_web_order(
    shop, django_user_model, django_capture_on_commit_callbacks
):
    an = django_user_model.objects.create_user("an", "an@example.vn", "mat-khau-2026")
    web = signed_in(an)
    web.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {"material": "canvas", "color": "black"}},
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        placed = web.post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "phone": "0912 345 678", "idempotency_key": "an-1"},
            content_type="application/json",
        )
    assert placed.status_code == 201, placed.content
    response = search(signed_in(shop["thu"]), "+84912345678")
    customer = Customer.objects.get(user=an)
    assert response["Location"] == f"/staff/customers/{customer.pk}/"


def test_search_finds_nobody_and_says_so(shop):
    before = Customer.objects.count()
    response = search(signed_in(shop["thu"]), "0999 888 777")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="not-found"' in page
    assert "No customer has this phone number or e-mail address." in page
    assert Customer.objects.count() == before


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lan", "Enter a phone number or an e-mail address."),
        ("12345", "This phone number is too short or too long."),
        ("lan@", "This e-mail address is not valid."),
        ("0" * 255, "Ensure this value has at most 254 characters (it has 255)."),
    ],
)
def test_search_refuses_what_is_neither_a_phone_nor_an_email(shop, typed, message):
    response = search(signed_in(shop["thu"]), typed)
    assert response.status_code == 200
    assert (
        re.search(
            r'<p class="staff-error" id="query-error"[^>]*>(.*?)</p>',
            response.content.decode(),
            re.S,
        )[1].strip()
        == message
    )
    assert 'id="matches"' not in response.content.decode()


def test_search_in_vietnamese(shop):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(shop["thu"])
    page = search(client, "0999888777").content.decode()
    assert "Không tìm thấy khách hàng nào có số điện thoại hoặc e-mail này." in page


# What the staff sees.


def test_customer_page_shows_history_across_channels_and_defaults_with_reasons(
    shop, django_capture_on_commit_callbacks
):
    lan = shop["lan"]
    web = signed_in(lan)
    web.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {"material": "canvas", "color": "navy"}},
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        web.post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "email": LAN_EMAIL, "idempotency_key": "lan-web"},
            content_type="application/json",
        )
    customer = customer_for_user(lan)
    page = signed_in(shop["thu"]).get(f"/staff/customers/{customer.pk}/").content.decode()
    channels = re.findall(r'data-channel="(\w+)"', page)
    assert channels == ["web", "store", "store", "store"]  # newest first
    assert re.search(r'<p id="channels">(.*?)</p>', page)[1] == "In store: 3 · Online shop: 1"
    assert "Material: Canvas, Colour: Navy" in page  # names, not codes
    card = re.search(r'id="proposal-TOTE-01">(.*?)</li>', page, re.S)[1]
    rows = re.findall(
        r"<dt>(.*?)</dt><dd><strong>(.*?)</strong> <span class=\"staff-why\">(.*?)</span>", card
    )
    assert rows == [
        ("Material", "Canvas", "You chose Canvas in 3 of your last 3 orders."),
        ("Colour", "Navy", "You chose Navy in 3 of your last 3 orders."),
    ]


def test_customer_without_permission_is_found_but_nothing_personal_is_shown(shop):
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    customer.personalization_enabled = False
    customer.save()
    client = signed_in(shop["thu"])
    assert search(client, LAN_EMAIL)["Location"] == f"/staff/customers/{customer.pk}/"
    page = client.get(f"/staff/customers/{customer.pk}/").content.decode()
    assert 'id="no-consent"' in page
    assert "has not allowed the shop to use their purchase history" in page
    assert 'id="history"' not in page and 'id="proposals"' not in page
    assert "Navy" not in page
    # The studio opened for them uses what shoppers choose, not their navy history.
    link = re.search(r'href="(/studio/TOTE-01/\?for=[^"]+)"', page)[1]
    state = state_of(client.get(link.replace("&amp;", "&")).content.decode())
    assert state["selection"]["color"] == "brown"
    assert state["defaults_basis"] == "popular"


# Designing for a customer in the studio.


def studio_link(client: Client, customer: Customer) -> str:
    page = client.get(f"/staff/customers/{customer.pk}/").content.decode()
    return re.search(r'href="(/studio/TOTE-01/\?for=[^"]+)" id="studio-TOTE-01"', page)[1]


def test_the_studio_opens_on_the_customers_defaults_for_their_staff_member_only(
    shop, django_user_model
):
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    thu = signed_in(shop["thu"])
    link = studio_link(thu, customer)
    page = thu.get(link).content.decode()
    state = state_of(page)
    assert state["selection"] == {"material": "canvas", "color": "navy"}
    assert state["reasons"]["color"] == "You chose Navy in 3 of your last 3 orders."
    assert "You are designing for lan@example.vn." in page
    assert 'id="handover-link"' in page
    assert thu.get("/studio/TOTE-01/").context["user"] == shop["thu"]  # still signed in as Thu
    # The same link is nothing to a shopper, to staff without the permission, to another
    # member of staff: each gets their own studio.
    other = staff_member(django_user_model, "hoa")
    for user in (shop["minh"], other):
        page = signed_in(user).get(link).content.decode()
        assert state_of(page)["selection"]["color"] == "brown"
        assert "designing for" not in page
    tampered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert state_of(thu.get(tampered).content.decode())["selection"]["color"] == "brown"


# Handing the design over.


def hand_over(client: Client, customer: Customer, action: str = "link", selection=None):
    page = client.get(studio_link(client, customer)).content.decode()
    state = state_of(page)
    token = re.search(r'name="acting" value="([^"]+)"', page)[1]
    return client.post(
        "/staff/handover/",
        {
            "acting": token,
            "product": "TOTE-01",
            "selection": json.dumps(selection or state["selection"]),
            "defaults": state["defaults_token"],
            "action": action,
        },
    )


def test_hand_over_shows_a_qr_code_whose_link_opens_the_design(shop):
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    thu = signed_in(shop["thu"])
    response = hand_over(
        thu, customer, selection={"material": "canvas", "color": "red", "monogram": "Lan"}
    )
    handover = Handover.objects.get()
    assert response["Location"] == f"/staff/handover/{handover.token}/"
    assert (handover.staff, handover.customer, handover.design.owner) == (
        shop["thu"],
        customer,
        shop["lan"],  # in Lan's designs
    )
    assert handover.design.selection == {"material": "canvas", "color": "red", "monogram": "Lan"}
    page = thu.get(response["Location"]).content.decode()
    url = re.search(r'id="qr" data-url="([^"]+)"', page)[1]
    assert url == f"http://testserver/h/{handover.token}/"
    assert '<svg class="qr" role="img"' in page
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")  # anyone with the link: the customer's phone
    received = phone.get(url).content.decode()
    assert "<dt>Colour</dt><dd>Red</dd>" in received
    assert "<dt>Monogram</dt><dd>“Lan”</dd>" in received
    studio = re.search(r'href="([^"]+)" id="received-studio"', received)[1]
    assert studio == f"/studio/TOTE-01/?design={handover.design.share_token}"
    assert state_of(phone.get(studio).content.decode())["selection"] == {
        "material": "canvas",
        "color": "red",
        "monogram": "Lan",
    }


def test_hand_over_refuses_an_expired_or_foreign_token_and_writes_nothing(shop):
    response = signed_in(shop["thu"]).post(
        "/staff/handover/",
        {"acting": "forged", "product": "TOTE-01", "selection": '{"color": "navy"}'},
    )
    assert response.status_code == 400
    assert "has expired; find the customer again" in response.content.decode()
    assert not Handover.objects.exists()


def test_hand_over_into_the_customers_cart_then_their_order_is_the_stores(
    shop, django_capture_on_commit_callbacks
):
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    thu = signed_in(shop["thu"])
    response = hand_over(thu, customer, action="cart")
    line = CartLine.objects.get()
    assert (line.cart.owner, line.staff, line.selection) == (
        shop["lan"],
        shop["thu"],
        {"material": "canvas", "color": "navy"},
    )
    assert line.proposed_defaults == {
        "material": {"value": "canvas", "source": "personal"},
        "color": {"value": "navy", "source": "personal"},
    }
    assert (
        "The design is in the customer&#x27;s cart."
        in thu.get(response["Location"]).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        placed = signed_in(shop["lan"]).post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "email": LAN_EMAIL, "idempotency_key": "lan-store"},
            content_type="application/json",
        )
    assert placed.status_code == 201, placed.content
    order = Order.objects.get()
    assert (order.channel, order.staff) == ("store", shop["thu"])
    event = PurchaseEvent.objects.get(order=order.number)
    assert (event.channel, event.customer, event.options) == (
        "store",
        customer,
        {"material": "canvas", "color": "navy"},
    )


def test_the_customers_phone_adds_the_handed_over_design_and_the_order_is_the_stores(
    shop, django_capture_on_commit_callbacks
):
    customer = Customer.objects.get(external_id="0901234567")  # a till customer: no account
    thu = signed_in(shop["thu"])
    hand_over(thu, customer)
    handover = Handover.objects.get()
    assert handover.design.owner == shop["thu"]
    assert (
        'id="add-to-customer-cart"'
        not in thu.get(f"/staff/handover/{handover.token}/").content.decode()
    )
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = phone.post(f"/h/{handover.token}/cart/")
    assert response["Location"] == "/cart/"
    assert CartLine.objects.get().staff == shop["thu"]
    with django_capture_on_commit_callbacks(execute=True):
        placed = phone.post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "idempotency_key": "guest"},
            content_type="application/json",
        )
    assert placed.status_code == 201, placed.content
    assert list(Order.objects.values_list("channel", "staff")) == [("store", shop["thu"].pk)]


def test_staff_cannot_add_to_the_cart_of_a_customer_without_an_account(shop):
    customer = Customer.objects.get(external_id="0901234567")
    thu = signed_in(shop["thu"])
    hand_over(thu, customer)
    token = Handover.objects.get().token
    response = thu.post(f"/staff/handover/{token}/cart/", follow=True)
    assert "This customer has no account, so no cart" in response.content.decode()
    assert not CartLine.objects.exists()


def test_an_ordinary_web_order_stays_web(shop, django_capture_on_commit_callbacks):
    web = signed_in(shop["lan"])
    web.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {"material": "canvas", "color": "navy"}},
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        web.post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "idempotency_key": "w"},
            content_type="application/json",
        )
    order = Order.objects.get()
    assert (order.channel, order.staff) == ("web", None)
    assert PurchaseEvent.objects.get(order=order.number).channel == "web"


def test_the_customer_page_reads_in_as_many_queries_whatever_the_history(shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer = Customer.objects.get(external_id=LAN_EMAIL)
    thu = signed_in(shop["thu"])
    thu.get(f"/staff/customers/{customer.pk}/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        thu.get(f"/staff/customers/{customer.pk}/")
    store_purchases(LAN_EMAIL, "navy", 60)  # twenty times the history (the first 3 again)
    with CaptureQueriesContext(connection) as many:
        page = thu.get(f"/staff/customers/{customer.pk}/").content.decode()
    assert page.count('data-channel="store"') == 60  # 3 of them the same lines again
    assert len(many) == len(few)


def test_the_header_links_the_staff_page_for_those_who_may_use_it(shop):
    assert 'id="nav-staff"' in signed_in(shop["thu"]).get("/").content.decode()
    for who in ("lan", "minh"):
        assert 'id="nav-staff"' not in signed_in(shop[who]).get("/").content.decode()


def test_the_admin_lists_hand_overs_read_only(shop, django_user_model):
    customer = Customer.objects.get(external_id=LAN_EMAIL)
    hand_over(signed_in(shop["thu"]), customer)
    boss = django_user_model.objects.create_superuser("chu", "chu@shop.example.vn", "x-2026-y")
    admin = signed_in(boss)
    page = admin.get("/admin/clienteling/handover/").content.decode()
    assert "1 hand-over" in page and LAN_EMAIL in page
    handover = Handover.objects.get()
    response = admin.get(f"/admin/clienteling/handover/{handover.pk}/change/")
    assert response.status_code == 200
    assert 'name="token"' not in response.content.decode()  # nothing to edit
