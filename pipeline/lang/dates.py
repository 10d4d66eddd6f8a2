"""Dates as each language prints them: month names, whole-line dates, ISO dates back."""

from __future__ import annotations

import re
from functools import cached_property


class Dates:
    """Dates of :class:`pipeline.lang.Language` (``[months]``, ``patterns.date``, ``templates.date``)."""

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
