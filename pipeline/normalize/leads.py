"""Lead phrases: the opening words of a paragraph ("Recalling", "Calls upon", "回顾").

Guarantees of :func:`split_lead`: ``lead + body`` holds exactly the inlines
it was given (text is only cut, never changed) except the whitespace where
lead and body meet, which the tree never keeps (writers put a space back
where the language needs one, as the AKN reader expects); the lead is the marked
(bold/italic) run that opens the paragraph when there is one, otherwise the
longest phrase of the language's lexicon of that kind that opens the text,
otherwise empty.  Punctuation and spaces after the marked run stay in the
body ("**确认**，在…" -> lead "确认", body "，在…").
"""

from __future__ import annotations

from ..ast import Emphasis, Inline, Strong, Text, plain_text

_TRAIL = " \u00a0,，、:：;；؛،"


def _unwrap_marks(n: Inline) -> tuple[Inline, ...] | None:
    """The children of a bold/italic run (nested marks allowed), else None."""
    if isinstance(n, (Strong, Emphasis)):
        kids = n.children
        if len(kids) == 1 and isinstance(kids[0], (Strong, Emphasis)):
            return _unwrap_marks(kids[0])
        return kids
    return None


def marked_lead(inlines: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], tuple[Inline, ...]] | None:
    """(lead, body) when the paragraph opens with a bold or italic run."""
    if not inlines:
        return None
    kids = _unwrap_marks(inlines[0])
    if kids is None or not plain_text(kids).strip():
        return None
    text = plain_text(kids)
    core = text.rstrip(_TRAIL)
    trail = text[len(core):]
    lead: tuple[Inline, ...] = (Text(core.strip()),) if all(isinstance(k, Text) for k in kids) else kids
    body = inlines[1:]
    if trail and all(isinstance(k, Text) for k in kids):
        body = (Text(trail),) + body
    return lead, _merge_front(body)


def _merge_front(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if len(inlines) >= 2 and isinstance(inlines[0], Text) and isinstance(inlines[1], Text):
        return (Text(inlines[0].text + inlines[1].text),) + inlines[2:]
    return inlines


def lexicon_lead(inlines: tuple[Inline, ...], L, kind: str) -> tuple[tuple[Inline, ...], tuple[Inline, ...]] | None:
    """(lead, body) when the text opens with a phrase of the language's lexicon."""
    if not inlines or not isinstance(inlines[0], Text):
        return None
    first = inlines[0].text
    phrase = L.match_lead(first, kind)
    if not phrase or not first.startswith(phrase):
        return None
    return (Text(phrase),), (Text(first[len(phrase):]),) + inlines[1:] if first[len(phrase):] \
        else inlines[1:]


def split_lead(inlines: tuple[Inline, ...], L, kind: str) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """The lead phrase and the rest (see module docstring)."""
    got = marked_lead(inlines) or lexicon_lead(inlines, L, kind)
    if not got:
        return (), inlines
    lead, body = got
    if body and isinstance(body[0], Text):
        rest = body[0].text.lstrip()
        body = ((Text(rest),) if rest else ()) + body[1:]
    return lead, body
