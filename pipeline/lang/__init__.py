"""The six UN languages: masthead lines, dates, labels, lead phrases, symbols.

Everything a language needs lives in its data file ``pipeline/lang/<code>.toml``
(read with :mod:`tomllib` on first use and cached); this module is generic and
holds no per-language branch, so a seventh language is a data change.

    >>> from pipeline import lang
    >>> L = lang.get("zh")
    >>> L.parse_session("第七十一届会议")
    71

Every ``parse_*`` takes one stripped line (markdown marks such as ``##`` or
``*`` around the line are tolerated) and returns ``None`` when the line is not
of that kind; every ``*_text`` is its inverse, as the UN prints it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import LanguageError

CODES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
ORGANS: tuple[str, ...] = ("GA", "SC", "ECOSOC", "HRC")

_DIR = Path(__file__).resolve().parent

# Characters that never matter when comparing text (soft hyphen, zero-width
# and bidi marks, BOM); the data may add its own (Arabic tatweel, harakat).
_IGNORABLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060\ufeff"
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u3000]+")
_FOLD = str.maketrans({
    "\u2018": "’", "'": "’", "\u02bc": "’", "\u2032": "’",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\uff08": "(", "\uff09": ")", "\uff0e": ".",
    **{chr(0x0660 + i): str(i) for i in range(10)},   # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},   # Extended Arabic-Indic digits
    **{chr(0xFF10 + i): str(i) for i in range(10)},   # full-width digits
})
_MARKS = re.compile(r"^(?:#+\s*|[*_]+\s*)+|(?:\s*[*_]+)+$")
_SYMBOL = re.compile(
    r"(?<![A-Za-z0-9/])(?P<symbol>(?:A|S|E|ST|UNEP|FCCC|NPT|TD|DP|ICCD|CAT|CRC|CEDAW|CERD|CCPR|HRI)"
    r"/(?:[A-Za-z0-9.\-]+/)*[A-Za-z0-9.\-]*[A-Za-z0-9](?:\s?\((?:\d{4}|Vol\.\s?[IVX]+)\))?)")
_RES_NUMBER = re.compile(
    r"(?<![A-Za-z0-9/.\-])(?P<num>(?P<pre>S-)?(?P<a>\d{1,4})/(?P<b>\d{1,3})"
    r"|(?P<c>\d{1,4})\s?(?:(?P<l1>[A-Z])\s?)?[(\uff08](?P<paren>\d{4}|[IVXL]+|S-[IVXL]+|ES-[IVXL]+)[)\uff09])"
    r"(?:\s(?P<letter>[A-Z])(?![A-Za-z]))?(?![A-Za-z0-9/])")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


class Language:
    """One language's data and the operations built on it (see module doc)."""

    def __init__(self, data: dict):
        self._d = data
        ident = data["identity"]
        self.code: str = ident["code"]
        self.akn: str = ident["akn"]
        self.undocs: str = ident["undocs"]
        self.dir: str = ident["dir"]
        self.name: str = ident["name"]
        self.lead_style: str = ident["lead_style"]
        text = data.get("text", {})
        self._compact: bool = bool(text.get("compact", False))
        self._letter_fold = str.maketrans(text.get("fold", {}))
        ign = _IGNORABLE + text.get("ignorable", "")
        self._ignorable = re.compile(f"[{ign}]")
        self.punctuation: dict = dict(data["punctuation"])
        self.closing_order: tuple[str, ...] = tuple(data["closing"]["order"])

    def __repr__(self) -> str:
        return f"<Language {self.code}>"

    @property
    def compact(self) -> bool:
        """Whether the script writes no spaces between words (Chinese): stray
        spaces next to its characters are extraction damage."""
        return self._compact

    # ------------------------------------------------------------ text helpers

    def clean(self, line: str) -> str:
        """The line as the parsers see it: NFC, marks and ignorable characters
        removed, quotes, dashes and digits folded, spaces collapsed (and, in a
        compact script such as Chinese, dropped except between Latin letters)."""
        s = self._ignorable.sub("", _nfc(line or "")).translate(_FOLD)
        s = _SPACES.sub(" ", s).strip()
        s = _MARKS.sub("", s).strip()
        if s.startswith("\\["):
            s = s[1:]
        s = s.replace("\\]", "]")
        if self._compact:
            s = re.sub(r"(?<![A-Za-z]) | (?![A-Za-z])", "", s)
        return s

    def key(self, s: str) -> str:
        """A comparison key: cleaned, case-folded, letters folded, no spaces or hyphens."""
        s = self.clean(s).casefold().translate(self._letter_fold)
        return re.sub(r"[\s\-]", "", s)

    def _fold_map(self, text: str) -> tuple[str, list[int]]:
        """``text`` folded for phrase matching, with the index in ``text`` of each
        folded character (ignorable characters dropped, space runs collapsed)."""
        out: list[str] = []
        idx: list[int] = []
        for i, ch in enumerate(text):
            if self._ignorable.fullmatch(ch):
                continue
            ch = ch.translate(_FOLD)
            if _SPACES.fullmatch(ch):
                if not out or out[-1] == " ":
                    continue
                ch = " "
            low = ch.lower()
            ch = (low if len(low) == 1 else ch).translate(self._letter_fold)
            out.append(ch)
            idx.append(i)
        return "".join(out), idx

    def _fold(self, s: str) -> str:
        return self._fold_map(s)[0].strip()

    @cached_property
    def _pat(self) -> dict[str, re.Pattern]:
        return {k: re.compile(v, re.I) for k, v in self._d["patterns"].items()}

    def _m(self, name: str, line: str):
        return self._pat[name].fullmatch(self.clean(line))

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

    # ------------------------------------------------------- PDF page furniture

    @cached_property
    def furniture(self) -> dict[str, re.Pattern]:
        """Page-furniture patterns of PDF-extracted text (common.toml's, then this
        language's own): job_number, barcode, page_number, note_rule, symbol, residue."""
        table = dict(_common()["furniture"])
        table.update({k: v for k, v in self._d.get("furniture", {}).items()
                      if isinstance(v, str)})
        return {k: re.compile(v) for k, v in table.items()}

    def words(self, name: str) -> tuple[str, ...]:
        """A word list of the ``[furniture]`` table (not_a_call, numbered_abbreviations,
        suspended_hyphen); empty when the language has none."""
        return tuple(self._d.get("furniture", {}).get(name, ()))

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

    # ------------------------------------------------------------------- dates

    @cached_property
    def _months(self) -> dict[str, int]:
        out = {}
        for i, names in enumerate(self._d["months"]["names"], 1):
            for name in [names] if isinstance(names, str) else names:
                out[self.key(name)] = i
        return out

    def _date_from(self, m: re.Match) -> str | None:
        try:
            y, d = int(m["y"]), int(m["d"])
        except (TypeError, ValueError):
            return None
        mon = m["m"]
        mo = int(mon) if mon.isdigit() else self._months.get(self.key(mon))
        if not mo or not 1 <= d <= 31 or not 1 <= mo <= 12:
            return None
        return f"{y:04d}-{mo:02d}-{d:02d}"

    def parse_date(self, text: str) -> str | None:
        """ISO date of a whole-line date in this language, else None."""
        m = self._m("date", text)
        return self._date_from(m) if m else None

    def format_date(self, iso: str) -> str:
        """``iso`` (YYYY-MM-DD) as the UN prints dates in this language."""
        y, mo, d = (int(x) for x in iso.split("-"))
        names = self._d["months"]["names"][mo - 1]
        month = names if isinstance(names, str) else names[0]
        day = self._d["months"].get("day_text", {}).get(str(d), str(d))
        return self._d["templates"]["date"].format(d=day, m=mo, y=y, month=month)

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
        """(number, title) of a "71/19. Title" line, else None."""
        m = self._pat["title"].fullmatch(_MARKS.sub("", _SPACES.sub(" ", _nfc(line)).strip()))
        if not m:
            return None
        title = m["title"].strip()
        return (m["number"].replace(" ", ""), title) if title else None

    def parse_meeting(self, line: str) -> tuple[int, str] | None:
        """(number, line as printed) of a plenary meeting line, else None."""
        s = self.clean(line)
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

    # ------------------------------------------------------------ preamble etc.

    @cached_property
    def formulas(self) -> tuple[str, ...]:
        """Enacting formulas without final punctuation, GA first."""
        return tuple(self._d["formulas"].values())

    def formula(self, organ: str) -> str:
        """The enacting formula of ``organ``."""
        return self._d["formulas"][organ]

    @cached_property
    def _formula_keys(self) -> dict[str, str]:
        return {self._formula_key(f): o for o, f in self._d["formulas"].items()}

    def _formula_key(self, s: str) -> str:
        s = self.clean(s.replace("*", " ").replace("_", " "))
        return self.key(s.rstrip(",،，:：;؛ .").strip())

    def is_formula(self, text: str) -> bool:
        """Whether ``text`` is an enacting formula, marks and punctuation aside."""
        return self._formula_key(text) in self._formula_keys

    def formula_organ(self, text: str) -> str | None:
        """The organ whose enacting formula ``text`` is, else None."""
        return self._formula_keys.get(self._formula_key(text))

    def annex_heading(self, line: str) -> bool:
        """Whether the line is an annex heading ("Annex", "Annex I", "附件" ...)."""
        return bool(self._m("annex", line))

    # ------------------------------------------------------------------- items

    @cached_property
    def item_levels(self) -> tuple[tuple[str, ...], ...]:
        """Label sequences per nesting level, as the UN prints them."""
        return tuple(tuple(level) for level in self._d["items"]["levels"])

    def _label_key(self, label: str) -> str:
        s = _nfc(label).translate(_FOLD).translate(str.maketrans(self._d["items"].get("aliases", {})))
        s = re.sub(r"[’‘\"]", "’", s)
        return re.sub(r"\s+", "", self._ignorable.sub("", s)).lower()

    @cached_property
    def _labels(self) -> dict[str, tuple[tuple[int, int], ...]]:
        out: dict[str, list[tuple[int, int]]] = {}
        for lvl, seq in enumerate(self.item_levels):
            for i, lab in enumerate(seq):
                out.setdefault(self._label_key(lab), []).append((lvl, i))
        prefer = self._d["items"].get("prefer_level", 1)
        return {k: tuple(sorted(v, key=lambda c: (c[0] != prefer, c[0]))) for k, v in out.items()}

    def label_candidates(self, label: str) -> tuple[tuple[int, int], ...]:
        """Every (level, index) reading of ``label``; the preferred reading first
        ("(i)": roman 1 at level 1, then letter i at level 0)."""
        return self._labels.get(self._label_key(label), ())

    def item_label(self, text_start: str) -> tuple[str, int, int] | None:
        """(label as in the text, level, index) of an item label opening the text
        (after optional list marks), else None.  Ambiguous labels give the
        preferred reading; ask :meth:`label_candidates` for all."""
        m = self._pat["item_label"].match(_nfc(text_start))
        if not m:
            return None
        label = m["label"]
        cands = self.label_candidates(label)
        if not cands:
            return None
        return label, cands[0][0], cands[0][1]

    # -------------------------------------------------------------- operative

    def operative_number(self, text: str) -> tuple[str, str] | None:
        """(number as the UN prints it, rest) of an operative paragraph opening
        with its number ("1. Calls upon" -> ("1.", "Calls upon")), else None."""
        raw = _nfc(text)
        folded = raw.translate(_FOLD)
        start = len(folded) - len(folded.lstrip())
        m = self._pat["operative_number"].match(folded, start)
        if not m:
            return None
        # the rest as written (quotes and dashes unfolded) when folding kept every
        # character in place, as it does for the quotes and dashes it folds
        rest = raw[m.start("rest"):] if len(folded) == len(raw) else m["rest"]
        return self.num_text(int(m["n"])), rest.strip()

    def num_text(self, n: int) -> str:
        """Operative paragraph number ``n`` as printed ("1." or "1 -")."""
        return self._d["templates"]["num"].format(n=n)

    # ------------------------------------------------------------------- leads

    @cached_property
    def _leads(self) -> dict[str, tuple[str, ...]]:
        d = self._d["leads"]
        return {k: tuple(sorted(dict.fromkeys(d[k]), key=lambda p: (-len(p), p)))
                for k in ("preambular", "operative")}

    @cached_property
    def _lead_index(self) -> dict[str, dict[str, tuple[str, ...]]]:
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind, phrases in self._leads.items():
            idx: dict[str, list[str]] = {}
            for p in phrases:
                f = self._fold(p)
                if f:
                    idx.setdefault(f[0], []).append(f)
            out[kind] = {c: tuple(sorted(set(v), key=len, reverse=True)) for c, v in idx.items()}
        return out

    @cached_property
    def _lead_window(self) -> int:
        """Characters of a text's opening that :meth:`match_lead` folds: twice the longest
        phrase and some, for ignorable characters, spaces and the boundary after it."""
        longest = max((len(p) for kind in ("preambular", "operative") for p in self.leads(kind)),
                      default=0)
        return 2 * longest + 16

    def leads(self, kind: str) -> tuple[str, ...]:
        """Curated lead phrases of ``kind`` ("preambular" | "operative"), longest first."""
        return self._leads[kind]

    def match_lead(self, text: str, kind: str) -> str | None:
        """The longest curated lead phrase opening ``text``, as written in the text
        (word boundary respected except in compact scripts), else None."""
        start = len(text) - len(text.lstrip(" \t\u00a0*_"))
        # only the opening words can hold a lead phrase: fold no more than that
        folded, idx = self._fold_map(text[start:start + self._lead_window])
        if not folded:
            return None
        for f in self._lead_index[kind].get(folded[0], ()):
            if folded.startswith(f):
                nxt = folded[len(f):len(f) + 1]
                if not self._compact and nxt and (nxt.isalnum() or nxt in "’-"):
                    continue
                end = start + idx[len(f) - 1] + 1
                while end < len(text) and self._ignorable.fullmatch(text[end]):
                    end += 1
                return text[start:end]
        return None

    # ----------------------------------------------------------------- symbols

    def undocs_url(self, symbol: str) -> str:
        """The undocs.org address of ``symbol`` in this language."""
        return f"https://undocs.org/{self.undocs}/{symbol.replace(' ', '')}"

    @cached_property
    def symbol_pattern(self) -> re.Pattern:
        """Finds explicit UN symbols ("A/71/L.17", "E/RES/2022/1"): group ``symbol``.
        Resolution numbers cited without their series ("resolution 60/288") need
        context: use :meth:`find_symbols`."""
        return _SYMBOL

    def find_symbols(self, text: str, organ: str = "GA") -> list[tuple[int, int, str]]:
        """(start, end, full symbol) of every UN symbol cited in ``text``, in order:
        explicit symbols, and resolution numbers after a "resolution" cue (or
        before a trailing cue such as zh "号"), with the series taken from the
        nearest organ named before them, else from ``organ`` (the document's)."""
        sy = self._d["symbols"]
        out: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for m in _SYMBOL.finditer(text):
            sym = re.sub(r"\s", "", m["symbol"]).rstrip(".")
            out.append((m.start("symbol"), m.start("symbol") + len(m["symbol"].rstrip(".")), sym))
            taken.append((m.start(), m.end()))
        cue_before = re.compile(sy["cue_before"], re.I) if sy.get("cue_before") else None
        cue_after = re.compile(sy["cue_after"], re.I) if sy.get("cue_after") else None
        stop = re.compile(sy.get("stop", r"[.;:]\s|[.;:]$"))
        window = int(sy.get("window", 120))
        organ_cues = [(o, re.compile(p, re.I)) for o, p in sy.get("organ_cues", {}).items()]
        for m in _RES_NUMBER.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            before = text[max(0, m.start() - window):m.start()]
            cut = [x.end() for x in stop.finditer(before)]
            if cut:
                before = before[cut[-1]:]
            cued = bool(cue_before and cue_before.search(before))
            if not cued and cue_after and cue_after.match(text, m.end()):
                cued = True
            if not cued:
                continue
            o = organ
            best = -1
            for org, pat in organ_cues:
                for cm in pat.finditer(before):
                    if cm.start() > best:
                        best, o = cm.start(), org
            sym = _resolution_symbol(m, o)
            if sym:
                out.append((m.start("num"), m.end("num"), sym))
        return sorted(out)


