"""File names for paper that are safe anywhere (the writer: casework.kernel.files)."""

from __future__ import annotations

import pytest

from casework.paper.files import safe_file_name


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
