"""The codes printed at the foot of page 1: a Code 39 barcode of the job number's digits
and a QR code to the document on undocs.org, as PNG images (for the DOCX; the PDF draws
them as SVG, :mod:`pipeline.writers.pdf`).

Guarantees: deterministic bytes (no clock, no metadata but the image's own); the PNGs are
1-bit greyscale, black on white; nothing is fetched or written.
"""

from __future__ import annotations

import struct
import zlib

#: the barcode's bar height in pixels (one pixel a module across)
BAR_HEIGHT = 24


def undocs_address(symbol: str) -> str:
    """The address the first-page QR code points to."""
    return "https://undocs.org/" + symbol.replace(" ", "")


def _png(rows: list[bytes], width: int) -> bytes:
    """A 1-bit greyscale PNG of ``rows`` (each a row's packed bits, 1 = white)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _pack(bits: list[int]) -> bytes:
    """Bits (1 = white) packed eight to a byte, the last byte padded with white."""
    out = bytearray()
    for i in range(0, len(bits), 8):
        byte = bits[i:i + 8] + [1] * (8 - len(bits[i:i + 8]))
        out.append(int("".join(map(str, byte)), 2))
    return bytes(out)


def barcode_png(digits: str) -> tuple[bytes, tuple[int, int]]:
    """A Code 39 barcode of ``digits`` (no check digit, no text) as a PNG; its size in
    pixels (one pixel a module)."""
    import barcode

    code = barcode.get("code39", digits, writer=None)
    code.add_checksum = False
    modules = code.build()[0]
    row = _pack([0 if m == "1" else 1 for m in modules])
    return _png([row] * BAR_HEIGHT, len(modules)), (len(modules), BAR_HEIGHT)


def qr_png(address: str) -> tuple[bytes, tuple[int, int]]:
    """A QR code of ``address`` as a PNG (no quiet zone); its size in pixels."""
    import segno

    qr = segno.make(address, error="m", micro=False)
    matrix = [list(r) for r in qr.matrix]
    size = len(matrix)
    scale = 4
    rows = []
    for r in matrix:
        bits = [1 - v for v in r for _ in range(scale)]
        rows += [_pack(bits)] * scale
    return _png(rows, size * scale), (size * scale, size * scale)
