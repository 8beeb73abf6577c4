"""Celery tasks of the compilation stage."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from catalog.models import OptionSetVersion

from .services import compiled_option_set_build


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=8,
)
def compile_version(self, version_id: int) -> str:
    """Compile a published version once; a second run finds the row and returns."""
    version = OptionSetVersion.objects.select_related("product").get(pk=version_id)
    compiled = compiled_option_set_build(version=version)
    return compiled.configurations
