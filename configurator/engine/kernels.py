"""The diagram's inner loops, compiled to machine code by Numba.

Every query is one or two passes over the diagram's edges. Written as NumPy calls per layer,
the per-call overhead of a few hundred small layers dominated (3-5 ms a query on the Renault
models); as plain loops compiled by Numba, a pass over 25,000 edges takes tens of
microseconds. Numba is a well-kept JIT for exactly this kind of array loop; ``cache=True``
keeps the machine code next to this file, so only the first process ever compiles it.

Layout (see :class:`~configurator.engine.diagram.Diagram`): edges of all layers in one array,
layer ``l``'s edges at ``edge_start[l]:edge_start[l + 1]``, each edge with global source and
destination node ids, and its label; restrictions and answers are flat over every layer's
domain, layer ``l``'s domain at ``dom_start[l]:dom_start[l + 1]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def sweep(
    edge_start: np.ndarray,
    src: np.ndarray,
    val: np.ndarray,
    dst: np.ndarray,
    node_count: int,
    dom_start: np.ndarray,
    restricted: np.ndarray,
    allowed: np.ndarray,
) -> tuple[bool, np.ndarray]:
    """Feasible domain indexes of each layer given every *other* layer's restriction."""
    layers = len(edge_start) - 1
    reach = np.zeros(node_count, dtype=np.bool_)
    reach[node_count - 1] = True  # the terminal
    ok_below = np.zeros(len(src), dtype=np.bool_)
    for layer in range(layers - 1, -1, -1):
        base = dom_start[layer]
        check = restricted[layer]
        for e in range(edge_start[layer], edge_start[layer + 1]):
            if reach[dst[e]]:
                ok_below[e] = True
                if not check or allowed[base + val[e]]:
                    reach[src[e]] = True
    feasible = np.zeros(dom_start[layers], dtype=np.bool_)
    above = np.zeros(node_count, dtype=np.bool_)
    above[0] = True  # the root
    for layer in range(layers):
        base = dom_start[layer]
        check = restricted[layer]
        for e in range(edge_start[layer], edge_start[layer + 1]):
            if above[src[e]]:
                # Forward reachability respects the layers above only: a layer's own
                # restriction must not leak into its own answer through the nodes below it.
                if ok_below[e]:
                    feasible[base + val[e]] = True
                if not check or allowed[base + val[e]]:
                    above[dst[e]] = True
    return reach[0], feasible


@njit(cache=True, nogil=True)
def consistent(
    edge_start: np.ndarray,
    src: np.ndarray,
    val: np.ndarray,
    dst: np.ndarray,
    node_count: int,
    dom_start: np.ndarray,
    restricted: np.ndarray,
    allowed: np.ndarray,
) -> bool:
    """Whether some path respects every restriction."""
    layers = len(edge_start) - 1
    reach = np.zeros(node_count, dtype=np.bool_)
    reach[node_count - 1] = True
    for layer in range(layers - 1, -1, -1):
        base = dom_start[layer]
        check = restricted[layer]
        for e in range(edge_start[layer], edge_start[layer + 1]):
            if reach[dst[e]] and (not check or allowed[base + val[e]]):
                reach[src[e]] = True
    return reach[0]


@njit(cache=True, nogil=True)
def best_path(
    edge_start: np.ndarray,
    src: np.ndarray,
    val: np.ndarray,
    dst: np.ndarray,
    node_count: int,
    dom_start: np.ndarray,
    restricted: np.ndarray,
    allowed: np.ndarray,
    gains: np.ndarray,
) -> np.ndarray:
    """Domain index per layer of a max-gain path, or an empty array if none respects
    the restrictions. Ties go to the earliest edge (lowest label) at each node, top down."""
    layers = len(edge_start) - 1
    best = np.full(node_count, -np.inf)
    best[node_count - 1] = 0.0
    pick = np.full(node_count, -1, dtype=np.int64)
    for layer in range(layers - 1, -1, -1):
        base = dom_start[layer]
        check = restricted[layer]
        for e in range(edge_start[layer], edge_start[layer + 1]):
            below = best[dst[e]]
            if below == -np.inf or (check and not allowed[base + val[e]]):
                continue
            value = below + gains[base + val[e]]
            s = src[e]
            if value > best[s]:
                best[s] = value
                pick[s] = e
    path = np.empty(layers, dtype=np.int64)
    if best[0] == -np.inf:
        return path[:0]
    node = 0
    for layer in range(layers):
        e = pick[node]
        path[layer] = val[e]
        node = dst[e]
    return path
