"""The paper form prints a fee by nation where nations differ, in the form's language."""

from __future__ import annotations

from casework.forms.definitions import load_catalogue
from casework.paper.form import PaperOptions, render_form
from tests.unit.casework.paper.helpers import pdf_text, squash


def test_blue_badge_on_paper_gives_each_nations_fee() -> None:
    badge = load_catalogue().service_of("blue-badge")
    english = pdf_text(render_form(badge, PaperOptions()))
    assert squash("England: £10.00; Wales: free; Scotland: £20.00") in english
    welsh = pdf_text(render_form(badge, PaperOptions(language="cy")))
    assert squash("Lloegr: £10.00; Cymru: am ddim; Yr Alban: £20.00") in welsh
