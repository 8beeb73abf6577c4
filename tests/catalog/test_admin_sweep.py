"""Every admin page in a merchant's Vietnamese: names of models, fields, columns and choices,
and the pages themselves, for every registered ModelAdmin.

Three nets, from the finest to the widest:

- every model a merchant can reach has a Vietnamese name for itself, each field, help text and
  choice (a name Django made from an attribute, like "Created at", has none);
- every column and field label of every ModelAdmin (``list_display``, read-only callables) is
  Vietnamese;
- each changelist, add and change page renders in Vietnamese (200) with no text that is an
  English source string of the project or of Django's admin, or a literal English word that
  third-party templates print.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from catalog.models import BlockedWord, ImportJob, Library, OptionSetVersion
from catalog.services import option_set_import, option_set_new_draft
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import place

pytestmark = pytest.mark.django_db

# Words that are the same in Vietnamese and English for a shop owner (codes, units, brands).
SAME_IN_VIETNAMESE = {"sku", "email", "url", "ip", "s3", "id", "dpi", "token", "json", "http"}

# Literal English that third-party templates print without a translation hook.
LITERAL_ENGLISH = ["Remove", "Created at", "Published at", "Product settings", "Created from"]

OUR_APPS = {"catalog", "compilation", "designs", "orders", "production", "personalization"}


def reachable_models() -> list[type[models.Model]]:
    """The models of the project, and every model the admin shows (with its inlines)."""
    found: dict[str, type[models.Model]] = {}
    for config in apps.get_app_configs():
        if config.label in OUR_APPS:
            for model in config.get_models():
                found[model._meta.label] = model
    for model, model_admin in admin.site._registry.items():
        found[model._meta.label] = model
        for inline in model_admin.inlines:
            found[inline.model._meta.label] = inline.model
    return [found[label] for label in sorted(found)]


def in_both(text: object) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text)
    with translation.override("vi"):
        vietnamese = str(text)
    return english, vietnamese


def untranslated(text: object) -> bool:
    english, vietnamese = in_both(text)
    if not english.strip():
        return False
    return english == vietnamese and english.strip().lower() not in SAME_IN_VIETNAMESE


def shown_fields(model: type[models.Model]) -> Iterator[models.Field]:
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations
        if isinstance(field, models.AutoField | models.BigAutoField):
            continue  # never shown
        yield field  # type: ignore[misc]


def test_every_model_field_and_choice_has_vietnamese_words():
    missing = []
    for model in reachable_models():
        opts = model._meta
        for what in ("verbose_name", "verbose_name_plural"):
            if untranslated(getattr(opts, what)):
                missing.append(f"{opts.label}.{what}: {in_both(getattr(opts, what))[0]}")
        for field in shown_fields(model):
            where = f"{opts.label}.{field.name}"
            if untranslated(field.verbose_name):
                missing.append(f"{where}: {field.verbose_name}")
            if field.help_text and untranslated(field.help_text):
                missing.append(f"{where} help: {in_both(field.help_text)[0]}")
            for value, label in field.flatchoices or ():
                if value not in ("", None) and untranslated(label):
                    missing.append(f"{where} choice {value}: {label}")
    assert missing == []


def admin_labels() -> Iterator[tuple[str, str, object]]:
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)]
        admins += [(i.model, i(model, admin.site)) for i in model_admin.inlines]
        for shown_model, shown_admin in admins:
            names = [*getattr(shown_admin, "list_display", ()), *shown_admin.readonly_fields]
            for name in names:
                if callable(name) or name == "__str__":
                    continue
                yield shown_model._meta.label, name, shown_admin


def test_every_admin_column_and_label_is_vietnamese():
    missing = []
    for label, name, model_admin in admin_labels():
        model = model_admin.model
        with translation.override("en"):
            english = str(label_for_field(name, model, model_admin))
        with translation.override("vi"):
            vietnamese = str(label_for_field(name, model, model_admin))
        if english == vietnamese and english.lower() not in SAME_IN_VIETNAMESE:
            missing.append(f"{label}.{name}: {english}")
    assert missing == []


def test_every_admin_action_and_filter_title_is_vietnamese(rf, admin_user):
    missing = []
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        for _func, name, description in model_admin._get_base_actions():
            if untranslated(description):
                missing.append(f"{model._meta.label} action {name}: {description}")
        for item in model_admin.list_filter:
            title = getattr(item, "title", None) if isinstance(item, type) else None
            if title is not None and untranslated(title):
                missing.append(f"{model._meta.label} filter: {title}")
    assert missing == []


class _Text(HTMLParser):
    """The visible text nodes of a page (no script, style or svg)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "template"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data).strip().rstrip(":").strip()
        if text and not self.skip:
            self.nodes.append(text)


