"""The masthead and the closing's meeting line: the United Nations and organ
lines, distribution, session, agenda, adoption, proponent (committee) line,
title line and plenary meeting line, each parsed and printed back."""

from __future__ import annotations

import re
from functools import cached_property

from .text import _SPACES, _nfc, _strip_marks

#: how a note run into a title line ends: a full stop (and the parenthesis Arabic
#: prints a note's text in)
_NOTE_END = re.compile(r"[.。]\s*\)?\s*$")


class Masthead:
    """Masthead lines of :class:`pipeline.lang.Language` (see the package docstring)."""

    # ---------------------------------------------------------------- masthead names

    @property
    def un_name(self) -> str:
        """"United Nations" as the masthead prints it in this language."""
        return self._d["masthead"]["un"]

    def organ_name(self, organ: str) -> str | None:
        """The organ's name as the masthead prints it ("General Assembly", "大会")."""
        return self._d["masthead"]["organs"].get(organ)

    @property
    def distribution_text(self) -> str:
        """The distribution line ("Distr.: General", "Distr. générale")."""
        return self._d["masthead"]["distribution"]

    @property
    def masthead_date_language(self) -> str:
        """The language of the masthead's date of issuance (English in ar, zh, ru)."""
        return self._d["masthead"].get("date_language", self.code)

    def parse_distribution(self, line: str) -> str | None:
        """The distribution kind of a "Distr.: General" / "Distr. générale" line
        ("General", "Limited", "Restricted"), else None."""
        m = re.fullmatch(r"Distr\.?\s*:?\s*(\w+)\.?", _nfc(line).strip(), re.I)
        if not m:
            return None
        kinds = self._d["masthead"]["distribution_kinds"]
        return kinds.get(m.group(1).casefold(), m.group(1).capitalize())

    def distribution_line(self, kind: str) -> str:
        """The distribution line for a kind: "General" -> "Distr. générale" in French."""
        if kind == "General":
            return self.distribution_text
        return f"Distr.: {kind}"

    def parse_masthead_name(self, line: str) -> str | None:
        """"UN" for the United Nations line, the organ code for an organ line
        ("General Assembly" -> "GA", "大  会" -> "GA"), else None."""
        k = self.key(line)
        if k == self.key(self.un_name):
            return "UN"
        for organ, name in self._d["masthead"]["organs"].items():
            if k == self.key(name):
                return organ
        return None

    # ---------------------------------------------------------------- ordinals

    @cached_property
    def _ordinals(self) -> dict[str, int]:
        table = self._d["ordinals"]["session"]
        out = {self.key(w): i for i, w in enumerate(table, 1)}
        for word, n in self._d["ordinals"].get("aliases", {}).items():
            out[self.key(word)] = n
        return out

    def _ordinal(self, word: str) -> int | None:
        return self._ordinals.get(self.key(word))

    # ----------------------------------------------------------------- session

    def parse_session(self, line: str) -> int | None:
        """Session number of a session line ("Seventy-fifth session" -> 75;
        a year session "2022 session" -> 2022), else None."""
        m = self._m("session", line)
        if m and (n := self._ordinal(m["ord"])):
            return n
        m = self._m("session_year", line)
        return int(m["year"]) if m else None

    def session_text(self, n: int) -> str:
        """The session line for session ``n`` (1-99, or a year for ECOSOC)."""
        t = self._d["templates"]
        if n >= 1000:
            return t["session_year"].format(year=n)
        table = self._d["ordinals"]["session"]
        if not 1 <= n <= len(table):
            raise ValueError(f"no session ordinal for {n} in {self.code}")
        return t["session"].format(ord=table[n - 1])

    # ------------------------------------------------------------------ agenda

    def parse_agenda(self, line: str) -> tuple[str, ...] | None:
        """Agenda item numbers, each as "130 (y)"-style canonical text of this
        language ("Agenda items 12 and 118" -> ("12", "118")), else None."""
        m = self._m("agenda", line)
        if not m:
            return None
        items = []
        for part in self._pat["agenda_sep"].split(m["items"].strip()):
            part = part.strip()
            if not part:
                continue
            im = self._pat["agenda_item"].fullmatch(part)
            if not im:
                return None
            sub = im["sub"] or im["sub2"]
            items.append(self._item_text(im["num"], sub))
        return tuple(items) or None

    def _item_text(self, num: str, sub: str | None) -> str:
        if not sub:
            return num
        return self._d["templates"]["agenda_item"].format(num=num, sub=sub)

    def _join(self, parts: list[str] | tuple[str, ...]) -> str:
        t = self._d["templates"]
        parts = list(parts)
        if len(parts) <= 1:
            return "".join(parts)
        return t["list_sep"].join(parts[:-1]) + t["list_last"] + parts[-1]

    def agenda_text(self, items) -> str:
        """The agenda line for ``items`` (as returned by :meth:`parse_agenda`)."""
        t = self._d["templates"]
        items = tuple(items)
        key = "agenda_one" if len(items) == 1 else (
            "agenda_two" if len(items) == 2 and "agenda_two" in t else "agenda_many")
        return t[key].format(items=self._join(items))

    # ---------------------------------------------------------------- adoption

    @cached_property
    def _organ_names(self) -> dict[str, str]:
        out = {}
        for organ, names in self._d["organs"].items():
            for name in names:
                out[self.key(name)] = organ
        return out

    def parse_adoption(self, line: str) -> tuple[str, str] | None:
        """(organ, ISO date) of a "Resolution adopted by ... on ..." line, else None."""
        m = self._m("adoption", line)
        if not m:
            return None
        organ = self._organ_names.get(self.key(m["organ"]))
        date = self.parse_date(m["date"])
        if not organ or not date:
            return None
        return organ, date

    def adoption_text(self, organ: str, iso_date: str) -> str:
        """The adoption line for ``organ`` (GA, SC, ECOSOC, HRC) on ``iso_date``."""
        return self._d["templates"]["adoption"].format(
            organ=self._d["organs"][organ][0], date=self.format_date(iso_date))

    # --------------------------------------------------------------- proponent

    @cached_property
    def _committees(self) -> dict[str, str]:
        return {self.key(name): cid for cid, name in self._d["committees"].items()}

    def parse_proponent(self, line: str) -> dict | None:
        """The committee line ("[on the report of the Fifth Committee (A/75/682/Add.2,
        para. 6)]") as {"kind", "committee", "drafts", "reference"}, else None.
        Short forms ("Add.1", "Add.1 and 2", "Corr.1") are expanded against the
        previous full symbol."""
        s = self.clean(line)
        m = re.fullmatch(r"\[?\s*(?P<body>.+?)\s*\((?P<refs>[^()]*(?:\([^()]*\)[^()]*)*)\)?\s*\)?\s*\]?", s)
        if not m or not s.startswith("["):
            return None
        body, refs = m["body"].strip(), m["refs"] or ""
        kinds = self._d["proponent"]
        found = None
        for kind in ("noMainCommittee", "plenaryMeeting"):
            if kind in kinds and self.key(body) == self.key(kinds[kind]):
                found = (kind, "")
        if not found:
            cm = self._pat["proponent_committee"].fullmatch(body)
            if cm and (cid := self._committees.get(self.key(cm["committee"]))):
                found = ("committee", cid)
        if not found:
            return None
        drafts, reference = self._split_refs(refs)
        return {"kind": found[0], "committee": found[1], "drafts": drafts, "reference": reference}

    def _split_refs(self, refs: str) -> tuple[tuple[str, ...], str]:
        pieces = [p.strip() for p in self._pat["refs_sep"].split(refs) if p and p.strip()]
        drafts: list[str] = []
        reference: list[str] = []
        last = ""
        short_kind = ""
        for p in pieces:
            if self._pat["reference"].fullmatch(p):
                reference.append(p)
                continue
            for tok in self._pat["list_sep"].split(p):
                tok = tok.strip().rstrip("(").strip()
                if not tok:
                    continue
                if "/" in tok and re.match(r"[A-Z]", tok):
                    last = tok.replace(" ", "")
                    drafts.append(last)
                    short_kind = ""
                elif (sm := re.fullmatch(r"(Add|Corr|Rev|Amend)\.?\s*(\d+)", tok, re.I)) and last:
                    short_kind = sm[1].capitalize()
                    base = re.sub(r"/(?:Add|Corr|Rev|Amend)\.\d+$", "", last) if short_kind == "Add" else last
                    if short_kind != "Add":
                        base = re.sub(rf"/{short_kind}\.\d+$", "", last)
                    last = f"{base}/{short_kind}.{sm[2]}"
                    drafts.append(last)
                elif tok.isdigit() and short_kind and last:
                    last = re.sub(rf"{short_kind}\.\d+$", f"{short_kind}.{tok}", last)
                    drafts.append(last)
        return tuple(drafts), self._d["templates"]["refs_sep"].join(reference)

    def proponent_text(self, kind: str, committee: str = "", drafts=(), reference: str = "") -> str:
        """The committee line, drafts given as full symbols."""
        p = self._d["proponent"]
        t = self._d["templates"]
        body = p["committee"].format(committee=self._d["committees"][committee]) \
            if kind == "committee" else p[kind]
        refs = self._join(tuple(drafts))
        if reference:
            refs = t["refs_sep"].join(x for x in (refs, reference) if x)
        return t["proponent"].format(body=body, refs=refs)

    # -------------------------------------------------------- title and meeting

    def parse_title(self, line: str) -> tuple[str, str] | None:
        """(number, title) of a "71/19. Title" line ("ES-11/1. Title" for an emergency
        special session), else None.  A line that holds the number alone ("76/240")
        gives an empty title; the number keeps no space around its "/"."""
        text = _strip_marks(_SPACES.sub(" ", _nfc(line)).strip())
        m = self._pat["title"].fullmatch(text)
        if not m:
            return None
        title = m["title"].strip()
        number = re.sub(r"\s*([/-])\s*", r"\1", m["number"])
        if not title and text.rstrip(". ") != m["number"].strip():
            return None
        return number, title

    def symbol_number(self, number: str) -> str:
        """A resolution number as its symbol writes it: a special session's prefix
        printed in the language's letters in Latin ("د إ ط-11/1" -> "ES-11/1")."""
        cut = number.find("-")
        for printed, latin in self._d["symbols"].get("session_prefixes", {}).items():
            if cut > 0 and self.key(number[:cut]) == self.key(printed):
                return latin + number[cut:]
        return number

    @cached_property
    def _part_letters(self) -> dict[str, str]:
        from .data import common
        letters = dict(common()["parts"]["letters"])
        letters.update(self._d.get("parts", {}).get("letters", {}))
        return {self.clean(k).replace(" ", ""): v for k, v in letters.items()}

    def part_letter(self, line: str) -> str | None:
        """The Latin letter of a line that names a part of a resolution and nothing
        else ("B", "**B**", "باء", "(B)"; case counts: "b" is none), else None."""
        core = self.clean(line).strip(" ()[]*_.").replace(" ", "")
        return self._part_letters.get(core) if core else None

    def split_part_letter(self, title: str) -> tuple[str, str, str] | None:
        """(title, letter, rest) when a title line runs on into its part letter, as a
        word of its own after the title ("Financing of ... B", "... B La résolution
        ...", "... باء ..."): the words before it, its Latin letter, the words after it
        (a subtitle or the letter's note); else None.  The letter opens the line only
        where the title was lost and a note follows it (ending as a sentence does)."""
        if self.compact:   # no spaces around the letter: "联合国共同制度B《大会正式记录》..."
            m = re.search(r"(?<=[^\x00-\x7f])([A-Z])(?=[^\x00-\x7f])", title)
            if m and m.group(1) in self._part_letters.values():
                return title[:m.start()].strip(), m.group(1), title[m.end():].strip()
            return None
        words = title.split(" ")
        for i in range(len(words)):
            word = self.clean(words[i]).strip("*_")
            letter = self._part_letters.get(word) if word else None
            if i == 0 and not (letter and words[1:] and _NOTE_END.search(title)):
                continue                      # a title opens with no letter, but one lost
            rest = " ".join(words[i + 1:]).strip()
            if letter and not rest[:1].islower():     # "Hepatitis B virus" is a title
                return " ".join(words[:i]).strip(), letter, rest
        return None

    def parse_meeting(self, line: str) -> tuple[int, str] | None:
        """(number, line as printed) of a plenary meeting line, else None."""
        s = self.clean(line).rstrip(" ,.;:،؛，。")   # "59th plenary meeting," as some print it
        m = self._pat["meeting"].fullmatch(s)
        if not m:
            return None
        g = m.groupdict()
        if g.get("n"):
            n = int(g["n"])
        elif not (g.get("ord") and (n := self._ordinal(g["ord"]))):
            return None
        return n, s

    def meeting_text(self, n: int) -> str:
        """The plenary meeting line for meeting ``n``."""
        suf = self._d.get("meeting_suffix", {})
        s = str(n)
        suffix = (suf.get("exact", {}).get(s) or suf.get("last2", {}).get(str(n % 100))
                  or suf.get("last1", {}).get(str(n % 10)) or suf.get("default", ""))
        return self._d["templates"]["meeting"].format(n=n, suffix=suffix)
