"""ISO 4217 minor units: how many decimals an amount in a currency carries.

Pure Python (no Django), so the engine prices with the same table the catalog validates
amounts with.
"""

from __future__ import annotations

MINOR_UNITS: dict[str, int] = {"VND": 0, "JPY": 0, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2, "THB": 2}


def minor_units(currency: str) -> int:
    """Number of decimals allowed for ``currency``; unknown currencies get 2."""
    return MINOR_UNITS.get(currency, 2)
