"""Keep the translation catalogues in step with the code.

    python scripts/translations.py extract   # update alongside.pot and each .po
    python scripts/translations.py compile   # write the .mo files the app loads

Messages are the arguments of ``_()``, ``N_()`` and ``ngettext()`` in the
Python packages. Uses Babel's catalogue tools.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "resources" / "translations"
PACKAGES = ("app", "casework", "delegation", "offline_sync", "ui")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LANGUAGES = ("cy",)


def template() -> Catalog:
    catalog = Catalog(project="Alongside", domain="alongside")
    for package in PACKAGES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            catalog.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "alongside.po"


def extract() -> None:
    pot = template()
    LOCALES.mkdir(parents=True, exist_ok=True)
    with (LOCALES / "alongside.pot").open("wb") as handle:
        write_po(handle, pot, omit_header=False, sort_output=True, width=100)
    for language in LANGUAGES:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            catalog = Catalog(locale=language, project="Alongside", domain="alongside")
        catalog.update(pot, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100, ignore_obsolete=True)


def compiled(language: str) -> bytes:
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled(language))


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "extract":
        extract()
    elif action == "compile":
        compile_all()
    else:
        sys.exit(__doc__)
