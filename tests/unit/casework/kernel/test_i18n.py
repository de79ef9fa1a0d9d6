"""Translation (casework.kernel.i18n) and the Welsh catalogue in resources/translations."""

from __future__ import annotations

import gettext
import importlib.util
import io
import string
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from casework.kernel import i18n
from casework.kernel.i18n import (
    N_,
    _,
    current_language,
    ngettext,
    on_language_changed,
    set_language,
)
from casework.kernel.validators import check_name

ROOT = Path(__file__).resolve().parents[4]
PO = i18n.LOCALE_DIR / "cy" / "LC_MESSAGES" / "alongside.po"
MO = PO.with_suffix(".mo")

WELSH_ENTER_A_NAME = "Rhowch enw."


@pytest.fixture
def welsh_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue with one Welsh translation, in place of the real one."""
    catalog = Catalog(locale="cy", domain=i18n.DOMAIN)
    catalog.add("Enter a name.", WELSH_ENTER_A_NAME)
    catalog.add(("{n} case", "{n} cases"), ("{n} achos", "{n} achos", "{n} achos", "{n} achos"))
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{i18n.DOMAIN}.mo").open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)


@pytest.fixture
def listeners(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Languages announced to listeners during the test (and none left behind)."""
    heard: list[str] = []
    monkeypatch.setattr(i18n, "_listeners", [])
    on_language_changed(heard.append)
    return heard


def test_english_is_the_default() -> None:
    assert current_language() == "en"
    assert _("Enter a name.") == "Enter a name."


def test_welsh_is_used_where_a_translation_exists(welsh_catalogue: None) -> None:
    set_language("cy")
    assert current_language() == "cy"
    assert _("Enter a name.") == WELSH_ENTER_A_NAME
    # The core's own messages are translated when they are raised, not at import.
    with pytest.raises(ValueError, match=WELSH_ENTER_A_NAME):
        check_name("")
    assert ngettext("{n} case", "{n} cases", 2) == "{n} achos"


def test_untranslated_text_falls_back_to_english(welsh_catalogue: None) -> None:
    set_language("cy")
    assert _("Names must be 100 characters or fewer.") == "Names must be 100 characters or fewer."
    assert ngettext("{n} note", "{n} notes", 1) == "{n} note"
    assert ngettext("{n} note", "{n} notes", 3) == "{n} notes"


def test_switching_back_to_english(welsh_catalogue: None, listeners: list[str]) -> None:
    set_language("cy")
    set_language("en")
    assert _("Enter a name.") == "Enter a name."
    assert listeners == ["cy", "en"]


def test_a_missing_catalogue_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "nowhere")
    set_language("cy")
    assert current_language() == "cy"
    assert _("Enter a name.") == "Enter a name."


def test_an_unsupported_language_is_refused(listeners: list[str]) -> None:
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        set_language("fr")
    assert current_language() == "en"
    assert listeners == []


def test_n_marks_without_translating(welsh_catalogue: None) -> None:
    set_language("cy")
    assert N_("Enter a name.") == "Enter a name."


# -- the real Welsh catalogue ------------------------------------------------------


def _translations_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "alongside_translations_script", ROOT / "scripts" / "translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_real_welsh_catalogue_translates_or_falls_back() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    set_language("cy")
    checked = 0
    for message in catalog:
        if not message.id or message.pluralizable:
            continue
        translated = message.string and not message.fuzzy
        assert _(message.id) == (message.string if translated else message.id)
        checked += 1
    assert checked > 50  # the catalogue holds the app's messages


def test_the_compiled_catalogue_is_up_to_date_with_the_po() -> None:
    assert MO.exists(), "run: python scripts/translations.py compile"
    expected = gettext.GNUTranslations(io.BytesIO(_translations_script().compiled("cy")))
    shipped = gettext.GNUTranslations(io.BytesIO(MO.read_bytes()))
    # The header names the Babel version that wrote it; only the messages matter.
    expected_messages = {k: v for k, v in expected._catalog.items() if k != ""}  # type: ignore[attr-defined]
    shipped_messages = {k: v for k, v in shipped._catalog.items() if k != ""}  # type: ignore[attr-defined]
    assert shipped_messages == expected_messages, (
        "alongside.mo is out of date: run python scripts/translations.py compile"
    )


