"""A made-up table of figures of the shape the UN gives its financial tables (A/RES/72/257,
75/249), for the writers' table tests: two header rows (column heads, then a unit spanning
the figure columns) and an empty one under them; body rows; totals (the first with figures
that are not bold, as the Akoma Ntoso reader gives the UN's bold figures); a row between
two totals; a bold sub-heading with no figures; an "Of which" breakdown as the last rows.
"""

from __future__ import annotations

from pipeline.ast import (Body, Cell, Closing, Emphasis, Meta, Para, Paragraph, Preamble,
                          Recital, Resolution, Row, Strong, Superscript, Table, Text)


def _cell(text: str = "", *, bold: bool = False, italic: bool = False, header: bool = False,
          colspan: int = 1) -> Cell:
    if not text:
        return Cell((), header=header, colspan=colspan)
    inl = Text(text)
    if italic:
        inl = Emphasis((inl,))
    if bold:
        inl = Strong((inl,))
    return Cell((Para((inl,)),), header=header, colspan=colspan)


def _row(label: str, a: str, b: str, *, bold_label: bool = False,
         bold_figures: bool = False) -> Row:
    return Row((_cell(label, bold=bold_label), _cell(a, bold=bold_figures),
                _cell(b, bold=bold_figures)))


#: row indexes of :data:`TABLE`, by what they are
HEAD, UNIT, GAP = 0, 1, 2
FIRST, BEFORE_TOTAL, TOTAL, BETWEEN, TOTAL2, SUBHEAD, PLAIN, OF_WHICH, LAST = range(3, 12)

TABLE = Table((
    Row((_cell(header=True), _cell("Gross", italic=True, header=True),
         _cell("Net of staff assessment", italic=True, header=True))),
    Row((_cell(header=True), _cell("(United States dollars)", italic=True, header=True,
                                   colspan=2))),
    Row((_cell(header=True), _cell(header=True), _cell(header=True))),
    _row("Estimated appropriation for the year", "98 064 000", "86 917 900"),
    _row("Recommendations of the Fifth Committee", "–", "–"),
    _row("Approved appropriation for the year", "105 779 400", "93 277 900", bold_label=True),
    _row("Less: estimated income", "(90 000)", "(90 000)"),
    _row("Amount to be assessed", "105 689 400", "93 187 900", bold_label=True,
         bold_figures=True),
    _row("Assessments", "", "", bold_label=True),
    _row("Assessment for the first half", "52 844 700", "46 593 950"),
    _row("Of which:", "", ""),
    _row("Contributions assessed on Member States in accordance with the scale of "
         "assessments applicable to the regular budget", "52 844 700", "46 593 950"),
))


#: notes under the table, as the UN types them (its FootnoteText style): a raised label,
#: a typed one, and none
NOTES = (Para((Emphasis((Superscript((Text("a"),)),)), Text(" See A/80/1.")),
              style="FootnoteText"),
         Para((Text("(b) Reflects amounts after recosting."),), style="FootnoteText"),
         Para((Text("Amounts in United States dollars."),), style="FootnoteText"))


def resolution(language: str = "en", table: Table = TABLE,
               notes: tuple[Para, ...] = ()) -> Resolution:
    """A one-paragraph resolution whose paragraph is followed by ``table`` and ``notes``."""
    meta = Meta(symbol="A/RES/80/1", organ="GA", language=language, number="80/1",
                title=(Text("Test"),), session=80, adopted="2025-10-01")
    pre = Preamble((Text("The General Assembly,"),),
                   (Recital((Text("Recalling"),), (Text("its resolution,"),)),))
    op = (Paragraph("1.", (Text("Decides"),), (Text("to apportion the amounts below."),),
                    extra=(table, *notes)),)
    return Resolution(meta, Body(pre, op, Closing("1st plenary meeting", 1, "2025-10-01",
                                                  "1 October 2025")))
