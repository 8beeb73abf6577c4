"""The compiled form of an option set: a quasi-reduced multi-valued decision diagram.

Layer ``l`` has ``sizes[l]`` nodes; node 0 of layer 0 is the root and the single node of layer
``L`` is the accepting terminal. Every edge of layer ``l`` goes from a node of layer ``l``,
labelled with a domain index of that layer, to a node of layer ``l + 1``; edges are sorted by
source node, then by label. The diagram holds only edges that lead to the terminal, so every
node is on some valid configuration, and the paths from root to terminal are exactly the valid
configurations.

Every query is one or two sweeps over the layers with NumPy, linear in the number of edges.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .layers import Layer

Mask = np.ndarray  # boolean, one entry per domain index of a layer


@dataclass(frozen=True)
class Sweep:
    """What one pass found: per layer, the domain indexes still feasible, and consistency."""

    consistent: bool
    feasible: tuple[Mask, ...]  # given the restrictions of every *other* layer


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

    # Valid values.

    def sweep(self, allowed: Sequence[Mask | None]) -> Sweep:
        """Feasible domain indexes of every layer under the restrictions ``allowed``.

        ``allowed[l]`` is None (no restriction) or a boolean mask over layer ``l``'s domain.
        An index is feasible for a layer when some valid configuration takes it there and
        agrees with the restrictions of every other layer; the layer's own restriction is not
        applied to itself, so a chosen group also learns which values it could switch to.
        """
        count = len(self.layers)
        # Bottom-up: can each node reach the terminal while respecting the restrictions?
        reach: list[np.ndarray] = [np.ones(0, dtype=bool)] * (count + 1)
        reach[count] = np.ones(1, dtype=bool)
        ok_below: list[np.ndarray] = [np.ones(0, dtype=bool)] * count
        unrestricted_below = True
        for layer in range(count - 1, -1, -1):
            mask = allowed[layer]
            if unrestricted_below and mask is None:
                ok_below[layer] = np.ones(len(self.val[layer]), dtype=bool)
                reach[layer] = np.ones(self.sizes[layer], dtype=bool)
                continue
            below = (
                np.ones(len(self.dst[layer]), dtype=bool)
                if unrestricted_below
                else reach[layer + 1][self.dst[layer]]
            )
            unrestricted_below = False
            ok_below[layer] = below
            edge_ok = below if mask is None else below & mask[self.val[layer]]
            here = np.zeros(self.sizes[layer], dtype=bool)
            here[self.src[layer][edge_ok]] = True
            reach[layer] = here
        consistent = bool(reach[0][0])
        # Top-down: which nodes are reachable from the root respecting the restrictions?
        feasible: list[Mask] = []
        above = np.ones(1, dtype=bool)
        unrestricted_above = True
        for layer in range(count):
            size = self.layers[layer].size
            mask = allowed[layer]
            if unrestricted_above:
                edge_feasible = ok_below[layer]
            else:
                edge_feasible = above[self.src[layer]] & ok_below[layer]
            values = np.zeros(size, dtype=bool)
            values[self.val[layer][edge_feasible]] = True
            feasible.append(values)
            if mask is None and unrestricted_above:
                # Nodes of the next layer reachable without restriction: all of them.
                above = np.ones(self.sizes[layer + 1], dtype=bool)
                continue
            unrestricted_above = False
            live = edge_feasible if mask is None else edge_feasible & mask[self.val[layer]]
            above = np.zeros(self.sizes[layer + 1], dtype=bool)
            above[self.dst[layer][live]] = True
        return Sweep(consistent=consistent, feasible=tuple(feasible))

    # Optimisation.

    def best_path(
        self, allowed: Sequence[Mask | None], gains: Sequence[np.ndarray | None]
    ) -> list[int] | None:
        """Domain index per layer of a configuration maximising the total gain, or None.

        ``gains[l]`` is None (all zero) or a float array over layer ``l``'s domain. Ties go to
        the lowest domain index, layer by layer from the top: deterministic for equal input.
        """
        count = len(self.layers)
        best: list[np.ndarray] = [np.zeros(0)] * (count + 1)
        best[count] = np.zeros(1)
        candidates: list[np.ndarray] = [np.zeros(0)] * count
        for layer in range(count - 1, -1, -1):
            values = self.val[layer]
            candidate = best[layer + 1][self.dst[layer]].copy()
            gain = gains[layer]
            if gain is not None:
                candidate += gain[values]
            mask = allowed[layer]
            if mask is not None:
                candidate[~mask[values]] = -np.inf
            candidates[layer] = candidate
            starts = self.starts[layer]
            if len(candidate):
                best[layer] = np.maximum.reduceat(candidate, starts[:-1])
            else:
                best[layer] = candidate
        if not np.isfinite(best[0][0]):
            return None
        path: list[int] = []
        node = 0
        for layer in range(count):
            lo, hi = self.starts[layer][node], self.starts[layer][node + 1]
            pick = lo + int(np.argmax(candidates[layer][lo:hi]))
            path.append(int(self.val[layer][pick]))
            node = int(self.dst[layer][pick])
        return path

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
