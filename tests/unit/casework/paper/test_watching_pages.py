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


def test_each_page_is_told_as_it_is_laid_out() -> None:
    seen: list[int] = []
    with watching_pages(seen.append):
        pdf = render_form(_hc1())
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 2 and seen == list(range(1, pages + 1))
    assert render_form(_hc1()) == pdf  # watching changes nothing on paper


def test_a_watcher_that_stops_the_rendering_leaves_no_pdf() -> None:
    seen: list[int] = []

    def stop_at_two(page: int) -> None:
        seen.append(page)
        if page == 2:
            raise Stopped

    with watching_pages(stop_at_two), pytest.raises(Stopped):
        render_form(_hc1())
    assert seen == [1, 2]
