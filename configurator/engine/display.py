"""Which valid values a group shows first, and how many more it keeps behind "more"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .results import Display


def display_values(
    valid: Sequence[str],
    ranking: Sequence[str],
    limit: int | None,
    keep: Iterable[str | None] = (),
) -> Display:
    """``valid`` (in the merchant's order) ordered by ``ranking``, cut at ``limit``."""
    rank = {code: i for i, code in enumerate(ranking)}
    ordered = sorted(valid, key=lambda code: (rank.get(code, len(rank)), valid.index(code)))
    if limit is None or limit >= len(ordered):
        return Display(tuple(ordered), 0)
    kept = [code for code in ordered if code in set(keep)]
    shown = kept[:limit]
    for code in ordered:
        if len(shown) >= limit:
            break
        if code not in shown:
            shown.append(code)
    shown.sort(key=ordered.index)
    return Display(tuple(shown), len(ordered) - len(shown))
