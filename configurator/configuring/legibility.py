"""Whether the shopper's text will be readable where it is printed, said in their language,
with the text colour that would read (see :mod:`configurator.preview.legibility`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from catalog.models import OptionSetVersion
from configurator.compilation.cache import BoundedCache
from configurator.preview import LayerSpec, text_legibility
from configurator.preview.legibility import MIN_CONTRAST, best_colour
from configurator.preview.spec import PreviewError

from .evaluation import Evaluation, GroupState
from .previews import views_of

logger = logging.getLogger(__name__)

CODE_LOW = "text.W001"
#: Answers kept per process (choices under the texts, language).
KEEP = 1024
_kept: BoundedCache[tuple[Any, ...], dict[str, dict[str, Any]]] = BoundedCache(KEEP)


def text_contrasts(
    *,
    version: OptionSetVersion,
    document: Mapping[str, Any],
    evaluation: Evaluation,
    language: str,
) -> dict[str, dict[str, Any]]:
    """For each text group with a text typed and a text layer in some view (the first such
    view): how its colour reads on what is under it, as the API says it (group code ->
    ``{level, code, ratio, message, repair, repair_label}``)."""
    typed = [
        group
        for group in evaluation.groups
        if group.kind == "text" and isinstance(group.chosen, str) and group.chosen.strip()
    ]
    if not typed:
        return {}
    # What is said depends on the choices, not on the text: kept per choices for a published
    # version (a monogram typed key by key asks the same question at every key).
    key = (
        version.pk,
        version.published_at,  # with the id: a test database gives ids again
        language,
        tuple(group.code for group in typed),
        tuple(
            (group.code, _hashable(group.chosen))
            for group in evaluation.groups
            if group.kind not in ("text", "image")
        ),
    )
    if version.is_published:
        kept = _kept.get(key)
        if kept is not None:
            return kept
    said = _contrasts(version, document, evaluation, typed, language)
    if version.is_published:
        _kept.put(key, said)
    return said


def _hashable(chosen: Any) -> Any:
    return tuple(chosen) if isinstance(chosen, list) else chosen


def _contrasts(
    version: OptionSetVersion,
    document: Mapping[str, Any],
    evaluation: Evaluation,
    typed: list[GroupState],
    language: str,
) -> dict[str, dict[str, Any]]:
    views = views_of(version, document)
    states = {group.code: group for group in evaluation.groups}
    said: dict[str, dict[str, Any]] = {}
    for group in typed:
        for code, _names, _prints in views.views or (("", {}, True),):
            layers = views.of(code)
            try:
                contrast = _contrast(layers, evaluation.selection, group, states, language)
            except PreviewError:  # a layer's picture cannot be read: the preview says so
                logger.warning(
                    "text contrast: version %s view %r has an unreadable layer",
                    version.pk,
                    code,
                    exc_info=True,
                )
                contrast = None
            if contrast is not None:
                said[group.code] = contrast
                break
    return said


def _contrast(
    layers: tuple[LayerSpec, ...],
    selection: Mapping[str, Any],
    group: GroupState,
    states: Mapping[str, GroupState],
    language: str,
) -> dict[str, Any] | None:
    legibility = text_legibility(layers, selection, group.code)
    if legibility is None:
        return None
    if legibility.readable:
        return {
            "level": "ok",
            "code": None,
            "ratio": legibility.ratio,
            "message": "",
            "repair": None,
            "repair_label": "",
        }
    layer = next(layer for layer in layers if layer.kind == "text" and layer.group == group.code)
    index = layers.index(layer)
    colours = states.get(layer.color_group) if layer.color_group else None
    repair = None
    if colours is not None:
        candidates = {
            value.code: text_legibility(layers, selection, group.code, colour=swatch)
            for value in colours.values
            if value.available and not value.chosen and (swatch := layer.swatch_for(value.code))
        }
        best = best_colour({code: read for code, read in candidates.items() if read is not None})
        if best is not None:
            repair = {layer.color_group: best}
    colour_name = _chosen_name(colours)
    background = _background_name(layers[:index], states)
    with translation.override(language):
        values = {
            "colour": colour_name,
            "background": background,
            "ratio": formats.number_format(Decimal(str(legibility.ratio)), 1),
            "minimum": formats.number_format(int(MIN_CONTRAST)),
        }
        if colour_name and background:
            message = _(
                "%(colour)s text is hard to read on %(background)s (contrast %(ratio)s:1; "
                "%(minimum)s:1 or more reads well)."
            )
        elif background:
            message = _(
                "The text is hard to read on %(background)s (contrast %(ratio)s:1; "
                "%(minimum)s:1 or more reads well)."
            )
        else:
            message = _(
                "The text is hard to read on this background (contrast %(ratio)s:1; "
                "%(minimum)s:1 or more reads well)."
            )
        label = ""
        if repair is not None:
            assert colours is not None
            name = next(v.name for v in colours.values if v.code == repair[colours.code])
            label = _("Use %(colour)s text") % {"colour": name}
    return {
        "level": "low",
        "code": CODE_LOW,
        "ratio": legibility.ratio,
        "message": message % values,
        "repair": repair,
        "repair_label": label,
    }


def _chosen_name(group: GroupState | None) -> str:
    if group is None:
        return ""
    return next((value.name for value in group.values if value.chosen), "")


def _background_name(below: tuple[LayerSpec, ...], states: Mapping[str, GroupState]) -> str:
    """The name of the colour under the text: the value chosen for the last tint drawn
    under it (a group's, not a fixed colour)."""
    for layer in reversed(below):
        if layer.kind == "tint" and layer.group and layer.group in states:
            name = _chosen_name(states[layer.group])
            if name:
                return name
    return ""
