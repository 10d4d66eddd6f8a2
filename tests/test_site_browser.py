"""The site in a real headless Chromium: following links, switching language on the same
paragraph, side by side, search, a download, accessibility (axe-core), and no request
leaving the site (the browser's own network log).

The browser is Debian's ``chromium`` driven by Selenium through Debian's
``chromium-driver``; nothing is downloaded.  axe-core is the copy shipped inside the
PyPI package ``axe-selenium-python`` (installed by ``make setup``).
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import CORPUS, need, need_program
from pipeline.cli import main

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
#: phrases found in one resolution only: the seed (zh), 80/905 (ar), 80/901 (en)
SEARCHES = [("维持和平行动部", "A/RES/71/19", "zh"),
            ("الاحتيال المالي", "A/RES/80/905", "ar"),
            ("routes to school", "A/RES/80/901", "en")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    akn = need(CORPUS / "akn")
    out = tmp_path_factory.mktemp("browser") / "site"
    sources = [str(ROOT / "inputs")] + [str(p) for p in sorted(akn.glob("*/75_10_*.xml"))] \
        + [str(p) for p in sorted(akn.glob("*/A_RES_77_20-*.xml"))]
    assert main(["site", *sources, "-o", str(out), "-q", "-j", "2",
                 "--base-url", "https://example.org/resolutions/"]) == 0
    return out


@pytest.fixture(scope="module")
def base(site) -> str:
    from pipeline.site.serve import server

    httpd = server(site, 0, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    chromium = need_program("chromium", "chromium")
    driver_path = need_program("chromedriver", "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")      # Selenium Manager fetches nothing
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-default-apps", "--disable-sync"):
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(30)
    requests: list[str] = []
    driver.requests = requests
    yield driver
    driver.quit()


def network(driver) -> list[str]:
    """Every request the browser made since the last call (its performance log)."""
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            driver.requests.append(message["params"]["request"]["url"])
    return driver.requests


def wait(condition, timeout: float = 15.0, step: float = 0.1):
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(step)


def in_view(driver, element_id: str) -> bool:
    return driver.execute_script(
        "var e = document.getElementById(arguments[0]); if (!e) return false;"
        "var r = e.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0;",
        element_id)


def axe(driver) -> list[dict]:
    """The serious and critical axe-core violations of the page."""
    import axe_selenium_python

    script = Path(axe_selenium_python.__file__).parent / "node_modules/axe-core/axe.min.js"
    driver.execute_script(script.read_text("utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[0]; axe.run(document).then(function (r) { done(r.violations.map("
        "function (v) { return {id: v.id, impact: v.impact, nodes: v.nodes.map("
        "function (n) { return n.target.join(' '); }).slice(0, 3)}; })); });")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_follow_switch_language_on_the_same_paragraph_and_compare(browser, base):
    d = browser
    d.get(base)
    d.find_element("xpath", "//table[@class='listing']//a[text()='75/10']").click()
    wait(lambda: d.current_url.endswith("/A/RES/75/10/"))
    d.find_element("xpath", "//ul[@class='versions']//a[@hreflang='en']").click()
    wait(lambda: d.current_url.endswith("/A/RES/75/10/en/"))
    assert "Cooperation between the United Nations" in d.title

    # the reader scrolls to operative paragraph 3, then switches to Arabic
    d.execute_script("document.getElementById('para_3').scrollIntoView()")
    d.find_element("css selector", "nav.languages a[hreflang='ar']").click()
    wait(lambda: "/A/RES/75/10/ar/" in d.current_url)
    assert urllib.parse.urlsplit(d.current_url).fragment == "para_3"
    wait(lambda: d.execute_script("return document.readyState") == "complete")
    assert d.find_element("tag name", "html").get_attribute("dir") == "rtl"
    assert in_view(d, "para_3")
    assert d.find_element("id", "para_3").text.lstrip().startswith("3")

    # the same paragraph side by side with English
    d.find_element("css selector", "nav.compare-links a[lang='en']").click()
    wait(lambda: "/A/RES/75/10/compare/ar-en/" in d.current_url)
    assert urllib.parse.urlsplit(d.current_url).fragment == "para_3"
    assert in_view(d, "para_3")
    cells = d.find_elements("css selector", "#para_3 > .doc-cell")
    assert [(c.get_attribute("lang"), c.get_attribute("dir")) for c in cells] == \
        [("ar", "rtl"), ("en", "ltr")]
    assert cells[1].text.startswith("3.")
    assert not d.find_elements("css selector", "p.notice")
    rows = d.find_elements("css selector", ".side-by-side > .row")
    assert len(rows) > 30


@pytest.mark.parametrize("query, symbol, lang", SEARCHES)
def test_search_by_address_finds_the_right_resolution_first(browser, base, query, symbol, lang):
    d = browser
    d.get(base + "search/?q=" + urllib.parse.quote(query))
    first = wait(lambda: d.find_elements("css selector", "#results li"), timeout=30)[0]
    assert first.find_element("css selector", ".symbol").text == symbol
    assert first.get_attribute("lang") == lang
    assert first.find_element("css selector", ".title").text
    link = first.find_element("tag name", "a").get_attribute("href")
    assert link.startswith(base) and link.endswith(f"/{lang}/")
    assert d.find_element("id", "q").get_attribute("value") == query


def test_search_in_one_language_only(browser, base):
    d = browser
    d.get(base + "search/?q=INTERPOL&lang=fr")
    results = wait(lambda: d.find_elements("css selector", "#results li"), timeout=30)
    assert {r.get_attribute("lang") for r in results} == {"fr"}
    assert {r.find_element("css selector", ".symbol").text for r in results} == \
        {"A/RES/75/10", "A/RES/77/20"}


def test_search_in_one_session_only(browser, base):
    d = browser
    d.get(base + "search/?q=INTERPOL&session=A/RES/77")
    results = wait(lambda: d.find_elements("css selector", "#results li"), timeout=30)
    assert {r.find_element("css selector", ".symbol").text for r in results} == {"A/RES/77/20"}
    assert d.find_element("id", "session").get_attribute("value") == "A/RES/77"


def test_download_the_pdf(browser, base, downloads):
    d = browser
    d.get(base + "A/RES/71/19/zh/")
    d.find_element("css selector", ".downloads a[type='application/pdf']").click()
    pdf = downloads / "A_RES_71_19.zh.pdf"
    wait(lambda: pdf.is_file() and pdf.stat().st_size > 1000, timeout=20)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("path", ["", "A/RES/75/", "A/RES/75/10/en/", "A/RES/75/10/ar/",
                                  "A/RES/71/19/zh/", "A/RES/75/10/compare/ar-en/",
                                  "search/?q=INTERPOL"])
def test_no_serious_accessibility_violation(browser, base, path):
    d = browser
    d.get(base + path)
    if path.startswith("search"):
        wait(lambda: d.find_elements("css selector", "#results li"), timeout=30)
    assert axe(d) == []


def test_no_request_left_the_site(browser, base):
    """Runs last in this module: every request of the tests above stayed on the site."""
    urls = network(browser)
    assert len(urls) > 20
    outside = [u for u in urls if not u.startswith(base) and not u.startswith(("data:", "about:"))]
    assert outside == []
