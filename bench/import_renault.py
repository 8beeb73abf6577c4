"""``python -m bench.import_renault [small medium big]``: catalog import of the vehicle models.

Imports each Renault model (converted to option-set/1) through the catalog's import service
into a fresh database (SQLite in a temporary folder, or ``DATABASE_URL``), and prints the
time next to a baseline measured in the same run: parsing the same document from JSON text.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", default=["small", "medium", "big"])
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="bench-import-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from catalog.services import option_set_import

    from .convert_renault import renault_document as renault

    call_command("migrate", verbosity=0)
    print("| model | groups | table rows | import (s) | JSON parse baseline (s) | ratio |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        document = renault(size)
        text = json.dumps(document)
        start = time.perf_counter()
        json.loads(text)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        option_set_import(document=document)
        seconds = time.perf_counter() - start
        rows = sum(len(r["rows"]) for r in document["rules"])
        print(
            f"| {size} | {len(document['groups'])} | {rows} | {seconds:.2f} | "
            f"{baseline:.3f} | {seconds / baseline:.1f} |"
        )


if __name__ == "__main__":
    main()
