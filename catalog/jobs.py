"""Import jobs: a large admin upload is stored, then imported by a task that records its
progress and outcome on an :class:`~catalog.models.ImportJob` row the admin shows.

The catalog runs option-set jobs itself; other kinds run through the runner their app
registered (:func:`catalog.extensions.register_import_runner`), so the catalog never imports
from ``configurator``.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from functools import partial
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from .extensions import Problem, import_runner
from .format import OptionSetFormatError
from .models import ImportJob, OptionValue
from .services import PublishRefused, option_set_import

logger = logging.getLogger(__name__)

MAX_JOB_ERRORS = 500


def import_job_create(
    *, kind: str, upload: UploadedFile, options: dict[str, Any], user: Any = None
) -> ImportJob:
    """Store ``upload`` as a queued job and run it after the commit (in-process when no
    broker is set). The stored name is random: the merchant's file name is kept apart."""
    from .tasks import run_import_job

    suffix = "".join(PurePath(upload.name or "").suffixes[-2:])[:20]
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            filename=(upload.name or "")[:255],
            size=upload.size or 0,
            options=options,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
        job.save()
        transaction.on_commit(partial(run_import_job.delay, job.pk))
    return job


def import_job_run(*, job_id: int, now: datetime | None = None) -> ImportJob:
    """Run the job once and return it ended (done or failed); its file is then deleted."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job
    runner = import_runner(job.kind)
    job.status, job.started_at = ImportJob.Status.RUNNING, now or timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        if runner is None:
            logger.error("import job %s: no runner for kind %s", job.pk, job.kind)
            job.status = ImportJob.Status.FAILED
        else:
            runner(job)
    except Exception:  # the row must end: a job left "running" would be followed for ever
        logger.exception("import job %s (%s) stopped on an unexpected error", job.pk, job.kind)
        job.status = ImportJob.Status.FAILED
    finally:
        job.finished_at = timezone.now()
        if job.status == ImportJob.Status.RUNNING:
            job.status = ImportJob.Status.FAILED
        if job.file:
            job.file.delete(save=False)
        job.save()
    return job


def import_job_progress(*, job: ImportJob, lines_done: int) -> None:
    """Record how far the job has come (one UPDATE; the page reads it on reload)."""
    job.lines_done = lines_done
    ImportJob.objects.filter(pk=job.pk).update(lines_done=lines_done)


def job_errors(problems: list[Problem]) -> list[dict[str, str]]:
    """The first problems in the shape a job stores: code, where, message."""
    return [
        {"code": p.code, "where": p.path, "message": p.message} for p in problems[:MAX_JOB_ERRORS]
    ]


def option_set_job_run(job: ImportJob) -> None:
    """Import the job's option-set document; a refusal fails the job with every problem."""
    with job.file.open("rb") as handle:
        raw = handle.read(settings.CONFIGURATOR_OPTION_SET_MAX_BYTES + 1)  # more is refused
    try:
        version = option_set_import(document=raw, publish=bool(job.options.get("publish")))
    except (OptionSetFormatError, PublishRefused) as refused:
        logger.warning(
            "import job %s failed: %d problem(s), first %s",
            job.pk,
            len(refused.problems),
            refused.problems[0].code if refused.problems else "-",
        )
        job.status = ImportJob.Status.FAILED
        job.errors = job_errors(refused.problems)
        job.counts = {"problems": len(refused.problems)}
        return
    job.status = ImportJob.Status.DONE
    job.counts = {
        "version": version.pk,
        "number": version.number,
        "groups": version.groups.count(),
        "values": OptionValue.objects.filter(group__version=version).count(),
        "rules": version.rules.count(),
    }