def _resolution_symbol(m: re.Match, organ: str) -> str | None:
    """The full symbol of a resolution number matched by ``_RES_NUMBER``."""
    if m["paren"]:
        paren = m["paren"]
        if re.fullmatch(r"\d{4}", paren):
            return f"S/RES/{m['c']}({paren})"
        return f"A/RES/{m['c']}({paren})"
    a, b, pre = m["a"], m["b"], m["pre"] or ""
    letter = m["letter"] or ""
    suffix = letter.lower() if letter and letter != "A" else ""
    if organ == "SC":
        organ = "GA"
    if not pre and len(a) == 4 and int(a) >= 1946 and organ in ("GA", "ECOSOC"):
        return f"E/RES/{a}/{b}{suffix}"
    if organ == "ECOSOC":
        organ = "GA"      # "resolution 69/313": a session number, so an Assembly resolution
    series = {"GA": "A/RES", "ECOSOC": "E/RES", "HRC": "A/HRC/RES"}[organ]
    return f"{series}/{pre}{a}/{b}{suffix}"


@lru_cache(maxsize=None)
def _common() -> dict:
    with open(_DIR / "common.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def _load(code: str) -> Language:
    with open(_DIR / f"{code}.toml", "rb") as fh:
        return Language(tomllib.load(fh))


@lru_cache(maxsize=None)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in CODES:
        with open(_DIR / f"{code}.toml", "rb") as fh:
            ident = tomllib.load(fh)["identity"]
        for a in [code, ident["akn"], ident["undocs"], *ident.get("aliases", ())]:
            out[a.lower()] = code
    return out


def get(code: str) -> Language:
    """The language of ``code`` (ISO 639-1 "zh", 639-2 "zho", undocs "ch").

    Raises :class:`pipeline.errors.LanguageError` for anything else."""
    c = (code or "").strip().lower()
    if c in CODES:
        return _load(c)
    real = _aliases().get(c) if c else None
    if real is None:
        raise LanguageError(f"unknown language {code!r}: expected one of {', '.join(CODES)}")
    return _load(real)


def detect(text: str) -> str | None:
    """The language of ``text`` by script (Arabic, CJK, Cyrillic) and, among
    languages sharing a script, by marker words; None if unknown."""
    sample = _nfc(text or "")[:20000]
    langs = [get(c) for c in CODES]
    by_script: dict[str, list[Language]] = {}
    for L in langs:
        by_script.setdefault(L._d["detect"]["script"], []).append(L)
    best, best_n = None, 0
    for script, group in by_script.items():
        n = len(re.findall(script, sample))
        if n > best_n:
            best, best_n = group, n
    if not best:
        return None
    if len(best) == 1:
        return best[0].code
    lowered = sample.lower()
    scores = []
    for L in best:
        words = L._d["detect"]["markers"]
        score = sum(len(re.findall(rf"(?<!\w){re.escape(w.lower())}(?!\w)", lowered)) for w in words)
        scores.append((score, L.code))
    scores.sort(reverse=True)
    if scores[0][0] == 0 or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]
