"""Bounded purchase-events imports: gzip bombs and over-long files are refused whole, early,
by the API, the admin upload and the command; strict imports stream."""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from configurator.personalization import imports
from configurator.personalization.events import BadLine, EventLine, events_text, read_events
from configurator.personalization.imports import EventsRefused, purchase_events_import_items
from configurator.personalization.models import Customer, ProductValueStat, PurchaseEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/purchase-events/"
ADMIN = "/admin/personalization/purchaseevent/import/"
HEADER = "customer,timestamp,order,channel,product,sku,quantity,option:color\n"
LINE = "lan@example.vn,2026-01-05T10:00:00Z,R{n},store,TOTE-01,T1,1,navy\n"
# 2 MB of one valid line repeated compresses to a few kilobytes.
REPEATED = (HEADER + "".join(LINE.format(n=n % 10) for n in range(30_000))).encode()
BOMB = gzip.compress(REPEATED, compresslevel=9)
ZEROS = gzip.compress(HEADER.encode() + b"0" * 2_000_000, compresslevel=9)
SMALL_CAPS = override_settings(
    CONFIGURATOR_EVENTS_API_MAX_INFLATED_BYTES=100_000,
    CONFIGURATOR_EVENTS_MAX_INFLATED_BYTES=100_000,
)
FEW_LINES = override_settings(
    CONFIGURATOR_EVENTS_API_MAX_LINES=100, CONFIGURATOR_EVENTS_MAX_LINES=100
)


def counts() -> tuple[int, int, int]:
    return PurchaseEvent.objects.count(), Customer.objects.count(), ProductValueStat.objects.count()


def lines(count: int) -> bytes:
    return (HEADER + "".join(LINE.format(n=n) for n in range(count))).encode()


@pytest.fixture
def till(django_user_model) -> APIClient:
    user = django_user_model.objects.create_user("till-1", password="x-123456789")
    user.user_permissions.add(Permission.objects.get(codename="add_purchaseevent"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_bombs_are_small_and_inflate_past_the_lowered_cap() -> None:
    assert len(BOMB) < 20_000 and len(ZEROS) < 20_000
    assert len(REPEATED) > 1_500_000


@pytest.mark.parametrize("body", [BOMB, ZEROS], ids=["repeated-lines", "zeros"])
def test_api_refuses_a_gzip_bomb_quickly_and_writes_nothing(till, body: bytes) -> None:
    started = time.monotonic()
    with SMALL_CAPS:
        response = till.post(API, body, content_type="text/csv")

    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert response.json() == {
        "code": "events.E008",
        "detail": "the file is larger than 100000 bytes once inflated; split it into smaller files",
        "field": "body",
    }
    assert counts() == (0, 0, 0)


def test_api_refuses_a_body_over_the_line_cap_and_writes_nothing(till) -> None:
    with FEW_LINES:
        response = till.post(API, gzip.compress(lines(150)), content_type="text/csv")

    assert response.status_code == 400
    assert response.json() == {
        "code": "events.E009",
        "detail": "line 101: the file has more than 100 lines; split it into smaller files",
        "field": "line 101",
    }
    assert counts() == (0, 0, 0)


def test_api_takes_a_body_just_under_the_line_cap(till) -> None:
    with FEW_LINES:
        response = till.post(API, lines(99), content_type="text/csv")

    assert response.status_code == 201
    assert response.json() == {"added": 99, "duplicates": 0}


def test_api_strict_one_bad_line_among_many_writes_nothing(till, monkeypatch) -> None:
    monkeypatch.setattr(imports, "CHUNK", 100)  # good lines are written, then rolled back
    body = lines(500).decode() + "an,not-a-time,B2,store,TOTE-01,T1,1,red\n"

    response = till.post(API, body.encode(), content_type="text/csv")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "events.E002", "detail": "unreadable time “not-a-time”", "field": "line 502"}
    ]
    assert counts() == (0, 0, 0)


