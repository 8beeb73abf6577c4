"""Catalog fixtures: the rich document, files to import, and the extension points."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from catalog import extensions
from tests.fixtures.documents import rich_document


@pytest.fixture
def rich() -> dict[str, Any]:
    return rich_document()


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Writes a document (or raw text) to a file and returns its path."""

    def write(content: Any, name: str = "option-set.json") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def no_extension_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs a test with no analyzer and no publish listener registered."""
    monkeypatch.setattr(extensions, "_analyzers", [])
    monkeypatch.setattr(extensions, "_publish_listeners", [])


@pytest.fixture
def fake_analyzer(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Registers only an analyzer that counts 42 configurations and one dead value; returns
    the ids of the versions it analyzed."""
    seen: list[int] = []

    def analyzer(version: Any) -> extensions.VersionAnalysis:
        seen.append(version.pk)
        return extensions.VersionAnalysis(
            configurations=42,
            dead_values=(("color", "navy"),),
            problems=(
                extensions.Problem(
                    code="engine.W001", message="Looked.", path="$", level="warning"
                ),
            ),
        )

    monkeypatch.setattr(extensions, "_analyzers", [analyzer])
    monkeypatch.setattr(extensions, "_publish_listeners", [])
    return seen
