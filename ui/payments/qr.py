"""A web address as a QR code image, for the person to scan with their own phone.

The code is made by reportlab's QR encoder (already used for the reference
on paper forms), with medium error correction and a four-module quiet zone,
then drawn square by square into a ``QImage``.
"""

from __future__ import annotations

from ui.qt import QtCore, QtGui

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_modules(text: str) -> list[list[bool]]:
    """The code's dark (True) and light modules, row by row, without the quiet zone."""
    # Imported when a code is first shown, not when the window starts.
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = int(code.getModuleCount())
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]


def qr_image(text: str, scale: int = 6) -> QtGui.QImage:
    """The QR code of ``text``, ``scale`` pixels a module, black on white."""
    modules = qr_modules(text)
    side = (len(modules) + 2 * QUIET_ZONE) * scale
    image = QtGui.QImage(side, side, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    try:
        black = QtGui.QColor("black")
        for row, line in enumerate(modules):
            for col, dark in enumerate(line):
                if dark:
                    painter.fillRect(
                        QtCore.QRect(
                            (col + QUIET_ZONE) * scale, (row + QUIET_ZONE) * scale, scale, scale
                        ),
                        black,
                    )
    finally:
        painter.end()
    return image
