"""The evaluate request is checked by hand for speed; it must agree with its serializer."""

from __future__ import annotations

import pytest

from configurator.api.errors import APIError, _first_field_error
from configurator.api.serializers import EvaluateRequestSerializer, evaluate_request

CASES = [
    {},
    [],
    "text",
    {"selection": {"color": "navy", "text": "Ánh", "extras": ["a", "b"]}},
    {"selection": []},
    {"selection": None},
    {"version": 0},
    {"version": "x"},
    {"version": "3"},
    {"version": 2.0},
    {"version": 2.5},
    {"version": True},
    {"version": None},
    {"explain": "x"},
    {"explain": [["color", "navy"], ["size", 42]]},
    {"explain": [["a"]]},
    {"explain": [["a", "b", "c"]]},
    {"explain": [[1, {}]]},
    {"explain": ["a", "b"]},
    {"explain": [[" a ", "b "]]},
    {"explain": None},
    {"complete": "maybe"},
    {"complete": "true"},
    {"complete": 0},
    {"complete": None},
    {"complete": []},
    {"selection": {"a": 1}, "unknown": 1},
]


def through_serializer(data):
    serializer = EvaluateRequestSerializer(data=data)
    if serializer.is_valid():
        return ("ok", dict(serializer.validated_data))
    field, message, code = _first_field_error(serializer.errors)
    return ("error", f"request.{code}", message, field or None)


def by_hand(data):
    try:
        return ("ok", evaluate_request(data))
    except APIError as error:
        return ("error", error.code, str(error.detail), error.field)


@pytest.mark.parametrize("data", CASES, ids=[repr(case) for case in CASES])
def test_the_hand_check_agrees_with_the_documented_serializer(data):
    assert by_hand(data) == through_serializer(data)


def test_exact_results():
    assert evaluate_request({"explain": [[" a ", 2]], "version": "3"}) == {
        "selection": {},
        "version": 3,
        "explain": [["a", "2"]],
        "complete": False,
    }
    assert by_hand({"explain": [["a"]]}) == (
        "error",
        "request.min_length",
        "Ensure this field has at least 2 elements.",
        "explain.0",
    )
