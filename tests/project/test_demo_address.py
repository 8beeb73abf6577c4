"""The demo says the address it really serves."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from catalog.management.commands.demo import demo_server, shop_url


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8123", "http://127.0.0.1:8123/"),
        ("192.168.1.20:8123", "http://192.168.1.20:8123/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("[::1]:8001", "http://[::1]:8001/"),
        ("shop.local:8080", "http://shop.local:8080/"),
    ],
)
def test_the_demo_names_the_address_it_was_given(addrport, url):
    assert shop_url(addrport) == url


def test_a_port_alone_is_served_and_allowed_on_the_loopback():
    _, env = demo_server("8123", {})
    assert env["DJANGO_ALLOWED_HOSTS"] == "127.0.0.1,localhost"


def test_a_wrong_address_is_refused_before_any_work():
    with pytest.raises(CommandError, match="not a valid port number"):
        shop_url("localhost:eighty")


@pytest.mark.django_db(transaction=True)
def test_the_demo_prints_the_address_it_was_given(monkeypatch):
    import io

    from django.core.management import call_command

    from catalog.management.commands import demo

    monkeypatch.setattr(demo, "draw_all", lambda: {})
    monkeypatch.setattr(demo, "documents", lambda files, fonts: [])
    out = io.StringIO()
    call_command("demo", "8123", "--noserve", stdout=out)
    assert "Shop: http://127.0.0.1:8123/  ·  admin: http://127.0.0.1:8123/admin/" in out.getvalue()
