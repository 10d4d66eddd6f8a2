"""Line passes for text extracted from UN PDFs: hard-broken lines -> paragraphs.

Extracted text has one line per printed line; paragraphs are apart by blank
lines in some extractors' text and not at all in others' (pdftotext,
pdfplumber, pypdfium2 set one paragraph under the other); numbers and item
labels may stand on a line of their own ("1." then the text, the tab of the
PDF lost), and words are broken at a hyphen at line end.

Guarantees:
- :func:`join_lines` gives the inlines of a run of lines: lines are joined
  with one space, except after a hyphen that ends a line between two letters
  ("post-" + "conflict" -> "post-conflict"; "zero-" + "and low-" keeps its
  space: a suspended hyphen); no character of a line is changed or lost;
- :func:`paragraphs` cuts the body lines into paragraphs: at blank lines
  (unless the next line opens in lower case, or with a short number that is
  no operative number, date or meeting: a piece of the same line); at a line
  opening with the next operative number; at a page turn when the new page
  visibly opens a paragraph (operative number, item label, lead phrase of the
  language, closing line, annex heading, or a capital after a paragraph that
  ended with ``;``/``.``/``:``); a paragraph's short last line that an
  extractor set between its number and its text put back at its end
  (:func:`_displaced_ends`); at the next operative number printed without
  its full stop, alone or before an operative lead phrase, after a clause's
  end (the full stop put back); and, with no blank line, where
  :func:`starts_paragraph` sees a paragraph open (after a line that ends a
  sentence or a clause: an operative number, an item label, a section
  number, a lead phrase, the closing's meeting line; or a capital after a
  short line, shorter than the column, that ends a sentence); a line holding
  only a number or an item label is kept with the line after it; every line
  is in exactly one paragraph, in order;
- :func:`masthead_lines` rejoins the masthead's lines into its logical lines
  (the adoption line "Resolution adopted by the General Assembly" + "on 1
  November 2023", a title or agenda-item title over two lines) and keeps
  apart the lines the language data reads on their own, alone or run
  together ("United Nations A/RES/78/6"), and an adoption heading that
  continues on the next line, also where no blank line sets it apart;
- :func:`section_heading` tells a section heading ("I" over its title);
- :func:`closing_lines` cuts a paragraph made of the meeting and date lines
  into one paragraph per line.
All are pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ... import lang
from ...ast import Inline, Text, merge_texts, plain_text
from ...normalize.fields import split_fields
from ...normalize.masthead import SYMBOL_LINE

#: words that follow a suspended hyphen ("zero- and low-emission")

_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_LETTER_START = re.compile(r"^[^\W\d_]")


def _opnum_opens(t: str, L) -> bool:
    """"1. Decides", "2. «Pide»", "3．决定": an operative number (as the language prints
    it), then a quote or a word that is not in lower case."""
    got = L.operative_number(t)
    c = got[1][:1] if got else ""
    return bool(c) and (c in "“‘\"«(" or (c.isalpha() and not c.islower()))


def _label_opens(t: str, L) -> bool:
    """"(a) the", "(iv) x": an item label's shape, then a space."""
    got = L.line_label(t)
    return bool(got) and got[1][:1].isspace()


def _number_alone(text: str, L) -> bool:
    """"12.", "12": an operative number alone on the line, its full stop optional."""
    got = L.line_alone(text)
    return bool(got) and got[0] == "number"


def _label_alone(text: str, L) -> bool:
    """"(a)", "(iv)", "IV.": an item label, or a section number with its full stop,
    alone on the line."""
    got = L.line_alone(text)
    return bool(got) and (got[0] == "label" or got[0] == "section" and got[1].endswith("."))


def _section_alone(text: str, L) -> bool:
    """"IV.", "IV": a section number alone on the line, its full stop optional."""
    got = L.line_alone(text)
    return bool(got) and got[0] == "section"


@dataclass(frozen=True, slots=True)
class SegLine:
    """A body line: its inlines (Text, and Superscript for a footnote call), its source
    line number and the index of its page."""

    parts: tuple[Inline, ...]
    no: int
    page: int

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, Text))

    @property
    def blank(self) -> bool:
        return not plain_text(self.parts).strip()


def joiner(left: str, right: str, code: str = "en") -> str:
    """What goes between two lines: "" after a hyphen that breaks a word, else " "."""
    left, right = left.rstrip(), right.lstrip()
    if _HYPHEN_END.search(left) and _LETTER_START.match(right):
        word = re.match(r"[^\W\d_]+", right).group(0).lower()
        if word not in lang.get(code).words("suspended_hyphen"):
            return ""
    return " "


