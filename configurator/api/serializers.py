"""Request shapes of the API (responses are built in :mod:`.payloads`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .errors import APIError


@extend_schema_serializer(component_name="Evaluate")  # the schema's EvaluateRequest
class EvaluateRequestSerializer(serializers.Serializer):
    selection = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        default=dict,
        help_text="Group code to value code (choice), list of codes (multi), text, or an "
        "upload id (image); in the order the shopper chose. ``@placement``: group code to "
        "{x, y, scale, rotation}, where a picture or text sits in its print area (x and y its "
        "centre as fractions of the area, scale 0.1 to 1 of the size that fits, rotation "
        "-180 to 180 degrees clockwise); it must stay inside the area (placement.E001 to "
        "E005).",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Defaults to the latest published version."
    )
    explain = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        default=list,
        help_text=(
            "[group, value] pairs to explain; every unavailable value is explained anyway "
            "(those beyond a step's display limit too), so the field is only kept for clients."
        ),
    )
    complete = serializers.BooleanField(
        default=False, help_text="Also return the best valid completion of the selection."
    )


_TRUE = {True, "1", "true", "True", "TRUE", "yes", "on"}
_FALSE = {False, "0", "false", "False", "FALSE", "no", "off"}


def evaluate_request(data: Any) -> dict[str, Any]:
    """The evaluate request checked as :class:`EvaluateRequestSerializer` documents it.

    The studio calls evaluate on every choice: checking this small shape by hand costs a
    few microseconds where instantiating the serializer (it deep-copies its fields) costs a
    third of a millisecond. Errors are the serializer's: same codes, same field paths.
    """
    if not isinstance(data, Mapping):
        raise APIError(
            "request.invalid", f"Invalid data. Expected a dictionary, but got {_kind(data)}."
        )
    for name in ("selection", "version", "explain", "complete"):
        if name in data and data[name] is None:
            raise APIError("request.null", "This field may not be null.", name)
    selection = data.get("selection", {})
    if not isinstance(selection, Mapping):
        raise APIError(
            "request.not_a_dict",
            f'Expected a dictionary of items but got type "{_kind(selection)}".',
            "selection",
        )
    out: dict[str, Any] = {"selection": {str(k): v for k, v in selection.items()}}
    if "version" in data:
        version = data["version"]
        if isinstance(version, float) and version.is_integer():
            version = int(version)
        if isinstance(version, bool) or not isinstance(version, int | str):
            raise APIError("request.invalid", "A valid integer is required.", "version")
        try:
            version = int(version)
        except ValueError:
            raise APIError("request.invalid", "A valid integer is required.", "version") from None
        if version < 1:
            raise APIError(
                "request.min_value", "Ensure this value is greater than or equal to 1.", "version"
            )
        out["version"] = version
    explain = data.get("explain", [])
    if not isinstance(explain, list):
        raise APIError(
            "request.not_a_list",
            f'Expected a list of items but got type "{_kind(explain)}".',
            "explain",
        )
    pairs = []
    for i, pair in enumerate(explain):
        if not isinstance(pair, list):
            raise APIError(
                "request.not_a_list",
                f'Expected a list of items but got type "{_kind(pair)}".',
                f"explain.{i}",
            )
        if len(pair) < 2:
            message = "Ensure this field has at least 2 elements."
            raise APIError("request.min_length", message, f"explain.{i}")
        if len(pair) > 2:
            message = "Ensure this field has no more than 2 elements."
            raise APIError("request.max_length", message, f"explain.{i}")
        for j, item in enumerate(pair):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise APIError("request.invalid", "Not a valid string.", f"explain.{i}.{j}")
        pairs.append([str(pair[0]).strip(), str(pair[1]).strip()])
    out["explain"] = pairs
    complete = data.get("complete", False)
    if isinstance(complete, list | dict) or complete not in _TRUE | _FALSE:
        raise APIError("request.invalid", "Must be a valid boolean.", "complete")
    out["complete"] = complete in _TRUE
    return out


def _kind(value: Any) -> str:
    return type(value).__name__
