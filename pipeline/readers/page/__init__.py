"""Page recovery: what every printed UN page has, read back from its extracted text.

A resolution printed on pages carries, besides its text, a running head
(symbol, title, job number, page number), a foot (job number, page number,
barcode), notes under a rule at the foot, and lines broken where the column
ended.  The readers of printed pages (:mod:`pipeline.readers.text`,
:mod:`pipeline.readers.pdf`) set these apart before anything is handed to
the normalizer, which never sees a page:

- :mod:`.furniture`: lines -> pages: body, notes under the rule, running
  heads and feet, barcodes and first-page residue; the title's lines;
- :mod:`.notes`: the notes at the pages' feet and the place of each call
  in the body;
- :mod:`.lines`: lines joined back into the masthead's logical lines and the
  body's paragraphs (across pages and broken words).

Glyph geometry (rows, rules, right-to-left lines) is the PDF reader's own:
:mod:`pipeline.readers.pdf.layout`.
"""
