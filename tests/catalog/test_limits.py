"""Bounded option-set imports: documents too large, too deep, with too many groups or values,
or holding a 5,000-digit number are refused with their code by the service, the command and
the admin page, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from catalog.format import OptionSetFormatError, parse_option_set
from catalog.limits import LIMIT_CODES, Limits, document_limits, read_option_set
from catalog.models import ImportJob, OptionGroup, OptionSetVersion, Product
from catalog.services import option_set_import
from tests.fixtures.documents import rich_document

pytestmark = pytest.mark.django_db

ADMIN = "/admin/catalog/optionsetversion/import/"


def deep() -> bytes:
    document = rich_document()
    document["groups"][0]["extensions"] = {"erp": "DEEP", "note": "[" * 50}  # not nesting
    text = json.dumps(document).replace('"DEEP"', "[" * 10_000 + "]" * 10_000)
    return text.encode()


def many_groups() -> bytes:
    document = rich_document()
    document["groups"] += [
        {"code": f"g{i}", "name": "G", "kind": "text"} for i in range(Limits().max_groups)
    ]
    return json.dumps(document).encode()


def many_values() -> bytes:
    document = rich_document()
    document["groups"][0]["values"] += [
        {"code": f"v{i}", "name": "V"} for i in range(Limits().max_values)
    ]
    return json.dumps(document).encode()


def huge_number() -> bytes:
    text = json.dumps(rich_document())
    return text.replace('"max_visible_values": 8', '"max_visible_values": ' + "9" * 5_000).encode()


CASES: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("format.E071", deep, "line 1", "Nested deeper than 32 levels of lists and objects."),
    ("format.E070", lambda: json.dumps(rich_document()).encode(), "$", "The file has"),
    ("format.E073", many_groups, "$.groups", "2006 groups; at most 2000."),
    ("format.E074", many_values, "$.groups[0].values", "2003 values; at most 2000."),
    ("format.E072", huge_number, "$", "A number has 5000 characters (999999999999…); at most 30."),
]
IDS = [case[0] for case in CASES]
SMALL_BYTES = override_settings(CONFIGURATOR_OPTION_SET_MAX_BYTES=1_000)


def _over(code: str):
    return SMALL_BYTES if code == "format.E070" else override_settings()


def nothing_written() -> bool:
    return Product.objects.count() == OptionSetVersion.objects.count() == 0


@pytest.mark.parametrize(("code", "make", "path", "message"), CASES, ids=IDS)
def test_service_refuses_the_document_with_its_code(code, make, path, message) -> None:
    with _over(code), pytest.raises(OptionSetFormatError) as caught:
        option_set_import(document=make())

    [problem] = caught.value.problems
    assert (problem.code, problem.path) == (code, path)
    assert problem.message.startswith(message)
    assert nothing_written()


@pytest.mark.parametrize(("code", "make", "path", "message"), CASES, ids=IDS)
def test_command_refuses_the_document_with_a_message(tmp_path: Path, code, make, path, message):
    file = tmp_path / "doc.json"
    file.write_bytes(make())

    with _over(code), pytest.raises(CommandError) as caught:
        call_command("import_option_set", str(file), stdout=StringIO(), stderr=StringIO())

    assert str(caught.value).startswith(
        f"{file} is not a valid option-set/1 document; nothing was imported. 1 problem(s):\n"
        f"  {code} {path}: {message}"
    )
    assert nothing_written()


@pytest.mark.parametrize(("code", "make", "path", "message"), CASES, ids=IDS)
def test_admin_shows_a_form_error_and_writes_nothing(admin_client, code, make, path, message):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    upload = SimpleUploadedFile("doc.json", make(), "application/json")

    with _over(code), override_settings(CONFIGURATOR_IMPORT_BACKGROUND_BYTES=10**9):
        response = admin_client.post(ADMIN, {"file": upload})

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith(f"{code} {path}: {message}")
    assert nothing_written()


def test_a_parsed_document_is_bounded_too() -> None:
    document = rich_document()
    document["product"]["max_visible_values"] = 10**5000
    nested: list = []
    for _ in range(10_000):
        nested = [nested]
    document["groups"][0]["extensions"] = {"erp": nested}

    with pytest.raises(OptionSetFormatError) as caught:
        parse_option_set(document)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("format.E071", "$"),
        ("format.E072", "$"),
    ]


def test_limits_count_rules_rows_layers_and_texts() -> None:
    document = rich_document()
    document["rules"][0]["rows"] *= 3
    document["extensions"]["note"] = "x" * 50
    limits = Limits(max_rules=3, max_rows=8, max_layers=4, max_text=40)

    assert [(p.code, p.path) for p in document_limits(document, limits)] == [("format.E078", "$")]
    document["extensions"]["note"] = ""
    assert [(p.code, p.path, p.message) for p in document_limits(document, limits)] == [
        ("format.E075", "$.rules", "4 rules; at most 3."),
        ("format.E076", "$.rules[0].rows", "12 rows; at most 8."),
        ("format.E077", "$.extensions.preview_layers", "5 layers; at most 4."),
    ]


def test_reading_skips_brackets_inside_strings_and_takes_a_normal_document() -> None:
    document = rich_document()
    document["groups"][0]["help"] = {"vi": "[" * 100}

    assert read_option_set(json.dumps(document).encode()) == document


def test_docs_list_every_limit_code() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "option-set-format.md").read_text(encoding="utf-8")

    listed = [code for code, text in LIMIT_CODES.items() if f"| `{code}` | {text} |" in docs]
    assert listed == list(LIMIT_CODES)


@override_settings(CONFIGURATOR_IMPORT_BACKGROUND_BYTES=100)
def test_a_large_admin_import_runs_as_a_job_that_shows_done_with_the_counts(
    admin_client, no_extension_points, django_capture_on_commit_callbacks
) -> None:
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    upload = SimpleUploadedFile("tote.json", json.dumps(rich_document()).encode())

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADMIN, {"file": upload})

    job = ImportJob.objects.get()
    version = OptionSetVersion.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/catalog/importjob/{job.pk}/change/"
    assert (job.kind, job.status, job.errors) == ("option_set", "done", [])
    assert job.counts == {
        "version": version.pk,
        "number": 1,
        "groups": 6,
        "values": 10,
        "rules": 4,
    }
    assert OptionGroup.objects.count() == 6
    page = admin_client.get("/admin/catalog/importjob/").content.decode()
    assert "Version 1: 6 groups, 10 values, 4 rules." in page


@override_settings(CONFIGURATOR_IMPORT_BACKGROUND_BYTES=100)
def test_a_large_refused_admin_import_fails_its_job_and_writes_nothing(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    upload = SimpleUploadedFile("big.json", many_groups())

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(ADMIN, {"file": upload})

    job = ImportJob.objects.get()
    assert (job.status, job.counts) == ("failed", {"problems": 1})
    assert job.errors == [
        {"code": "format.E073", "where": "$.groups", "message": "2006 groups; at most 2000."}
    ]
    assert not job.file
    assert nothing_written()
