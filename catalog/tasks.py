"""Celery tasks of the catalog: large admin imports."""

from __future__ import annotations

from celery import shared_task

from .jobs import import_job_run


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> str:
    """Run the import job ``job_id`` once; a job that has ended returns at once. Not retried:
    a failed job says why, and the merchant uploads again (imports add nothing twice)."""
    return import_job_run(job_id=job_id).status