def test_strict_import_reads_the_lines_lazily_a_chunk_at_a_time(monkeypatch) -> None:
    monkeypatch.setattr(imports, "CHUNK", 10)
    pulled: list[int] = []
    seen_at_write: list[int] = []
    write = imports._import_chunk

    def items() -> Iterator[EventLine | BadLine]:
        for item in read_events(events_text(io.BytesIO(lines(50)))):
            pulled.append(item.line)
            yield item

    def chunk_spy(chunk, result):
        seen_at_write.append(len(pulled))
        write(chunk, result)

    monkeypatch.setattr(imports, "_import_chunk", chunk_spy)
    result = purchase_events_import_items(items=items(), strict=True)

    assert seen_at_write == [10, 20, 30, 40, 50]
    assert (result.created, PurchaseEvent.objects.count()) == (50, 50)


def test_strict_import_lists_a_bounded_number_of_bad_lines_and_counts_them_all(
    monkeypatch,
) -> None:
    monkeypatch.setattr(imports, "MAX_BAD_KEPT", 3)
    body = (HEADER + "an,bad,B,store,TOTE-01,T1,1,red\n" * 7).encode()

    with pytest.raises(EventsRefused) as refused:
        purchase_events_import_items(items=read_events(events_text(io.BytesIO(body))), strict=True)

    assert [b.line for b in refused.value.bad] == [2, 3, 4]
    assert refused.value.count == 7
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("strict", [False, True])
def test_admin_refuses_a_gzip_bomb_and_writes_nothing(admin_client, strict: bool) -> None:
    upload = SimpleUploadedFile("events.csv.gz", BOMB, "application/gzip")
    with SMALL_CAPS:
        response = admin_client.post(ADMIN, {"file": upload, "strict": strict})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "the file is larger than 100000 bytes once inflated; split it into smaller files "
        "[events.E008]"
    ]
    assert counts() == (0, 0, 0)


def test_admin_refuses_a_file_over_the_line_cap_and_writes_nothing(admin_client) -> None:
    upload = SimpleUploadedFile("events.csv", lines(150), "text/csv")
    with FEW_LINES:
        response = admin_client.post(ADMIN, {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "line 101: the file has more than 100 lines; split it into smaller files [events.E009]"
    ]
    assert counts() == (0, 0, 0)


def test_command_refuses_a_gzip_bomb_with_a_message_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "events.csv.gz"
    path.write_bytes(BOMB)

    with SMALL_CAPS, pytest.raises(CommandError) as caught:
        call_command(
            "import_purchase_events", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert str(caught.value) == (
        "the file is larger than 100000 bytes once inflated; split it into smaller files"
    )
    assert counts() == (0, 0, 0)


def test_command_refuses_a_file_over_the_line_cap_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(lines(150))

    with FEW_LINES, pytest.raises(CommandError) as caught:
        call_command(
            "import_purchase_events", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert str(caught.value) == (
        "line 101: the file has more than 100 lines; split it into smaller files"
    )
    assert counts() == (0, 0, 0)


def test_command_prints_progress(tmp_path: Path, monkeypatch) -> None:
    from configurator.personalization.management.commands import import_purchase_events

    monkeypatch.setattr(import_purchase_events, "PROGRESS_EVERY", 20)
    path = tmp_path / "events.csv"
    path.write_bytes(lines(45))
    err = io.StringIO()

    call_command("import_purchase_events", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "20 of about 45 lines read…",
        "40 of about 45 lines read…",
    ]
    assert PurchaseEvent.objects.count() == 45


@override_settings(CONFIGURATOR_IMPORT_BACKGROUND_BYTES=1_000)
def test_a_large_admin_upload_runs_as_a_job_that_shows_done_with_the_counts(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    from catalog.models import ImportJob

    upload = SimpleUploadedFile("events.csv", lines(40), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADMIN, {"file": upload})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/catalog/importjob/{job.pk}/change/"
    assert (job.kind, job.status, job.filename) == ("purchase_events", "done", "events.csv")
    assert (job.lines_total, job.lines_done) == (40, 40)
    assert job.counts == {"added": 40, "duplicates": 0, "customers": 1, "refused": 0}
    assert job.errors == []
    assert not job.file
    assert PurchaseEvent.objects.count() == 40
    page = admin_client.get("/admin/catalog/importjob/").content.decode()  # in Vietnamese
    assert "40/40 dòng (100%)" in page
    assert "Đã thêm 40 lượt mua, 0 lượt đã có sẵn, 0 dòng bị từ chối." in page
