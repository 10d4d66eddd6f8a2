"""Masthead recognition pass.

Reads the lines before the resolution's title in the document's own language:
the lines of a full masthead ("United Nations", the organ, "A/RES/71/19",
"Distr.: General", the issue date), the session ("第七十一届会议" -> 71), the
agenda item(s), the adoption heading ("2016年11月21日大会决议" -> GA,
2016-11-21), the committee line ("[未经发交主要委员会而通过(A/71/L.17和Add.1)]"
-> no Main Committee, drafts A/71/L.17 and A/71/L.17/Add.1), and the title
line ("71/19. 联合国同…" -> number and title).

Guarantees after :func:`read_masthead`: the returned index points at the
first block after the title line (or at the first block when no title line
was found, with an error diagnostic); every masthead block consumed is
accounted for in the returned fields or reported as a warning; nothing in
the body is consumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ast import AgendaItem, FootnoteRef, Inline, Para, Proponent, Span, Text, plain_text
from ..errors import Diagnostic
from .blocks import RawBlock, split_lines
from .fields import split_fields

#: every kind of space, as the language data's parsers fold them
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u3000]")
SYMBOL_LINE = re.compile(r"^(?:[A-Z]{1,6}/)+(?:RES|DEC)/[\w./ ()-]+$|^[AES]/RES/\S+$")


@dataclass
class Masthead:
    organ: str = ""
    symbol: str = ""
    distribution: str = ""
    issued: str = ""
    session: int | None = None
    session_text: str = ""
    agenda_items: tuple[AgendaItem, ...] = ()
    agenda_text: str = ""
    adopted: str = ""
    adoption_text: str = ""
    proponent: Proponent = Proponent()
    number: str = ""
    letter: str = ""
    title: tuple[Inline, ...] = ()
    title_span: Span | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _strip_title_number(inlines: tuple[Inline, ...], number_text: str) -> tuple[Inline, ...]:
    """The title inlines with the leading "71/19. " (as matched) removed."""
    items = list(inlines)
    remaining = len(number_text)
    while items and remaining > 0:
        first = items[0]
        if not isinstance(first, Text):
            break
        if len(first.text) <= remaining:
            remaining -= len(first.text)
            items.pop(0)
        else:
            items[0] = Text(first.text[remaining:].lstrip())
            remaining = 0
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip(" .-–"))
    return tuple(items)


def read_masthead(blocks: list[RawBlock], L) -> tuple[Masthead, int]:
    """Recognise the masthead; return it and the index of the first body block."""
    mh = Masthead()
    lines: list[tuple[int, RawBlock]] = []
    for i, b in enumerate(blocks):
        for line in split_lines(b) if b.kind != "table" else [b]:
            lines.append((i, line))
    # the title line: "71/19. Title" (the first block the language's title pattern reads)
    title_at = None
    for k, (i, b) in enumerate(lines[:40]):
        if b.kind == "table":
            break
        parsed = L.parse_title(b.text.strip())
        if parsed:
            title_at = k
            number, title = parsed
            mh.number = number
            text = b.text.strip()
            cut = _SPACES.sub(" ", text).find(title) if title else len(text)
            mh.title = _strip_title_number(b.inlines, text[:cut] if cut > 0 else "")
            if not plain_text(mh.title).strip():
                mh.title = (Text(title),)
            mh.title_span = b.span
            break
        if L.is_formula(b.text) and not L.parse_masthead_name(b.text.strip()) or \
                L.operative_number(b.text):     # "Генеральная Ассамблея": the organ's line
            break
    if title_at is None:
        mh.diagnostics.append(Diagnostic(
            "no resolution number and title line (such as \"71/19. Title\") found",
            blocks[0].span if blocks else Span(), level="warning", code="masthead-title"))
        head = []
        # a masthead without a title line still has its lines before the formula
        for k, (i, b) in enumerate(lines[:40]):
            if L.is_formula(b.text) or L.operative_number(b.text):
                break
            head.append((i, b))
        body_start = head[-1][0] + 1 if head else 0
    else:
        head = lines[:title_at]
        body_start = lines[title_at][0] + 1
        _title_letter(mh, L)
        if body_start < len(blocks) and blocks[body_start].kind in ("para", "heading") and \
                (letter := L.part_letter(blocks[body_start].text)):
            # the part letter on a line of its own under the title ("**B**<sup>1</sup>");
            # its note (which says what the part was numbered before) goes with the title
            mh.letter = letter
            mh.title = mh.title + _notes_in(blocks[body_start].inlines)
            body_start += 1
    for _i, b in head:
        _masthead_line(mh, b, L)
    return mh, body_start


#: what a part's note, run into the title line, ends with: a full stop (and the
#: parenthesis Arabic prints notes in)
_NOTE_END = re.compile(r"[.。]\s*\)?\s*$")


def _notes_in(inlines: tuple[Inline, ...]) -> tuple[FootnoteRef, ...]:
    """The footnotes called in ``inlines``, at any depth, in order."""
    out: list[FootnoteRef] = []
    for n in inlines:
        if isinstance(n, FootnoteRef):
            out.append(n)
        elif hasattr(n, "children"):
            out.extend(_notes_in(n.children))
    return tuple(out)


def _title_letter(mh: Masthead, L) -> None:
    """A title line that runs on into its part letter ("Financing of ... B") gives the
    letter; what follows the letter is the part's subtitle, kept in the title, or,
    when it ends as a sentence does, the part's note (the one that says what the
    part was numbered before), whose call the line lost: a note of the title."""
    if not mh.title or not all(isinstance(n, Text) for n in mh.title):
        return
    got = L.split_part_letter(plain_text(mh.title).strip())
    if got is None:
        return
    title, letter, rest = got
    mh.letter = letter
    if rest and _NOTE_END.search(rest):
        note = re.sub(r"^\(?\s*\(\s*\)\s*", "", rest)      # Arabic: "( () text )"
        if note != rest:
            note = re.sub(r"\s*\)\s*$", "", note)
        mh.title = ((Text(title),) if title else ()) + \
            (FootnoteRef("1", (Para((Text(note),), span=mh.title_span),), span=mh.title_span),)
    else:
        mh.title = (Text(" ".join(x for x in (title, rest) if x)),)


def _parsers(mh: Masthead, L) -> tuple[tuple[str, object], ...]:
    """The masthead's line parsers, in the order a whole line is tried."""
    def symbol(text: str) -> str | None:
        # "A/RES/75/1*": a reissue's asterisk is no part of the symbol
        text = text.rstrip("* ").strip()
        return text if SYMBOL_LINE.match(text.replace(" ", "")) and not mh.symbol else None

    return (("session", L.parse_session), ("agenda", L.parse_agenda),
            ("adoption", L.parse_adoption), ("proponent", L.parse_proponent),
            ("symbol", symbol), ("distribution", L.parse_distribution),
            ("name", L.parse_masthead_name), ("date", L.parse_date))


