"""One link policy for every writer (:func:`pipeline.writers.view.link_target`): a
source's links to scripts, data, local files and network shares reach no output,
whichever writer writes it.  Each output is searched as bytes: the DOCX unzipped,
every compressed stream of the PDF inflated."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import CORPUS, need

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
EN = ROOT / "inputs" / "A_RES_80_901.en.md"

LINKS = ("[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(2)) [vb](vbscript:msgbox) "
         "[dh](data:text/html,%3Cscript%3Ealert(3)%3C/script%3E) [pw](file:///etc/passwd) "
         "[unc](\\\\\\\\host\\\\share) [ref][r] <javascript:alert(4)> "
         "<a href=\"javascript:alert(5)\">raw</a> [ok](https://www.un.org/en/)")


def texts(out: Path) -> dict[str, str]:
    """Every output's bytes as text (lower case): DOCX parts one by one, PDF streams
    inflated."""
    got: dict[str, str] = {}
    for p in sorted(out.iterdir()):
        if p.name.startswith("."):
            continue
        data = p.read_bytes()
        if p.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    got[f"{p.name}/{name}"] = z.read(name).decode("utf-8", "replace").lower()
            continue
        if p.suffix == ".pdf":
            streams = []
            for m in re.finditer(rb"stream\r?\n", data):
                try:
                    streams.append(zlib.decompressobj().decompress(data[m.end():], 2**26))
                except zlib.error:
                    pass
            data = data + b"".join(streams)
        got[p.name] = data.decode("latin-1").lower()
    return got


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> tuple[dict[str, str], str]:
    tmp = tmp_path_factory.mktemp("links")
    text = EN.read_text("utf-8").replace("*Recalling* its resolution",
                                         f"*Recalling* {LINKS} its resolution")
    text += "\n[r]: javascript:alert(6)\n"
    (tmp / "links.en.md").write_text(text, "utf-8")
    import contextlib
    import io as _io

    err = _io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(["convert", str(tmp / "links.en.md"), "-o", str(tmp / "out"), "-t",
                   "akn,html,docx,pdf,md"])
    assert rc == 0, err.getvalue()
    return texts(tmp / "out"), err.getvalue()


#: where an output holds an address: HTML and AKN attributes, DOCX relationships, PDF
#: link actions, markdown links and autolinks
_TARGETS = re.compile(r"""(?:href|target|source)\s*=\s*["']([^"']*)["']|/uri\s*\(([^)]*)\)""")
_MD_TARGETS = re.compile(r"\]\(<?([^)>\s]*)|<([a-z][a-z0-9+.-]*:[^>\s]*)>")
#: what an address may be: the web, mail, a place in the document or package
_ALLOWED = re.compile(r"(?:https?://|mailto:|#)|[a-z0-9_./-]*$")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["akn.xml", "html", "docx", "pdf", "md"])
def test_no_writer_keeps_a_hostile_link(fmt, outputs):
    got, _err = outputs
    mine = {k: v for k, v in got.items() if k.split("/")[0].endswith(fmt)}
    assert mine
    targets = [(name, next(g for g in m.groups() if g is not None))
               for name, text in mine.items()
               for m in (_MD_TARGETS if fmt == "md" else _TARGETS).finditer(text)]
    bad = [(name, t) for name, t in targets if not _ALLOWED.match(t.strip())]
    assert not bad
    assert any(t.startswith("https://www.un.org/en/") for _n, t in targets)  # a good link is kept
    whole = "".join(mine.values())
    assert "<script" not in whole and "data:text/html" not in whole
    if fmt != "pdf":                # the refused links' words are kept, as text
        assert all(word in whole for word in (">js<", ">vb<", ">pw<", ">unc<")) or \
            all(word in whole for word in ("js", "vb", "pw", "unc"))


@pytest.mark.slow
def test_each_refused_link_is_a_warning(outputs):
    _got, err = outputs
    for writer in ("akn", "html", "docx", "md"):
        assert f"written as plain text (only http, https and mailto links are kept) " \
               f"[{writer}-link]" in err, writer
    assert "Traceback" not in err


@pytest.mark.corpus
def test_a_keyword_address_of_akoma_ntoso_passes_the_policy(tmp_path, capsys):
    """An Akoma Ntoso source's classification keywords carry addresses too."""
    src = need(CORPUS / "akn" / "eng" / "75_10_E.xml")
    text = src.read_text("utf-8")
    text, n = re.subn(r'(<keyword[^>]*?)href="[^"]*"', r'\1href="javascript:alert(1)"', text,
                      count=1)
    assert n == 1
    at = text.index("<p>", text.index("<preamble"))
    text = text[:at + 3] + '<a href="vbscript:msgbox">evil</a> ' + text[at + 3:]
    (tmp_path / "x.en.akn.xml").write_text(text, "utf-8")
    assert main(["convert", str(tmp_path / "x.en.akn.xml"), "-o", str(tmp_path / "out"),
                 "-t", "akn,html,docx,md"]) == 0
    capsys.readouterr()
    for name, body in texts(tmp_path / "out").items():
        for m in (_MD_TARGETS if name.endswith(".md") else _TARGETS).finditer(body):
            target = next(g for g in m.groups() if g is not None)
            assert _ALLOWED.match(target.strip()), (name, target)
        assert "vbscript" not in body and "javascript" not in body, name
