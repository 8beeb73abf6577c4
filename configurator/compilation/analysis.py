"""What the engine tells the catalog's Check and publish: counts, dead values, contradictions.

Registered from :class:`~configurator.compilation.apps.CompilationConfig.ready`, so the
catalog never imports the engine.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, gettext

from catalog.checks import document_problems
from catalog.extensions import MarginSummary, Problem, VersionAnalysis
from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document
from configurator.engine import Engine, EngineError, Margin, compile_option_set

from .errors import NotCompiledYet
from .models import CompiledOptionSet
from .selectors import engine_for_version
from .services import (
    ENGINE_FORMAT,
    compiled_option_set_build,
    document_digest,
    order_hint_for,
)

logger = logging.getLogger(__name__)


def version_analyze(version: OptionSetVersion) -> VersionAnalysis:
    """Compile ``version`` and report the count, the dead values and any engine error.

    The compiled result is stored with the document's digest, so the publish task that
    follows a successful Check finds it and does not compile a second time.
    """
    document = option_set_document(version=version)
    if any(p.level == "error" for p in document_problems(document)):
        return VersionAnalysis()  # the catalog's own errors say it better; fix those first
    try:
        engine = compile_option_set(document, order_hint=order_hint_for(version=version))
    except EngineError as exc:
        logger.info("version %s does not compile: %d problems", version.pk, len(exc.issues))
        return VersionAnalysis(
            problems=tuple(Problem(i.code, i.message, i.path) for i in exc.issues)
        )
    compiled_option_set_build(version=version, engine=engine)
    problems = tuple(
        Problem(
            "engine.W001",
            f"“{value}” of “{group}” can never be chosen: the rules rule it out.",
            _value_path(document, group, value),
            "warning",
        )
        for group, value in engine.dead_values
    )
    lowest = engine.lowest_margin()
    return VersionAnalysis(
        configurations=engine.configurations,
        dead_values=engine.dead_values,
        problems=problems + margin_problems(engine, lowest),
        lowest_margin=None if lowest is None else margin_summary(engine, lowest),
    )


def margin_problems(engine: Engine, lowest: Margin | None) -> tuple[Problem, ...]:
    """Warnings for what sells below cost or below the minimum margin, each naming the
    configuration found by the engine's exact pass (``engine.W010``-``W012``)."""
    if lowest is None:
        return ()
    problems = [
        Problem(
            "engine.W012",
            gettext(
                "Each letter of “%(group)s” costs more to make than it sells for, and the "
                "text has no length limit: the longer the text, the bigger the loss. Set a "
                "maximum length or a price per character at least the cost."
            )
            % {"group": _name(engine.groups[code].name)},
            _group_path(engine, code),
            "warning",
        )
        for code in lowest.unbounded
    ]
    if lowest.margin < 0:
        problems.append(
            Problem(
                "engine.W010",
                gettext("A configuration sells below its cost: %(configuration)s.")
                % {"configuration": margin_summary(engine, lowest).text()},
                "$.product.base_cost",
                "warning",
            )
        )
    keep = engine.spec.min_margin
    if keep:
        below = engine.lowest_margin(keep=keep)
        if below is not None and (100 - keep) * below.price - 100 * below.cost < 0:
            problems.append(
                Problem(
                    "engine.W011",
                    gettext(
                        "A configuration keeps less than the minimum margin of %(keep)s%%: "
                        "%(configuration)s."
                    )
                    % {
                        "keep": _percent(keep),
                        "configuration": margin_summary(engine, below).text(),
                    },
                    "$.product.min_margin",
                    "warning",
                )
            )
    return tuple(problems)


def margin_summary(engine: Engine, margin: Margin) -> MarginSummary:
    """``margin`` named as a merchant reads it: the product, then each chosen value."""
    parts = [_name(engine.spec.name)]
    for group in engine.spec.groups:
        chosen = margin.selection.get(group.code)
        if group.kind == "choice" and chosen is not None:
            value = group.value(chosen)
            parts.append(_name(value.name) if value is not None else str(chosen))
        elif group.kind == "multi":
            parts.extend(
                _name(value.name) for value in group.values if value.code in (chosen or ())
            )
        elif group.kind == "text" and group.code in margin.characters:
            parts.append(
                gettext("%(group)s (%(count)s letters)")
                % {"group": _name(group.name), "count": margin.characters[group.code]}
            )
        elif group.kind == "image" and chosen:
            parts.append(_name(group.name))
    return MarginSummary(
        label=" · ".join(parts),
        price=margin.price,
        cost=margin.cost,
        currency=engine.spec.currency,
    )


def version_margin(version: OptionSetVersion) -> MarginSummary | None:
    """The lowest margin of ``version`` as it is now, when its current document is compiled
    (the Check compiles it); None otherwise: the admin page never compiles."""
    digest = document_digest(option_set_document(version=version))
    current = CompiledOptionSet.objects.filter(
        version=version, digest=digest, engine_format=ENGINE_FORMAT
    ).exists()
    if not current:
        return None
    try:
        engine = engine_for_version(version_id=version.pk)
    except NotCompiledYet:  # replaced between the two reads
        logger.info("version %s: compiled result gone while reading its margin", version.pk)
        return None
    lowest = engine.lowest_margin()
    return None if lowest is None else margin_summary(engine, lowest)


def _name(names: Any) -> str:
    language = (get_language() or "vi")[:2]
    return str(names.get(language) or names.get("vi") or names.get("") or "")


def _percent(percent: Decimal) -> str:
    text = format(percent.normalize(), "f")
    return text.replace(".", ",") if (get_language() or "vi").startswith("vi") else text


def _group_path(engine: Engine, code: str) -> str:
    for i, group in enumerate(engine.spec.groups):
        if group.code == code:
            return f"$.groups[{i}]"
    return "$.groups"


def version_published(version_id: int) -> None:
    """Enqueue the compile of a version that was just published (runs after the commit)."""
    from .tasks import compile_version

    compile_version.delay(version_id)


def _value_path(document: dict, group: str, value: str) -> str:
    for i, raw in enumerate(document.get("groups", ())):
        if raw.get("code") == group:
            for j, raw_value in enumerate(raw.get("values", ())):
                if raw_value.get("code") == value:
                    return f"$.groups[{i}].values[{j}]"
            return f"$.groups[{i}]"
    return "$.groups"
