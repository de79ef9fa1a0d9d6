"""The paper Housing Benefit and Discretionary Housing Payment forms, in
English and Welsh, normal and large print: the key questions read back from
the PDF with pypdf. Page 1 and a middle page are kept as pictures under
tests/artifacts/paper for a person to look at."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from casework.paper.form import PaperOptions, render_form
from casework.paper.reference import form_reference
from tests.unit.casework.paper.helpers import pdf_text, png_pages, service_named, squash

KEY_QUESTIONS = {
    "housing-benefit": [
        "who-can-claim/hb-situation",
        "landlord/landlord-name",
        "rent/rent-includes",
        "supported-housing/support-received",
        "pension-credit/pension-credit-part",
        "non-dependants/non-dependants",
        "claim-date/backdate",
    ],
    "discretionary-housing-payment": [
        "rent-benefit/rent-benefit",
        "reasons/reasons",
        "spare-room/spare-room-use",
        "moving/deposit-amount",
        "how-long/how-long",
        "outgoings/out-energy",
        "steps/steps",
    ],
}
WORDS = {
    ("housing-benefit", "en"): "Claim Universal Credit for help with your rent instead",
    ("housing-benefit", "cy"): "Hawliwch Gredyd Cynhwysol am help gyda'ch rhent yn lle hynny",
    ("discretionary-housing-payment", "en"): "Which benefit helps you pay your rent?",
    ("discretionary-housing-payment", "cy"): "Pa fudd-dal sy'n eich helpu i dalu eich rhent?",
}


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("name", sorted(KEY_QUESTIONS))
def test_the_key_questions_are_printed(name: str, lang: str, large: bool) -> None:
    service = service_named(name)
    reference = form_reference("AL-7K3M9QX", "draft", 7, service.version)
    pdf = render_form(service, PaperOptions(language=lang, large_print=large, reference=reference))
    text = pdf_text(pdf)
    labels = {f"{p.id}/{q.id}": q.text("label", lang) for p in service.pages for q in p.questions}
    for key in KEY_QUESTIONS[name]:
        assert squash(labels[key]) in text, key
    assert squash(WORDS[name, lang]) in text
    assert squash(service.text("title", lang)) in text
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    middle = pages // 2
    assert png_pages(pdf, f"{name}-{lang}-{'large' if large else 'normal'}", 1, 1, dpi=60)
    assert png_pages(
        pdf, f"{name}-{lang}-{'large' if large else 'normal'}-middle", middle, middle, dpi=60
    )
