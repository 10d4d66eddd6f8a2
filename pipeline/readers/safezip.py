"""Opening a zip package (a Word file) without trusting it.

Guarantees of :func:`open_package`:
- the bytes are refused with a one-line :class:`~pipeline.errors.ReadError`
  when they are not a zip archive, when the archive is damaged, when it holds
  more than :data:`MAX_MEMBERS` members, when the sizes its directory
  declares add up to more than :data:`MAX_TOTAL` bytes, or when one member
  declares more than :data:`MAX_MEMBER` bytes or expands more than
  :data:`MAX_RATIO` times (a zip bomb): all checked from the central
  directory, BEFORE anything is decompressed;
- :meth:`Package.read` decompresses one member in chunks and stops with a
  ReadError as soon as it yields more than the member declared or than the
  member limit (a directory that lies about sizes), so no member can
  allocate more than :data:`MAX_MEMBER` bytes;
- :meth:`Package.xml` parses a member with entities, DTDs and the network
  off; a syntax error is a ReadError naming the part and its line.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..ast import Span
from ..errors import ReadError

#: limits of a package; an official Word resolution is well under 1 MB expanded
MAX_MEMBERS = 1000
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 128 * 1024 * 1024
MAX_RATIO = 200
#: below this size a member may expand as much as it likes (tiny XML parts compress well)
RATIO_FLOOR = 1024 * 1024


@dataclass
class Package:
    path: str
    zip: zipfile.ZipFile

    def has(self, name: str) -> bool:
        try:
            self.zip.getinfo(name)
            return True
        except KeyError:
            return False

    def read(self, name: str) -> bytes:
        """A member's bytes, decompressed under the limits (see module docstring)."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ReadError(f"part {name} is missing from the package", Span(self.path, 1, 1)) \
                from None
        limit = min(info.file_size, MAX_MEMBER)
        out = bytearray()
        try:
            with self.zip.open(info) as f:
                while True:
                    chunk = f.read(1 << 16)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > limit:
                        raise ReadError(f"part {name} expands beyond its declared size "
                                        f"(a zip bomb?); refused", Span(self.path, 1, 1))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
            raise ReadError(f"part {name} is damaged ({e})", Span(self.path, 1, 1)) from None
        except RuntimeError as e:   # encrypted member
            raise ReadError(f"part {name} cannot be read ({e})", Span(self.path, 1, 1)) from None
        return bytes(out)

    def xml(self, name: str):
        """A member parsed as XML, safely (see module docstring)."""
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False, remove_blank_text=False)
        try:
            return etree.fromstring(self.read(name), parser)
        except etree.XMLSyntaxError as e:
            line = e.lineno or 1
            raise ReadError(f"part {name} is not well-formed XML (line {line}): {e.msg}",
                            Span(self.path, line, max(1, e.offset or 1))) from None


def open_package(data: bytes, path: str, *, kind: str = "Word file") -> Package:
    """The zip package in ``data``, checked (see module docstring)."""
    if not data.strip():
        raise ReadError("empty file: no resolution text", Span(path, 1, 1))
    if not data.startswith(b"PK\x03\x04"):
        hint = " (an old binary .doc? save it as .docx)" if data.startswith(b"\xd0\xcf\x11\xe0") \
            else ""
        raise ReadError(f"not a {kind}: not a zip package{hint}", Span(path, 1, 1))
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as e:
        raise ReadError(f"not a {kind}: damaged zip package ({e})", Span(path, 1, 1)) from None
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"zip package has {len(infos)} members (limit {MAX_MEMBERS}); refused",
                        Span(path, 1, 1))
    total = 0
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > MAX_MEMBER:
            raise ReadError(f"part {info.filename} would expand to {size} bytes (limit "
                            f"{MAX_MEMBER}): a zip bomb?; refused", Span(path, 1, 1))
        if size > RATIO_FLOOR and size / packed > MAX_RATIO:
            raise ReadError(f"part {info.filename} would expand {size // packed} times "
                            f"({packed} -> {size} bytes): a zip bomb?; refused", Span(path, 1, 1))
        total += size
    if total > MAX_TOTAL:
        raise ReadError(f"zip package would expand to {total} bytes (limit {MAX_TOTAL}): a zip "
                        f"bomb?; refused", Span(path, 1, 1))
    return Package(path, z)
