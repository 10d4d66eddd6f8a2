"""UN document symbols: explicit symbols and resolution numbers cited in text,
and their undocs.org addresses."""

from __future__ import annotations

import re
from functools import cached_property

#: an explicit UN symbol (group ``symbol``)
_SYMBOL = re.compile(
    r"(?<![A-Za-z0-9/])(?P<symbol>(?:A|S|E|ST|UNEP|FCCC|NPT|TD|DP|ICCD|CAT|CRC|CEDAW|CERD|CCPR|HRI)"
    r"/(?:[A-Za-z0-9.\-]+/)*[A-Za-z0-9.\-]*[A-Za-z0-9](?:\s?\((?:\d{4}|Vol\.\s?[IVX]+)\))?)")
#: a resolution number cited without its series ("60/288", "1325 (2000)")
_RES_NUMBER = re.compile(
    r"(?<![A-Za-z0-9/.\-])(?P<num>(?P<pre>S-)?(?P<a>\d{1,4})/(?P<b>\d{1,3})"
    r"|(?P<c>\d{1,4})\s?(?:(?P<l1>[A-Z])\s?)?[(\uff08](?P<paren>\d{4}|[IVXL]+|S-[IVXL]+|ES-[IVXL]+)[)\uff09])"
    r"(?:\s(?P<letter>[A-Z])(?![A-Za-z]))?(?![A-Za-z0-9/])")


class Symbols:
    """Symbols of :class:`pipeline.lang.Language` (``[symbols]``, ``identity.undocs``)."""

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
        out: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for m in _SYMBOL.finditer(text):
            sym = re.sub(r"\s", "", m["symbol"]).rstrip(".")
            out.append((m.start("symbol"), m.start("symbol") + len(m["symbol"].rstrip(".")), sym))
            taken.append((m.start(), m.end()))
        cue_before, cue_after, stop, window, organ_cues = self._symbol_cues
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


    @cached_property
    def _symbol_cues(self) -> tuple:
        """The patterns of ``[symbols]`` that :meth:`find_symbols` uses, compiled once:
        (cue before, cue after, stop, window, ((organ, cue), ...))."""
        sy = self._d["symbols"]
        return (re.compile(sy["cue_before"], re.I) if sy.get("cue_before") else None,
                re.compile(sy["cue_after"], re.I) if sy.get("cue_after") else None,
                re.compile(sy.get("stop", r"[.;:]\s|[.;:]$")),
                int(sy.get("window", 120)),
                tuple((o, re.compile(p, re.I)) for o, p in sy.get("organ_cues", {}).items()))


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
