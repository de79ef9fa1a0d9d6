"""Reading scans (casework.paper.returns.scan): real forms made into poor scans
read back in every file kind, and every file that is not a sensible scan
refused from its headers with one plain sentence."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from casework.paper.reference import copy_reference, parse_page_mark
from casework.paper.returns import scan
from casework.paper.returns.scan import ScanRefused, read_scan
from tests import paper_scans as ps


def _reference(service_id: str, language: str, serial: str = "9QX4TZ") -> str:
    return copy_reference(service_id, ps.service(service_id).version, language, "7K3M", serial)


@pytest.fixture(scope="module")
def blue_badge_cy() -> tuple[str, list[Image.Image]]:
    reference = _reference("blue-badge", "cy")
    return reference, ps.scans(ps.render("blue-badge", reference, "cy"), dpi=100, seed=3)


@pytest.mark.parametrize("suffix", [".pdf", ".tiff"])
def test_every_page_of_a_shuffled_poor_scan_is_read(
    tmp_path: Path, blue_badge_cy: tuple[str, list[Image.Image]], suffix: str
) -> None:
    reference, images = blue_badge_cy
    pages = read_scan(ps.write(images, tmp_path / f"scan{suffix}"))
    marks = [parse_page_mark(page.codes[0]) for page in pages]
    assert {mark.reference.text for mark in marks} == {reference}
    assert sorted(mark.page for mark in marks) == list(range(1, len(images) + 1))
    assert [page.number for page in pages] == list(range(1, len(images) + 1))
    assert not any(page.upside_down or page.blank for page in pages)


@pytest.mark.parametrize(
    ("service_id", "dpi"), [("pension-credit", 150), ("free-school-meals", 100)]
)
def test_a_phone_photo_of_one_page_is_read(tmp_path: Path, service_id: str, dpi: int) -> None:
    reference = _reference(service_id, "en")
    pdf = ps.render(service_id, reference)
    image = ps.imperfect(ps.rasterise(pdf, dpi, pages=[1])[0], seed=dpi)
    for suffix in (".png", ".jpg"):
        (page,) = read_scan(ps.write([image], tmp_path / f"photo{suffix}"))
        assert parse_page_mark(page.codes[0]).page == 2


def test_blank_upside_down_and_cropped_pages_are_told_apart(
    tmp_path: Path, blue_badge_cy: tuple[str, list[Image.Image]]
) -> None:
    _reference_text, images = blue_badge_cy
    (blank,) = read_scan(ps.write([ps.blank_page()], tmp_path / "blank.png"))
    assert blank.blank and not blank.codes
    (turned,) = read_scan(ps.write([ps.upside_down(images[0])], tmp_path / "turned.png"))
    assert turned.upside_down and turned.codes
    (cropped,) = read_scan(ps.write([ps.cropped_through_qr(images[0])], tmp_path / "cut.png"))
    assert not cropped.codes and not cropped.blank and not cropped.upside_down


def test_a_page_the_right_way_up_is_not_upside_down(
    tmp_path: Path, blue_badge_cy: tuple[str, list[Image.Image]]
) -> None:
    (page,) = read_scan(ps.write([blue_badge_cy[1][0]], tmp_path / "page.png"))
    assert page.codes and not page.upside_down


def _refusal(path: Path) -> str:
    with pytest.raises(ScanRefused) as caught:
        read_scan(path)
    return caught.value.message


def test_a_text_file_named_png_is_not_a_scan(tmp_path: Path) -> None:
    path = tmp_path / "form.png"
    path.write_text("Dear Sir, please find my form attached.")
    assert _refusal(path) == "form.png is not a scan: use a PDF, PNG, JPEG or TIFF file."


def test_a_truncated_pdf_is_damaged(tmp_path: Path) -> None:
    pdf = ps.render("blue-badge", _reference("blue-badge", "en"))
    path = tmp_path / "half.pdf"
    path.write_bytes(pdf[: len(pdf) // 3])
    assert "half.pdf is damaged or not finished" in _refusal(path)


def test_a_truncated_png_is_damaged(tmp_path: Path) -> None:
    full = ps.write([ps.blank_page()], tmp_path / "full.png").read_bytes()
    path = tmp_path / "half.png"
    path.write_bytes(full[: len(full) // 2])
    assert "half.png is damaged or not finished" in _refusal(path)


def test_a_600_dpi_40_page_tiff_is_refused_from_its_headers(tmp_path: Path) -> None:
    path = ps.huge_tiff(tmp_path / "archive.tiff", pages=40, dpi=600)
    assert path.stat().st_size < 1_000_000  # small on disk: only decoding it would cost
    started = time.perf_counter()
    message = _refusal(path)
    elapsed = time.perf_counter() - started
    assert message.startswith("archive.tiff is too big to read: 40 pages, 1392 million pixels.")
    print(f"refused a 40-page 600 dpi TIFF in {elapsed * 1000:.0f} ms")


def test_a_tiff_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    page = Image.new("1", (8, 8), 1)
    path = tmp_path / "many.tiff"
    page.save(path, "TIFF", save_all=True, append_images=[page] * scan.MAX_PAGES)
    assert f"{scan.MAX_PAGES + 1} pages" in _refusal(path)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` and holds almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_one_page_of_too_many_pixels_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "poster.png"
    path.write_bytes(_png_header(9000, 9000))  # 81 million: under Pillow's own limit
    assert "poster.png is too big to read: 1 page, 81 million pixels" in _refusal(path)


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(30000, 30000))
    assert "bomb.png is too big to read" in _refusal(path)


def test_a_pdf_of_too_many_pages_is_refused(tmp_path: Path) -> None:
    document = pdfium.PdfDocument.new()
    for _ in range(scan.MAX_PAGES + 1):
        document.new_page(595, 842)
    path = tmp_path / "book.pdf"
    document.save(path)
    assert f"book.pdf is too big to read: {scan.MAX_PAGES + 1} pages" in _refusal(path)


def test_a_pdf_page_too_big_to_draw_is_refused(tmp_path: Path) -> None:
    document = pdfium.PdfDocument.new()
    document.new_page(14400, 14400)  # 200 inches square: 900 million pixels at 150 dpi
    path = tmp_path / "banner.pdf"
    document.save(path)
    assert "banner.pdf is too big to read: 1 page," in _refusal(path)


def test_a_file_bigger_than_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.png"
    path.write_bytes(b"\x89PNG" + bytes(5000))
    assert "big.png is too big to read (0 MB)" in _refusal(path)


def test_a_missing_file_is_refused_in_words(tmp_path: Path) -> None:
    assert _refusal(tmp_path / "nowhere.pdf")


@pytest.mark.parametrize("angle", [90, 270])
def test_a_page_photographed_sideways_is_read_and_kept_upright(
    tmp_path: Path, blue_badge_cy: tuple[str, list[Image.Image]], angle: int
) -> None:
    upright = blue_badge_cy[1][0]
    sideways = upright.rotate(angle, expand=True, fillcolor=235)
    (page,) = read_scan(ps.write([sideways], tmp_path / "sideways.jpg"))
    assert page.codes and not page.upside_down
    assert page.image is not None and page.image.height > page.image.width  # portrait again
