"""Watching a PDF's pages as they are laid out: what the preview's progress
bar and Stop button stand on."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from casework.forms.definitions import load_catalogue
from casework.paper.form import render_form
from casework.paper.layout import watching_pages


class Stopped(Exception):
    pass


def _hc1() -> Any:
    return max(load_catalogue().services, key=lambda s: s.question_count())


# One copy's reference: each render would otherwise print a new one.
REFERENCE = "AF-HC1-2026.1-EN-0000-7K3M9Q-00"


def test_each_page_is_told_as_it_is_laid_out() -> None:
    from casework.paper.form import PaperOptions

    options = PaperOptions(reference=REFERENCE)
    seen: list[int] = []
    with watching_pages(seen.append):
        pdf = render_form(_hc1(), options)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 2 and seen == list(range(1, pages + 1))
    assert render_form(_hc1(), options) == pdf  # watching changes nothing on paper


def test_a_watcher_that_stops_the_rendering_leaves_no_pdf() -> None:
    seen: list[int] = []

    def stop_at_two(page: int) -> None:
        seen.append(page)
        if page == 2:
            raise Stopped

    with watching_pages(stop_at_two), pytest.raises(Stopped):
        render_form(_hc1())
    assert seen == [1, 2]


def _text(pdf: bytes, page: int = 0) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page].extract_text()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_first_page_comes_alone_before_the_rest(language: str) -> None:
    from casework.paper.form import PaperOptions

    options = PaperOptions(language=language, reference=REFERENCE)
    early: list[bytes] = []
    seen: list[int] = []

    def first_page(pdf: bytes) -> None:
        assert seen == []  # before any page of the whole form is laid out
        early.append(pdf)

    with watching_pages(seen.append, first_page=first_page):
        pdf = render_form(_hc1(), options)
    assert pdf == render_form(_hc1(), options)  # the whole form is as ever
    [first] = early
    assert len(PdfReader(io.BytesIO(first)).pages) == 1
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    word = {"en": "Page", "cy": "Tudalen"}[language]
    of = {"en": "of", "cy": "o"}[language]
    # The same page, but its footer cannot yet know how many pages follow.
    assert f"{word} 1 {of} {pages}" in _text(pdf)
    assert f"{word} 1 {of}" not in _text(first) and f"{word} 1" in _text(first)
    assert _text(first) == _text(pdf).replace(f"{word} 1 {of} {pages}", f"{word} 1")
