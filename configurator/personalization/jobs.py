"""The purchase-events runner of import jobs (:mod:`catalog.jobs`): a large admin upload,
imported by a task, its progress on the job row."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from catalog.jobs import import_job_progress
from catalog.models import ImportJob

from .events import BadFile, BadLine, EventLine, events_measure, events_text, read_events
from .imports import EventsRefused, file_limits, purchase_events_import_items

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10_000
MAX_JOB_ERRORS = 500


def purchase_events_job_run(job: ImportJob) -> None:
    """Import the job's file as the admin upload would, in chunks, recording the lines
    read every ``PROGRESS_EVERY``; over a limit or refused (strict), nothing is written.

    A strict job imports in one transaction: its progress shows when it ends.
    """
    limits = file_limits()
    strict = bool(job.options.get("strict"))
    with job.file.open("rb") as stored:
        raw: BinaryIO = stored  # type: ignore[assignment]  # a FieldFile reads as its file
        try:
            job.lines_total = max(events_measure(raw, limits) - 1, 0)
            ImportJob.objects.filter(pk=job.pk).update(lines_total=job.lines_total)
            with events_text(raw, limits) as handle:
                result = purchase_events_import_items(
                    items=_progress(read_events(handle), job), strict=strict
                )
        except BadFile as error:
            logger.info("import job %s refused: %s [%s]", job.pk, error.message, error.code)
            job.status = ImportJob.Status.FAILED
            job.errors = [{"code": error.code, "where": "", "message": error.message}]
            return
        except EventsRefused as refused:
            logger.info("import job %s refused: %d bad lines", job.pk, refused.count)
            job.status = ImportJob.Status.FAILED
            job.errors = _errors(refused.bad)
            job.counts = {"added": 0, "duplicates": 0, "customers": 0, "refused": refused.count}
            return
    job.status = ImportJob.Status.DONE
    job.errors = _errors(result.bad)
    job.counts = {
        "added": result.created,
        "duplicates": result.duplicates,
        "customers": result.customers,
        "refused": result.bad_count,
    }


def _progress(
    items: Iterable[EventLine | BadLine], job: ImportJob
) -> Iterator[EventLine | BadLine]:
    done = 0
    for done, item in enumerate(items, start=1):
        if done % PROGRESS_EVERY == 0:
            import_job_progress(job=job, lines_done=done)
        yield item
    job.lines_done = done


def _errors(bad: list[BadLine]) -> list[dict[str, str]]:
    return [
        {"code": b.code, "where": f"line {b.line}", "message": b.message}
        for b in bad[:MAX_JOB_ERRORS]
    ]
