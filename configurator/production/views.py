"""Partner-facing endpoints: signed file downloads and status callbacks."""

from __future__ import annotations

import json
import logging
import uuid

from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from configurator.storage import private_locate, stored_file_response

from .models import Export, Partner
from .services import PARTNER_STATUSES, export_acknowledge
from .signing import verify

logger = logging.getLogger(__name__)

FILE_LINK_DAYS = 30


@require_GET
def package_file(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        value = TimestampSigner(salt="production-file").unsign(
            token, max_age=FILE_LINK_DAYS * 86400
        )
    except (BadSignature, SignatureExpired) as error:
        logger.warning("partner file link refused: %s", error.__class__.__name__)
        return JsonResponse({"code": "production.bad_link", "detail": "Invalid link."}, status=403)
    export_id, _, name = value.partition("|")
    path = f"production/{export_id}/{name}"
    storage = None if "/" in name else private_locate(path)
    if storage is None:
        return JsonResponse({"code": "production.not_found", "detail": "No such file."}, status=404)
    return stored_file_response(storage, path, private=True, attachment=name)


@csrf_exempt
@require_POST
def partner_callback(request: HttpRequest, partner_code: str) -> HttpResponse:
    partner = Partner.objects.filter(code=partner_code, is_active=True).first()
    headers = {key.lower(): value for key, value in request.headers.items()}
    if partner is None or not partner.secret or not verify(partner.secret, headers, request.body):
        logger.warning("partner callback for %r: signature does not verify", partner_code)
        return JsonResponse(
            {"code": "production.bad_signature", "detail": "Signature does not verify."},
            status=401,
        )
    try:
        body = json.loads(request.body)
        export_id, status = str(body["export_id"]), str(body["status"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        logger.warning("partner callback from %s: unreadable body", partner.code)
        return JsonResponse(
            {"code": "production.bad_body", "detail": "Send export_id and status."}, status=400
        )
    if status not in PARTNER_STATUSES:
        return JsonResponse(
            {"code": "production.bad_status", "detail": f"Unknown status “{status}”."},
            status=400,
        )
    try:
        export_id = str(uuid.UUID(export_id))
    except ValueError:
        return JsonResponse(
            {
                "code": "production.bad_export_id",
                "detail": "export_id must be the export's UUID.",
                "field": "export_id",
            },
            status=400,
        )
    try:
        export = export_acknowledge(
            partner=partner,
            export_id=export_id,
            status=status,
            message_id=headers["webhook-id"],
        )
    except Export.DoesNotExist:
        logger.warning("partner callback from %s: no export %s of theirs", partner.code, export_id)
        return JsonResponse(
            {"code": "production.not_found", "detail": "No such export for you."}, status=404
        )
    return JsonResponse({"export_id": str(export.id), "status": export.status})


@require_GET
def batch_archive(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        batch_id = TimestampSigner(salt="production-batch").unsign(
            token, max_age=FILE_LINK_DAYS * 86400
        )
    except (BadSignature, SignatureExpired) as error:
        logger.warning("partner file link refused: %s", error.__class__.__name__)
        return JsonResponse({"code": "production.bad_link", "detail": "Invalid link."}, status=403)
    path = f"production/batches/{batch_id}.zip"
    storage = private_locate(path)
    if storage is None:
        return JsonResponse({"code": "production.not_found", "detail": "No such file."}, status=404)
    return stored_file_response(storage, path, private=True, attachment=f"{batch_id}.zip")
