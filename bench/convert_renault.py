"""``python -m bench.convert_renault small|medium|big [-o FILE]``: a Renault model as option-set/1.

The Renault BR4CP vehicle models (``../shared/data/configuration/renault_br4cp/``, XCSP 2.1
positive tables, see that folder's README) become option-set/1 documents with product SKU
``RENAULT-SMALL``, ``RENAULT-MEDIUM`` or ``RENAULT-BIG``, prices in EUR and a base price of 0.
The data is benchmark data only: nothing in the product or its tests needs it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .xcsp import xcsp_read, xcsp_to_option_set

SIZES = ("small", "medium", "big")
# Where the data lives: $CONFIGURATOR_BENCH_DATA, else ../shared/data/configuration.
DATA = Path(
    os.environ.get(
        "CONFIGURATOR_BENCH_DATA",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "configuration",
    )
)
# Valid configurations, from the data's README (jokers counted as one value each).
EXPECTED_COUNTS = {"small": 172056, "medium": 278744, "big": 24566537954855761920000}


def renault_path(size: str) -> Path:
    return DATA / "renault_br4cp" / size / "contraintes.xml"


def renault_document(size: str) -> dict[str, Any]:
    """The Renault model ``size`` (small, medium or big) as an option-set/1 document."""
    if size not in SIZES:
        raise ValueError(f"Unknown model “{size}”: one of {', '.join(SIZES)}.")
    path = renault_path(size)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: set CONFIGURATOR_BENCH_DATA to the folder holding renault_br4cp/."
        )
    sku = f"RENAULT-{size.upper()}"
    return xcsp_to_option_set(xcsp_read(path), sku=sku, name=f"Renault {size} (BR4CP)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=SIZES)
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    document = renault_document(args.size)
    if not args.output:
        json.dump(document, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False)
    rows = sum(len(rule["rows"]) for rule in document["rules"])
    print(
        f"{args.output}: {len(document['groups'])} groups, "
        f"{len(document['rules'])} tables, {rows} rows",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
