"""Shared OpenAPI annotations for the hand-built JSON views."""

from drf_spectacular.types import OpenApiTypes

# Responses are plain JSON objects built in payloads.py; errors are {"code","detail","field"}.
JSON = {200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT, 204: None}
