"""The browser's pages, in process on the seeds' store: each page, its JSON twin, its sources."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.answer.queries import load_queries, run_query
from kg.answer.web import Site, routes
from kg.answer.web.pages import article_text
from kg.ids import DEFAULT_BASE
from tests.answer.web_seeds import ROOT, seeds_store
from tests.servers import free_port, running, venv_bin


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    store = seeds_store(tmp_path_factory)
    # the stored sources are relative to the folder kg build was given (kg serve --articles)
    before = os.environ.get("KG_ARTICLES")
    os.environ["KG_ARTICLES"] = str(ROOT / "seeds")
    web = Site(str(store), DEFAULT_BASE)
    try:
        yield web
    finally:
        web.close()
        if before is None:
            del os.environ["KG_ARTICLES"]
        else:
            os.environ["KG_ARTICLES"] = before


def get(site: Site, href: str, accept: str | None = None) -> tuple[int, str, bytes]:
    url = urllib.parse.urlsplit(href)
    params = dict(urllib.parse.parse_qsl(url.query))
    response = site.respond(urllib.parse.unquote(url.path), params, accept)
    return response.status, response.ctype, response.body


def page(site: Site, href: str) -> str:
    status, ctype, body = get(site, href)
    assert status == 200, (href, body[:300])
    assert ctype.startswith("text/html")
    return body.decode("utf-8")


def twin(site: Site, href: str) -> Any:
    """The JSON twin by suffix, checked equal to the one by Accept header."""
    url = urllib.parse.urlsplit(href)
    suffixed = url.path + ".json" + (f"?{url.query}" if url.query else "")
    status, ctype, body = get(site, suffixed)
    assert status == 200 and ctype.startswith("application/json"), (href, body[:300])
    accepted = get(site, href, "application/json")
    assert json.loads(accepted[2]) == json.loads(body)
    return json.loads(body)


class Links(HTMLParser):
    """Every src and href of a page, and the text inside <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action")]
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks[-1] += data


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def trong(site: Site) -> str:
    found = twin(site, "/?q=Trong")["results"]
    assert found and found[0]["kind"] == "person"
    return str(found[0]["href"])