def _take(mh: Masthead, field_name: str, text: str, value) -> None:
    """Record one masthead field read from ``text``."""
    if field_name == "session":
        mh.session, mh.session_text = value, text
    elif field_name == "agenda":
        mh.agenda_items = tuple(AgendaItem(x) for x in value)
        mh.agenda_text = text
    elif field_name == "adoption":
        mh.organ, mh.adopted = value
        # the no-break spaces that hold a printed heading's date together are layout
        mh.adoption_text = text.replace("\u00a0", " ")
    elif field_name == "proponent":
        mh.proponent = Proponent(kind=value.get("kind", ""), committee=value.get("committee", ""),
                                 drafts=tuple(value.get("drafts", ())),
                                 reference=value.get("reference", ""), text=text)
    elif field_name == "symbol":
        mh.symbol = text
    elif field_name == "distribution":
        mh.distribution = value
    elif field_name == "name":
        if value != "UN" and not mh.organ:
            mh.organ = value
    elif field_name == "date":
        mh.issued = value
    elif field_name == "tail":  # the agenda item's title, run on after its number
        last = mh.agenda_items[-1]
        mh.agenda_items = mh.agenda_items[:-1] + (AgendaItem(last.number, text),)


def _masthead_line(mh: Masthead, b: RawBlock, L) -> None:
    text = b.text.strip()
    if not text:
        return
    parsers = _parsers(mh, L)
    for name, parse in parsers:
        if (value := parse(text)) is not None:
            _take(mh, name, text, value)
            return
    if b.kind == "heading" and b.level <= 2 and not mh.adoption_text:
        # the adoption heading's place, in words the language data does not read:
        # kept as printed, so that nothing is lost
        mh.adoption_text = text
        mh.diagnostics.append(Diagnostic(f"adoption heading not understood: {text[:60]!r}",
                                         b.span, code="masthead-adoption"))
        return
    if mh.agenda_items and not mh.agenda_items[-1].title and not mh.adopted:
        # the agenda item's title, printed under it in full mastheads
        _take(mh, "tail", text, None)
        return
    if pieces := split_fields(text, parsers, tail_after="agenda"):
        # several fields run together on one line by the extractor
        for name, piece, value in pieces:
            _take(mh, name, piece, value)
        return
    mh.diagnostics.append(Diagnostic(f"masthead line not recognised: {text[:60]!r}", b.span,
                                     code="masthead-line"))
