"""What the engine tells the catalog's Check and publish: counts, dead values, contradictions.

Registered from :class:`~configurator.compilation.apps.CompilationConfig.ready`, so the
catalog never imports the engine.
"""

from __future__ import annotations

import logging

from catalog.checks import document_problems
from catalog.extensions import Problem, VersionAnalysis
from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document
from configurator.engine import EngineError, compile_option_set

from .services import compiled_option_set_build, order_hint_for

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
    return VersionAnalysis(
        configurations=engine.configurations,
        dead_values=engine.dead_values,
        problems=problems,
    )


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
