"""JSON in and out through orjson: the same documents as DRF's JSON classes, faster.

The studio evaluates on every choice and each answer is a few kilobytes of JSON; orjson
(a maintained Rust extension) encodes and decodes it several times faster than the
standard library. Types orjson does not know natively (Decimal, lazy translations,
datetimes, dataclasses) go through DRF's own encoder, so every document reads as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .errors import APIError

JSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)
json_default = JSONEncoder().default
# Deeper than any document of the API (an evaluate request is 4 levels). Python code that
# walks a document recurses, and a body of 1,000 nested lists would end as a 500.
MAX_JSON_DEPTH = 32


def json_too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` (parsed JSON) nests lists and objects more than ``limit`` deep."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def too_deep_error() -> APIError:
    return APIError(
        "request.too_deep",
        _("The JSON body nests lists and objects more than %(limit)s levels deep.")
        % {"limit": MAX_JSON_DEPTH},
    )


class ORJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=json_default, option=JSON_OPTIONS)


class ORJSONParser(JSONParser):
    renderer_class = ORJSONRenderer

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            raw = stream.read() if stream is not None else b""
            if encoding.lower().replace("-", "") != "utf8":
                raw = raw.decode(encoding).encode()
            data = orjson.loads(raw)
        except (orjson.JSONDecodeError, UnicodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if json_too_deep(data):
            raise too_deep_error()
        return data


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """For views that answer JSON only: the first renderer, whatever ``Accept`` says (as in
    DRF's own example of a custom negotiation), without parsing the header. Parsers are
    chosen by the body's content type, as usual."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)