def statements(site: Site, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements about an entity, from the /facts pages its page links to."""
    key = urllib.parse.quote(entity["key"], safe="")
    found = twin(site, f"/facts?subject={key}")["statements"]
    return found + twin(site, f"/facts?object={key}")["statements"]


def test_web_search_folds_case_and_diacritics_and_takes_short_names(site: Site) -> None:
    plain = twin(site, "/?q=trong")["results"]
    marked = twin(site, "/?q=TR%E1%BB%8CNG")["results"]  # "TRỌNG"
    assert plain == marked and plain
    assert all("trong" in r["matched"].lower() for r in plain)
    html = page(site, "/?q=Trong")
    assert plain[0]["href"] in html and plain[0]["name"] in html
    assert twin(site, "/?q=zzzz-nobody")["results"] == []
    assert 'name="q"' in page(site, "/")


def test_web_person_page_shows_posts_meetings_and_co_attendees_with_sources(site: Site) -> None:
    href = trong(site)
    data = twin(site, href)
    store = site._open().store
    iri = data["entity"]["iri"]
    timeline = run_query(store, "career_timeline", {"person": iri}).rows
    assert len(data["posts"]) == len(timeline) > 0
    html = page(site, href)
    for post in data["posts"]:
        assert post["bodyLabel"] in html and post["sources"]
    assert data["meetings"] and data["coAttendees"]
    for item in [*data["posts"], *data["meetings"], *data["coAttendees"]]:
        assert item["sources"] and item["sourceCount"] >= len(item["sources"])
        assert all(s.startswith("/source/") for s in item["sources"])
        for link in item["sources"][:3]:
            assert link.replace("&", "&amp;") in html
        # every statement of the row's fact is listed on its /facts page
        if item["sourceCount"] > 1:
            listed = twin(site, item["factsHref"])["statements"]
            assert item["sources"][0] in {s["source"] for s in listed}
    assert data["meetings"][0]["eventHref"] in html
    key = urllib.parse.quote(data["entity"]["key"], safe="")
    assert f"/facts?subject={key}" in html


@pytest.mark.parametrize("kind", ["body", "document", "meeting", "place"])
def test_web_every_entity_page_answers_with_its_twin(site: Site, kind: str) -> None:
    facts = site._open()
    cls = {"body": "Organization", "document": "Document", "meeting": "Event", "place": "Place"}
    names = facts._run("names", {})
    iris = sorted({r["entity"] for r in names if r["class"].endswith("#" + cls[kind])})
    assert iris
    for iri in iris[:5]:
        href = facts.href(iri)
        assert href and href.startswith(f"/{kind}/")
        data = twin(site, href)
        html = page(site, href)
        assert data["entity"]["iri"] == iri and data["entity"]["name"] in html.replace("&#39;", "'")
        for name, rows in data.items():
            if isinstance(rows, list) and rows and "sources" in rows[0]:
                for row in rows:
                    for link in row["sources"]:
                        assert link.replace("&", "&amp;") in html, (href, name)
        key = urllib.parse.quote(data["entity"]["key"], safe="")
        listed = page(site, f"/facts?subject={key}") + page(site, f"/facts?object={key}")
        for statement in statements(site, data["entity"]):
            assert statement["source"].replace("&", "&amp;") in listed


def test_web_meeting_page_lists_chair_speakers_attendees_and_articles(site: Site) -> None:
    data = twin(site, trong(site))
    meeting = twin(site, data["meetings"][0]["eventHref"])
    assert meeting["attendees"] and meeting["articles"]
    everyone = {a["person"] for a in meeting["attendees"]}
    assert {c["person"] for c in meeting["chairs"] + meeting["speakers"]} <= everyone
    assert data["entity"]["iri"] in everyone
    for article in meeting["articles"]:
        assert article["href"].startswith("/source/") and article["doc"]


def test_web_body_page_as_of_a_date_matches_body_members(site: Site) -> None:
    facts = site._open()
    person = twin(site, trong(site))
    body = person["posts"][0]["body"]
    href = facts.href(body)
    for date in ("", "2023-08-30"):
        data = twin(site, f"{href}?date={date}" if date else str(href))
        params = {"body": body, **({"date": date} if date else {})}
        expected = run_query(facts.store, "body_members", params).rows
        assert [m["official"] for m in data["members"]] == [str(r[1]) for r in expected]
        assert data["date"] == date


def test_web_source_highlights_the_evidence_at_its_offsets(site: Site) -> None:
    data = twin(site, trong(site))
    for statement in statements(site, data["entity"]):
        html = page(site, statement["source"])
        found = links(html)
        source = twin(site, statement["source"])
        text = article_text(source["article"]["source"], statement["doc"])
        assert text is not None
        start, end = statement["start"], statement["end"]
        assert found.marks == [text[start:end]]
        assert text[start:end].strip() == statement["sentence"]  # the span may end in "\n"
        assert statement["rule"] in html and source["article"]["date"] in html
        assert source["before"] + source["evidence"] + source["after"] == text


def test_web_source_refuses_offsets_outside_the_article(site: Site) -> None:
    statement = statements(site, twin(site, trong(site))["entity"])[0]
    status, _, body = get(site, f"/source/{statement['doc']}?start=5&end=99999999")
    assert status == 404 and b"outside" in body


def test_web_unknown_pages_and_entities_are_404_in_both_forms(site: Site) -> None:
    for href in ("/person/nobody-at-all", "/nowhere", "/static/../routes.py", "/graph/person/x"):
        status, _, body = get(site, href)
        assert status == 404, href
        status, ctype, body = get(site, href, "application/json")
        assert status == 404 and ctype.startswith("application/json")
        assert json.loads(body)["error"]


def test_web_long_lists_are_cut_into_pages(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    href = trong(site)
    key = urllib.parse.quote(twin(site, href)["entity"]["key"], safe="")
    everything = twin(site, f"/facts?subject={key}")["statements"]
    whole = twin(site, href)
    assert len(everything) > 4
    monkeypatch.setattr(routes, "PAGE_SIZE", 2)
    first = twin(site, f"/facts?subject={key}")
    second = twin(site, first["pagination"]["next"])
    assert first["pagination"]["nextJson"] == f"/facts.json?subject={key}&page=2"
    assert first["statements"] == everything[:2] and second["statements"] == everything[2:4]
    assert first["pagination"]["more"]["statements"] and first["pagination"]["prev"] is None
    assert second["pagination"]["prev"] == f"/facts?subject={key}&page=1"
    # an entity page asks each list a page at a time: page 2 goes on where page 1 stopped
    cut = [twin(site, href), twin(site, href + "?page=2")]
    for name in ("posts", "meetings", "coAttendees"):
        assert cut[0][name] + cut[1][name] == whole[name][:4], name
        assert cut[0]["pagination"]["more"][name] == (len(whole[name]) > 2)
    html = page(site, href)
    assert 'rel="next"' in html and "page=2" in html


def test_web_editor_lists_the_library_and_runs_a_question(site: Site) -> None:
    library = load_queries()
    data = twin(site, "/sparql")
    assert [q["name"] for q in data["library"]] == list(library)
    html = page(site, "/sparql")
    for q in library.values():
        assert f'value="{q.name}"' in html
        for p in q.params:
            assert f'data-param="{p.name}"' in html
    ran = twin(site, "/sparql?run=co_attendees&person=Trong")
    facts = site._open()
    expected = run_query(facts.store, "co_attendees", {"person": "Trong"})
    assert ran["vars"] == list(expected.vars) and len(ran["rows"]) == len(expected.rows)
    status, _, text = get(site, "/sparql/bind?name=co_attendees&person=Trong")
    assert status == 200 and b"VALUES" in text
    assert len(facts.store.query(text.decode()).rows) == len(expected.rows)


def test_web_graph_view_and_its_gephi_downloads(site: Site, tmp_path: Path) -> None:
    key = trong(site).removeprefix("/")
    data = twin(site, f"/graph/{key}")
    assert any(n["data"]["center"] and n["data"]["id"] == key for n in data["nodes"])
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert len(ids) > 1 and all(
        {e["data"]["source"], e["data"]["target"]} <= ids for e in data["edges"]
    )
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        status, _, body = get(site, f"/graph/{key}.{fmt}")
        assert status == 200
        (tmp_path / f"g.{fmt}").write_bytes(body)
        assert set(read(tmp_path / f"g.{fmt}").nodes) == ids
    assert f"/graph/{key}.gexf" in page(site, f"/graph/{key}")
    wider = twin(site, f"/graph/{key}?radius=2")
    assert {n["data"]["id"] for n in wider["nodes"]} > ids


def _crawl(site: Site, start: list[str], limit: int = 60) -> dict[str, str]:
    seen: dict[str, str] = {}
    todo = list(start)
    while todo and len(seen) < limit:
        href = todo.pop(0)
        path = urllib.parse.urlsplit(href).path
        if (
            href in seen
            or path.startswith("/static/")
            or path.endswith((".gexf", ".graphml", ".json"))
        ):
            continue
        seen[href] = page(site, href)
        todo += [u for u in links(seen[href]).urls if u.startswith("/") and "#" not in u]
    return seen


def test_web_pages_load_nothing_from_outside_the_server(site: Site) -> None:
    key = trong(site)
    pages = _crawl(site, ["/", "/?q=Trong", key, "/sparql", "/graph" + key])
    assert len(pages) > 10
    for href, html in pages.items():
        for url in links(html).urls:
            parts = urllib.parse.urlsplit(url)
            assert not parts.scheme and not parts.netloc, (href, url)
    for name in ("style.css", "yasgui.min.css"):
        css = get(site, f"/static/{name}")[2].decode()
        assert "http://" not in css and "https://" not in css and "@import" not in css


def test_web_served_by_kg_serve_beside_the_endpoint(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    store = seeds_store(tmp_path_factory)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [venv_bin("kg"), "serve", "--store", str(store), "--port", str(port), "--workers", "1"]
    with running(args, url + "/query"):
        with urllib.request.urlopen(url + "/?q=Trong") as answer:
            assert answer.headers["Content-Type"].startswith("text/html")
            assert b"/person/" in answer.read()
        ask = urllib.parse.quote("ASK { ?s ?p ?o }")
        for path in ("/query", "/sparql"):
            request = urllib.request.Request(
                f"{url}{path}?query={ask}", headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request) as answer:
                assert json.loads(answer.read())["boolean"] is True
        with urllib.request.urlopen(url + "/static/yasgui.min.js") as answer:
            assert "javascript" in answer.headers["Content-Type"]


def test_web_a_page_past_the_timeout_is_stopped_and_the_server_goes_on(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    store = seeds_store(tmp_path_factory)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [venv_bin("kg"), "serve", "--store", str(store), "--port", str(port)]
    with running([*args, "--workers", "1", "--timeout", "0.01"], url + "/query"):
        for _ in range(2):  # a fresh process opens the store: slower than 10 ms every time
            with pytest.raises(urllib.error.HTTPError) as failed:
                urllib.request.urlopen(url + "/person/nobody-at-all")
            assert failed.value.code == 503
            assert b"was stopped" in failed.value.read()
        with urllib.request.urlopen(url + "/static/style.css") as answer:
            assert answer.status == 200
