"""API v1: purchase events from a store till or an ERP (docs/purchase-events-format.md).

``POST /api/v1/purchase-events/`` takes the CSV format as the body (``text/csv``, gzip
accepted) or the same columns as JSON objects (``{"events": [{column: value}, ...]}``). A
request is all or nothing: one bad line and nothing of the request is written, so a till
fixes and resends the whole batch; resending lines already stored adds nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from configurator.personalization.events import (
    BadFile,
    BadLine,
    EventLimits,
    EventLine,
    events_text,
    read_events,
    read_rows,
)
from configurator.personalization.imports import EventsRefused, purchase_events_import_items

from .authentication import SessionAuthentication, TokenAuthentication
from .contract import BODY, ErrorSerializer, answers
from .errors import APIError
from .rendering import ORJSONParser

IMPORT_PERMISSION = "personalization.add_purchaseevent"
MAX_JSON_EVENTS = 100_000


class CSVParser(BaseParser):
    """``{"csv": the body's bytes}`` for a ``text/csv`` body, up to Django's size limit."""

    media_type = "text/csv"

    def parse(
        self, stream: Any, media_type: Any = None, parser_context: Any = None
    ) -> dict[str, bytes]:
        if stream is None:
            return {"csv": b""}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(data) > limit:
            raise ParseError(f"The body is larger than {limit} bytes; send smaller batches.")
        return {"csv": data}


class CanImportPurchaseEvents(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(IMPORT_PERMISSION))


class PurchaseEventsSerializer(serializers.Serializer):
    events = serializers.ListField(
        child=serializers.DictField(
            child=serializers.CharField(allow_blank=True, allow_null=True, trim_whitespace=False)
        ),
        max_length=MAX_JSON_EVENTS,
        help_text="One object per purchase line: the columns of the CSV format "
        "(customer, timestamp, order, product; optional channel, sku, quantity, price, "
        "currency, option:<group>).",
    )


class ImportCountsSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Lines stored by this request.")
    duplicates = serializers.IntegerField(
        help_text="Lines already stored (or repeated within the request): nothing added."
    )


CSV_EXAMPLE = (
    "customer,timestamp,order,channel,product,sku,quantity,option:color\n"
    "lan@example.vn,2026-03-01T10:00:00Z,R-1001,store,TOTE-01,T1,1,navy\n"
)


def _csv_items(data: bytes) -> tuple[Iterable[EventLine | BadLine], Callable[[int], str]]:
    limits = EventLimits(
        inflated_bytes=settings.CONFIGURATOR_EVENTS_API_MAX_INFLATED_BYTES,
        lines=settings.CONFIGURATOR_EVENTS_API_MAX_LINES,
    )
    return read_events(events_text(io.BytesIO(data), limits)), lambda n: f"line {n}"


def _json_items(data: Any) -> tuple[Iterable[EventLine | BadLine], Callable[[int], str]]:
    serializer = PurchaseEventsSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    rows: list[dict[str, str | None]] = serializer.validated_data["events"]
    fields = list(dict.fromkeys(name for row in rows for name in row))
    return read_rows(enumerate(rows), fields), lambda n: f"events.{n}"


class PurchaseEventsView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CanImportPurchaseEvents]
    parser_classes = [CSVParser, ORJSONParser]

    @extend_schema(
        summary="Send purchase events from a till or an ERP (all or nothing; resends add nothing)",
        description=(
            "The purchase-events CSV format as a `text/csv` body (UTF-8, header row; gzip "
            "accepted), or its columns as JSON objects. Needs a user with the "
            "`personalization.add_purchaseevent` permission (`Authorization: Token …`, or a "
            "session). One bad line and nothing of the request is written: the 400 answer "
            "lists every bad line under `errors` (`field` is `line N` of the CSV, or "
            "`events.N` of the JSON list, counted from 0). Lines already stored are counted "
            "as `duplicates` and added once only: 201 when something was added, 200 when "
            "nothing was new. A body larger than "
            "`CONFIGURATOR_EVENTS_API_MAX_INFLATED_BYTES` once gunzipped (events.E008, field "
            "`body`) or longer than `CONFIGURATOR_EVENTS_API_MAX_LINES` lines (events.E009) "
            "is refused whole; the first 1000 bad lines are listed, the message counts them "
            "all."
        ),
        request={
            "text/csv": OpenApiTypes.STR,
            "application/json": PurchaseEventsSerializer,
        },
        responses={
            **answers({201: ImportCountsSerializer, 200: ImportCountsSerializer}, *BODY),
            400: OpenApiResponse(
                ErrorSerializer,
                description="Bad lines (every one under `errors`; nothing written), a file "
                "without the required columns (events.E004), unreadable (events.E005), too "
                "large once inflated (events.E008) or with too many lines (events.E009)",
            ),
            401: OpenApiResponse(ErrorSerializer, description="No or a wrong token"),
            403: OpenApiResponse(
                ErrorSerializer, description="Missing permission, or a session without CSRF"
            ),
        },
        examples=[
            OpenApiExample("CSV", value=CSV_EXAMPLE, media_type="text/csv", request_only=True)
        ],
    )
    def post(self, request: Request) -> Response:
        csv_body = request.content_type.startswith(CSVParser.media_type)
        if csv_body:
            data = request.data  # {} when the body is empty
            items, where = _csv_items(data.get("csv", b"") if isinstance(data, dict) else b"")
        else:
            items, where = _json_items(request.data)
        try:
            result = purchase_events_import_items(items=items, strict=True)
        except BadFile as error:
            raise APIError(error.code, error.message, _file_field(error, csv_body)) from None
        except EventsRefused as refused:
            raise _refusal(refused.bad, refused.count, where) from None
        return Response(
            {"added": result.created, "duplicates": result.duplicates},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


def _file_field(error: BadFile, csv_body: bool) -> str | None:
    """Where a refused file went wrong: its header, its line past the limit, or the body."""
    if error.code == "events.E004" and csv_body:
        return "line 1"
    if error.code == "events.E009":
        return f"line {settings.CONFIGURATOR_EVENTS_API_MAX_LINES + 1}"
    if error.code == "events.E008":
        return "body"
    return None


def _refusal(bad: list[BadLine], total: int, where: Callable[[int], str]) -> APIError:
    errors = [{"code": b.code, "detail": b.message, "field": where(b.line)} for b in bad]
    first = errors[0]
    count = "1 bad line" if total == 1 else f"{total} bad lines"
    return APIError(
        first["code"],
        f"{first['field']}: {first['detail']} ({count}; nothing was written).",
        first["field"],
        errors=errors,
    )
