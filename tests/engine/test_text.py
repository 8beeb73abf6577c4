"""Text groups: merchant patterns matched in linear time, hidden characters refused."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from configurator.engine import EngineError, Violation, compile_option_set

from .documents import document


def text_group(**extra: Any) -> dict[str, Any]:
    return {
        "code": "name",
        "name": {"en": "Name", "vi": "Tên"},
        "kind": "text",
        "required": False,
        **extra,
    }


@contextmanager
def at_most(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_catastrophic_pattern_refuses_40_characters_at_once():
    engine = compile_option_set(document([text_group(pattern="^(a+)+$")]))
    text = "a" * 39 + "!"  # Python's re backtracks 2^39 ways on this
    with at_most(5):
        violations = engine.validate({"name": text})
    assert violations == (
        Violation("engine.V011", "“name” does not take this text.", ("name",), (text,)),
    )
    assert engine.validate({"name": "a" * 40}) == ()


def test_word_classes_keep_pythons_unicode_meaning():
    engine = compile_option_set(document([text_group(pattern=r"[\w .'-]+")]))
    assert engine.validate({"name": "Nguyễn Thị Ánh"}) == ()
    assert engine.validate({"name": "Đặng Văn Lâm_2"}) == ()
    assert [v.code for v in engine.validate({"name": "Ánh <3"})] == ["engine.V011"]
    spaced = compile_option_set(document([text_group(pattern=r"\w+\s\d+")]))
    assert spaced.validate({"name": "Phòng\u3000٣"}) == ()  # ideographic space, Arabic-Indic 3


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=a)a", r"(?<!b)a", r"\bNg"])
def test_a_pattern_re2_cannot_match_does_not_compile(pattern):
    with pytest.raises(EngineError) as caught:
        compile_option_set(document([text_group(pattern=pattern)]))
    assert [(i.code, i.path) for i in caught.value.issues] == [
        ("engine.E011", "$.groups[0].pattern")
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("An\x00h", "U+0000"),
        ("\u202eAnh", "U+202E"),
        ("A\u200bnh", "U+200B"),
        ("A\u200cn\u200dh", "U+200C, U+200D"),
        ("Anh\u2060", "U+2060"),
        ("\ufeffAnh", "U+FEFF"),
        ("An\th", "U+0009"),
        ("Ánh\nLan", "U+000A"),
        ("Ánh\u2028Lan", "U+2028"),
        ("Ánh\u00adLan", "U+00AD"),
        ("Ánh\x1b[31m", "U+001B"),
        ("Ánh\ud800", "U+D800"),  # a lone surrogate: no database stores it
    ],
)
def test_control_and_invisible_characters_are_refused(text, shown):
    engine = compile_option_set(document([text_group(max_length=20, pattern=r"[^<>]+")]))
    assert engine.validate({"name": text}) == (
        Violation(
            "engine.V012",
            f"“name” takes no control or invisible characters ({shown}).",
            ("name",),
            (text,),
        ),
    )


def test_decomposed_vietnamese_is_not_invisible():
    engine = compile_option_set(document([text_group(max_length=7, pattern=r"[\w ]+")]))
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks
    assert engine.validate({"name": decomposed}) == ()
    assert engine.validate({"name": "Thi\u0323 A\u0301nh"}) == ()
