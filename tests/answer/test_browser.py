"""The browser's pages in a real browser: Debian's Chromium driven by Playwright.

`kg serve` runs on the seeds' store; the test searches, follows links, opens a source,
runs a library question in the editor and opens the graph view as a user would. A
screenshot of each page goes to tests/answer/screenshots/ (gitignored) for a person to
look at. Skipped when Chromium (/usr/bin/chromium) or Playwright is not installed.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.answer.web_seeds import ROOT, seeds_store
from tests.servers import free_port, running, venv_bin

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "tests" / "answer" / "screenshots"
#: Chromium's own calls home are refused by a closed network: switch them off.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = seeds_store(tmp_path_factory)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [venv_bin("kg"), "serve", "--store", str(store), "--port", str(port)]
    # the stored sources are relative to the folder kg build was given
    with running([*args, "--workers", "2", "--articles", str(ROOT / "seeds")], url + "/query"):
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_browser_a_user_follows_a_fact_to_its_source(server: str, browser: Any) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url),
    )
    page.goto(server + "/")
    page.fill("input[name=q]", "Trong")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ul.results li a")
    shot(page, "1-search")
    person = page.locator("ul.results li a").first
    assert "Trong" in person.inner_text()
    person.click()
    page.wait_for_selector("table.posts")
    assert "Trong" in page.locator("h1").inner_text()
    assert page.locator("table.posts tbody tr").count() > 0
    shot(page, "2-person")

    page.locator("table.meetings a[href^='/meeting/']").first.click()
    page.wait_for_selector("table.attendees")
    assert "Trong" in page.locator("table.attendees").inner_text()
    shot(page, "3-meeting")

    page.locator("table.attendees a.source").first.click()
    mark = page.locator("mark#evidence")
    mark.wait_for()
    assert mark.is_visible() and len(mark.inner_text().strip()) > 20
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))
    assert query["rule"] in page.locator("dl.props").inner_text()
    mark.scroll_into_view_if_needed()
    shot(page, "4-source")
    assert outside == []
    page.close()


def test_browser_runs_a_library_question_in_the_editor(server: str, browser: Any) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url),
    )
    page.goto(server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.select_option("#query-name", "co_attendees")
    page.fill("fieldset[data-query=co_attendees] input[data-param=person]", "Trong")
    page.click("#to-editor")
    page.wait_for_selector(".yasr table tbody tr td", timeout=20_000)
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() > 0
    assert "VALUES" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    page.locator(".yasr").scroll_into_view_if_needed()
    shot(page, "5-editor")
    assert outside == []
    page.close()


def test_browser_graph_view_draws_the_neighbourhood(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server + "/?q=Trong")
    href = page.locator("ul.results li a").first.get_attribute("href")
    assert href
    page.goto(server + "/graph" + href + "?radius=2")
    page.wait_for_selector("#cy[data-ready]", timeout=20_000)
    nodes = int(page.locator("#cy").get_attribute("data-ready") or 0)
    assert nodes > 1
    assert page.locator("#cy canvas").count() > 0
    assert page.locator("a[href*='.gexf']").count() == 1
    shot(page, "6-graph")
    page.close()
