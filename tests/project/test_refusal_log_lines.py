"""Every caught failure leaves a log line with its context (issue 15, item 1): the option-set
import and publish, a compile that fails, an import job, purchase events, an erasure."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.format import OptionSetFormatError
from catalog.jobs import import_job_create, import_job_run
from catalog.models import ImportJob, OptionSetVersion, OptionValue
from catalog.services import PublishRefused, option_set_import, option_set_publish
from configurator.compilation import services as compilation_services
from configurator.compilation.models import CompiledOptionSet
from configurator.engine import EngineError
from configurator.engine.spec import Issue
from configurator.personalization.events import events_text, read_events
from configurator.personalization.imports import EventsRefused, purchase_events_import_items
from configurator.personalization.models import Customer, PurchaseEvent
from configurator.personalization.services import customer_erase
from tests.fixtures.documents import NOW, rich_document

pytestmark = pytest.mark.django_db

HEADER = "customer,timestamp,order,channel,product,sku,quantity,option:color\n"


def lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == logger]


def test_a_refused_document_is_logged_with_its_first_problem(caplog) -> None:
    caplog.set_level(logging.INFO, logger="catalog.services")
    document = rich_document()
    del document["groups"]

    with pytest.raises(OptionSetFormatError) as refused:
        option_set_import(document=document)

    first = refused.value.problems[0]
    assert lines(caplog, "catalog.services") == [
        (
            "INFO",
            f"option-set import refused: {len(refused.value.problems)} problem(s), "
            f"first {first.code} {first.path}",
        )
    ]
    assert OptionSetVersion.objects.count() == 0


def test_a_file_that_is_not_json_is_logged_with_its_size(caplog) -> None:
    caplog.set_level(logging.INFO, logger="catalog.services")

    with pytest.raises(OptionSetFormatError):
        option_set_import(document=b'{"format": ')

    assert lines(caplog, "catalog.services") == [
        ("INFO", "option-set document refused: format.E079 line 1 (11 bytes)")
    ]


def test_a_refused_publish_is_logged_with_the_version_and_first_error(caplog) -> None:
    draft = option_set_import(document=rich_document())
    OptionValue.objects.filter(group__code="material").update(is_active=False)
    caplog.set_level(logging.INFO, logger="catalog.services")

    with pytest.raises(PublishRefused):
        option_set_publish(version=draft, now=NOW)

    sku = draft.product.sku
    assert lines(caplog, "catalog.services") == [
        (
            "INFO",
            f"publish refused: {sku} v{draft.number} (version id {draft.pk}) has 2 error(s), "
            "first catalog.E006",
        )
    ]


def test_publishing_a_published_version_is_logged(caplog) -> None:
    version = option_set_import(document=rich_document(), publish=True, now=NOW)
    caplog.set_level(logging.INFO, logger="catalog.services")

    with pytest.raises(PublishRefused):
        option_set_publish(version=version)

    assert lines(caplog, "catalog.services") == [
        ("INFO", f"publish refused: version {version.pk} is not a draft")
    ]


def test_a_compile_that_fails_is_logged_and_writes_nothing(caplog, monkeypatch) -> None:
    draft = option_set_import(document=rich_document())

    def failing(document, **kwargs):
        raise EngineError([Issue("engine.E001", "$.rules[0]", "Too big.")])

    monkeypatch.setattr(compilation_services, "compile_option_set", failing)
    caplog.set_level(logging.INFO, logger="configurator.compilation.services")

    with pytest.raises(EngineError):
        compilation_services.compiled_option_set_build(version=draft)

    assert lines(caplog, "configurator.compilation.services") == [
        (
            "WARNING",
            f"{draft.product.sku} v{draft.number} (version id {draft.pk}) does not compile: "
            "$.rules[0]: Too big. [engine.E001]",
        )
    ]
    assert CompiledOptionSet.objects.count() == 0


def test_a_compile_says_what_it_built(caplog) -> None:
    draft = option_set_import(document=rich_document())
    caplog.set_level(logging.INFO, logger="configurator.compilation.services")

    compiled = compilation_services.compiled_option_set_build(version=draft)

    [(level, message)] = lines(caplog, "configurator.compilation.services")
    assert level == "INFO"
    assert message.startswith(
        f"{draft.product.sku} v{draft.number} (version id {draft.pk}) compiled in "
    )
    assert message.endswith(f" s: {compiled.configurations} configurations, {compiled.nodes} nodes")


def test_a_failed_import_job_is_logged_with_its_id(caplog, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("shop.json", json.dumps({"format": "option-set/1"}).encode())
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(kind=ImportJob.Kind.OPTION_SET, upload=upload, options={})
    caplog.set_level(logging.INFO, logger="catalog.jobs")

    job = import_job_run(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    first = job.errors[0]["code"]
    assert lines(caplog, "catalog.jobs") == [
        (
            "WARNING",
            f"import job {job.pk} failed: {job.counts['problems']} problem(s), first {first}",
        )
    ]


def test_refused_purchase_events_are_logged_with_the_first_bad_line(caplog) -> None:
    body = HEADER + "lan@example.vn,2026-01-05T10:00:00Z,R1,store,TOTE-01,T1,1,navy\n"
    body += "an,bad,B,store,TOTE-01,T1,1,red\n"
    caplog.set_level(logging.INFO, logger="configurator.personalization.imports")

    with pytest.raises(EventsRefused):
        purchase_events_import_items(
            items=read_events(events_text(io.BytesIO(body.encode()))), strict=True
        )

    assert lines(caplog, "configurator.personalization.imports") == [
        (
            "INFO",
            "purchase events refused: 1 bad line(s), nothing written; first line 3 events.E002",
        )
    ]
    assert PurchaseEvent.objects.count() == 0


def test_skipped_purchase_events_are_logged_with_the_count(caplog) -> None:
    body = HEADER + "lan@example.vn,2026-01-05T10:00:00Z,R1,store,TOTE-01,T1,1,navy\n"
    body += "an,bad,B,store,TOTE-01,T1,1,red\n"
    caplog.set_level(logging.INFO, logger="configurator.personalization.imports")

    purchase_events_import_items(items=read_events(events_text(io.BytesIO(body.encode()))))

    assert lines(caplog, "configurator.personalization.imports") == [
        ("INFO", "purchase events: 1 bad line(s) skipped, first line 3 events.E002"),
        ("INFO", "purchase events imported: 1 new, 0 duplicate(s)"),
    ]


def test_an_erasure_is_logged_without_naming_the_shopper(caplog) -> None:
    customer = Customer.objects.create(external_id="lan@example.vn", email="lan@example.vn")
    pk = customer.pk
    caplog.set_level(logging.INFO, logger="configurator.personalization.services")

    customer_erase(customer=customer)

    assert lines(caplog, "configurator.personalization.services") == [
        ("INFO", f"customer {pk}: purchase history erased")
    ]
    assert not Customer.objects.filter(pk=pk).exists()
