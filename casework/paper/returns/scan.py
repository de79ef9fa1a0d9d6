"""Reading scans and phone photos of returned forms: pages, and the QR marks on them.

``read_scan(path)`` opens one file (PDF, PNG, JPEG or TIFF, several pages or
one), checks from its headers that it is a scan of a sensible size before
decoding anything, and returns each page with the QR codes zxing-cpp found on
it, whether it is blank and whether it is upside down. A file that is not a
scan, is damaged, or is too big to read (a 600 dpi 40-page TIFF, a decompression
bomb) raises ``ScanRefused`` with one sentence that says what to do.

A page is read as scanned first; if nothing is found, it is tried again
cleaned up: grey, evened out, smoothed of speckle and enlarged when it is
small. zxing-cpp finds codes at any angle, so a page a few degrees askew reads
as it is; the angle it reports says whether the page is upside down.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casework.kernel import files
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, ngettext

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 120  # the longest form is 42 pages; a scan of two copies fits
MAX_PAGE_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
MAX_TOTAL_PIXELS = 500_000_000  # about 57 A4 pages at 300 dpi, 14 at 600
PDF_DPI = 150  # a PDF page is drawn at this to be read
READ_SIDE = 2600  # a page's longer side is brought down to this before reading
BLANK_INK = 0.002  # less than this share of dark pixels is a blank page
KINDS = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}


class ScanRefused(AlongsideError):
    """A file that cannot be read as a scan; the message says what to do."""


@dataclass(frozen=True)
class ScannedPage:
    """One page of a scan, and what was found on it."""

    file: Path
    number: int  # 1 for the first page of its file
    codes: tuple[str, ...]
    upside_down: bool = False
    blank: bool = False
    image: Image | None = field(default=None, compare=False, repr=False)
    scan_sha256: str = ""  # of the whole file the page came in


def kind_of(data: bytes) -> str | None:
    """``pdf``, ``png``, ``jpeg`` or ``tiff`` by the file's first bytes, or None."""
    for magic, kind in KINDS.items():
        if data.startswith(magic):
            return kind
    return None


