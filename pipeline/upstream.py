"""Warnings about the UN's own markup: repairs a user cannot act on.

The AKN reader repairs known faults of the UN's Akoma Ntoso files and reports each
repair as a :class:`~pipeline.errors.Diagnostic` (see ``pipeline/readers/akn.py``).
A person converting or linting the UN's files cannot correct them, and a batch of
them prints hundreds (264 padded numbers in the 34 files of the corpus alone), so
``unres convert`` and ``unres lint`` do not print these by default: ``-v`` shows
them, and the JSON report of ``convert --report`` always keeps them.

Listed here are only repairs that lose nothing: the text is read as the UN meant
it.  A warning that something was dropped or read other than it was marked up
(``akn-dropped``, ``akn-unknown``, ``akn-bad-count``), and every warning about a
user's own source (markdown, text, Word, PDF), is always shown.
"""

from __future__ import annotations

from .errors import Diagnostic

#: codes of the AKN reader's repairs of the UN's markup, hidden unless -v
UN_MARKUP_CODES: frozenset[str] = frozenset({
    "akn-padded-num",              # <num> padded with tabs and spaces
    "akn-num-in-text",             # an operative number typed in the text, moved to <num>
    "akn-item-paragraph",          # items marked up as unnumbered paragraphs, made items
    "akn-tail-paragraph",          # text after a list marked up as a paragraph, made its tail
    "akn-unnumbered-first",        # an unnumbered paragraph before the numbered ones
    "akn-heading-dot",             # a heading repeating its number's full stop
    "akn-title-dash",              # a title opening with the dash after its number
    "akn-recital-multi-p",         # a preambular paragraph in several <p>
    "akn-recital-in-body",         # recitals marked up in a mainBody between two preambles
    "akn-operative-in-preamble",   # an operative paragraph typed in the preamble
    "akn-meeting-in-body",         # the meeting line typed in the body
    "akn-preamble",                # an element of the preamble read as a recital
})


def hidden(d: Diagnostic, verbose: bool = False) -> bool:
    """Whether ``d`` is left out of what is printed (a UN markup repair, without -v)."""
    return not verbose and d.code in UN_MARKUP_CODES


def hidden_note(count: int) -> str:
    """The line that says how many were left out, and how to see them."""
    what = "warning" if count == 1 else "warnings"
    return (f"unres: {count} {what} about repairs of the UN's own markup not shown "
            f"(-v shows them)")


__all__ = ["UN_MARKUP_CODES", "hidden", "hidden_note"]
