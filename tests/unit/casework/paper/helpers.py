"""Shared by the paper tests: the definitions to print, answers to print on
them, a mandate to print a receipt for, and the text of a PDF read back."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from casework.forms import answers as forms
from casework.forms.definitions import (
    Question,
    Service,
    definition_files,
    load_definition,
    parse_definition,
)
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from delegation import mandate_actions
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.records import GrantRequest
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.conftest import PATIENCE_S
from tests.unit.casework.forms.sample_service import sample_bytes
from tests.unit.conftest import WriteSession

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "paper"
SCOPE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions=["view", "draft"], categories=["identity"])]
)


def grant_consent(write: WriteSession, actor: Actor, person_id: int) -> int:
    """A 90-day consent mandate to ``actor`` to look at and fill in the person's
    Blue Badge forms with their identity details; its id."""
    request = GrantRequest(
        person_id=person_id,
        grantee_kind="worker",
        grantee_id=actor.worker_id,
        basis="consent",
        scope=SCOPE,
        ends_at=utcnow() + timedelta(days=90),
        task_list_shown=describe(SCOPE),
        consent_method="in_person",
        seen_alone=True,
        safeguarding_answers=dict(SAFEGUARDING_QUESTIONS),
    )
    with write() as session:
        return mandate_actions.grant_mandate(session, actor, request).mandate.id


@cache
def sample_service() -> Service:
    return parse_definition(sample_bytes(), "sample-service.json")


def service_params() -> list[Any]:
    """The sample definition and every shipped one, by name (loaded lazily)."""
    return ["sample", *(path.stem for path in definition_files())]


@cache
def service_named(name: str) -> Service:
    if name == "sample":
        return sample_service()
    return load_definition(next(p for p in definition_files() if p.stem == name))


def squash(text: str) -> str:
    """Text without any whitespace: labels may wrap anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return squash("".join(page.extract_text() for page in reader.pages))


def poppler_text(pdf: bytes) -> str:
    """Like ``pdf_text``, read with poppler's pdftotext (about four times faster)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=PATIENCE_S,
    )
    return squash(out.stdout.decode("utf-8"))


def last_page_image(pdf: bytes, pages: int, dpi: int = 110) -> Any:
    """The last page as a PIL image (for decoding its QR code), not kept."""
    from PIL import Image

    page = str(pages)
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", page, "-l", page, "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=PATIENCE_S,
    )
    return Image.open(io.BytesIO(out.stdout))


def value_for(q: Question, n: int) -> Any:
    """A distinctive answer for question number ``n`` (following the happy route)."""
    kind = q.type
    if kind in ("text", "long_text"):
        return f"Answer{n}Q"
    if kind == "email":
        return f"person{n}@example.com"
    if kind == "phone":
        return f"07700900{n:03d}"
    if kind == "number":
        rules = q.raw.get("validation", {})
        return max(int(rules.get("min", 0)), min(int(rules.get("max", 1000)), 1 + n % 9))
    if kind == "money":
        return 1234 + n * 101
    if kind == "date":
        return {
            "date": date(1940 + n % 60, 1 + n % 12, 1 + n % 28).isoformat(),
            "approximate": False,
        }
    if kind == "yes_no":
        return True
    if kind == "choice":
        return q.options[0]
    if kind == "multi_choice":
        return [q.options[0]]
    if kind == "address":
        # Distinct for every n (a long form has more than 80 questions).
        postcode = f"CF{10 + n % 80} {n % 10}{'ABDEFGHJLN'[n // 80 % 10]}B"
        return {"lines": [f"Flat Q{n}Q Testing Street"], "town": f"Town{n}Q", "postcode": postcode}
    if kind == "ni_number":
        return "QQ123456C"
    if kind == "nhs_number":
        return "9434765919"
    if kind == "group":
        return [
            {c.id: value_for(c, n * 10 + i) for i, c in enumerate(q.children)} for _ in range(2)
        ]
    raise AssertionError(kind)


def answers_for(service: Service) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for n, q in enumerate(service.questions(), start=1):
        answers[q.id] = value_for(q, n)
    # forms.prune judges conditions on the answers it was given, stale ones
    # included, so prune until nothing changes: only the real route is left.
    while True:
        pruned = forms.prune(service, answers)
        if pruned == answers:
            return pruned
        answers = pruned


def printed(q: Question, value: Any) -> list[str]:
    """What must appear in the PDF's text for this answer (whitespace removed)."""
    kind = q.type
    if kind in ("yes_no", "choice", "multi_choice"):
        return []  # shown as ticks
    if kind == "date":
        return [date.fromisoformat(value["date"]).strftime("%d%m%Y")]
    if kind == "money":
        return [squash(forms.format_money(value))]
    if kind == "address":
        return [squash(value["lines"][0]), value["town"], squash(value["postcode"])]
    if kind == "group":
        out: list[str] = []
        for item in value:
            for child in q.children:
                if child.id in item and child.type in ("text", "long_text", "email"):
                    out.append(str(item[child.id]))
        return out
    return [squash(str(value))]


def textual(q: Question) -> bool:
    """Answers whose text is distinctive enough to prove absence."""
    return q.type in ("text", "long_text", "email", "address")


def png_pages(pdf: bytes, name: str, first: int, last: int, dpi: int = 150) -> list[Path]:
    """Pages rendered with pdftoppm, kept under tests/artifacts/paper for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-[0-9]*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(first),
            "-l",
            str(last),
            str(source),
            str(ARTIFACTS / name),
        ],
        check=True,
        timeout=PATIENCE_S,
    )
    return sorted(ARTIFACTS.glob(f"{name}-[0-9]*.png"))


_WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*)</word>'
)


def page_words(pdf: bytes, margin: float = 0.5) -> list[tuple[str, bool]]:
    """Every word (from poppler's ``pdftotext -bbox``, much faster than pypdf on
    long documents) and whether its box lies inside its page."""
    import html
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-bbox", str(source), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=PATIENCE_S,
        ).stdout
    words: list[tuple[str, bool]] = []
    width = height = 0.0
    for line in out.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            width, height = float(page.group(1)), float(page.group(2))
            continue
        word = _WORD.search(line)
        if word:
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            inside = not (
                x0 < -margin or y0 < -margin or x1 > width + margin or y1 > height + margin
            )
            words.append((html.unescape(word.group(5)), inside))
    return words


def words_off_the_page(pdf: bytes) -> list[str]:
    """Words whose box leaves the page: text that overflowed instead of
    wrapping or continuing (poppler clips such a word at the edge)."""
    return [word[:40] for word, inside in page_words(pdf) if not inside]
