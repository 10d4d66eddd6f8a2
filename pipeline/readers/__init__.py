"""Readers: one module per source kind, each ``read(data, path, options) -> Parsed``.

A reader turns bytes into the canonical tree (through the normalizer where the
source is loose text) and returns it with the warnings it raised.  Every reader
takes the same :class:`~pipeline.options.ReadOptions`.  A reader never writes
anything and never touches the network.  It raises a
:class:`~pipeline.errors.ReadError` (with position) for input it cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ast import Resolution
from ..errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Parsed:
    """A reader's result: the tree and the warnings met on the way."""

    resolution: Resolution
    diagnostics: tuple[Diagnostic, ...] = ()
