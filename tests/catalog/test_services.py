"""Publish and new-draft services: freezing, listeners after commit, refusals write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from catalog import extensions
from catalog.checks import CheckReport
from catalog.models import OptionGroup, OptionSetVersion, OptionValue, Product, Rule, VersionStatus
from catalog.selectors import option_set_document
from catalog.services import (
    DraftAlreadyExists,
    PublishRefused,
    option_set_import,
    option_set_new_draft,
    option_set_publish,
)
from tests.fixtures.documents import NOW, rich_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def listened(no_extension_points: None) -> list[int]:
    """Registers a publish listener; returns the version ids it was called with."""
    calls: list[int] = []
    extensions.register_publish_listener(calls.append)
    return calls


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Product, OptionSetVersion, OptionGroup, OptionValue, Rule)
    )


def test_option_set_publish_freezes_the_version_and_calls_listeners_after_commit(
    listened: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    draft = option_set_import(document=rich_document())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = option_set_publish(version=draft, now=NOW)
        assert listened == []

    assert len(callbacks) == 1
    assert listened == [draft.pk]
    version.refresh_from_db()
    assert (version.status, version.published_at) == (VersionStatus.PUBLISHED, NOW)
    assert version.frozen_product == rich_document()["product"]


def test_option_set_publish_returns_the_report_it_was_based_on(fake_analyzer: list[int]) -> None:
    draft = option_set_import(document=rich_document())

    version = option_set_publish(version=draft, now=NOW)

    report = version.check_report
    assert isinstance(report, CheckReport)
    assert (report.configurations, report.dead_values) == (42, (("color", "navy"),))
    assert fake_analyzer == [draft.pk]


def test_option_set_publish_refuses_a_version_with_check_errors(
    listened: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    draft = option_set_import(document=rich_document())
    OptionValue.objects.filter(group__code="material").update(is_active=False)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PublishRefused) as caught,
    ):
        option_set_publish(version=draft, now=NOW)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("catalog.E006", "$.groups[1].values[0].default"),
        ("catalog.E003", "$.groups[1]"),
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.published_at, draft.frozen_product) == ("draft", None, None)
    assert (callbacks, listened) == ([], [])


def test_option_set_publish_refuses_a_published_version(listened: list[int]) -> None:
    version = option_set_import(document=rich_document(), publish=True, now=NOW)

    with pytest.raises(PublishRefused) as caught:
        option_set_publish(version=version)

    assert [p.code for p in caught.value.problems] == ["publish.E001"]
    version.refresh_from_db()
    assert version.published_at == NOW


def test_option_set_import_with_a_refused_publish_writes_nothing(listened: list[int]) -> None:
    document = rich_document()
    document["rules"][0]["rows"] = [["navy", "canvas"]]  # the defaults (natural, canvas) break it
    before = _counts()

    with pytest.raises(PublishRefused) as caught:
        option_set_import(document=document, publish=True, now=NOW)

    assert [(p.code, p.path) for p in caught.value.problems] == [("catalog.E020", "$.rules[0]")]
    assert _counts() == before == (0, 0, 0, 0, 0)


def test_option_set_new_draft_copies_the_version(listened: list[int]) -> None:
    published = option_set_import(document=rich_document(), publish=True, now=NOW)

    draft = option_set_new_draft(version=published)

    assert (draft.number, draft.status, draft.created_from_id) == (2, "draft", published.pk)
    assert option_set_document(version=draft) == rich_document()
    assert set(OptionGroup.objects.filter(version=draft).values_list("pk", flat=True)).isdisjoint(
        OptionGroup.objects.filter(version=published).values_list("pk", flat=True)
    )
    texture = draft.preview_layers.get(kind="texture")
    assert (texture.group.version_id, texture.value.group.version_id) == (draft.pk, draft.pk)


def test_option_set_new_draft_refuses_when_a_draft_exists(listened: list[int]) -> None:
    published = option_set_import(document=rich_document(), publish=True, now=NOW)
    existing = option_set_new_draft(version=published)
    before = _counts()

    with pytest.raises(DraftAlreadyExists) as caught:
        option_set_new_draft(version=published)

    assert caught.value.draft == existing
    assert str(caught.value) == (
        "TOTE-01 already has a draft (version 2); "
        "publish it or delete it before starting a new one."
    )
    assert _counts() == before


def test_publish_listener_is_not_called_when_the_outer_transaction_rolls_back(
    listened: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    draft = option_set_import(document=rich_document())

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        option_set_publish(version=draft, now=NOW)
        raise RuntimeError("rolled back")

    draft.refresh_from_db()
    assert (draft.status, listened) == ("draft", [])