def test_every_message_in_the_code_is_in_the_catalogue() -> None:
    """A new ``_()`` string reaches the translators only after an extract."""
    in_code = {m.id for m in _translations_script().template() if m.id}
    with PO.open("rb") as handle:
        in_po = {m.id for m in read_po(handle, locale="cy") if m.id}
    missing = sorted(str(m) for m in in_code - in_po)
    assert not missing, (
        f"{len(missing)} new messages, e.g. {missing[:3]}: "
        "run python scripts/translations.py extract"
    )


def _placeholders(text: str) -> frozenset[str]:
    """The fields of a ``str.format`` text, as written: ``{n}``, ``{size:,}``, ``{id!r}``."""
    fields = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add(
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return frozenset(fields)


def _welsh_problems(po: Path) -> list[str]:
    """Messages of a Welsh .po a reader would see in English, or whose {placeholders} differ."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        problems.extend(_message_problems(message, catalog.num_plurals))
    return problems


def _message_problems(message: Message, num_plurals: int) -> list[str]:
    if message.pluralizable:
        english = [str(text) for text in message.id]
        welsh = list(message.string) if isinstance(message.string, (tuple, list)) else []
        if len(welsh) != num_plurals or not all(welsh):
            return [f"{message.id!r}: needs all {num_plurals} Welsh plural forms"]
    else:
        english = [str(message.id)]
        welsh = [str(message.string)] if message.string else []
        if not welsh:
            return [f"{message.id!r}: has no Welsh"]
    if message.fuzzy:
        return [f"{message.id!r}: is marked fuzzy, so the app shows English"]
    try:
        expected = {_placeholders(text) for text in english}
    except ValueError:  # not a format string: braces, if any, are plain text
        return []
    problems = []
    for form in welsh:
        try:
            got = _placeholders(form)
        except ValueError as error:
            problems.append(f"{message.id!r}: the Welsh {form!r} is not a valid format ({error})")
            continue
        if got not in expected:
            problems.append(
                f"{message.id!r}: the Welsh {form!r} has {sorted(got)}, "
                f"the English {sorted(set().union(*expected))}"
            )
    return problems


def test_placeholders_are_read_as_written() -> None:
    assert _placeholders("{size:,} of {limit:,}; {id!r} at {path}.") == {
        "{size:,}",
        "{limit:,}",
        "{id!r}",
        "{path}",
    }
    assert _placeholders("No fields here.") == frozenset()


def test_every_welsh_message_is_translated_with_the_same_placeholders() -> None:
    """A Welsh reader never sees English, and every {placeholder} survives translation."""
    problems = _welsh_problems(PO)
    assert not problems, f"{len(problems)} Welsh messages need work:\n" + "\n".join(problems[:20])


def test_the_welsh_check_finds_an_empty_or_broken_translation(tmp_path: Path) -> None:
    po = tmp_path / "alongside.po"
    po.write_text(
        'msgid ""\n'
        'msgstr ""\n'
        '"Language: cy\\n"\n'
        '"Plural-Forms: nplurals=5; plural=(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0);\\n"\n'
        "\n"
        'msgid "Enter a name."\n'
        'msgstr ""\n'
        "\n"
        'msgid "Profile created at {path}."\n'
        'msgstr "Crëwyd proffil yn {lle}."\n'
        "\n"
        'msgid "the file is {size:,} bytes"\n'
        'msgstr "mae\'r ffeil yn {size} beit"\n'
        "\n"
        'msgid "{n} case"\n'
        'msgid_plural "{n} cases"\n'
        'msgstr[0] "{n} achos"\n'
        'msgstr[1] "{n} achos"\n'
        'msgstr[2] ""\n'
        'msgstr[3] "{n} achos"\n'
        'msgstr[4] "{n} achos"\n',
        encoding="utf-8",
    )
    problems = _welsh_problems(po)
    assert len(problems) == 4, problems
    assert all(
        any(english in problem for problem in problems)
        for english in ("Enter a name.", "{path}", "{size:,}", "{n} case")
    )
