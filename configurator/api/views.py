"""API v1: products, their published option sets, and evaluating a selection."""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document, without_costs
from configurator.configuring.evaluation import selection_evaluate
from configurator.configuring.payloads import evaluation_payload, product_payload
from configurator.configuring.placement import (
    PLACEMENT_KEY,
    placements_json,
    selection_placements,
)
from configurator.configuring.previews import (
    CONTENT_TYPES,
    FORMATS,
    SIZES,
    UnknownView,
    decode_selection,
    draft_preview_image,
    preview_render,
    preview_storage,
    preview_url,
)
from configurator.configuring.selection import (
    ImageResolver,
    selection_check_consistent,
    selection_parse,
)
from configurator.configuring.selectors import (
    draft_engine,
    draft_in_preview,
    published_products,
    published_version_get,
    studio_engine,
)
from configurator.configuring.stock import stock_for
from configurator.designs.errors import UploadCode, UploadRefused
from configurator.designs.models import Upload
from configurator.designs.services import image_resolver, selection_storable
from configurator.designs.shoppers import shopper_from_request
from configurator.engine import EngineError, SelectionError
from configurator.errors import ApplicationError
from configurator.storage import private_read, stored_file_response

from . import contract
from .contract import ANY, BODY, answers, retry_after
from .errors import APIError, error_response_parts
from .memo import evaluations
from .rendering import (
    JSON_OPTIONS,
    JSONOnlyNegotiation,
    ORJSONParser,
    ORJSONRenderer,
    json_default,
    json_too_deep,
)
from .serializers import EvaluateRequestSerializer, evaluate_request

logger = logging.getLogger(__name__)


def _language() -> str:
    return (get_language() or "vi")[:2]


def _version(sku: str, number: int | None = None) -> OptionSetVersion:
    try:
        return published_version_get(sku=sku, number=number)
    except OptionSetVersion.DoesNotExist:
        raise APIError(
            "product.not_found", f"No published product “{sku}”.", "sku", status.HTTP_404_NOT_FOUND
        ) from None


def _draft_engine(draft: OptionSetVersion):
    """A draft's engine as it is now; a draft that does not compile is not found."""
    try:
        return draft_engine(version=draft)
    except EngineError:
        logger.info("api: draft %s does not compile", draft.pk)
        raise APIError(
            "product.not_found", "This draft does not compile.", "sku", status.HTTP_404_NOT_FOUND
        ) from None


def _engine(version: OptionSetVersion):
    """The version's engine; :class:`NotCompiledYet` (503, ``Retry-After``) while compiling."""
    return studio_engine(version=version)


class ProductListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Products a shopper can design",
        operation_id="products_list",
        responses=answers({200: contract.ProductSerializer(many=True)}, *ANY),
    )
    def get(self, request: Request) -> Response:
        language = _language()
        return Response([product_payload(p, language) for p in published_products()])


class ProductDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A product and its published option set (option-set/1)",
        responses=answers({200: contract.ProductDetailSerializer}, *ANY, 404),
    )
    def get(self, request: Request, sku: str) -> Response:
        version = _version(sku)
        return Response(
            {
                **product_payload(version.product, _language()),
                "version": version.number,
                "option_set": without_costs(option_set_document(version=version)),
            }
        )


