"""Third-party PDF text extractors, as the text reader meets their output.

Used by the text reader's corpus test (tests/test_text_reader.py) and by
scripts/evaluate_text.py, which scores each extractor's text of the official PDFs.

  pdftotext         ``pdftotext -enc UTF-8 X.pdf`` (poppler-utils)
  pdftotext-layout  ``pdftotext -layout -enc UTF-8 X.pdf``
  pypdfium2         ``pdf.get_page(i).get_textpage().get_text_range()``, pages
                    joined with a form feed
  pdfplumber        ``page.extract_text()`` (pdfminer), pages joined with a form feed
"""

from __future__ import annotations

import subprocess
from pathlib import Path

#: the extractors ``extract`` knows
EXTRACTORS = ("pdftotext", "pdftotext-layout", "pypdfium2", "pdfplumber")


def extract(extractor: str, pdf: Path) -> str:
    """The text of ``pdf`` as ``extractor`` gives it (pages apart by a form feed)."""
    if extractor in ("pdftotext", "pdftotext-layout"):
        args = ["pdftotext"] + (["-layout"] if extractor == "pdftotext-layout" else []) + \
            ["-enc", "UTF-8", str(pdf), "-"]
        return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    if extractor == "pypdfium2":
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return "\f".join(doc.get_page(i).get_textpage().get_text_range()
                             for i in range(len(doc)))
        finally:
            doc.close()
    if extractor == "pdfplumber":
        import pdfplumber

        with pdfplumber.open(str(pdf)) as doc:
            return "\f".join(page.extract_text() or "" for page in doc.pages)
    raise ValueError(f"unknown extractor {extractor!r}; one of {', '.join(EXTRACTORS)}")
