"""Which rules a lint run applies: selectors, the configuration and the command line.

A *selector* names rules:

- ``ALL``: every rule;
- a rule id, ``UN101``, or a rule's name, ``preamble-punctuation``;
- an id prefix, ``UN1`` (a family) or ``UN10`` (any rule whose id starts so);
- a family's name: ``punctuation`` (UN1), ``numbering`` (UN2), ``footnotes`` (UN3),
  ``symbols`` (UN4), ``leads`` (UN5), ``alignment`` (UN6).

Ids and ``ALL`` are read in any case.  An unknown selector is a
:class:`~pipeline.errors.UsageError` that lists the known ones.

The rules of a run, as in ruff (the command line is read after the configuration)::

    base     = --select                   if given (the configuration's select and
                                          ignore are then set aside)
             = select - ignore            of [tool.unres.lint], else
             = ALL - ignore               when the configuration selects nothing
    rules    = base + --extend-select - --ignore

Guarantees: the result is in id order; nothing here reads a file or prints.
"""

from __future__ import annotations

from typing import Iterable

from ..ast import Span
from ..errors import UsageError
from .base import FAMILIES, RULES


def known() -> str:
    """The selectors, as an error message lists them."""
    fams = ", ".join(f"{p} {n}" for p, n in FAMILIES.items())
    return f"ALL; families {fams}; rules {', '.join(sorted(RULES))} (unres rules explains each)"


def resolve(selector: str, *, where: str = "", span: Span | None = None) -> set[str]:
    """The rule ids one selector names (``where`` says where it was written)."""
    s = selector.strip()
    up = s.upper()
    if up == "ALL":
        return set(RULES)
    by_name = {r.name: r.id for r in RULES.values()}
    if s.lower() in by_name:
        return {by_name[s.lower()]}
    families = {n: p for p, n in FAMILIES.items()}
    if s.lower() in families:
        up = families[s.lower()]
    ids = {i for i in RULES if i.startswith(up)} if up.startswith("UN") and len(up) >= 3 \
        else set()
    if not ids:
        at = f"{where}: " if where else ""
        raise UsageError(f"{at}unknown rule or family {s!r} (known: {known()})", span)
    return ids


def resolve_all(selectors: Iterable[str], *, where: str = "",
                span: Span | None = None) -> set[str]:
    out: set[str] = set()
    for s in selectors:
        out |= resolve(s, where=where, span=span)
    return out


def selected(*, select: Iterable[str] | None = None, extend_select: Iterable[str] = (),
             ignore: Iterable[str] = (), config_select: Iterable[str] = (),
             config_ignore: Iterable[str] = (), config_name: str = "configuration",
             config_span: Span | None = None) -> list[str]:
    """The ids of the rules a run applies (see the module docstring); ``select`` None
    when the command line gave no ``--select``."""
    if select is not None:
        base = resolve_all(select, where="--select")
    else:
        cs = list(config_select)
        base = resolve_all(cs, where=f"{config_name}: lint.select", span=config_span) \
            if cs else set(RULES)
        base -= resolve_all(config_ignore, where=f"{config_name}: lint.ignore",
                            span=config_span)
    base |= resolve_all(extend_select, where="--extend-select")
    base -= resolve_all(ignore, where="--ignore")
    return sorted(base)


def split(values: Iterable[str]) -> list[str]:
    """Command-line values, each of which may hold several selectors (``UN101,UN2``)."""
    return [part.strip() for v in values for part in v.replace(" ", ",").split(",")
            if part.strip()]


__all__ = ["known", "resolve", "resolve_all", "selected", "split"]