class EvaluateView(APIView):
    """Valid values, reasons, repairs, price and (optionally) completion of a selection."""

    permission_classes = [AllowAny]
    throttle_scope = "evaluate"
    # Called on every choice: JSON only, no browsable page to negotiate for.
    renderer_classes = [ORJSONRenderer]
    parser_classes = [ORJSONParser]
    content_negotiation_class = JSONOnlyNegotiation

    @extend_schema(
        summary="Evaluate a selection",
        request={"application/json": EvaluateRequestSerializer},
        responses=answers(
            {
                200: OpenApiResponse(
                    contract.EvaluationSerializer, "The studio state for the selection"
                )
            },
            *BODY,
            404,
            409,
            410,
            429,
            503,
        ),
        parameters=retry_after(429, 503),
    )
    def post(self, request: Request, sku: str) -> Response:
        draft = draft_in_preview(user=request.user, session=request.session, sku=sku)
        if draft is not None:  # staff trying a draft in the studio ("Xem thử")
            engine = _draft_engine(draft)
            data = evaluate_request(request.data)
            return Response(self._evaluate(data, draft, engine, _lazy_resolver(request)))
        return Response(self.answer(request.data, sku, _lazy_resolver(request)))

    @staticmethod
    def answer(raw: Any, sku: str, resolve_image: ImageResolver | None) -> dict[str, Any]:
        """The evaluation of request body ``raw``; raises :class:`ApplicationError`."""
        data = evaluate_request(raw)
        version = _version(sku, data.get("version"))
        return EvaluateView._evaluate(data, version, _engine(version), resolve_image)

    @staticmethod
    def _evaluate(
        data: dict[str, Any],
        version: OptionSetVersion,
        engine: Any,
        resolve_image: ImageResolver | None,
    ) -> dict[str, Any]:
        if not any(_is_image(engine, code) for code in data["selection"]):
            return orjson.loads(EvaluateView._body(data, version, engine))
        return EvaluateView._payload(data, version, engine, resolve_image, _language())

    @staticmethod
    def _body(data: dict[str, Any], version: OptionSetVersion, engine: Any) -> bytes:
        """The JSON answer to a request naming no upload, kept per engine as bytes (one
        object each: thousands of small ones, renewed at every new request, made the
        garbage collector's passes a tenth of a new answer)."""
        language = _language()
        # The answer holds the delivery estimate: kept for the day and the stock it was for.
        stock = stock_for(product_id=version.product_id)
        memo_key = evaluations.key(
            language, {**data, "_stock": [stock.token, timezone.localdate().isoformat()]}
        )
        body = evaluations.get(engine, memo_key)
        if body is None:
            payload = EvaluateView._payload(data, version, engine, None, language)
            body = orjson.dumps(payload, default=json_default, option=JSON_OPTIONS)
            evaluations.put(engine, memo_key, body)
        return body

    @staticmethod
    def _payload(
        data: dict[str, Any],
        version: OptionSetVersion,
        engine: Any,
        resolve_image: ImageResolver | None,
        language: str,
    ) -> dict[str, Any]:
        selection = selection_parse(
            engine=engine,
            raw=data["selection"],
            resolve_image=resolve_image,
            language=language,
            check_consistent=False,
        )
        # One sweep of the diagram answers whether the choices hold together and what the
        # studio shows; the refusal (409) is worked out only when they do not.
        units = engine.units(selection)
        answers = engine.answers(selection, units=units)
        selection_check_consistent(engine, selection, language, known=answers.consistent)
        for i, (group, value) in enumerate(data["explain"]):
            spec = engine.groups.get(group)
            if spec is None or (spec.has_values and spec.value(value) is None):
                raise APIError("engine.V002", f"Unknown value “{group}.{value}”.", f"explain.{i}")
        evaluation = selection_evaluate(
            engine=engine,
            selection=selection,
            language=language,
            explain=[tuple(pair) for pair in data["explain"]],
            units=units,
            answers=answers,
            placements=selection_placements(engine, data["selection"], selection),
        )
        payload = evaluation_payload(evaluation, version, language, engine=engine)
        payload["preview_url"] = preview_url(version, engine, dict(data["selection"]))
        if data["complete"]:
            try:
                completion = engine.complete(selection)
            except SelectionError:  # pragma: no cover - selection_parse refused it already
                payload["completion"] = None
            else:
                # A selection the shopper can send back: pictures as the upload ids they sent.
                payload["completion"] = selection_storable(engine, completion, data["selection"])
        return payload

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        """DRF's view, with a lean path in front for the studio's own requests.

        The studio evaluates on every choice and keystroke, and DRF's request wrapping,
        negotiation and response rendering cost about as much as a cached answer. An
        anonymous JSON request without an upload (nearly all of them) is answered here:
        same throttle, same answer, same errors. Anything else (a signed-in shopper, whose
        session DRF checks for CSRF; another authentication; another content type; an
        upload; a body that is not JSON) goes through DRF unchanged.
        """
        full = super().as_view(**initkwargs)

        @functools.wraps(full)  # keeps csrf_exempt, and cls for the schema
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            start = time.perf_counter()
            response = cls._lean(request, kwargs["sku"])
            if response is None:
                return full(request, *args, **kwargs)
            # The view's share of the answer, for the browser's Performance API (the studio's
            # end-to-end benchmark reads it): a duration, nothing about the shopper.
            response["Server-Timing"] = f"evaluate;dur={(time.perf_counter() - start) * 1000:.2f}"
            return response

        return view

    @classmethod
    def _lean(cls, request: HttpRequest, sku: str) -> HttpResponse | None:
        if (
            request.method != "POST"
            or request.content_type != "application/json"
            or "HTTP_AUTHORIZATION" in request.META
            or _signed_in(request)
        ):
            return None
        try:
            raw = orjson.loads(request.body)
        except (orjson.JSONDecodeError, RequestDataTooBig):
            return None  # DRF's path answers the error in JSON, after the throttle
        if json_too_deep(raw):
            return None
        # Read the request once. Uploads go to DRF's path (it checks their owner) before
        # anything is counted; everything else is throttled before it is answered.
        try:
            data = evaluate_request(raw)
            version = _version(sku, data.get("version"))
            engine = _engine(version)
        except ApplicationError as error:
            if not cls._allowed(request):
                return None  # DRF's path answers 429 with the wait
            return _error_response(error)
        if any(_is_image(engine, code) for code in data["selection"]):
            return None
        if not cls._allowed(request):
            return None
        try:
            return _body_response(cls._body(data, version, engine), 200)
        except ApplicationError as error:
            return _error_response(error)

    @classmethod
    def _allowed(cls, request: HttpRequest) -> bool:
        view = cls()
        throttles = view.get_throttles()  # they read only .user and .META: a Django request does
        # Without a session cookie nobody is signed in: the throttle is told so, and the
        # session is not loaded to find it out.
        asked = request if settings.SESSION_COOKIE_NAME in request.COOKIES else _Anonymous(request)
        return all(throttle.allow_request(asked, view) for throttle in throttles)  # type: ignore[arg-type]


