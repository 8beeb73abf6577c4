"""Merchant patterns in RE2: Python's Unicode classes, refusals named, never a slow match."""

from __future__ import annotations

import re
import unicodedata

import pytest

from catalog.patterns import PatternError, compile_pattern, pattern_fullmatch, pattern_problem


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"[\w .'-]+", "Nguyễn Thị Ánh", True),
        (r"[\w .'-]+", "Nguyễn <Ánh>", False),
        (r"\w+", "Đặng_2", True),
        (r"\W", "ễ", False),
        (r"\W", "!", True),
        (r"\d+", "٣٤", True),  # Arabic-Indic digits are digits in Python too
        (r"\D", "5", False),
        (r"\w+\s\w+", "Thị\u00a0Ánh", True),  # no-break space
        (r"\S+", "Ánh Lan", False),
        (r"[^\d]+", "Ánh", True),
        (r"[]a]+", "]a]", True),
        (r"\u00c1nh", "Ánh", True),
        (r"Ánh\Z", "Ánh", True),
        (r"[\b]", "\b", True),
        ("(?i)ánh", "ÁNH", True),
    ],
)
def test_patterns_match_as_python_would(pattern, text, matches):
    assert pattern_fullmatch(pattern, text) is matches
    assert (re.fullmatch(pattern, text) is not None) is matches


# Every character of the planes in use (basic and supplementary multilingual), but for
# surrogates, which no text holds, and unassigned ones, which RE2's newer Unicode may know.
CHARACTERS = "".join(
    chr(code) for code in range(0x20000) if unicodedata.category(chr(code)) not in ("Cn", "Cs")
)


@pytest.mark.parametrize("cls", [r"\w", r"\d", r"\s", r"\W", r"\D", r"\S", r"[\w\s\d-]"])
def test_classes_are_exactly_pythons(cls):
    # What is left once the class is taken out (runs of it: RE2 is slow on many tiny matches).
    ours = compile_pattern(f"(?:{cls})+").sub("", CHARACTERS)
    python = re.sub(cls, "", CHARACTERS)
    assert 0 < len(python) < len(CHARACTERS)
    assert sorted(f"U+{ord(ch):04X}" for ch in set(ours) ^ set(python)) == []


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("[a-z", ("syntax", "unterminated character set at position 0")),
        (r"(a)\1", ("unsupported", r"invalid escape sequence: \1")),
        ("(?=a)", ("unsupported", "invalid perl operator: (?=")),
        ("(?<=a)b", ("unsupported", "invalid perl operator: (?<=")),
        (r"\bAnh\b", ("unsupported", r"word boundaries (\b) are not supported")),
        (r"[\W]", ("unsupported", r"\W is not supported inside [...]")),
        ("(?x) a", ("unsupported", "invalid perl operator: (?x")),
        ("^(a+)+$", None),
        (r"[\w .'-]+", None),
    ],
)
def test_pattern_problem_says_why(pattern, problem):
    assert pattern_problem(pattern) == problem


def test_compile_pattern_raises_pattern_error():
    with pytest.raises(PatternError, match=r"invalid escape sequence: \\1"):
        compile_pattern(r"(a)\1")
