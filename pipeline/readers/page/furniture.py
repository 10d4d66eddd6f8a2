"""Page furniture pass for text extracted from UN PDFs.

Extractors give each page's text one after the other, and differ in how:
a page break is a form feed (pdftotext, or pages joined with one), or an
empty line before the next page's running head; the running head (symbol,
the title or its lines, job number, "2/9") opens the page, or part of it
(page number, job number) closes it; head items share a line ("A/RES/78/6
Report of ...", "2/5 23-21327") or stand apart; a page that carries notes
has a rule of underscores and the note texts at its foot, where some
extractors also put the page's foot ("2/8", "24-24323") among the notes.
The first page also carries the job number with its issue stamp
("24-23454 (E)    091124", or "091124" on a line of its own), the barcode
("*2423454*") and, on recent documents, the QR and "Please recycle" residue.

Guarantees of :func:`split_pages` (a pure function of the lines):
- every source line is in exactly one place of the result: a page's ``body``,
  its ``notes`` (the lines after the note rule), or its ``furniture``; the
  line numbers of the source are kept (1-based);
- a form feed always starts a page; without form feeds, a page starts at an
  empty line followed by a running head (a page number and a job number or
  the symbol within :data:`HEAD_MAX` lines), or at a run of head lines that
  holds a page number and a job number or the symbol;
- ``furniture`` holds the form feeds, the lines matching the ``[furniture]``
  patterns of ``pipeline/lang`` that hold wherever they stand (job number,
  barcode, residue), and the running head and foot at a page's edges: lines
  made only of the document's symbol, page number, job number, issue stamp,
  barcode and words of the document's title, in a run at the top of a page
  (not the first) or at its bottom that holds the symbol or a page number
  (or a job number, at the bottom); title words count only when the run's
  title lines give the whole title, or the same line heads another page too
  (a line that goes on with the title of the head line before it is title
  too, even one word: "Tribunals" under "Financing of the ... Criminal");
  at the top, the whole title alone followed by a blank line is a head too
  (an extractor may print the page's symbol and number elsewhere), and on a
  page after the first, a line holding only the symbol is furniture wherever
  it stands (an extractor may set it after the page's first line);
- a page's notes are the lines after its rule; a page without a rule has
  notes when its last lines are numbered from the next note number on, the
  body above holding that number as a call (:func:`_unruled_notes`);
- among the notes, a line that is such a head item (page number, job number,
  symbol, stamp) is furniture wherever it stands; no note text is dropped;
- the body of a page keeps its blank lines (they separate paragraphs), except
  the blank lines that only pad the page's top and bottom.

The patterns are language data: the ``[furniture]`` tables of
``pipeline/lang`` (common.toml's for every language, a language's own after).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ... import lang

#: at most this many lines between a page break and the page number of the head
HEAD_MAX = 9
#: a form feed in the source, kept as a line of its own
FORM_FEED = "\f"
#: the title is looked for among this many first lines
TITLE_WITHIN = 150
#: a title runs over at most this many lines
TITLE_LINES = 6


def patterns(code: str = "en") -> dict[str, re.Pattern]:
    """The furniture patterns of a language (``pipeline/lang``: common.toml's plus its own)."""
    return lang.get(code).furniture


@dataclass(frozen=True, slots=True)
class Line:
    """A source line: its text as extracted (``"\\f"`` for a form feed) and its
    1-based number."""

    text: str
    no: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def form_feed(self) -> bool:
        return self.text == FORM_FEED


@dataclass
class Page:
    """One page of extracted text: body lines, note lines, furniture lines."""

    number: int
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)


#: a body line's text, then a notes' rule glued to it
_GLUED_RULE = re.compile(r"^(.*[^\s_])(_{10,})\s*$")