class _Anonymous:
    """What a throttle reads of a request that no signed-in user made."""

    user = AnonymousUser()

    def __init__(self, request: HttpRequest) -> None:
        self.META = request.META


def _error_response(error: ApplicationError) -> HttpResponse:
    """The answer DRF's exception handler would give to ``error``."""
    body, status_code, headers = error_response_parts(error)
    response = _json_response(body, status_code)
    for name, value in headers.items():
        response[name] = value
    return response


def _json_response(body: Any, status_code: int) -> HttpResponse:
    """What DRF's path sends for ``body`` (same bytes, same ``Allow`` and ``Vary``)."""
    encoded = orjson.dumps(body, default=json_default, option=JSON_OPTIONS)
    return _body_response(encoded, status_code)


def _body_response(body: bytes, status_code: int) -> HttpResponse:
    """:func:`_json_response` of a body already in JSON."""
    response = HttpResponse(body, content_type="application/json", status=status_code)
    response["Allow"] = "POST, OPTIONS"
    # As DRF's path says it (its authentication reads the session, which adds Cookie).
    response["Vary"] = "Accept, Cookie"
    return response


def _signed_in(request: HttpRequest) -> bool:
    """Whether a user is signed in; without a session cookie, nobody is, and the session
    is not loaded (it was a tenth of a new evaluate answer's time outside the engine)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _is_image(engine: Any, code: str) -> bool:
    spec = engine.groups.get(code)
    return spec is not None and spec.kind == "image"


def _lazy_resolver(request: Request):
    """An image resolver that looks the shopper up (and opens a session) only when needed."""

    def resolve(group: str, reference: str):
        return image_resolver(shopper_from_request(request))(group, reference)

    return resolve


class PreviewView(APIView):
    """The live preview image of a selection; stored once per version and selection."""

    permission_classes = [AllowAny]
    throttle_scope = "render"

    @extend_schema(
        summary="Preview image of a selection",
        description="The image itself from a local folder; from object storage a 302 to its "
        "public URL (a signed, short-lived URL when it shows a shopper's picture).",
        parameters=[
            OpenApiParameter("s", str, description="The selection, base64url JSON"),
            OpenApiParameter(
                "v", str, description="The view's code (front, back, …); none: the first view"
            ),
            OpenApiParameter(
                "Location",
                str,
                OpenApiParameter.HEADER,
                response=[302],
                description="The stored image's URL",
            ),
            *retry_after(429, 503),
        ],
        responses=contract.preview_answers(),
    )
    def get(self, request: Request, sku: str, number: int, size: int, fmt: str) -> Any:
        """Render (once) and serve; a stored public preview is served by
        :class:`~configurator.api.middleware.CachedPreviewMiddleware` before this view."""
        if size not in SIZES or fmt not in FORMATS:
            raise APIError(
                "preview.size", f"Sizes: {list(SIZES)}; formats: {sorted(FORMATS)}.", "size"
            )
        view = request.query_params.get("v", "")
        if len(view) > 64:
            raise APIError("preview.view", "Unknown view.", "v")
        draft = draft_in_preview(user=request.user, session=request.session, sku=sku)
        if draft is not None and draft.number == number:  # "Xem thử": as the draft is now
            engine = _draft_engine(draft)
            selection, uploads = self._read(request, engine)
            try:
                image = draft_preview_image(
                    version=draft,
                    document=engine.presentation,
                    selection=selection,
                    size=size,
                    fmt=fmt,
                    uploads=uploads,
                    view=view,
                )
            except UnknownView:
                logger.info("preview: draft %s has no view %r", draft.pk, view)
                raise APIError("preview.view", "Unknown view.", "v") from None
            drawn = HttpResponse(image, content_type=CONTENT_TYPES[fmt])
            drawn["Cache-Control"] = "no-store"
            return drawn
        version = _version(sku, number)
        engine = _engine(version)
        selection, uploads = self._read(request, engine)
        try:
            name = preview_render(
                version=version,
                document=engine.presentation,
                selection=selection,
                size=size,
                fmt=fmt,
                uploads=uploads,
                view=view,
            )
        except UnknownView:
            logger.info("preview: version %s has no view %r", version.pk, view)
            raise APIError("preview.view", "Unknown view.", "v") from None
        # The URL names the version and the selection: its picture never changes.
        privacy = "private" if uploads else "public"
        return stored_file_response(
            preview_storage(private=bool(uploads)),
            name,
            private=bool(uploads),
            content_type=CONTENT_TYPES[fmt],
            cache_control=f"{privacy}, max-age=31536000, immutable",
        )

    @staticmethod
    def _read(request: Request, engine: Any) -> tuple[dict[str, Any], dict[str, bytes]]:
        """The selection of the URL's ``s`` as the engine reads it, and the pictures it names
        (this shopper's own uploads only)."""
        try:
            raw = decode_selection(request.query_params.get("s", "") or "e30")
        except (ValueError, UnicodeDecodeError):
            raise APIError("preview.selection", "Unreadable selection.", "s") from None
        # The shopper is looked up only for a picture: a preview without one is the same for
        # everyone and opens no session (no cookie on a response a CDN may keep).
        parsed = selection_parse(
            engine=engine, raw=raw, resolve_image=_lazy_resolver(request), language=_language()
        )
        uploads: dict[str, bytes] = {}
        for code, value in raw.items():
            if code in parsed and engine.groups[code].kind == "image" and value:
                upload = Upload.objects.get(pk=value)
                data = private_read(upload.file.name)
                if data is None:  # the file is gone: say so, never draw without it
                    raise UploadRefused(
                        UploadCode.MISSING,
                        gettext("This picture is no longer available; please upload it again."),
                        f"selection.{code}",
                    )
                uploads[code] = data
        selection = {k: v for k, v in raw.items() if k in parsed}
        placements = selection_placements(engine, raw, parsed)
        if placements:  # as kept: one picture for each look
            selection[PLACEMENT_KEY] = placements_json(placements)
        return selection, uploads
