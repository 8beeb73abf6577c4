"""Wrong passwords lock out one username from one address, on the shop's and the admin's
sign-in alike, until the cool-off; the address is the one behind the trusted proxies."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

SHOP = "/accounts/login/"
ADMIN = "/admin/login/"
PASSWORD = "mat-khau-rat-dai-2026"


@pytest.fixture
def lan(django_user_model):
    return django_user_model.objects.create_user("lan", password=PASSWORD, is_staff=True)


def sign_in(client: Client, url: str, password: str, **extra):
    return client.post(url, {"username": "lan", "password": password, "next": "/"}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_the_limit(url: str, **extra) -> list[int]:
    return [
        sign_in(Client(), url, f"wrong-{n}", **extra).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]


@pytest.mark.parametrize("url", [SHOP, ADMIN])
def test_after_the_limit_even_the_right_password_gets_the_lockout_page(lan, url):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail_until_the_limit(url, REMOTE_ADDR="203.0.113.5") == [200, 200, 200, 200, 429]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = sign_in(client, url, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert '<html lang="en">' in response.content.decode()
    assert (
        "Signing in to this account from your network is paused after too many wrong "
        "passwords. Please try again in 15 minutes."
    ) in response.content.decode()
    assert not signed_in(client)


def test_the_lockout_page_speaks_the_shoppers_language(lan):
    fail_until_the_limit(SHOP, REMOTE_ADDR="203.0.113.5")
    response = sign_in(Client(HTTP_ACCEPT_LANGUAGE="vi"), SHOP, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert '<html lang="vi">' in response.content.decode()


def test_the_lockout_is_for_that_username_and_address_only(lan, django_user_model):
    django_user_model.objects.create_user("hoa", password=PASSWORD)
    fail_until_the_limit(SHOP, REMOTE_ADDR="203.0.113.5")
    elsewhere = Client()
    assert sign_in(elsewhere, SHOP, PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert signed_in(elsewhere)
    other_account = Client()
    response = other_account.post(
        SHOP, {"username": "hoa", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5"
    )
    assert response.status_code == 302
    assert signed_in(other_account)


def test_without_trusted_proxies_an_invented_forwarded_for_does_not_escape(lan):
    statuses = [
        sign_in(
            Client(), SHOP, "wrong", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.{n}.0.1"
        ).status_code
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


@override_settings(CONFIGURATOR_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_lockout_keys_on_the_address_the_proxy_saw(lan):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail_until_the_limit(SHOP, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **proxy)
    locked = sign_in(Client(), SHOP, PASSWORD, HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.5", **proxy)
    assert locked.status_code == 429
    other = Client()
    assert (
        sign_in(other, SHOP, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code
        == 302
    )
    assert signed_in(other)
