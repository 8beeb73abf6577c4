"""``python -m bench.convert_renault small|medium|big [-o FILE]``: XCSP to option-set/1 JSON."""

from __future__ import annotations

import argparse
import json
import sys

from .xcsp import renault


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=["small", "medium", "big"])
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    document = renault(args.size)
    if not args.output:
        json.dump(document, sys.stdout, ensure_ascii=False)
        return
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False)
    print(f"{args.output}: {len(document['groups'])} groups, {len(document['rules'])} rules")


if __name__ == "__main__":
    main()
