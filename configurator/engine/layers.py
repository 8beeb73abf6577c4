"""Layers: the engine's variables, one per choice group, multi value and text/image presence.

A ``choice`` group is one layer whose domain is its values, plus the empty state when the group
is optional. Each value of a ``multi`` group is a yes/no layer, and so is the presence of a
``text`` or ``image`` group. Presence layers come last in every order, so that counting
configurations over choice and multi groups is a plain path count above them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .spec import OptionSetSpec

EMPTY = None
OFF, ON = 0, 1
LayerKind = Literal["choice", "flag", "presence"]


@dataclass(frozen=True)
class Layer:
    group: str
    kind: LayerKind
    # choice: value codes, then None for the empty state of an optional group;
    # flag and presence: (False, True).
    domain: tuple[str | None, ...] | tuple[bool, bool]
    value: str | None = None  # the multi value a flag layer stands for

    @property
    def size(self) -> int:
        return len(self.domain)

    def index(self, value: str | None) -> int | None:
        """Domain index of a choice value (None: the empty state), or None if not there."""
        try:
            return self.domain.index(value)
        except ValueError:
            return None


def layers_of(spec: OptionSetSpec) -> tuple[Layer, ...]:
    """Every layer of ``spec`` in document order, presence layers last."""
    layers: list[Layer] = []
    presence: list[Layer] = []
    for group in spec.groups:
        if group.kind == "choice":
            domain: tuple[str | None, ...] = tuple(v.code for v in group.values)
            if not group.required:
                domain += (EMPTY,)
            layers.append(Layer(group.code, "choice", domain))
        elif group.kind == "multi":
            for value in group.values:
                layers.append(Layer(group.code, "flag", (False, True), value.code))
        else:
            presence.append(Layer(group.code, "presence", (False, True)))
    return tuple(layers + presence)
