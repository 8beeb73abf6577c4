"""The compiled form of an option set: a quasi-reduced multi-valued decision diagram.

Layer ``l`` has ``sizes[l]`` nodes; node 0 of layer 0 is the root and the single node of layer
``L`` is the accepting terminal. Every edge of layer ``l`` goes from a node of layer ``l``,
labelled with a domain index of that layer, to a node of layer ``l + 1``; edges are sorted by
source node, then by label. The diagram holds only edges that lead to the terminal, so every
node is on some valid configuration, and the paths from root to terminal are exactly the valid
configurations.

Every query is one or two passes over the edges (:mod:`.kernels`), linear in their number.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import kernels as _kernels
from .layers import Layer

# Numba's dispatchers are typed as taking no arguments: call them untyped.
kernels: Any = _kernels
_EMPTY = np.zeros(0, dtype=np.int64)

Mask = np.ndarray  # boolean, one entry per domain index of a layer


@dataclass(frozen=True)
class Sweep:
    """What one pass found: per layer, the domain indexes still feasible, and consistency."""

    consistent: bool
    feasible: tuple[Mask, ...]  # given the restrictions of every *other* layer
    flat: list[bool]  # the same, all layers' domains one after another (Diagram.dom_start)


class Diagram:
    def __init__(
        self,
        layers: tuple[Layer, ...],
        sizes: Sequence[int],
        src: Sequence[np.ndarray],
        val: Sequence[np.ndarray],
        dst: Sequence[np.ndarray],
    ) -> None:
        self.layers = layers
        self.sizes = tuple(int(s) for s in sizes)
        self.src = tuple(src)
        self.val = tuple(val)
        self.dst = tuple(dst)
        # starts[l][n]: first edge of node n in layer l (edges are sorted by source).
        self.starts = tuple(
            np.searchsorted(s, np.arange(n + 1)).astype(np.int32)
            for s, n in zip(self.src, self.sizes, strict=False)
        )
        # The same edges flattened for the compiled kernels: global node ids (the root is 0,
        # the terminal the last), layer l's edges at edge_start[l]:edge_start[l + 1].
        node_start = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        self.total_nodes = int(node_start[-1])
        self.edge_start = np.concatenate([[0], np.cumsum([len(v) for v in self.val])]).astype(
            np.int64
        )
        count = len(layers)
        self.flat_src = np.concatenate(
            [self.src[i].astype(np.int64) + node_start[i] for i in range(count)] or [_EMPTY]
        ).astype(np.int64)
        self.flat_dst = np.concatenate(
            [self.dst[i].astype(np.int64) + node_start[i + 1] for i in range(count)] or [_EMPTY]
        ).astype(np.int64)
        self.flat_val = np.concatenate([v.astype(np.int64) for v in self.val] or [_EMPTY]).astype(
            np.int64
        )
        self.dom_start = np.concatenate([[0], np.cumsum([layer.size for layer in layers])]).astype(
            np.int64
        )
        self.index_of_group: dict[str, list[int]] = {}
        for i, layer in enumerate(layers):
            self.index_of_group.setdefault(layer.group, []).append(i)

    @classmethod
    def from_edges(
        cls,
        layers: tuple[Layer, ...],
        src: Sequence[np.ndarray],
        val: Sequence[np.ndarray],
        dst: Sequence[np.ndarray],
    ) -> Diagram:
        sizes = [1] + [int(d.max()) + 1 if len(d) else 0 for d in dst]
        return cls(layers, sizes, src, val, dst)

    @property
    def edge_count(self) -> int:
        return sum(len(v) for v in self.val)

    @property
    def node_count(self) -> int:
        return sum(self.sizes)

    # Counting.

    def count(self) -> int:
        """Exact number of valid configurations over choice and multi layers.

        Presence layers (text and image) sit at the bottom; every node there reaches the
        terminal, so each one counts as a single configuration of the layers above.
        """
        top = next((i for i, layer in enumerate(self.layers) if layer.kind == "presence"), None)
        bottom = len(self.layers) if top is None else top
        counts: list[int] = [1] * self.sizes[bottom]
        for layer in range(bottom - 1, -1, -1):
            totals = [0] * self.sizes[layer]
            for s, d in zip(self.src[layer].tolist(), self.dst[layer].tolist(), strict=True):
                totals[s] += counts[d]
            counts = totals
        return counts[0]

    # Queries: one or two passes over the edges, in compiled loops (see kernels).

    def _restrictions(self, allowed: Sequence[Mask | None]) -> tuple[np.ndarray, np.ndarray]:
        restricted = np.zeros(len(self.layers), dtype=bool)
        flat = np.ones(int(self.dom_start[-1]), dtype=bool)
        for layer, mask in enumerate(allowed):
            if mask is not None:
                restricted[layer] = True
                flat[self.dom_start[layer] : self.dom_start[layer + 1]] = mask
        return restricted, flat

    def _flat(self) -> tuple:
        return (
            self.edge_start,
            self.flat_src,
            self.flat_val,
            self.flat_dst,
            self.total_nodes,
            self.dom_start,
        )

    def consistent(self, allowed: Sequence[Mask | None]) -> bool:
        """Whether some valid configuration respects every restriction in ``allowed``."""
        return bool(kernels.consistent(*self._flat(), *self._restrictions(allowed)))

    def sweep(self, allowed: Sequence[Mask | None]) -> Sweep:
        """Feasible domain indexes of every layer under the restrictions ``allowed``.

        ``allowed[l]`` is None (no restriction) or a boolean mask over layer ``l``'s domain.
        An index is feasible for a layer when some valid configuration takes it there and
        agrees with the restrictions of every other layer; the layer's own restriction is not
        applied to itself, so a chosen group also learns which values it could switch to.
        """
        ok, flat = kernels.sweep(*self._flat(), *self._restrictions(allowed))
        starts = self.dom_start
        return Sweep(
            consistent=bool(ok),
            feasible=tuple(flat[starts[i] : starts[i + 1]] for i in range(len(self.layers))),
            flat=flat.tolist(),
        )

    def best_path(
        self, allowed: Sequence[Mask | None], gains: Sequence[np.ndarray | None]
    ) -> list[int] | None:
        """Domain index per layer of a configuration maximising the total gain, or None.

        ``gains[l]`` is None (all zero) or a float array over layer ``l``'s domain. Ties go to
        the lowest domain index, layer by layer from the top: deterministic for equal input.
        """
        flat_gains = np.zeros(int(self.dom_start[-1]))
        for layer, gain in enumerate(gains):
            if gain is not None:
                flat_gains[self.dom_start[layer] : self.dom_start[layer + 1]] = gain
        path = kernels.best_path(*self._flat(), *self._restrictions(allowed), flat_gains)
        return path.tolist() if len(path) else None

    # Storage.

    def to_bytes(self) -> bytes:
        header = {
            "layers": [
                {
                    "group": layer.group,
                    "kind": layer.kind,
                    "domain": list(layer.domain),
                    "value": layer.value,
                }
                for layer in self.layers
            ],
            "sizes": list(self.sizes),
        }
        arrays: dict[str, np.ndarray] = {
            "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        }
        for i in range(len(self.layers)):
            arrays[f"s{i}"] = self.src[i]
            arrays[f"v{i}"] = self.val[i]
            arrays[f"d{i}"] = self.dst[i]
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Diagram:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            header = json.loads(arrays["header"].tobytes().decode())
            layers = tuple(
                Layer(
                    group=item["group"],
                    kind=item["kind"],
                    domain=tuple(item["domain"]),
                    value=item["value"],
                )
                for item in header["layers"]
            )
            count = len(layers)
            src = [arrays[f"s{i}"] for i in range(count)]
            val = [arrays[f"v{i}"] for i in range(count)]
            dst = [arrays[f"d{i}"] for i in range(count)]
        return cls(layers, header["sizes"], src, val, dst)