def read_scan(path: Path, keep_images: bool = True) -> list[ScannedPage]:
    """Every page of the scan at ``path``, read; ``ScanRefused`` if it can't be."""
    try:
        data = files.read_bounded(path, MAX_FILE_BYTES)
    except files.FileTooLarge as exc:
        raise ScanRefused(
            _("{name} is too big to read ({size} MB). Scan it at 300 dpi or less.").format(
                name=path.name, size=round(exc.size / 1_048_576)
            )
        ) from exc
    except files.FileRefused as exc:
        raise ScanRefused(exc.message) from exc
    except OSError as exc:  # a name too long, a drive gone: said, and the next file read
        raise ScanRefused(
            _("{name} could not be read: {reason}.").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from exc
    return read_scan_bytes(data, path, keep_images)


def read_scan_bytes(data: bytes, path: Path, keep_images: bool = True) -> list[ScannedPage]:
    """The pages of a scan already read into ``data`` (``path`` names it in messages)."""
    kind = kind_of(data)
    if kind is None:
        raise ScanRefused(
            _("{name} is not a scan: use a PDF, PNG, JPEG or TIFF file.").format(name=path.name)
        )
    images = _pdf_pages(data, path) if kind == "pdf" else _image_pages(data, path)
    digest = hashlib.sha256(data).hexdigest()
    pages = []
    for number, image in enumerate(images, start=1):
        codes, turn, blank = _read(image)
        kept = _reading_size(image) if keep_images else None  # a phone photo kept smaller
        if kept is not None and turn in (90, 270):  # a photo taken sideways is kept upright
            kept = kept.rotate(turn, expand=True)
        pages.append(ScannedPage(path, number, codes, turn == 180, blank, kept, digest))
    if not pages:
        raise ScanRefused(_("{name} has no pages.").format(name=path.name))
    return pages


def _damaged(path: Path) -> ScanRefused:
    return ScanRefused(
        _("{name} is damaged or not finished: scan it again and save it whole.").format(
            name=path.name
        )
    )


def _too_big(path: Path, pages: int, pixels: int) -> ScanRefused:
    size = ngettext(
        "{pages} page, {megapixels} million pixels",
        "{pages} pages, {megapixels} million pixels",
        pages,
    ).format(pages=pages, megapixels=round(pixels / 1_000_000))
    return ScanRefused(
        _(
            "{name} is too big to read: {size}. "
            "Scan it at 300 dpi or less (200 is enough), a form at a time."
        ).format(name=path.name, size=size)
    )


def _check_size(path: Path, sizes: list[tuple[int, int]]) -> None:
    """Refuse, before decoding, a scan with too many pages or too many pixels."""
    total = sum(width * height for width, height in sizes)
    if (
        len(sizes) > MAX_PAGES
        or total > MAX_TOTAL_PIXELS
        or any(width * height > MAX_PAGE_PIXELS for width, height in sizes)
    ):
        raise _too_big(path, len(sizes), total)


def _pdf_pages(data: bytes, path: Path) -> Iterator[Image]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _damaged(path) from exc
    try:
        scale = PDF_DPI / 72
        sizes = []
        for index in range(len(document)):
            width, height = document.get_page_size(index)
            sizes.append((int(width * scale), int(height * scale)))
        _check_size(path, sizes)
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                images.append(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise _damaged(path) from exc
    finally:
        document.close()
    return iter(images)


def _image_pages(data: bytes, path: Path) -> Iterator[Image]:
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        with PILImage.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)  # counts the frames' headers only
            sizes = []
            for index in range(frames):
                image.seek(index)  # reads the frame's header, not its pixels
                sizes.append(image.size)
            _check_size(path, sizes)
            pages = []
            for index in range(frames):
                image.seek(index)
                page = ImageOps.exif_transpose(image.convert("L"))  # a phone's own turn
                pages.append(page)
    except ScanRefused:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise _too_big(path, 1, MAX_PAGE_PIXELS + 1) from exc
    except (UnidentifiedImageError, OSError, EOFError, ValueError, SyntaxError) as exc:
        raise _damaged(path) from exc
    return iter(pages)


def _barcodes(image: Image) -> list[tuple[str, int]]:
    import zxingcpp

    found = zxingcpp.read_barcodes(
        image,
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_rotate=True,
        try_downscale=True,
    )
    return [(code.text, int(code.orientation)) for code in found if code.valid]


def _second_tries(image: Image) -> Iterator[Image]:
    """The page made easier to read, one way after another: enlarged and
    smoothed of speckle when it is small, then evened out to black and white."""
    from PIL import Image as PILImage
    from PIL import ImageFilter, ImageOps

    if max(image.size) * 2 <= READ_SIDE * 1.5:
        larger = image.resize((image.width * 2, image.height * 2), PILImage.Resampling.LANCZOS)
        yield larger.filter(ImageFilter.MedianFilter(5))
    page = ImageOps.autocontrast(image, cutoff=1).filter(ImageFilter.MedianFilter(3))
    yield page.point(lambda value: 255 if value > 140 else 0)


def _reading_size(image: Image) -> Image:
    from PIL import Image as PILImage

    longest = max(image.size)
    if longest <= READ_SIDE:
        return image
    ratio = READ_SIDE / longest
    size = (max(1, int(image.width * ratio)), max(1, int(image.height * ratio)))
    return image.resize(size, PILImage.Resampling.BOX)


def is_blank(image: Image) -> bool:
    """Whether a page has (next to) no ink on it: a blank back, an empty scan."""
    small = image.reduce(4) if min(image.size) >= 16 else image
    histogram = small.histogram()
    dark = sum(histogram[:128])
    return dark < BLANK_INK * small.width * small.height


def read_page(image: Image) -> tuple[tuple[str, ...], bool, bool]:
    """A page's QR texts, whether it is upside down and whether it is blank."""
    codes, turn, blank = _read(image)
    return codes, turn == 180, blank


def _read(image: Image) -> tuple[tuple[str, ...], int, bool]:
    """A page's QR texts, the quarter turn (0, 90, 180 or 270 degrees
    anticlockwise) that brings it upright, and whether it is blank."""
    page = _reading_size(image)
    found = _barcodes(page)
    for easier in _second_tries(page) if not found else ():
        found = _barcodes(easier)
        if found:
            break
    if not found:
        return (), 0, is_blank(page)
    # zxing-cpp gives each code's turn clockwise; a page a few degrees askew is upright.
    turn = round((found[0][1] % 360) / 90) % 4 * 90
    return tuple(text for text, _orientation in found), turn, False
