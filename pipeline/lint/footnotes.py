"""Footnote rules: UN301 a call without its note, UN302 a note without its call,
UN303 notes numbered out of sequence.

The markdown and text readers match calls and notes themselves and report what
they could not match (``footnote-missing``, ``footnote-uncalled``); those
reports become findings of UN301/UN302 here, at the reader's position.  The
tree is checked as well, so that any reader's output is covered: a note with
no text, a superscript number left in the text (a call whose note was never
found), a pandoc note reference ``[^x]`` left as text.  UN303 (warning): the
numbered notes of a resolution run 1, 2, 3 ... in the order they are called.
"""

from __future__ import annotations

import re

from ..ast import FootnoteRef, Para, Superscript, Text, plain_text
from .base import Doc, all_runs, finding, inline_runs, note_runs, rule, walk_inlines

_MARKER = re.compile(r"^\s*(\d{1,3}|[*†‡§]{1,3})\s*$")
_PANDOC_REF = re.compile(r"\[\^([^\]\s]+)\]")

#: reader warning code -> rule id
READER_CODES = {"footnote-missing": "UN301", "footnote-uncalled": "UN302"}


def _from_reader(doc: Doc, code: str):
    for d in doc.diagnostics:
        if d.code == code:
            span = d.span if d.span.line else doc.span()
            yield finding(READER_CODES[code], d.message, span)


@rule("UN301", "footnote-missing", "error", "every footnote call has its note")
def check_calls(doc: Doc):
    """Every footnote call has its note: a call whose note was never found (a
    superscript number left in the text, a [^x] with no [^x]: note) or a note with
    no text is reported where the call is.

    Wrong:

        *Recalling* the political declaration of 30 June 2022,[^1]

    Right:

        *Recalling* the political declaration of 30 June 2022,[^1]

        [^1]: Resolution 76/294, annex.
    """
    reported = list(_from_reader(doc, "footnote-missing"))
    yield from reported
    seen = {(d.span.file, d.span.line) for d in reported}
    seen |= {m.group(0) for d in reported for m in _PANDOC_REF.finditer(d.message)}
    for _meta, body in doc.res.texts():
        for owner, run in inline_runs(body):
            yield from _calls(doc, owner, run, seen, in_note=False)
            for n_owner, n_run in note_runs(owner, run):
                yield from _calls(doc, n_owner, n_run, seen, in_note=True)


def _calls(doc: Doc, owner, run, seen: set, *, in_note: bool):
    """UN301 findings in one run; in a note's own text a superscript number is the
    note's printed number, not a call."""
    span = doc.span(owner)
    for n in walk_inlines(run):
        if isinstance(n, FootnoteRef):
            text = " ".join(plain_text(b.inlines) for b in n.blocks if isinstance(b, Para))
            if not n.blocks or (not text.strip() and all(isinstance(b, Para) for b in n.blocks)):
                yield finding("UN301", f"footnote {n.marker} has no text",
                              doc.span(n) if n.span else span)
        elif isinstance(n, Superscript) and not in_note:
            m = _MARKER.match(plain_text(n.children))
            if m and (span.file, span.line) not in seen:
                yield finding("UN301", f"footnote call {m.group(1)} has no note", span)
        elif isinstance(n, Text):
            for m in _PANDOC_REF.finditer(n.text):
                if m.group(0) in seen:      # told by the reader, where it stands
                    continue
                yield finding("UN301", f"footnote reference [^{m.group(1)}] has no note", span)


@rule("UN302", "footnote-uncalled", "error", "every footnote is called from the text")
def check_notes(doc: Doc):
    """Every footnote is called from the text: a note (in the extracted form, a
    paragraph starting <sup>N</sup>) whose number no call carries is reported.

    Wrong:

        <sup>9</sup> Resolution 69/313.        (no <sup>9</sup> in the text)

    Right:

        ... the Addis Ababa Action Agenda,<sup>9</sup>

        <sup>9</sup> Resolution 69/313.
    """
    yield from _from_reader(doc, "footnote-uncalled")


@rule("UN303", "footnote-sequence", "warning",
      "footnotes are numbered 1, 2, 3 ... in the order they are called")
def check_sequence(doc: Doc):
    """Numbered footnotes run 1, 2, 3 ... in the order they are called (a
    warning).

    Wrong:

        ... adopted on 30 June 2022,<sup>3</sup> ... for all,<sup>2</sup>

    Right:

        ... adopted on 30 June 2022,<sup>1</sup> ... for all,<sup>2</sup>
    """
    expected = 1
    for _meta, body in doc.res.texts():
        for owner, run in all_runs(body):
            for n in walk_inlines(run):
                if not isinstance(n, FootnoteRef) or not n.marker.strip().isdigit():
                    continue
                k = int(n.marker)
                if k != expected:
                    yield finding("UN303", f"footnote {k} is out of sequence: expected {expected}",
                                  doc.span(n) if n.span else doc.span(owner))
                expected = k + 1