def text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def english_sources() -> set[str]:
    """Every English source string that Vietnamese translates to something else, the project's
    and Django's, and the names Django makes from attribute names, capitalized as shown."""
    catalog = translation.trans_real.translation("vi")._catalog
    english = set()
    for key, vietnamese in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        shown = isinstance(vietnamese, str) and vietnamese != msgid and len(msgid or "") > 2
        if shown and "%" not in msgid and "\n" not in msgid:
            english.add(capfirst(msgid))
    for model in reachable_models():
        for field in shown_fields(model):
            english.add(capfirst(field.name.replace("_", " ")))
    for model_admin in admin.site._registry.values():
        for form in [model_admin.form, *(inline.form for inline in model_admin.inlines)]:
            english.update(capfirst(name.replace("_", " ")) for name in form.base_fields)
    english.update(LITERAL_ENGLISH)
    return {word for word in english if word.lower() not in SAME_IN_VIETNAMESE}


@pytest.fixture
def shop(admin_user, django_capture_on_commit_callbacks):
    """One row of every model the admin shows: a published tote with its draft, an order with
    its follow-ups and exports, a batch, a customer, an import job, sign-in records."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from configurator.personalization.models import Customer, ProductSetting, PurchaseEvent
    from configurator.production.models import Batch, DeliveryAttempt, Partner, RoutingRule

    partner = Partner.objects.create(code="xuong-in", name="Xưởng in Lan")
    RoutingRule.objects.create(partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        published = option_set_import(document=copy.deepcopy(TOTE), publish=True)
    option_set_new_draft(version=published)
    with django_capture_on_commit_callbacks(execute=False):
        order = place(published)
    export = order.exports.get()
    DeliveryAttempt.objects.create(export=export, outcome="retry", status_code=500, detail="x")
    Batch.objects.create(partner=partner, day=dt.date(2026, 12, 1))
    customer = Customer.objects.create(external_id="KH-001", email="lan@example.vn")
    PurchaseEvent.objects.create(
        customer=customer, identity="a" * 64, timestamp=timezone.now(), order="HD-1",
        product="TOTE", options={"color": "navy"},
    )  # fmt: skip
    ProductSetting.objects.create(product="TOTE", personalization_enabled=False)
    ImportJob.objects.create(
        kind=ImportJob.Kind.OPTION_SET, filename="tote.json", status=ImportJob.Status.DONE,
        counts={"number": 3, "groups": 3, "values": 9, "rules": 1},
    )  # fmt: skip
    BlockedWord.objects.create(word="đồ ngốc", message_vi="Không dùng từ này.")
    from catalog.models import ValueStock

    ValueStock.objects.create(
        product=published.product, group_code="material", value_code="suede", quantity=4,
        lead_time_days=2,
    )  # fmt: skip
    palette = Library.objects.create(code="basic-colours", kind="palette", name_vi="Màu cơ bản")
    palette.values.create(code="black", name_vi="Đen", swatch="#111111")
    Group.objects.create(name="Nhân viên cửa hàng")
    Token.objects.create(user=admin_user)
    now = timezone.now()
    AccessAttempt.objects.create(
        username="lan", ip_address="10.0.0.1", user_agent="Firefox", failures_since_start=2,
        attempt_time=now,
    )  # fmt: skip
    AccessLog.objects.create(username="lan", ip_address="10.0.0.1", user_agent="Firefox")
    AccessFailureLog.objects.create(username="lan", ip_address="10.0.0.1", user_agent="Firefox")
    # Consent, retention and a store's hand-over (configurator.personalization, clienteling).
    from configurator.clienteling.models import Handover
    from configurator.compilation.selectors import engine_for_version
    from configurator.designs.services import design_save
    from configurator.designs.shoppers import Shopper
    from configurator.personalization.models import PersonalizationSettings, RetentionRun
    from configurator.personalization.services import customer_personalization_set

    PersonalizationSettings.current()
    customer_personalization_set(
        customer=customer, enabled=True, channel="store", recorded_by=admin_user
    )
    RetentionRun.objects.create(started_at=now, months=24, cutoff=now, events_deleted=3)
    design = design_save(
        shopper=Shopper(admin_user.pk, ""),
        version=published,
        engine=engine_for_version(version_id=published.pk),
        selection={"material": "canvas", "color": "navy"},
        name="Túi của Lan",
    )
    Handover.objects.create(token="h" * 32, staff=admin_user, customer=customer, design=design)


def registered() -> list[str]:
    return sorted(model._meta.label for model in admin.site._registry)


def model_admin_for(label: str) -> tuple[type[models.Model], admin.ModelAdmin]:
    model = apps.get_model(label)
    return model, admin.site._registry[model]


def pages_of(label: str) -> list[str]:
    model = apps.get_model(label)
    info = (model._meta.app_label, model._meta.model_name)
    pages = [reverse("admin:{}_{}_changelist".format(*info))]
    pages.append(reverse("admin:{}_{}_add".format(*info)))
    for obj in model._default_manager.all()[:2]:
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    return pages


@pytest.mark.parametrize("label", registered())
def test_admin_pages_render_in_vietnamese(label, admin_client, shop):
    from configurator.personalization.models import PersonalizationSettings

    model, _admin = model_admin_for(label)
    assert model._default_manager.exists(), label  # the change page is really opened
    english = english_sources()
    for url in pages_of(label):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if url.endswith("/add/") and response.status_code == 403:
            continue  # rows of this model come from elsewhere (orders, imports)
        if response.status_code == 302 and model is PersonalizationSettings:
            # One row of settings: its list opens the row (which is checked below).
            assert response["Location"] == pages_of(label)[-1], url
            continue
        assert response.status_code == 200, url
        found = sorted({node for node in text_nodes(response.content.decode()) if node in english})
        assert found == [], url


def test_admin_special_pages_render_in_vietnamese(admin_client, shop):
    english = english_sources()
    draft = OptionSetVersion.objects.get(status="draft")
    product = draft.product
    pages = [
        "/admin/",
        reverse("admin:catalog_version_check", args=[draft.pk]),
        reverse("admin:catalog_version_import"),
        reverse("admin:personalization_purchaseevent_import"),
        f"/admin/personalization/purchaseevent/?product={product.sku}",
        "/admin/orders/order/?production=failed",
    ]
    for url in pages:
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, url
        found = sorted({node for node in text_nodes(response.content.decode()) if node in english})
        assert found == [], url


def test_import_errors_say_what_is_wrong_in_vietnamese(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = copy.deepcopy(TOTE)
    document["colour"] = "red"  # an unknown key
    body = json.dumps(document).encode()
    response = admin_client.post(
        reverse("admin:catalog_version_import"),
        {"file": SimpleUploadedFile("tote.json", body, content_type="application/json")},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    nodes = text_nodes(response.content.decode())
    assert "format.E003" in nodes
    assert "Khóa không được biết." in nodes
    assert OptionSetVersion.objects.count() == 0
    not_json = admin_client.post(
        reverse("admin:catalog_version_import"),
        {"file": SimpleUploadedFile("tote.json", b"{", content_type="application/json")},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert "Không phải tài liệu JSON" in not_json.content.decode()
    assert OptionSetVersion.objects.count() == 0
