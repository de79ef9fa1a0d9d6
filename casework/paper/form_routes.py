"""The paper layer's side of a form's routes: the filled-in form as a PDF, and
the precompiled-letter check (``casework.forms.routes.FormPaper``).

A form sent by email goes as this PDF; a form sent as a letter is the same
PDF with the person's address in Notify's address block, and must pass
``letter.check_letter`` before it is queued. Every answer of the submission
is printed: the policy decision to send it has already allowed each one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casework.forms.definitions import Service
from casework.paper.reference import Kind, form_reference


class FormPdfs:
    """``casework.forms.routes.FormPaper`` over the paper renderer."""

    def form_pdf(
        self,
        service: Service,
        answers: Mapping[str, Any],
        *,
        case_reference: str,
        record: tuple[str, int],
        language: str,
        letter_address: Sequence[str] | None = None,
    ) -> bytes:
        # The renderer and the letter check (reportlab, pypdf) load on first use.
        from casework.paper.form import PaperOptions, render_form

        kind: Kind = "submission" if record[0] == "submission" else "draft"
        return render_form(
            service,
            PaperOptions(
                language=language,
                answers=answers,
                reference=form_reference(case_reference, kind, record[1], service.version),
                letter_address=list(letter_address) if letter_address is not None else None,
            ),
        )

    def check_letter(self, pdf: bytes) -> list[str]:
        from casework.paper import letter

        return letter.check_letter(pdf)


PAPER = FormPdfs()
