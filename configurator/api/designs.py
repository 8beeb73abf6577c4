"""API v1: uploads and designs (create, read, update, share)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import OptionSetVersion
from configurator.designs.models import Design
from configurator.designs.services import (
    design_reopen_shared,
    design_save,
    design_share,
    upload_create,
)
from configurator.designs.shoppers import shopper_from_request

from . import contract
from .contract import ANY, BODY, UNSAFE, answers, retry_after
from .errors import APIError
from .rendering import ORJSONParser
from .views import _engine, _language, _version


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class UploadView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]
    throttle_scope = "upload"

    @extend_schema(
        summary="Upload a picture (PNG, JPEG or WebP)",
        request={"multipart/form-data": UploadSerializer},
        responses=answers({201: contract.UploadAnswerSerializer}, *BODY, 429, 503),
        parameters=retry_after(429, 503),
    )
    def post(self, request: Request) -> Response:
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data["file"].read()
        upload = upload_create(shopper=shopper_from_request(request), data=data)
        return Response(
            {
                "id": str(upload.id),
                "format": upload.format,
                "width": upload.width,
                "height": upload.height,
                "bytes": upload.bytes,
            },
            status=status.HTTP_201_CREATED,
        )


class DesignWriteSerializer(serializers.Serializer):
    product = serializers.CharField(help_text="Product SKU")
    version = serializers.IntegerField(required=False, min_value=1)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    selection = serializers.DictField(child=serializers.JSONField(allow_null=True), default=dict)


def design_payload(request: Request, design: Design) -> dict[str, Any]:
    share_url = (
        request.build_absolute_uri(reverse("api:shared-design", args=[design.share_token]))
        if design.share_token
        else None
    )
    return {
        "id": str(design.id),
        "product": design.product.sku,
        "version": design.version.number,
        "name": design.name,
        "selection": design.selection,
        "share_url": share_url,
        "created_at": design.created_at.isoformat(),
        "updated_at": design.updated_at.isoformat(),
    }


def _save(request: Request, design: Design | None) -> Design:
    serializer = DesignWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    version: OptionSetVersion = _version(data["product"], data.get("version"))
    return design_save(
        shopper=shopper_from_request(request),
        version=version,
        engine=_engine(version),
        selection=data["selection"],
        name=data["name"],
        language=_language(),
        design=design,
    )


def _mine(request: Request, design_id: str) -> Design:
    shopper = shopper_from_request(request)
    key = _uuid_or_none(design_id)
    design = (
        Design.objects.select_related("product", "version").filter(shopper.owns(), pk=key).first()
        if key
        else None
    )
    if design is None:  # someone else's design is not found either: no probing
        raise APIError("design.not_found", "No such design of yours.", "id", 404)
    return design


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


class DesignListView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="My designs",
        operation_id="designs_list",
        responses=answers({200: contract.DesignSerializer(many=True)}, *ANY),
    )
    def get(self, request: Request) -> Response:
        shopper = shopper_from_request(request)
        designs = Design.objects.select_related("product", "version").filter(shopper.owns())
        return Response([design_payload(request, d) for d in designs])

    @extend_schema(
        summary="Save a design",
        request=DesignWriteSerializer,
        responses=answers({201: contract.DesignSerializer}, *BODY, 404, 409, 503),
        parameters=retry_after(503),
    )
    def post(self, request: Request) -> Response:
        design = _save(request, None)
        return Response(design_payload(request, design), status=status.HTTP_201_CREATED)


class DesignDetailView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="One of my designs",
        responses=answers({200: contract.DesignSerializer}, *ANY, 404),
    )
    def get(self, request: Request, design_id: str) -> Response:
        return Response(design_payload(request, _mine(request, design_id)))

    @extend_schema(
        summary="Update one of my designs",
        request=DesignWriteSerializer,
        responses=answers({200: contract.DesignSerializer}, *BODY, 404, 409, 503),
        parameters=retry_after(503),
    )
    def put(self, request: Request, design_id: str) -> Response:
        design = _save(request, _mine(request, design_id))
        return Response(design_payload(request, design))

    @extend_schema(
        summary="Delete one of my designs",
        responses=answers({204: None}, *UNSAFE, 404),
    )
    def delete(self, request: Request, design_id: str) -> Response:
        _mine(request, design_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class DesignShareView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="Share one of my designs (read-only link)",
        request=None,
        responses=answers({200: contract.DesignSerializer}, *UNSAFE, 404),
    )
    def post(self, request: Request, design_id: str) -> Response:
        design = _mine(request, design_id)
        design_share(design=design)
        return Response(design_payload(request, design))


class SharedDesignView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A shared design, read-only, reopened on the current version",
        responses=answers({200: contract.SharedDesignSerializer}, *ANY, 404, 503),
        parameters=retry_after(503),
    )
    def get(self, request: Request, token: str) -> Response:
        design = (
            Design.objects.select_related("product", "version").filter(share_token=token).first()
        )
        if design is None:
            raise APIError("design.not_found", "No such shared design.", "token", 404)
        current = _version(design.product.sku)
        shared = design_reopen_shared(
            design=design, saved=_engine(design.version), engine=_engine(current)
        )
        payload = design_payload(request, design)
        payload.pop("share_url")
        payload["selection"] = shared.selection
        payload["current"] = {
            "version": current.number,
            "selection": shared.current,
            "dropped": [
                {"group": d.group, "value": d.value, "reason": d.reason} for d in shared.dropped
            ],
        }
        return Response(payload)
