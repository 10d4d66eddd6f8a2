"""The publishing site: addresses, paragraph names, pages, incremental builds, safety.

The browser's view of the same site (language switch, side by side, search,
accessibility, no request leaving the site) is in ``test_site_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree
from lxml import html as lhtml

from pipeline import api
from pipeline.cli import main
from pipeline.site import anchors, paths
from pipeline.site.pages import CSP

from conftest import CORPUS, need

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "inputs").glob("*.md"))
BASE = "https://example.org/res/"


def files(d: Path) -> dict[str, int]:
    """The site's files (relative names, hidden ones apart) and their modification times."""
    return {p.relative_to(d).as_posix(): p.stat().st_mtime_ns for p in sorted(d.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(d).parts)}


def build(src, out: Path, *extra: str) -> int:
    srcs = [str(s) for s in (src if isinstance(src, (list, tuple)) else [src])]
    return main(["site", *srcs, "-o", str(out), "--base-url", BASE, "-j", "1", "-q", *extra])


@pytest.fixture
def sources(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for f in INPUTS:
        shutil.copy(f, src / f.name)
    return src


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of inputs/ (built once for the tests that only read it)."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert build(ROOT / "inputs", out, "--no-search") == 0
    return out


# ---------------------------------------------------------------- addresses

@pytest.mark.parametrize("symbol, expected", [
    ("A/RES/71/19", "A/RES/71/19"),
    ("A/RES/75/253 C", "A/RES/75/253C"),
    ("A/RES/75/101 A-B", "A/RES/75/101A-B"),
    ("A/RES/2205(XXI)", "A/RES/2205(XXI)"),
    ("A/RES/../../etc", "A/RES/_/_/etc"),
    ("A/RES/.hidden/1", "A/RES/hidden/1"),
    ("A/RES/<b>/1", "A/RES/b/1"),
])
def test_a_symbol_becomes_a_safe_place(symbol, expected):
    assert paths.symbol_dir(symbol) == PurePosixPath(expected)


@pytest.mark.parametrize("symbol", ["", "A", "search/x/1", "pagefind/1", "_assets/x",
                                    "index.html/1"])
def test_a_symbol_cannot_take_the_sites_own_places(symbol):
    assert paths.symbol_dir(symbol) is None


def test_relative_addresses():
    here = PurePosixPath("A/RES/75/10/en")
    assert paths.relative(here, ".") == "../../../../../"
    assert paths.relative(here, PurePosixPath("A/RES/75/10/ar")) == "../ar/"
    assert paths.relative(PurePosixPath("."), PurePosixPath("A/RES/75")) == "A/RES/75/"
    assert paths.pair("en", "ar") == ("ar", "en")


# ---------------------------------------------------------------- paragraph names

def test_paragraph_names_are_the_akn_writers_eids_where_those_are_positional():
    for f in INPUTS:
        res = api.read(f).resolution
        eids = set(etree.fromstring(api.write(res, "akn").data).xpath("//@eId"))
        names = [u.name for u in anchors.units(res) if u.kind != "item"]
        assert names and not [n for n in names if n not in eids], f.name


def test_item_names_follow_positions_not_labels():
    res = api.read(ROOT / "inputs" / "A_RES_80_905.ar.md").resolution
    items = [u.name for u in anchors.units(res) if u.kind == "item"]
    assert items and all(re.search(r"__point_\d+$", n) for n in items)


def test_the_same_paragraph_has_the_same_name_in_six_languages():
    folder = need(CORPUS / "akn")
    names = {}
    for lang in ("ara", "zho", "eng", "fra", "rus", "spa"):
        f = next((folder / lang).glob("75_10_*.xml"))
        names[lang] = [u.name for u in anchors.units(api.read(f).resolution)]
    assert len({tuple(v) for v in names.values()}) == 1, {k: len(v) for k, v in names.items()}
    assert "para_3" in names["eng"] and "preamble__container_2" in names["eng"]


def test_every_named_place_has_its_id_on_the_page(site):
    res = api.read(ROOT / "inputs" / "A_RES_80_901.en.md").resolution
    page = lhtml.parse(str(site / "A/RES/80/901/en/index.html")).getroot()
    ids = set(page.xpath("//@id"))
    assert [u.name for u in anchors.units(res) if u.name not in ids] == []


# ---------------------------------------------------------------- the site

def test_every_resolution_has_its_page_and_downloads_at_its_symbol(site):
    for f in INPUTS:
        res = api.read(f).resolution
        sdir = paths.symbol_dir(res.meta.symbol)
        lang = res.meta.language
        here = site / sdir / lang
        assert (here / "index.html").is_file()
        stem = paths.file_stem(sdir, lang)
        for ext in (".pdf", ".docx", ".akn.xml", ".md"):
            assert (here / (stem + ext)).stat().st_size > 0, stem + ext
        assert (here / (stem + ".pdf")).read_bytes().startswith(b"%PDF")
        assert (site / sdir / "index.html").is_file()
    assert (site / "A/RES/71/19/zh/A_RES_71_19.zh.pdf").is_file()


def test_pages_link_to_each_other_relatively(site):
    page = lhtml.parse(str(site / "A/RES/80/901/en/index.html")).getroot()
    for a in page.iter("a"):
        href = a.get("href", "")
        if href.startswith(("http://", "https://")):
            assert "example.org" not in href, href     # the site's own pages: relative
            continue
        if href.startswith(("#", "mailto:")):
            continue
        target = (site / "A/RES/80/901/en" / href.split("#")[0]).resolve()
        assert target.exists(), href


def test_the_session_index_lists_resolutions_by_number_with_a_column_per_language(site):
    page = lhtml.parse(str(site / "A/RES/80/index.html")).getroot()
    numbers = [a.text for a in page.xpath("//table//th[@scope='row']/a")]
    assert numbers == ["80/901", "80/902", "80/903", "80/904", "80/905"]
    head = [a.text for a in page.xpath("//thead//abbr")]
    assert head == ["ar", "en", "fr", "ru", "es"]
    row = page.xpath("//tbody/tr")[0]
    assert row.xpath("td[@class='date']/time/@datetime") == ["2025-11-20"]
    assert row.xpath(".//a[@hreflang='en']/@href") == ["901/en/"]
    home = lhtml.parse(str(site / "index.html")).getroot()
    assert home.xpath("//ul[@class='sessions']//a/@href") == ["A/RES/80/", "A/RES/71/"]


def test_breadcrumbs_previous_next_and_language_switch(site):
    page = lhtml.parse(str(site / "A/RES/80/902/fr/index.html")).getroot()
    crumbs = [x.text_content() for x in page.xpath("//nav[@class='breadcrumbs']//li")]
    assert crumbs[0] == "Accueil" and crumbs[-2:] == ["A/RES/80/902", "Français"]
    assert page.xpath("//a[@rel='prev']/@href") == ["../../901/en/"] or \
        page.xpath("//a[@rel='prev']/@href") == ["../../901/"]
    assert page.xpath("//nav[@class='languages']//span[@aria-current='page']/text()") == \
        ["Français"]
    alternates = page.xpath("//link[@rel='alternate'][@hreflang]")
    assert {(a.get("hreflang"), a.get("href")) for a in alternates} == {
        ("fr", BASE + "A/RES/80/902/fr/"), ("x-default", BASE + "A/RES/80/902/")}
    assert page.xpath("//link[@rel='canonical']/@href") == [BASE + "A/RES/80/902/fr/"]


def test_every_page_has_the_content_security_policy_and_no_script_of_its_own(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 15
    for p in pages:
        doc = lhtml.parse(str(p)).getroot()
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert len(csp) == 1, p
        policy = csp[0]
        assert "default-src 'none'" in policy and "script-src 'self' 'wasm-unsafe-eval'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
        for s in doc.iter("script"):
            if s.get("src"):
                assert not s.get("src").startswith(("http:", "https:", "//")), p
                continue
            # a data block only, its hash in the policy
            assert s.get("type") == "application/ld+json", p
            digest = base64.b64encode(hashlib.sha256(s.text.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy, p
        for el in doc.iter():
            assert not any(k.startswith("on") for k in el.attrib), (p, el.tag)
            assert "style" not in el.attrib, (p, el.tag)
        for link in doc.xpath("//link[@rel='stylesheet']/@href | //img/@src"):
            assert not link.startswith(("http:", "https:", "//", "data:")), (p, link)


def test_each_page_says_what_it_is_to_machines(site):
    doc = lhtml.parse(str(site / "A/RES/71/19/zh/index.html")).getroot()
    data = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "A/RES/71/19"
    assert data["inLanguage"] == "zh-Hans" and data["legislationDate"] == "2016-11-21"
    assert {e["encodingFormat"] for e in data["encoding"]} >= {"application/pdf"}
    assert doc.get("lang") == "zh-Hans"


def test_feed_sitemap_and_catalogue(site):
    feed = etree.parse(str(site / "feed.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:id", namespaces=ns) for e in entries][:2] == [
        BASE + "A/RES/80/903/", BASE + "A/RES/80/905/"]       # most recent first
    sitemap = etree.parse(str(site / "sitemap.xml")).getroot()
    locs = [x.text for x in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE + "A/RES/71/19/zh/" in locs and all(u.startswith(BASE) for u in locs)
    cat = json.loads((site / "catalogue.json").read_text("utf-8"))
    by = {r["symbol"]: r for r in cat["resolutions"]}
    assert set(by) == {"A/RES/71/19", "A/RES/80/901", "A/RES/80/902", "A/RES/80/903",
                       "A/RES/80/904", "A/RES/80/905"}
    zh = by["A/RES/71/19"]["languages"]["zh"]
    assert zh["url"] == "A/RES/71/19/zh/" and (site / zh["files"]["pdf"]).is_file()
    assert by["A/RES/71/19"]["adopted"] == "2016-11-21"


def test_without_a_base_url_no_feed_nor_sitemap_and_relative_alternates(tmp_path):
    out = tmp_path / "site"
    assert main(["site", str(ROOT / "inputs" / "A_RES_80_901.en.md"), "-o", str(out),
                 "--no-search", "-q"]) == 0
    assert not (out / "feed.xml").exists() and not (out / "sitemap.xml").exists()
    page = lhtml.parse(str(out / "A/RES/80/901/en/index.html")).getroot()
    assert page.xpath("//link[@rel='canonical']") == []
    assert page.xpath("//link[@hreflang='en']/@href") == ["./"]


def test_a_cited_resolution_on_the_site_is_linked_there_and_lists_who_cites_it(tmp_path):
    akn = need(CORPUS / "akn")
    out = tmp_path / "site"
    srcs = [ROOT / "inputs" / "A_RES_71_19.zh.md", akn / "zho" / "75_10_C.xml",
            akn / "eng" / "75_10_E.xml"]
    assert build(srcs, out, "--no-search") == 0
    zh = lhtml.parse(str(out / "A/RES/75/10/zh/index.html")).getroot()
    cited = zh.xpath("//div[contains(@class,'document')]//a[contains(@class,'on-site')]/@href")
    assert "../../../71/19/zh/" in cited
    en = lhtml.parse(str(out / "A/RES/75/10/en/index.html")).getroot()
    # 71/19 exists only in Chinese: the English page links to the resolution's page
    assert "../../../71/19/" in en.xpath("//a[contains(@class,'on-site')]/@href")
    assert en.xpath("//a[@href='https://undocs.org/en/A/RES/51/1']")    # not on the site
    seed = lhtml.parse(str(out / "A/RES/71/19/zh/index.html")).getroot()
    assert seed.xpath("//section[@class='cited-by']//a/text()") == ["A/RES/75/10"]


def test_side_by_side_aligns_paragraphs_and_says_when_versions_differ(tmp_path):
    akn = need(CORPUS / "akn")
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(akn / "eng" / "75_10_E.xml", src / "75_10_E.xml")
    # the French version with its last operative paragraph left out
    tree = etree.parse(str(akn / "fra" / "75_10_F.xml"))
    last = tree.xpath("//*[local-name()='mainBody']/*[local-name()='paragraph']")[-1]
    last.getparent().remove(last)
    tree.write(str(src / "75_10_F.xml"), encoding="utf-8")
    out = tmp_path / "site"
    assert build(src, out, "--no-search") == 0
    page = lhtml.parse(str(out / "A/RES/75/10/compare/en-fr/index.html")).getroot()
    assert page.xpath("//p[@class='notice']"), "the page says the versions differ"
    rows = page.xpath("//div[contains(@class,'side-by-side')]/div[contains(@class,'row')]")
    cells = [r.xpath("./div[contains(@class,'doc-cell')]") for r in rows[1:]]
    assert all(len(c) == 2 for c in cells)
    missing = [r.get("id") for r in rows if r.xpath(".//p[@class='missing']")]
    assert missing and all(m and m.startswith("para_") for m in missing), missing
    assert page.xpath("//div[@id='para_1']/div[@lang='en']") and \
        page.xpath("//div[@id='para_1']/div[@lang='fr']")


def test_arabic_beside_english_runs_right_to_left(tmp_path):
    akn = need(CORPUS / "akn")
    out = tmp_path / "site"
    assert build([akn / "ara" / "75_10_A.xml", akn / "eng" / "75_10_E.xml"], out,
                 "--no-search") == 0
    page = lhtml.parse(str(out / "A/RES/75/10/compare/ar-en/index.html")).getroot()
    assert page.xpath("//p[@class='notice']") == []
    row = page.xpath("//div[@id='para_3']")[0]
    ar, en = row.xpath("./div[contains(@class,'doc-cell')]")
    assert (ar.get("lang"), ar.get("dir"), en.get("lang"), en.get("dir")) == \
        ("ar", "rtl", "en", "ltr")
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "ids of the two versions are kept apart"


def test_text_from_sources_is_escaped_everywhere(sources, tmp_path):
    en = sources / "A_RES_80_901.en.md"
    evil = '<script>alert(1)</script> "><img src=x onerror=alert(2)> </title>'
    # entities, so that the markdown reader keeps the characters as text
    written = evil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    en.write_text(en.read_text("utf-8").replace(
        "Improving road safety for children and young people", written), "utf-8")
    out = tmp_path / "site"
    assert build(sources, out, "--no-search") == 0
    for p in list(out.rglob("*.html")) + [out / "feed.xml", out / "sitemap.xml"]:
        text = p.read_text("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, p
    page = lhtml.parse(str(out / "A/RES/80/901/en/index.html")).getroot()
    assert "alert(1)" in page.findtext(".//title")
    data = page.xpath("//script[@type='application/ld+json']")[0].text
    assert "</script" not in data.lower() and json.loads(data)["name"].startswith("<script>")
    cat = json.loads((out / "catalogue.json").read_text("utf-8"))
    assert any(evil.strip() in r["languages"].get("en", {}).get("title", "")
               for r in cat["resolutions"])


def test_same_symbol_and_language_twice_fails_named(sources, tmp_path, capsys):
    shutil.copy(sources / "A_RES_80_901.en.md", sources / "copy.en.md")
    out = tmp_path / "site"
    assert build(sources, out, "--no-search") == 1
    err = capsys.readouterr().err
    assert "copy.en.md" in err and "A/RES/80/901 (en) is also given by" in err
    assert (out / "A/RES/80/901/en/index.html").is_file()


def test_a_theme_overrides_templates_styles_and_words(tmp_path):
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "site.css").write_text("body { background: #eee; }\n", "utf-8")
    (theme / "labels.toml").write_text('[en]\nsite = "Our resolutions"\n', "utf-8")
    (theme / "templates" / "home.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ ui.site }}</h1>'
        '<p class="custom">{{ groups|length }}</p>{% endblock %}', "utf-8")
    out = tmp_path / "site"
    assert main(["site", str(ROOT / "inputs" / "A_RES_80_901.en.md"), "-o", str(out),
                 "--no-search", "-q", "--theme", str(theme)]) == 0
    home = lhtml.parse(str(out / "index.html")).getroot()
    assert home.findtext(".//h1") == "Our resolutions" and home.xpath("//p[@class='custom']")
    assert (out / "_assets/site.css").read_text("utf-8") == "body { background: #eee; }\n"
    assert (out / "_assets/site.js").is_file()        # the default's, not overridden
    page = lhtml.parse(str(out / "A/RES/80/901/en/index.html")).getroot()
    assert page.xpath("//a[@class='site-name']/text()") == ["Our resolutions"]


@pytest.mark.slow
def test_incremental_builds(sources, tmp_path, capsys):
    out = tmp_path / "site"
    assert build(sources, out) == 0
    first = files(out)
    assert (out / "pagefind/pagefind.js").is_file()

    # nothing changed: nothing written, quickly
    time.sleep(0.01)
    start = time.perf_counter()
    assert build(sources, out) == 0
    assert time.perf_counter() - start < 2
    assert files(out) == first

    # one source changed: its own pages, the lists that show it, the feed, the catalogue,
    # the search index; nothing else
    en = sources / "A_RES_80_901.en.md"
    en.write_text(en.read_text("utf-8").replace("Second Decade of Action",
                                                "Second Decade for Action"), "utf-8")
    assert build(sources, out) == 0
    after = files(out)
    changed = {k for k in first if first[k] != after.get(k)}
    changed_pages = {k for k in changed if not k.startswith("pagefind/")}
    assert changed_pages == {
        "A/RES/80/901/en/index.html", "A/RES/80/901/en/A_RES_80_901.en.akn.xml",
        "A/RES/80/901/en/A_RES_80_901.en.pdf", "A/RES/80/901/en/A_RES_80_901.en.docx",
        "A/RES/80/901/en/A_RES_80_901.en.md"}, changed_pages
    assert any(k.startswith("pagefind/") for k in set(after) ^ set(first) | changed)

    # a title changed: the indexes that list it, the feed and the catalogue as well
    en.write_text(en.read_text("utf-8").replace("Improving road safety", "Improving safety"),
                  "utf-8")
    first = files(out)
    assert build(sources, out) == 0
    after = files(out)
    changed = {k for k in first if first[k] != after.get(k) and not k.startswith("pagefind/")}
    assert {"index.html", "A/RES/80/index.html", "A/RES/80/901/index.html", "feed.xml",
            "catalogue.json", "A/RES/80/901/en/index.html"} <= changed, changed
    assert not {"A/RES/71/19/zh/index.html", "A/RES/80/902/fr/index.html",
                "A/RES/80/902/fr/A_RES_80_902.fr.pdf"} & changed

    # a source removed: its pages and downloads go, the lists forget it
    en.unlink()
    assert build(sources, out) == 0
    assert not (out / "A/RES/80/901").exists()
    assert "80/901" not in (out / "A/RES/80/index.html").read_text("utf-8")
    assert "A/RES/80/901" not in (out / "catalogue.json").read_text("utf-8")


def test_the_same_sources_give_the_same_site(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    src = [ROOT / "inputs" / "A_RES_71_19.zh.md", ROOT / "inputs" / "A_RES_80_905.ar.md"]
    assert build(src, a, "--no-search") == 0
    assert build(src, b, "--no-search") == 0
    fa, fb = files(a), files(b)
    assert fa.keys() == fb.keys()
    for name in fa:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# ---------------------------------------------------------------- the preview server

@pytest.fixture
def served(site):
    from pipeline.site.serve import server

    httpd = server(site, 0, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_serve_listens_on_loopback_and_serves_the_site_only(served, site):
    assert served.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(served + "A/RES/71/19/zh/") as r:
        assert r.status == 200 and "default-src 'none'" in r.headers["Content-Security-Policy"]
        assert "A/RES/71/19" in r.read().decode("utf-8")
    for bad in ("../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc/passwd",
                ".unres-cache.json", ".unres/site.json", "A/RES/%2e%2e/%2e%2e/%2e%2e/x",
                "A/RES/", "_assets/"):
        assert status(served + bad) == 404, bad
    req = urllib.request.Request(served, method="POST", data=b"x")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 405


def test_serve_refuses_a_link_out_of_the_site(tmp_path):
    from pipeline.site.serve import server

    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>", "utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    httpd = server(site, 0, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        assert status(base) == 200
        assert status(base + "leak.txt") == 404
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_csp_allows_only_the_sites_own_files():
    policy = CSP.format(hashes="")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert all(v in ("'self'", "'none'", "'self' 'wasm-unsafe-eval'")
               for v in directives.values()), directives