def to_lines(text: str) -> list[Line]:
    """The text as :class:`Line`\\ s: line ends of any kind (``\\r\\n``, ``\\r``) are
    line ends, a form feed is a line of its own (:data:`FORM_FEED`) and the
    non-character U+FFFE that pdfium puts for a hyphen at a line end is that
    hyphen; a notes' rule glued to the end of the last body line ("cross______")
    is a line of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
    out: list[Line] = []
    for i, raw in enumerate(text.split("\n"), 1):
        parts = raw.split(FORM_FEED)
        for k, part in enumerate(parts):
            if k:
                out.append(Line(FORM_FEED, i))
            if part or k == 0:
                glued = _GLUED_RULE.match(part)
                if glued:
                    out.append(Line(glued.group(1), i))
                    part = glued.group(2)
                out.append(Line(part, i))
    return out


def is_furniture(text: str, pats: dict[str, re.Pattern]) -> bool:
    """Whether a single line is furniture wherever it stands (job number, barcode, residue)."""
    t = text.strip()
    return any(pats[k].fullmatch(t) for k in ("job_number", "barcode", "residue") if k in pats)


# ---------------------------------------------------------------- what the document is

def _words(s: str) -> list[str]:
    """Words for comparing a head line with the title: case, quotes, dashes and
    edge punctuation aside."""
    s = s.replace("\u2011", "-").replace("\u2013", "-").replace("\u2014", "-")
    out = []
    for w in s.split():
        w = w.strip(".,;:()[]“”\"'’‘").casefold()
        if w and w != "-":
            out.append(w)
    return out


def find_title(texts: list[str], L) -> tuple[str, list[int]] | None:
    """(number, indices of the title's lines) of the document's title among the
    lines ``texts`` ("78/6. Report of ...": the number alone on its line or not,
    the title over up to :data:`TITLE_LINES` lines, up to a blank line, the
    enacting formula or a paragraph's opening), else None."""
    seen = 0
    for k, raw in enumerate(texts):
        t = raw.strip()
        if not t:
            continue
        seen += 1
        if seen > TITLE_WITHIN or L.is_formula(t):
            return None
        parsed = L.parse_title(t)
        if not parsed or not (parsed[1] or t.endswith(".")):
            continue        # a number alone is the title's with its full stop ("2/5" is a page's)
        at = [k]
        has_words = bool(re.search(r"[^\W\d_]", parsed[1]))
        j = k + 1
        while j < len(texts) and len(at) < TITLE_LINES:
            x = texts[j].strip()
            if not x:
                if has_words:
                    break
                j += 1
                continue
            if L.is_formula(x) or ends_title(x, L):
                break
            at.append(j)
            has_words = True
            j += 1
        return parsed[0], at
    return None


def ends_title(text: str, L) -> bool:
    """Whether a line after a title's first line is no longer the title: a
    paragraph's opening (lead phrase not in lower case, operative number) or a
    masthead field."""
    t = text.strip()
    return bool((not t[:1].islower() and L.match_lead(t, "preambular")) or L.operative_number(t)
                or L.parse_proponent(t) is not None or L.parse_adoption(t) is not None)


@dataclass
class _Doc:
    """What the running heads of a document are made of."""

    pats: dict[str, re.Pattern]
    symbols: frozenset[str] = frozenset()
    title: tuple[str, ...] = ()
    code: str = "en"

    def fragment(self, text: str) -> bool:
        """Whether the text is a run of the title's words (two at least, or the whole title)."""
        w = _words(text)
        n = len(w)
        if not n or not self.title or n > len(self.title):
            return False
        if n < 2 and n != len(self.title):
            return False
        return any(list(self.title[i:i + n]) == w for i in range(len(self.title) - n + 1))

    def parts(self, text: str, title_ok: bool = True, after: str = "") -> frozenset[str] | None:
        """The head items a line is made of ("symbol", "page", "job", "stamp",
        "barcode", "title"), or None when something else is on it.  ``after``, the
        head line before it: a line that goes on with that line's title words is
        title too, however short ("Tribunals" under "Financing of the ... Criminal")."""
        s = text.strip()
        kinds: set[str] = set()
        while s:
            took = False
            for kind, pat in self._tokens():
                m = re.match(rf"(?:{pat})(?=\s|$)", s)
                if not m:
                    m2 = re.search(rf"(?:^|(?<=\s))(?:{pat})$", s)
                    if not m2:
                        continue
                    s = s[:m2.start()].strip()
                else:
                    s = s[m.end():].strip()
                kinds.add(kind)
                took = True
                break
            if not took:
                break
        if not s:
            return frozenset(kinds)
        if title_ok and (self.fragment(s) or
                         bool(after) and self.fragment(_title_rest(after, self) + " " + s)):
            return frozenset(kinds | {"title"})
        return None

    def _tokens(self):
        p = self.pats
        out = [("page", p["page_number"].pattern), ("job", p["job_number"].pattern),
               ("barcode", p["barcode"].pattern)]
        if "issue_stamp" in p:
            out.append(("stamp", p["issue_stamp"].pattern))
        if self.symbols:
            out.insert(0, ("symbol", "|".join(re.escape(s) for s in sorted(self.symbols))))
        return out


#: the series groups taken possessively ("++"): given back one by one, they made a long
#: run of "A/RES/" quadratic; no match needs them back (the rest's class holds them)
_SYMBOL_TOKEN = re.compile(r"(?<!\S)((?:[A-Z]{1,6}/)++[A-Z0-9.()/\-]*[A-Z0-9)])\.?(?!\S)")


def _doc(lines: list[Line], code: str) -> _Doc:
    """The document's symbol(s) and title words, read from the text."""
    L = lang.get(code)
    pats = patterns(code)
    found = find_title([x.text for x in lines], L)
    title: tuple[str, ...] = ()
    number = ""
    if found:
        number, at = found
        parsed = L.parse_title(" ".join(lines[k].text.strip() for k in at))
        title = tuple(_words(parsed[1])) if parsed else ()
    counts: Counter[str] = Counter()
    for line in lines:
        t = line.text.strip()
        for m in _SYMBOL_TOKEN.finditer(t):
            if m.start() == 0 or m.end() == len(t):
                counts[m.group(1)] += 1
    symbols = {s for s in counts if number and s.replace(" ", "").endswith("/" + number)}
    if not symbols and counts:
        best = max(counts.values())
        symbols = {s for s, n in counts.items() if n == best and n > 1 and "RES/" in s}
    return _Doc(pats, frozenset(symbols), title, code)


# ---------------------------------------------------------------- pages

def _head_end(lines: list[Line], start: int, doc: "_Doc") -> int | None:
    """Index after the running head that opens at ``start``, or None when there is none.

    A running head is a run of at most :data:`HEAD_MAX` lines holding a page
    number and a job number or the symbol, every line of it a head item (the
    symbol, the title's words, page and job numbers): a line of anything else
    before those are met is body, and there is no head there."""
    pats = doc.pats
    page = job = symbol = False
    k = start
    before = ""                         # the head line before, whose title a line may go on with
    while k < len(lines) and k < start + HEAD_MAX:
        t = lines[k].text.strip()
        if lines[k].form_feed:
            break
        if not t:
            k += 1
            continue
        if pats["page_number"].fullmatch(t):
            page = True
        elif pats["job_number"].fullmatch(t):
            job = True
        elif pats["symbol"].fullmatch(t):
            symbol = True
        elif page and job:
            break
        elif doc.title and doc.parts(t, after=before) is None:
            return None         # (without the title's words, any line may be the title's)
        before = t
        k += 1
        if page and job and symbol:
            break
    if not (page and (job or symbol)):
        return None
    while k < len(lines) and not lines[k].form_feed and \
            (lines[k].blank or pats["job_number"].fullmatch(lines[k].text.strip())):
        k += 1
    return k


def _head_run(lines: list[Line], start: int, doc: _Doc) -> tuple[int, set[str]]:
    """Index after the run of head lines (and blank lines) opening at ``start``, and the
    head items on them: a cluster (a page's foot and the next page's head, as
    extractors without page breaks give them) when they hold a page number and a
    job number or the symbol.  Lines made only of title words before an empty line
    (where the extractor joined two pages) are the body's last lines, not the head:
    no items."""
    kinds: set[str] = set()
    k = start
    before = ""
    while k < len(lines) and not lines[k].form_feed:
        if lines[k].text == "" and kinds <= {"title"}:
            return k, set()     # a body line made of title words, then the page break
        if not lines[k].blank:
            got = doc.parts(lines[k].text, after=before)
            if got is None:
                break
            kinds |= got
            before = lines[k].text
        k += 1
    return k, kinds


def _chunks(lines: list[Line], doc: _Doc) -> list[tuple[list[Line], int]]:
    """The lines cut into pages: (lines, how many of the first lines are the head).

    Form feeds, when the text has them, are the page breaks; otherwise a page
    break is an empty line before a running head, or a run of head lines."""
    feeds = any(x.form_feed for x in lines)
    out: list[tuple[list[Line], int]] = [([], 0)]
    content = False                     # the last page has a line of text after its head
    # lines before this index open no cluster: a run of head lines scanned from an
    # earlier line held too little; the runs from its later lines hold less (without
    # it, a long run of page numbers alone was scanned again from each of its lines)
    no_cluster = 0
    k = 0
    while k < len(lines):
        line = lines[k]
        cur, head = out[-1]
        if feeds:
            if line.form_feed and content:
                out.append(([line], 1))
                content = False
            elif line.form_feed and len(cur) == head:
                cur.append(line)
                out[-1] = (cur, head + 1)
            else:
                cur.append(line)
                content = content or not line.blank
            k += 1
            continue
        end = None
        if content and line.text == "":
            end = _head_end(lines, k + 1, doc)
        if end is None and content and not line.blank and k >= no_cluster:
            stop, kinds = _head_run(lines, k, doc)
            if "page" in kinds and kinds & {"job", "symbol"}:
                end = stop
            else:
                no_cluster = stop
        if end is not None and end > k:
            out.append((lines[k:end], end - k))
            content = False
            k = end
            continue
        cur.append(line)
        content = content or not line.blank
        k += 1
    merged: list[tuple[list[Line], int]] = []
    for lines_, head in out:
        if merged and not any(not x.blank for x in lines_[head:]):
            merged[-1][0].extend(lines_)      # a page of furniture only: the one before's
        elif lines_:
            merged.append((lines_, head))
    return merged or [([], 0)]


def split_pages(lines: list[Line], code: str = "en") -> list[Page]:
    """The lines cut into pages, furniture and notes set apart (see module docstring)."""
    doc = _doc(lines, code)
    chunks = _chunks(lines, doc)
    pages: list[Page] = []
    seen = 0                              # the highest note number met so far
    for n, (chunk, head) in enumerate(chunks, 1):
        page = Page(n, furniture=list(chunk[:head]))
        _fill(page, chunk[head:], doc, first=n == 1, next_note=seen + 1)
        seen = max([seen] + [int(m.group(1)) for x in page.notes
                             if (m := _NOTE_NUMBER.match(x.text)) and int(m.group(1)) <= seen + 60])
        pages.append(page)
    for p in pages:
        _trim(p)
    return pages


def _fill(page: Page, lines: list[Line], doc: _Doc, first: bool, next_note: int = 1) -> None:
    """Sort a page's lines (its head aside) into body, notes and furniture."""
    pats = doc.pats
    rule = next((i for i, x in enumerate(lines)
                 if not x.blank and pats["note_rule"].fullmatch(x.text.strip())), None)
    body = lines if rule is None else lines[:rule]
    notes = [] if rule is None else lines[rule + 1:]
    if rule is not None:
        page.furniture.append(lines[rule])
    top = 0 if first else _top_zone(body, doc)
    page.furniture.extend(body[:top])
    body = body[top:]
    bottom = _bottom_zone(body, doc) if rule is None else len(body)
    page.furniture.extend(body[bottom:])
    body = body[:bottom]
    if rule is None and (at := _unruled_notes(body, doc, next_note)) is not None:
        body, notes = body[:at], body[at:]
    for x in body:
        if x.form_feed or (not x.blank and (is_furniture(x.text, pats) or
                                            (not first and _symbol_alone(x, doc)))):
            page.furniture.append(x)
        else:
            page.body.append(x)
    for x in notes:
        if x.form_feed or (not x.blank and (is_furniture(x.text, pats) or _foot_item(x, doc))):
            page.furniture.append(x)
        else:
            page.notes.append(x)


_NOTE_NUMBER = re.compile(r"^\s*(\d{1,3})(?:\s+(?=\S)|\s*$)")
#: a page's notes without a rule take at most this share of its body lines
NOTES_SHARE = 0.5


def _unruled_notes(body: list[Line], doc: _Doc, expected: int) -> int | None:
    """Where the notes start at the foot of a page that has no rule over them, else None.

    The notes are the lines after the last body line, the first of which opens
    with the next note number (``expected``), no more than :data:`NOTES_SHARE`
    of the page and no line of them opening like a paragraph (operative
    number, item label), when the body above holds that number as a call
    (glued, or spaced after a clause); a date line ("8 December 2044") is no
    note.  :func:`pipeline.readers.page.notes.read_notes` then cuts them."""
    L = lang.get(doc.code)
    rows = [i for i, x in enumerate(body) if not x.blank]
    for k, i in enumerate(rows):
        m = _NOTE_NUMBER.match(body[i].text)
        if not m or int(m.group(1)) != expected or k == 0 or L.parse_date(body[i].text.strip()):
            continue
        if len(rows) - k > max(1, int(len(rows) * NOTES_SHARE)):
            continue
        if any(_opens_paragraph(body[r].text, L) for r in rows[k + 1:]):
            continue                          # notes hold no numbered or labelled paragraphs
        above = " ".join(body[r].text for r in rows[:k])
        if re.search(rf"[^\W\d_][,;:.)”’\"]?{expected}(?![\d/])|[,;:)”’\"]\s{expected}(?![\d/])",
                     above):
            return i
    return None


def _opens_paragraph(text: str, L) -> bool:
    """Whether a line opens like a paragraph, spaces aside: an operative number with its
    full stop right after it ("12. x"), or an item label's shape ("(a) x"), then a space."""
    number = L.line_number(text, glued=True)
    label = L.line_label(text)
    return bool(number and number[1][:1].isspace() or label and label[1][:1].isspace())


def _symbol_alone(line: Line, doc: _Doc) -> bool:
    """A line holding only the document's symbol: a running head's, wherever an
    extractor set it on a page after the first (after the first line of the body)."""
    return doc.parts(line.text, title_ok=False) == frozenset({"symbol"})


def _foot_item(line: Line, doc: _Doc) -> bool:
    """A line among the notes that is a head or foot item (page number, job number,
    the symbol, the issue stamp), not note text."""
    got = doc.parts(line.text, title_ok=False)
    return bool(got) and got <= {"page", "job", "symbol", "stamp", "barcode"}


def _top_zone(body: list[Line], doc: _Doc) -> int:
    """How many of a page's first lines are its running head (see module docstring)."""
    k = 0
    anchor = -1          # index after the last line holding the symbol or a page number
    titled: list[int] = []
    before = ""
    while k < len(body) and k < 3 * HEAD_MAX:
        x = body[k]
        if x.form_feed or x.blank:
            k += 1
            continue
        got = doc.parts(x.text, after=before)
        if got is None:
            got = _title_goes_on(x.text, [body[i].text for i in titled], doc)
        if got is None:
            break
        before = x.text
        if got & {"symbol", "page"}:
            anchor = k + 1
        if "title" in got:
            titled.append(k)
        k += 1
    if anchor < 0 and not titled:
        return 0
    end = max(anchor, 0)
    words: list[str] = []
    whole = False
    for i in titled:
        words += _words(_title_rest(body[i].text, doc))
        if words == list(doc.title):
            end = max(end, i + 1)   # the whole title: the head ends with it
            whole = True
            break
        if words != list(doc.title[:len(words)]):
            break
    if anchor < 0 and not (whole and end < len(body) and body[end].blank):
        return 0                    # the whole title alone, then a blank line: a head too
    while end < len(body) and (body[end].blank or body[end].form_feed):
        end += 1
    return end


def _title_goes_on(text: str, before: list[str], doc: _Doc) -> frozenset[str] | None:
    """The head items of a line that holds head items and the next word(s) of a title
    begun on the head lines ``before`` (one word is no title fragment on its own: "human"
    over "A/RES/78/199  rights"), else None."""
    if not before:
        return None
    sofar = [w for t in before for w in _words(_title_rest(t, doc))]
    rest = _words(_title_rest(text, doc))
    if not rest or sofar + rest != list(doc.title[:len(sofar) + len(rest)]):
        return None
    kinds = {k for w in text.split() for k in (doc.parts(w, title_ok=False) or ())}
    return frozenset(kinds | {"title"})


def _title_rest(text: str, doc: _Doc) -> str:
    """A head line without its symbol, page and job numbers."""
    return " ".join(w for w in text.split() if doc.parts(w, title_ok=False) is None)


def _bottom_zone(body: list[Line], doc: _Doc) -> int:
    """Index where a page's foot starts (len(body) when it has none)."""
    k = len(body)
    kinds: set[str] = set()
    start = k
    while k > 0:
        x = body[k - 1]
        if x.form_feed or x.blank:
            k -= 1
            continue
        got = doc.parts(x.text, title_ok=False)
        if got is None:
            break
        kinds |= got
        k -= 1
        start = k
    if kinds & {"page", "job", "symbol"}:
        return start
    return len(body)


def _trim(page: Page) -> None:
    """Blank lines padding the top and bottom of the body move to the furniture."""
    top = 0
    while top < len(page.body) and page.body[top].blank:
        top += 1
    page.furniture.extend(page.body[:top])       # at once: pop(0) in a loop is quadratic
    del page.body[:top]
    while page.body and page.body[-1].blank:
        page.furniture.append(page.body.pop())
