"""Deliver a package to a partner's destination: a folder, S3 storage, or a signed webhook."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.core.signing import TimestampSigner
from django.urls import reverse

from configurator.storage import private_storage

from .models import DestinationKind, Export, Partner
from .signing import signed_headers


@dataclass(frozen=True)
class Outcome:
    result: str  # "delivered", "retry" or "failed"
    status_code: int | None = None
    detail: str = ""


def webhook_outcome(response: requests.Response) -> Outcome:
    """2xx delivered; 408, 409, 425, 429 and 5xx retried; any other 4xx failed for good."""
    code = response.status_code
    if 200 <= code < 300:
        return Outcome("delivered", code)
    if 400 <= code < 500 and code not in (408, 409, 425, 429):
        return Outcome("failed", code, response.text[:500])
    return Outcome("retry", code, response.text[:500])


def partner_folder(partner: Partner) -> Path:
    if partner.folder:
        return Path(partner.folder)
    return Path(settings.VAR_DIR) / "production" / partner.code


def _files(manifest: dict[str, Any]) -> list[str]:
    return [f["name"] for f in manifest.get("files", [])] + ["manifest.json"]


def to_folder(export: Export, manifest: dict[str, Any]) -> Outcome:
    """Copy the package into ``<folder>/<order>-<line>-<export id>/``, atomically, once."""
    base = partner_folder(export.partner)
    base.mkdir(parents=True, exist_ok=True)
    target = base / f"{manifest['order']}-{manifest['line']}-{export.id}"
    if (target / "manifest.json").exists():
        return Outcome("delivered", detail="already in the folder")
    partial = base / f".{export.id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for name in _files(manifest):
        with private_storage().open(f"production/{export.id}/{name}", "rb") as source:
            (partial / name).write_bytes(source.read())
    os.replace(partial, target)  # readers see the whole package or nothing
    return Outcome("delivered")


def to_s3(export: Export, manifest: dict[str, Any]) -> Outcome:
    storage = partner_s3(export.partner)
    folder = f"{manifest['order']}-{manifest['line']}-{export.id}"
    for name in _files(manifest):  # manifest.json last: a package with one is complete
        with private_storage().open(f"production/{export.id}/{name}", "rb") as source:
            storage.save(f"{folder}/{name}", source)
    return Outcome("delivered")


def file_url(export: Export, name: str, base_url: str) -> str:
    token = TimestampSigner(salt="production-file").sign(f"{export.id}|{name}")
    return base_url + reverse("production:file", args=[token])


def to_webhook(export: Export, manifest: dict[str, Any], base_url: str) -> Outcome:
    partner = export.partner
    body_data = dict(manifest)
    body_data["files"] = [
        {**f, "url": file_url(export, f["name"], base_url)} for f in manifest.get("files", [])
    ]
    return post_signed(partner, str(export.id), body_data)


def post_signed(partner: Partner, message_id: str, payload: dict[str, Any]) -> Outcome:
    """POST ``payload`` to the partner's webhook, signed, keyed by ``message_id``."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    try:
        response = requests.post(
            partner.webhook_url,
            data=body,
            headers=signed_headers(partner.secret, message_id, body),
            timeout=settings.CONFIGURATOR_WEBHOOK_TIMEOUT,
        )
    except requests.RequestException as exc:
        return Outcome("retry", None, f"{exc.__class__.__name__}: {exc}")
    return webhook_outcome(response)


def partner_s3(partner: Partner) -> Any:
    """The partner's S3-compatible bucket, as a Django storage."""
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=partner.s3_bucket,
        endpoint_url=partner.s3_endpoint_url or None,
        location=partner.s3_prefix,
        file_overwrite=True,
    )


def deliver(export: Export, manifest: dict[str, Any], base_url: str) -> Outcome:
    kind = export.partner.destination
    if kind == DestinationKind.FOLDER:
        return to_folder(export, manifest)
    if kind == DestinationKind.S3:
        return to_s3(export, manifest)
    return to_webhook(export, manifest, base_url)


def deliver_batch(
    batch: Any, exports: list[Export], manifests: list[dict], base_url: str
) -> Outcome:
    """One zip archive (every package in its folder) and one manifest listing them all."""
    import io
    import zipfile

    from django.core.files.base import ContentFile

    manifest = {
        "format": "production-batch/1",
        "batch_id": str(batch.id),
        "idempotency_key": str(batch.id),
        "partner": batch.partner.code,
        "day": batch.day.isoformat(),
        "packages": manifests,
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for export, package in zip(exports, manifests, strict=True):
            folder = f"{package['order']}-{package['line']}-{export.id}"
            for name in _files(package):
                with private_storage().open(f"production/{export.id}/{name}", "rb") as source:
                    zf.writestr(f"{folder}/{name}", source.read())
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    data = archive.getvalue()
    partner = batch.partner
    if partner.destination == DestinationKind.FOLDER:
        base = partner_folder(partner)
        base.mkdir(parents=True, exist_ok=True)
        target = base / f"batch-{batch.day.isoformat()}-{batch.id}.zip"
        if not target.exists():
            partial = base / f".{batch.id}.partial"
            partial.write_bytes(data)
            os.replace(partial, target)
        return Outcome("delivered")
    name = f"production/batches/{batch.id}.zip"
    if not private_storage().exists(name):
        private_storage().save(name, ContentFile(data))
    if partner.destination == DestinationKind.S3:
        partner_s3(partner).save(f"batch-{batch.day.isoformat()}-{batch.id}.zip", ContentFile(data))
        return Outcome("delivered")
    token = TimestampSigner(salt="production-batch").sign(str(batch.id))
    manifest["archive_url"] = base_url + reverse("production:batch", args=[token])
    return post_signed(partner, str(batch.id), manifest)