def join_lines(lines: list[SegLine], code: str = "en") -> tuple[Inline, ...]:
    """The inlines of a run of lines joined (see module docstring)."""
    out: list[Inline] = []
    prev = ""
    for line in lines:
        if line.blank:
            continue
        parts = list(line.parts)
        if out:
            sep = joiner(prev, line.text, code)
            _rstrip_last(out)
            if parts and isinstance(parts[0], Text):
                parts[0] = Text(parts[0].text.lstrip())
            if sep:
                out.append(Text(sep))
        out.extend(parts)
        prev = line.text
    _rstrip_last(out)
    return _merge(out)


def _rstrip_last(out: list[Inline]) -> None:
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    return merge_texts(nodes)

def _bare(line: SegLine, L) -> bool:
    """A line holding only an operative number or an item label."""
    t = line.text
    return _number_alone(t, L) or _label_alone(t, L)


def _opnum(text: str, L) -> int | None:
    """The operative number opening the line, its full stop then a space or the line's end
    after it ("12. Decides", "12."), else None."""
    got = L.line_number(text)
    return got[0] if got and (not got[1] or got[1][0].isspace()) else None


def opens_paragraph(text: str, prev_text: str, L, next_num: int) -> bool:
    """Whether a line that opens a page also opens a paragraph (see module docstring):
    a lead phrase only after a line that ends a clause (a recital that goes on at
    the top of a page may happen to open with a lead's words); in the preamble
    (``next_num`` 1), after a recital's closing comma, a capitalized word that opens
    one of the language's preambular leads ("Having noted")."""
    t = text.strip()
    n = _opnum(t, L)
    if n is not None and n in (next_num, 1):
        return True
    if L.item_label(t) and L.line_label(t):
        return True
    end = prev_text.rstrip()[-1:]
    if not t[:1].islower() and end in _clause_ends(L) and \
            (L.match_lead(t, "preambular") or L.match_lead(t, "operative")):
        return True
    if L.parse_meeting(t) or L.annex_heading(t) or L.is_formula(t):
        return True
    if next_num == 1 and end in _commas(L) and t[:1].isupper() and \
            (t.split()[0] in _lead_words(L) or L.lead_shaped(t, "preambular")):
        return True
    return bool(end in (";", ".", ":") and t[:1].isupper())


def _lead_words(L) -> frozenset[str]:
    """The first words of the language's preambular lead phrases ("Recalling", "Having")."""
    return frozenset(p.split()[0] for p in L.leads("preambular") if p.split())


def _displaced_ends(lines: list[SegLine], L) -> list[SegLine]:
    """A paragraph's short last line put back after its other lines where an extractor
    set it between the paragraph's number and its text ("17.", "session.", then
    "Decides to continue ... at its eighty-first", then the closing): a line that opens
    in lower case and ends a sentence, after a number alone, before a line that opens
    with a capital and ends no clause, and after that a closing line, another numbered
    paragraph or nothing."""
    out = list(lines)
    rows = [i for i, x in enumerate(out) if not x.blank]
    ends = _clause_ends(L) + "?!"
    for a, b, c in zip(rows, rows[1:], rows[2:]):
        tb, tc = out[b].text.strip(), out[c].text.strip()
        if not (_number_alone(out[a].text, L) and tb[:1].islower() and tb.endswith(".")
                and len(tb) < 40 and tc[:1].isupper() and tc[-1:] not in ends):
            continue
        after = next((out[r].text.strip() for r in rows if r > c), "")
        if after and not (L.parse_meeting(after) or _opnum(after, L) is not None):
            continue
        out[b], out[c] = out[c], out[b]
    return out


