"""Writing PDFs: whole files or nothing, and file names that are safe anywhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casework.kernel.errors import AlongsideError
from casework.paper.files import safe_file_name, write_atomically


def test_a_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "form.pdf"
    target.write_bytes(b"old")
    assert write_atomically(target, b"%PDF-new") == target
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "form.pdf"
    target.write_bytes(b"old")

    def disk_gone(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", disk_gone)  # the rename is where it fails
    with pytest.raises(OSError):
        write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_targets_that_cannot_be_files_are_explained(tmp_path: Path) -> None:
    with pytest.raises(AlongsideError, match="is a folder"):
        write_atomically(tmp_path, b"x")
    with pytest.raises(AlongsideError, match="does not exist"):
        write_atomically(tmp_path / "nowhere" / "x.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("AL-7K3M9QX-blue-badge-D12-cy", "AL-7K3M9QX-blue-badge-D12-cy.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ("Ffurflen Gŵyl / Dewi", "Ffurflen-Gwyl-Dewi.pdf"),
        ("שלום <b>", "b.pdf"),
        ("שלום", "form.pdf"),
        ("", "form.pdf"),
        ("x" * 300, "x" * 120 + ".pdf"),
    ],
)
def test_file_names_are_portable(stem: str, name: str) -> None:
    assert safe_file_name(stem) == name


def test_a_written_form_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """A pre-filled form names a person, like the database beside it (0600)."""
    target = write_atomically(tmp_path / "form.pdf", b"%PDF-1.4\n")
    assert (target.stat().st_mode & 0o777) == 0o600
