"""API v1: products, their published option sets, and evaluating a selection."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document
from configurator.compilation.selectors import NotCompiledYet
from configurator.engine import SelectionError
from configurator.studio.evaluation import selection_evaluate
from configurator.studio.selection import SelectionProblem, selection_parse
from configurator.studio.selectors import (
    published_products,
    published_version_get,
    studio_engine,
)

from .errors import APIError
from .payloads import evaluation_payload, product_payload
from .schema import JSON
from .serializers import EvaluateRequestSerializer


def _language() -> str:
    return (get_language() or "vi")[:2]


def _version(sku: str, number: int | None = None) -> OptionSetVersion:
    try:
        return published_version_get(sku=sku, number=number)
    except OptionSetVersion.DoesNotExist:
        raise APIError(
            "product.not_found", f"No published product “{sku}”.", "sku", status.HTTP_404_NOT_FOUND
        ) from None


def _engine(version: OptionSetVersion):
    try:
        return studio_engine(version=version)
    except NotCompiledYet:
        raise APIError(
            "product.compiling",
            "This product is being prepared; try again in a moment.",
            None,
            status.HTTP_503_SERVICE_UNAVAILABLE,
        ) from None


class ProductListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Products a shopper can design",
        operation_id="products_list",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        language = _language()
        return Response([product_payload(p, language) for p in published_products()])


class ProductDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A product and its published option set (option-set/1)",
        responses=JSON,
    )
    def get(self, request: Request, sku: str) -> Response:
        version = _version(sku)
        return Response(
            {
                **product_payload(version.product, _language()),
                "version": version.number,
                "option_set": option_set_document(version=version),
            }
        )


class EvaluateView(APIView):
    """Valid values, reasons, repairs, price and (optionally) completion of a selection."""

    permission_classes = [AllowAny]
    throttle_scope = "evaluate"

    @extend_schema(
        summary="Evaluate a selection",
        request=EvaluateRequestSerializer,
        responses={
            200: OpenApiResponse(description="The studio state for the selection"),
            400: OpenApiResponse(description="Unknown group or value, wrong shape, text limits"),
            404: OpenApiResponse(description="No such published product or version"),
            409: OpenApiResponse(description="Choices that cannot be combined"),
        },
    )
    def post(self, request: Request, sku: str) -> Response:
        serializer = EvaluateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        version = _version(sku, data.get("version"))
        engine = _engine(version)
        language = _language()
        try:
            selection = selection_parse(engine=engine, raw=data["selection"], language=language)
        except SelectionProblem as problem:
            raise APIError(problem.code, problem.detail, problem.field, problem.status) from None
        for i, (group, value) in enumerate(data["explain"]):
            spec = engine.groups.get(group)
            if spec is None or (spec.has_values and spec.value(value) is None):
                raise APIError("engine.V002", f"Unknown value “{group}.{value}”.", f"explain.{i}")
        evaluation = selection_evaluate(
            engine=engine,
            selection=selection,
            language=language,
            explain=[tuple(pair) for pair in data["explain"]],
        )
        payload = evaluation_payload(evaluation, version, language)
        if data["complete"]:
            try:
                payload["completion"] = engine.complete(selection)
            except SelectionError:  # pragma: no cover - selection_parse refused it already
                payload["completion"] = None
        return Response(payload)