def paragraphs(lines: list[SegLine], L) -> list[list[SegLine]]:
    """The body lines cut into paragraphs (see module docstring)."""
    lines = _displaced_ends(lines, L)
    groups: list[list[SegLine]] = []
    cur: list[SegLine] = []
    last_num = 0                        # the last operative number that opened a paragraph
    top_num = 0                         # the highest one (a quoted text numbers its own)
    width = column_width(lines)

    bare = True                         # cur holds bare numbers and labels only (or nothing)
    said: SegLine | None = None         # the last line of cur with text

    def close() -> None:
        nonlocal cur, bare, said
        if cur:
            groups.append(cur)
        cur, bare, said = [], True, None

    pending = False                     # a blank line came after the paragraph so far
    for line in lines:
        line = _full_stop(line, cur, last_num, L)
        if line.blank:
            pending = bool(cur) and not bare
            continue
        if pending and not _continues(line, L, width):
            close()
        pending = False
        if L.annex_heading(line.text.strip()):       # "Annex" on a line of its own
            close()
            cur.append(line)
            close()
            continue
        if cur and not bare:
            # the last line with text (a line of calls alone, as some extractors cut
            # a line after a call, stands for the line it comes from)
            last = said or cur[-1]
            n = _opnum(line.text, L)
            if n is not None and n in (last_num + 1, top_num + 1) and not _bare(last, L) and \
                    L.opens_words(L.line_number(line.text)[1]):
                close()
            elif n is not None and _number_alone(line.text, L) and \
                    last.text.rstrip().endswith((":", ";", ".")):
                close()                 # a number on its own line after a sentence's end
            elif line.page != last.page and opens_paragraph(line.text, last.text, L, last_num + 1):
                close()
            elif starts_paragraph(line, last, L, "operative" if last_num else "preambular",
                                  width, heading=_heading_open(cur, L),
                                  after_call=last is not cur[-1]):
                close()
        if not cur and (n := _opnum(line.text, L)) is not None:
            last_num = n
            top_num = max(top_num, n)
        cur.append(line)
        bare = bare and _bare(line, L)
        if line.text.strip():
            said = line
    close()
    return groups


def _full_stop(line: SegLine, cur: list[SegLine], last_num: int, L) -> SegLine:
    """The next operative number printed without its full stop, with the full stop:
    alone on its line ("26" after paragraph 25 ended), or before an operative lead
    phrase ("26 Condemns")."""
    if not last_num or not line.parts or not isinstance(line.parts[0], Text):
        return line
    head = line.parts[0].text
    m = re.match(r"(\s*)(\d{1,3})(?=\s|$)", head)
    if not m or int(m.group(2)) != last_num + 1:
        return line
    rest = head[m.end():]
    if rest.strip() or len(line.parts) > 1:
        words = rest.strip()
        if not (words[:1].isupper() and L.match_lead(words, "operative")):
            return line
    last = next((x for x in reversed(cur) if x.text.strip()), None)
    if last is None or not last.text.rstrip().endswith((";", ".", ":")):
        return line
    return SegLine((Text(m.group(1) + m.group(2) + "." + rest),) + line.parts[1:],
                   line.no, line.page)


def _continues(line: SegLine, L, width: int) -> bool:
    """Whether a line after a blank line still continues the paragraph before it:
    no paragraph opens with a lower-case word (but an item label), or with a
    number that is neither an operative number nor a date or meeting line (as
    an extractor that sets apart the words of a widely spaced line gives them)."""
    t = line.text.strip()
    if not t or _label_opens(t, L) or _label_alone(t, L):
        return False
    if t[:1].islower():
        return True
    return bool(t[:1].isdigit() and _opnum(t, L) is None and not _number_alone(t, L)
                and not L.parse_date(t) and not L.parse_meeting(t)
                and len(t) < 0.4 * max(width, 1))


def column_width(lines: list[SegLine]) -> int:
    """The width of the text column, in characters: the length of the longer lines
    (the 80th percentile of the non-blank lines' lengths)."""
    sizes = sorted(len(plain_text(x.parts).strip()) for x in lines if not x.blank)
    return sizes[int(len(sizes) * 0.8)] if sizes else 0


def _heading_open(cur: list[SegLine], L) -> bool:
    """Whether the paragraph so far is a section number and its title (no sentence)."""
    return len(cur) >= 2 and _section_alone(cur[0].text, L) and \
        not cur[-1].text.rstrip().endswith((".", ",", ";", ":"))


def _clause_ends(L) -> str:
    """Characters that end a sentence or a clause: ",;.:" and the language's own."""
    return ",;.:" + "".join(L.punctuation.values()) + "：。，；"


def _commas(L) -> str:
    return "," + L.punctuation.get("preamble_end", ",") + "，"


