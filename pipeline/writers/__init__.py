"""Writers: one module per output format, each ``write(resolution, options) -> Written``.

A writer turns the canonical tree into the bytes of one format.  It takes the
:class:`~pipeline.options.WriteOptions` the command built (it never reads the
environment, the clock or a file named by the user), returns the bytes with
the warnings met on the way, and raises a :class:`~pipeline.errors.WriteError`
when it cannot produce the output.  The same tree and options give the same
bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Written:
    """A writer's result: the output's bytes and the warnings met on the way."""

    data: bytes
    diagnostics: tuple[Diagnostic, ...] = ()
