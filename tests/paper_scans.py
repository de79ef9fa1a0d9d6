"""Real, imperfect scans of real paper forms, for the tests of paper coming back.

A form is rendered as it is printed, then each page is rasterised with
pypdfium2 at a phone-photo resolution (100-150 dpi), turned a few degrees,
speckled with noise and JPEG-compressed, and written as PNG, JPEG, a
multi-page TIFF or a PDF. The bad inputs are made the same way: a blank page,
a page upside down, a page cropped through its QR code, a page whose QR code
holds a reference with wrong check digits, and cheap huge files.
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from casework.escalation import directory
from casework.forms import definitions
from casework.forms.definitions import Catalogue, Service

A4_MM = (210, 297)


@cache
def catalogue() -> Catalogue:
    return definitions.load_catalogue(route_check=directory.route_problem)


def service(service_id: str) -> Service:
    found = catalogue().get(service_id)
    assert found is not None, service_id
    return found


def render(
    service_id: str, reference: str, language: str = "en", answers: Mapping[str, Any] | None = None
) -> bytes:
    """The printed form's PDF, carrying ``reference`` (a copy's: each page its own mark)."""
    from casework.paper.form import PaperOptions, render_form

    options = PaperOptions(language=language, reference=reference, answers=answers)
    return render_form(service(service_id), options)


def rasterise(pdf: bytes, dpi: int = 120, pages: Sequence[int] | None = None) -> list[Image.Image]:
    """Pages of ``pdf`` (0-based ``pages``, default all) as greyscale images."""
    document = pdfium.PdfDocument(pdf)
    try:
        chosen = range(len(document)) if pages is None else pages
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in chosen]
    finally:
        document.close()


def imperfect(image: Image.Image, seed: int, quality: int = 55) -> Image.Image:
    """``image`` as a poor scan: turned 2-5 degrees either way, noisy, JPEG'd."""
    rnd = random.Random(seed)
    angle = rnd.uniform(2, 5) * rnd.choice((-1, 1))
    turned = image.rotate(angle, expand=True, fillcolor=235, resample=Image.Resampling.BICUBIC)
    noisy = Image.blend(turned, Image.effect_noise(turned.size, 40).convert("L"), 0.18)
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=quality)
    result = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    result.info = {}  # as a scanner's page: no JPEG headers to carry into a TIFF
    return result


def scans(pdf: bytes, dpi: int = 120, seed: int = 1, shuffle: bool = True) -> list[Image.Image]:
    """Every page of ``pdf`` as an imperfect scan, in a shuffled order."""
    pages = [imperfect(image, seed + n) for n, image in enumerate(rasterise(pdf, dpi))]
    if shuffle:
        random.Random(seed).shuffle(pages)
    return pages


def write(images: Sequence[Image.Image], path: Path) -> Path:
    """``images`` written as ``path``'s kind: a PDF or TIFF holds them all, a
    PNG or JPEG the first."""
    kind = path.suffix.lower()
    first, *rest = (image.copy() for image in images)  # a save leaves its options on an image
    if kind == ".pdf":
        first.save(path, "PDF", save_all=True, append_images=rest, resolution=120)
    elif kind in (".tif", ".tiff"):
        first.save(path, "TIFF", save_all=True, append_images=rest, compression="tiff_lzw")
    elif kind in (".jpg", ".jpeg"):
        first.save(path, "JPEG", quality=70)
    else:
        first.save(path, "PNG")
    return path


def blank_page(dpi: int = 120) -> Image.Image:
    """A white A4 page with a little scanner noise."""
    size = (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))
    page = Image.new("L", size, 245)
    return Image.blend(page, Image.effect_noise(size, 20).convert("L"), 0.1)


def upside_down(image: Image.Image) -> Image.Image:
    return image.rotate(180)


def cropped_through_qr(image: Image.Image) -> Image.Image:
    """The page with its bottom 24 mm cut off: through the QR code (8 to 28 mm up)."""
    dpi = image.width / (A4_MM[0] / 25.4)
    return image.crop((0, 0, image.width, image.height - round(24 / 25.4 * dpi)))


def page_with_code(text: str, dpi: int = 120) -> Image.Image:
    """A blank page with one QR code of ``text`` where the footer's goes."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    mark = Image.fromarray(code.to_image(scale=4, add_quiet_zones=True)).convert("L")  # type: ignore[arg-type]
    page = blank_page(dpi)
    page.paste(mark, (page.width - mark.width - 40, page.height - mark.height - 40))
    return page


def huge_tiff(path: Path, pages: int = 40, dpi: int = 600) -> Path:
    """A ``pages``-page A4 TIFF at ``dpi``, white and group-4 compressed: a few
    kilobytes on disk, over a billion pixels if decoded."""
    size = (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))
    page = Image.new("1", size, 1)
    page.save(path, "TIFF", save_all=True, append_images=[page] * (pages - 1), compression="group4")
    return path