def starts_paragraph(line: SegLine, prev: SegLine, L, kind: str, width: int,
                     heading: bool = False, after_call: bool = False) -> bool:
    """Whether ``line`` opens a paragraph though no blank line comes before it
    (see module docstring): after a line that ends a sentence or a clause, a
    line opening with an operative number (any: a quoted text numbers its
    own), an item label, a section number, a lead phrase of
    ``kind`` ("preambular" before the first operative number, "operative"
    after it: after a sentence's end only), the closing's meeting line or the
    enacting formula; or any capital after a short line that ends a sentence
    (the last line of a paragraph).  ``heading``: ``prev`` is in a section's
    title (a section number, then lines that end no sentence), which a label
    or a lead phrase ends; ``after_call``: a line of calls alone follows
    ``prev`` (a line cut after a call is not a short line)."""
    t = line.text.strip()
    p = prev.text.rstrip()
    if not t or not p:
        return False
    label = bool(L.item_label(t) and _label_opens(t, L))
    if L.is_formula(p) and not p[:1].islower():  # the enacting formula is a paragraph of its own
        return True
    if heading:
        return bool(label or L.match_lead(t, kind) or _opnum_opens(t, L))
    if L.parse_meeting(t) and not t.endswith(","):
        return True                     # the closing, also after a question or a quote
    end = p[-1]
    ends = _clause_ends(L)
    if end not in ends:
        return False
    if _section_alone(t, L) or label or _opnum_opens(t, L) or _label_alone(t, L):
        return True
    if L.is_formula(t):
        return True
    if t[:1].islower():
        return False
    sentence = end in ends and end not in _commas(L)
    if (L.match_lead(t, kind) or (end in _commas(L) and L.lead_shaped(t, kind))) and \
            (kind == "preambular" or sentence):
        return True
    if kind == "preambular" and L.match_lead(t, "operative") and L.lead_shaped(t, "operative"):
        return True                     # an unnumbered operative paragraph after the recitals
    glued = after_call or (bool(prev.parts) and not isinstance(prev.parts[-1], Text))
    short = width and len(plain_text(prev.parts).strip()) < 0.75 * width
    return bool(sentence and short and not glued and (t[:1].isupper() or t[:1] in "“\"(«"))


#: masthead fields the language data reads on a line of its own
def _field(text: str, L, symbol: re.Pattern) -> bool:
    t = text.strip()
    return bool(L.parse_session(t) is not None or L.parse_agenda(t) is not None
                or L.parse_date(t) or symbol.fullmatch(t.replace(" ", ""))
                or re.match(r"(?i)^distr\.?\s*:", t) or L.parse_proponent(t) is not None
                or L.parse_adoption(t) is not None)


def _fields_run(text: str, L, symbol: re.Pattern) -> bool:
    """A line of several masthead fields run together ("United Nations A/RES/78/6",
    "General Assembly Distr.: General"), each of which the language data reads."""
    def sym(t: str):
        return t if symbol.fullmatch(t.replace(" ", "")) else None

    parsers = (("session", L.parse_session), ("agenda", L.parse_agenda),
               ("date", L.parse_date), ("symbol", sym), ("distribution", L.parse_distribution),
               ("name", L.parse_masthead_name))
    return split_fields(text, parsers) is not None


def masthead_lines(groups: list[list[SegLine]], L, code: str = "en") -> list[list[SegLine]]:
    """The masthead's blank-separated groups cut into logical lines (see module docstring)."""
    out: list[list[SegLine]] = []
    for group in groups:
        closed = True                       # the logical line before is complete
        lines = [x for x in group if x.text.strip()]
        for k, line in enumerate(lines):
            t = line.text.strip()
            nxt = lines[k + 1].text.strip() if k + 1 < len(lines) else ""
            # an adoption heading broken before its date opens a logical line
            opens = bool(nxt) and L.parse_adoption(f"{t} {nxt}") is not None
            own = _field(t, L, SYMBOL_LINE) or L.parse_masthead_name(t) is not None \
                or bool(L.parse_title(t)) or _fields_run(t, L, SYMBOL_LINE)
            if not out or ((own or opens) and not t[:1].islower()) or \
                    (closed and not t[:1].islower()):
                out.append([line])
            else:
                out[-1].append(line)
            closed = own and not L.parse_title(t)
    return out


def section_heading(group: list[SegLine], L) -> bool:
    """Whether a paragraph is a section heading: a roman number on a line of its own
    ("I", "II.") and a short title that does not end like a sentence."""
    lines = [x for x in group if not x.blank]
    if len(lines) < 2 or len(lines) > 4 or not _section_alone(lines[0].text, L):
        return False
    title = " ".join(x.text.strip() for x in lines[1:])
    return len(title) <= 200 and not title.endswith((".", ",", ";", ":"))


def closing_lines(group: list[SegLine], L) -> list[list[SegLine]] | None:
    """One paragraph per line when every line is a meeting or a date line, else None."""
    lines = [x for x in group if not x.blank]
    if len(lines) < 2:
        return None
    for x in lines:
        t = x.text.strip()
        if not (L.parse_meeting(t) or L.parse_date(t)):
            return None
    return [[x] for x in lines]
