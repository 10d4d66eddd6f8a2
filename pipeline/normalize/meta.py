"""Metadata pass: front matter + masthead + closing -> :class:`~pipeline.ast.Meta`.

Guarantees of :func:`build_meta`:
- front matter values win over what the masthead shows (the front matter is
  where a person states what the page does not say);
- the organ comes from the adoption heading, else the formula, else the
  front matter, else the symbol; default GA, reported;
- the symbol is derived when the source shows only the number: GA
  ``A/RES/<number>``, ECOSOC ``E/RES/<number>``, HRC ``A/HRC/RES/<number>``,
  SC ``S/RES/<number> (<year>)``; a trailing part letter of the title
  ("... for 2021 C") becomes ``letter`` and joins the symbol ("A/RES/75/253 C");
- the adoption date is the closing's (the date under the meeting line, which
  the UN's markup takes as the date of adoption), else the masthead's; when
  both exist and differ, it is reported;
- the distribution of a resolution is "General" unless the source says otherwise;
- every front-matter key that is not a Meta field is reported, not ignored
  silently.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..ast import (AgendaItem, Body, Classification, Keyword, Meta, Proponent, Span, Text,
                   VoteCount, Voting, WorkflowStep, plain_text)
from ..errors import Diagnostic, ReadError
from .masthead import Masthead

_LETTER = re.compile(r"^(?P<title>.*\S)\s+(?P<letter>[A-H])$")

#: front matter keys (documented in docs/source-format.md) -> Meta fields
FRONT_KEYS = {
    "symbol", "organ", "language", "lang", "number", "letter", "title", "session",
    "agenda_items", "agenda_item", "agenda_item_title", "adopted", "meeting", "distribution",
    "issued", "job_number", "sponsors", "proponent", "drafts",
    # what the UN's markup records and the page does not show
    "published", "marked_up", "workflow", "voting", "classifications",
}


def derive_symbol(organ: str, number: str, letter: str, adopted: str) -> str:
    """The symbol of resolution ``number`` (as its symbol writes it: "ES-11/1")."""
    if not number:
        return ""
    sym = {"GA": f"A/RES/{number}", "ECOSOC": f"E/RES/{number}",
           "HRC": f"A/HRC/RES/{number}"}.get(organ)
    if organ == "SC":
        sym = f"S/RES/{number} ({adopted[:4]})" if adopted else f"S/RES/{number}"
    if sym and letter:
        sym += f" {letter}"
    return sym or ""


def _agenda(value) -> tuple[AgendaItem, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    out = []
    for v in value:
        if isinstance(v, dict):
            out.append(AgendaItem(str(v.get("number", "")), str(v.get("title", ""))))
        else:
            out.append(AgendaItem(str(v)))
    return tuple(out)


#: the organs a resolution is adopted by (the tree's ``organ``)
ORGANS = ("GA", "SC", "ECOSOC", "HRC")


def _whole(value, key: str, path: str) -> int | None:
    """A number of the front matter (or the masthead) as an int, None when empty; a value
    that is not a whole number is a ReadError at the front matter."""
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) < 12:
        return int(text)
    raise ReadError(f"front matter: {key} must be a whole number (it is {text[:40]!r})",
                    Span(path, 2, 1))


def build_meta(mh: Masthead, body: Body, front: dict, L, path: str) -> tuple[Meta, list[Diagnostic]]:
    """The pass (see module docstring)."""
    diags: list[Diagnostic] = []
    here = Span(path, 1, 1)
    for key in front:
        if key not in FRONT_KEYS:
            diags.append(Diagnostic(f"front matter key {key!r} is not known; ignored", here,
                                    code="front-matter"))
    title = mh.title
    letter = str(front.get("letter", "") or mh.letter)
    if not letter and title and isinstance(title[-1], Text):
        m = _LETTER.match(title[-1].text)
        if m and plain_text(title).strip() != m.group("letter"):
            letter = m.group("letter")
            title = title[:-1] + (Text(m.group("title")),)
    formula_organ = L.formula_organ(plain_text(body.preamble.formula)) if body.preamble.formula \
        else None
    organ = str(front.get("organ") or mh.organ or formula_organ or "")
    if front.get("organ") and organ not in ORGANS:
        raise ReadError(f"front matter: organ must be one of {', '.join(ORGANS)} (it is "
                        f"{organ[:40]!r})", Span(path, 2, 1))
    symbol = str(front.get("symbol") or "")
    if not organ and (symbol or mh.symbol):
        s = symbol or mh.symbol
        organ = "ECOSOC" if s.startswith("E/") else "SC" if s.startswith("S/") else \
            "HRC" if "/HRC/" in s else "GA"
    if not organ:
        organ = "GA"
        diags.append(Diagnostic("organ not shown; taken to be the General Assembly", here,
                                code="organ"))
    closing = body.closing
    adopted = str(front.get("adopted") or (closing.date if closing else "") or mh.adopted)
    if mh.adopted and closing and closing.date and mh.adopted != closing.date:
        diags.append(Diagnostic(f"adoption date {mh.adopted} in the heading differs from "
                                f"{closing.date} in the closing; the closing's is taken",
                                closing.span or here, code="adoption-date"))
    number = str(front.get("number") or mh.number)
    if not symbol:
        symbol = mh.symbol or derive_symbol(organ, L.symbol_number(number), letter, adopted)
    if "title" in front:
        title = (Text(str(front["title"])),)
    prop = mh.proponent
    fp = front.get("proponent")
    if isinstance(fp, dict):
        prop = Proponent(kind=str(fp.get("kind", prop.kind)),
                         committee=str(fp.get("committee", prop.committee)),
                         drafts=tuple(str(x) for x in fp.get("drafts", prop.drafts)),
                         reference=str(fp.get("reference", prop.reference)), text=prop.text)
    if "drafts" in front:
        prop = replace(prop, drafts=tuple(str(x) for x in front["drafts"]))
    agenda = _agenda(front.get("agenda_items", front.get("agenda_item"))) or mh.agenda_items
    if front.get("agenda_item_title") and agenda:
        agenda = (AgendaItem(agenda[0].number, str(front["agenda_item_title"])),) + agenda[1:]
    session = front.get("session", mh.session)
    meeting = front.get("meeting", closing.meeting_number if closing else None)
    sponsors = front.get("sponsors") or ()
    if isinstance(sponsors, str):
        sponsors = tuple(s.strip() for s in sponsors.split(",") if s.strip())
    meta = Meta(
        symbol=symbol, organ=organ, language=L.code, number=number, letter=letter, title=title,
        session=_whole(session, "session", path),
        session_text=mh.session_text, agenda_items=agenda, agenda_text=mh.agenda_text,
        adopted=adopted, adoption_text=mh.adoption_text,
        meeting=_whole(meeting, "meeting", path),
        proponent=prop,
        # every resolution is issued for general distribution: the masthead says so
        distribution=str(front.get("distribution") or mh.distribution
                         or ("General" if "/RES/" in symbol else "")),
        issued=str(front.get("issued") or mh.issued or ""),
        job_number=str(front.get("job_number") or ""), sponsors=tuple(map(str, sponsors)))
    meta = replace(meta, **_markup_meta(front, path))
    if not meta.number:
        diags.append(Diagnostic("resolution number not found", here, code="number"))
    if not meta.adopted:
        diags.append(Diagnostic("adoption date not found", here, code="adopted"))
    return meta, diags


def _markup_meta(front: dict, path: str) -> dict:
    """published, marked_up, workflow, voting, classifications from the front matter."""
    out: dict = {}
    for key in ("published", "marked_up"):
        if front.get(key):
            out[key] = str(front[key])
    if isinstance(front.get("workflow"), list):
        out["workflow"] = tuple(WorkflowStep(str(s.get("outcome", "")), str(s.get("date", "")),
                                             str(s.get("symbol", "")), str(s.get("by", "")))
                                for s in front["workflow"] if isinstance(s, dict))
    v = front.get("voting")
    if isinstance(v, dict):
        out["voting"] = Voting(str(v.get("outcome", "")), tuple(
            VoteCount(str(c.get("kind", "")), _whole(c.get("value", 0), "voting", path) or 0,
                      tuple(str(x) for x in c.get("voters", ())))
            for c in v.get("counts", ()) if isinstance(c, dict)))
    if isinstance(front.get("classifications"), list):
        out["classifications"] = tuple(Classification(str(c.get("source", "")), tuple(
            Keyword(str(k.get("value", "")), str(k.get("href", "")), str(k.get("show_as", "")),
                    str(k.get("dictionary", "")))
            for k in c.get("keywords", ()) if isinstance(k, dict)))
            for c in front["classifications"] if isinstance(c, dict))
    return out


__all__ = ["build_meta", "derive_symbol", "FRONT_KEYS"]
