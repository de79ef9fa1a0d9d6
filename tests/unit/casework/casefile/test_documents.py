"""Documents attached to cases (casework.casefile.documents): limits, safe names, integrity."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casework.casefile.cases import case_detail
from casework.casefile.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_NAME_BYTES,
    attach_document,
    read_document,
    safe_name,
)
from casework.kernel.errors import AccessRefused, DocumentRejected, NotFound
from casework.kernel.models import DocumentContent
from casework.kernel.records import Actor
from tests.unit.conftest import WriteSession

RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- safe names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("Proof of address.pdf", "Proof of address.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
        ("/absolute/path/letter.docx", "letter.docx"),
        ("report\x00.pdf", "report.pdf"),
        ("line\nbreak\r\tand tab.txt", "linebreakand tab.txt"),
        ("\u202efdp.exe", "fdp.exe"),  # right-to-left override, used to disguise names
        ('a<b>c:d"e|f?g*h.txt', "abcdefgh.txt"),
        ("trailing dots...  ", "trailing dots"),
        ("  spaced  .pdf  ", "spaced  .pdf"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Com1.tar.gz", "_Com1.tar.gz"),
        ("LPT9.doc", "_LPT9.doc"),
        ("nul", "_nul"),
        (".con", "_con"),
        ("CONSENT.pdf", "CONSENT.pdf"),
        ("", "document"),
        ("..", "document"),
        ("...", "document"),
        ("///", "document"),
        ("\x01\x02", "document"),
        ("Cafe\u0301.pdf", "Café.pdf"),  # composed, so it matches what people search for
    ],
)
def test_odd_names_are_made_safe(given_name: str, expected: str) -> None:
    assert safe_name(given_name) == expected


def test_a_very_long_name_keeps_its_extension() -> None:
    name = safe_name("a" * 300 + ".pdf")
    assert len(name) == 120
    assert name.endswith(".pdf")
    assert safe_name("b" * 300) == "b" * 120


@pytest.mark.parametrize("char", ["ü", "語", "😀"])
def test_a_very_long_name_fits_any_file_system(char: str) -> None:
    name = safe_name(char * 300 + ".pdf")
    assert name.endswith(".pdf") and name.startswith(char)
    assert len(name) <= 120
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(name.encode("utf-16-le")) // 2 <= 255


def test_cutting_a_long_extension_leaves_no_trailing_space() -> None:
    name = safe_name("x.abcdefghijklmno pqrs")
    assert not name.endswith((" ", "."))
    assert name == "x.abcdefghijklmno"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
@example(". 0")  # found by hypothesis: only an extension, after a space
@example(".\xa00")  # the same after a no-break space
def test_safe_name_always_gives_a_usable_name(text: str) -> None:
    name = safe_name(text)
    assert name
    assert name not in (".", "..")
    assert not set(name) & set('/\\<>:"|?*')
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)
    assert name == name.strip()
    assert not name.endswith(".")
    assert len(name) <= 120
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.split(".")[0].upper() not in RESERVED
    assert safe_name(name) == name


# -- attaching and reading ---------------------------------------------------------


def test_attach_records_size_type_and_sha256(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path
) -> None:
    data = b"%PDF-1.4 proof of address\n" * 100
    source = _file(tmp_path, "proof.pdf", data)
    with write() as session:
        doc_id = attach_document(session, amira, case_id, source)
        detail = case_detail(session, amira, case_id)
        name, stored = read_document(session, amira, doc_id)
    [record] = detail.documents
    assert record.id == doc_id
    assert record.name == "proof.pdf"
    assert record.size == len(data)
    assert record.media_type == "application/pdf"
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert record.uploaded_by == "Amira Hussain"
    assert (name, stored) == ("proof.pdf", data)
    assert detail.timeline[0].kind == "document_attached"
    assert detail.timeline[0].summary == "Document attached: proof.pdf"


def test_the_name_given_is_made_safe(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path
) -> None:
    source = _file(tmp_path, "upload.bin", b"data")
    with write() as session:
        doc_id = attach_document(session, amira, case_id, source, name="../../etc/passwd")
        name, _data = read_document(session, amira, doc_id)
    assert name == "passwd"


def test_an_unknown_type_is_stored_as_bytes(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path
) -> None:
    source = _file(tmp_path, "scan.weird-extension", b"\x00\x01")
    with write() as session:
        attach_document(session, amira, case_id, source)
        [record] = case_detail(session, amira, case_id).documents
    assert record.media_type == "application/octet-stream"


def test_the_size_limit_is_25_mb(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path
) -> None:
    assert MAX_DOCUMENT_BYTES == 25 * 1024 * 1024
    too_big = tmp_path / "too-big.pdf"
    with too_big.open("wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no 25 MB written to disk
    with pytest.raises(DocumentRejected, match="the limit is 25 MB"), write() as session:
        attach_document(session, amira, case_id, too_big)
    just_fits = tmp_path / "just-fits.pdf"
    with just_fits.open("wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES)
    with write() as session:
        attach_document(session, amira, case_id, just_fits)
        sizes = [d.size for d in case_detail(session, amira, case_id).documents]
    assert sizes == [MAX_DOCUMENT_BYTES]


def test_an_empty_file_is_refused(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path
) -> None:
    source = _file(tmp_path, "empty.pdf", b"")
    with pytest.raises(DocumentRejected, match="empty"), write() as session:
        attach_document(session, amira, case_id, source)
    with write() as session:
        assert case_detail(session, amira, case_id).documents == ()


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("missing", "there is no such file"),
        ("folder", "is a folder, not a file"),
        ("pipe", "is a named pipe, not a file"),
        ("unreadable", "cannot be read"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_clearly(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path, kind: str, words: str
) -> None:
    """Each says what the file is and names it; a pipe nobody writes to is
    refused at once, never opened (that would wait for a writer)."""
    source = tmp_path / "scan.pdf"
    if kind == "folder":
        source.mkdir()
    elif kind == "pipe":
        os.mkfifo(source)
    elif kind == "unreadable":
        if os.name != "posix" or os.geteuid() == 0:
            pytest.skip("root can read any file")
        source.write_bytes(b"secret")
        source.chmod(0)
    with pytest.raises(DocumentRejected, match=words) as refused, write() as session:
        attach_document(session, amira, case_id, source)
    assert str(source) in refused.value.message
    with write() as session:
        detail = case_detail(session, amira, case_id)
    assert detail.documents == ()
    assert [e.kind for e in detail.timeline] == ["case_opened"]  # nothing half-written


def test_damaged_content_is_refused_on_reading(
    write: WriteSession, amira: Actor, case_id: int, tmp_path: Path
) -> None:
    with write() as session:
        doc_id = attach_document(session, amira, case_id, _file(tmp_path, "a.txt", b"original"))
    with write() as session:
        content = session.get(DocumentContent, doc_id)
        assert content is not None
        content.data = b"0riginal"
    with pytest.raises(DocumentRejected, match="damaged"), write() as session:
        read_document(session, amira, doc_id)


def test_documents_follow_the_caseload(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int, tmp_path: Path
) -> None:
    source = _file(tmp_path, "a.txt", b"private")
    with write() as session:
        doc_id = attach_document(session, amira, case_id, source)
    with pytest.raises(AccessRefused), write() as session:
        read_document(session, sam, doc_id)
    with pytest.raises(AccessRefused), write() as session:
        attach_document(session, sam, case_id, source)
    with pytest.raises(NotFound), write() as session:
        read_document(session, amira, 999_999)
