"""Every page keeps working under the Content-Security-Policy: nothing inline to refuse."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from configurator.designs.models import Design
from configurator.orders.models import Order
from tests.fixtures.orders import FORM
from tests.fixtures.processes import SECRET, run

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
}
PERMISSIONS = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def inline(html: str) -> list[str]:
    """What the policy would refuse on a page: handlers, inline scripts and styles."""
    found = [m.group(0).strip() for m in HANDLER.finditer(html)]
    for match in SCRIPT.finditer(html):
        attributes = match.group(1)
        if "src=" not in attributes and 'type="application/json"' not in attributes:
            found.append(match.group(0))
    found += [m.group(0).strip() for m in STYLE_ATTRIBUTE.finditer(html)]
    found += ["<style>"] if "<style" in html.lower() else []
    return found


@pytest.fixture
def shopper(django_user_model, tote) -> Client:
    user = django_user_model.objects.create_user("lan", password="x-123456789", is_staff=True)
    user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    line = {"product": "TOTE-01", "selection": {"material": "canvas", "color": "red"}}
    assert client.post("/api/v1/cart/lines/", line, content_type="application/json").status_code
    assert client.post("/api/v1/designs/", line, content_type="application/json").status_code
    return client


def test_the_shop_pages_have_nothing_inline_for_the_policy_to_refuse(shopper):
    design = Design.objects.get()
    pages = ["/", "/studio/TOTE-01/", f"/studio/TOTE-01/?design={design.pk}", "/designs/"]
    pages += ["/cart/", "/checkout/", "/accounts/me/"]
    for url in pages:
        response = shopper.get(url)
        assert response.status_code == 200, url
        assert set(response["Content-Security-Policy"].split("; ")) == POLICY, url
        assert response["Permissions-Policy"] == PERMISSIONS, url
        assert inline(response.content.decode()) == [], url
    placed = shopper.post("/checkout/", {**FORM, "idempotency_key": "k-1"})
    assert placed.status_code == 302
    confirmation = shopper.get(f"/orders/{Order.objects.get().number}/")
    assert inline(confirmation.content.decode()) == []


def test_the_sign_in_pages_have_nothing_inline(db):
    client = Client()
    for url in ("/accounts/login/", "/accounts/signup/", "/admin/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline(response.content.decode()) == [], url


def test_the_admin_pages_of_the_project_have_nothing_inline(shopper):
    from catalog.models import OptionSetVersion, OptionValue, Product

    version = OptionSetVersion.objects.get()
    pages = [
        f"/admin/catalog/optionsetversion/{version.pk}/change/",
        f"/admin/catalog/product/{Product.objects.get().pk}/change/",
        f"/admin/insight/products/{Product.objects.get().pk}/",
    ]
    for url in pages:
        response = shopper.get(url)
        assert response.status_code == 200, url
        assert inline(response.content.decode()) == [], url
    swatches = OptionValue.objects.exclude(swatch="").count()
    assert shopper.get(pages[0]).content.decode().count('<circle cx="10"') == swatches > 0


def test_the_language_switch_is_a_real_form_with_a_button(db):
    html = Client().get("/accounts/login/").content.decode()
    form = html[html.index('<form action="/i18n/setlang/"') :]
    form = form[: form.index("</form>")]
    assert '<button type="submit">' in form
    assert "<noscript>" not in form


def test_production_sends_the_policies_too():
    result = run(
        "-c",
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='configurator.settings.production';"
        "django.setup(); from django.conf import settings as s;"
        "print('csp.middleware.CSPMiddleware' in s.MIDDLEWARE,"
        " 'django_permissions_policy.PermissionsPolicyMiddleware' in s.MIDDLEWARE,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'],"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
        " s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_FAILURE_LIMIT)",
        DJANGO_SECRET_KEY=SECRET,
        CONFIGURATOR_TRUSTED_PROXIES="1",
        CONFIGURATOR_LOGIN_FAILURE_LIMIT="7",
        CONFIGURATOR_CSP_IMAGE_ORIGINS="https://media.example.vn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "[\"'self'\"]",
        "[\"'self'\",",
        "'data:',",
        "'blob:',",
        "'https://media.example.vn']",
        "1",
        "7",
    ]
    assert settings.CONFIGURATOR_TRUSTED_PROXIES == 0  # the default: no header believed
