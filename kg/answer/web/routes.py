"""The browser's routes: URL -> page dict -> HTML (Jinja2) or its JSON twin.

Stage: answer (web). Input: a GET request the SPARQL endpoint hands over (see
:class:`kg.answer.serve.app.SparqlApp`); output: a response, or None for what the
endpoint answers itself (``/query``, ``/update``, ``/sparql?query=``). Reads
``kg/answer/web/templates/*.html`` and ``kg/answer/web/static/*``; the store read-only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import jinja2

from kg.answer.queries import load_queries
from kg.answer.serve.app import negotiate
from kg.answer.serve.http import Request, Response
from kg.answer.web import pages
from kg.answer.web.facts import Facts, rows
from kg.answer.web.graphs import Neighbourhoods, download, elements
from kg.answer.web.isolate import PageProcesses
from kg.errors import KgError, QueryError
from kg.graph.store import KgStore, bind_values, open_store

log = logging.getLogger(__name__)

_HERE = Path(__file__).parent
STATIC = _HERE / "static"
#: Rows per page of a long list.
PAGE_SIZE = 25
#: The lists a page without its own paging cuts into pages (search results, editor rows).
#: Entity pages and /facts ask each list one page at a time (the same ?page= for all).
LONG_LISTS = ("results", "rows")
_OFFERS = {"text/html": "html", "application/json": "json"}
_ENTITY = re.compile(r"/(person|body|document|meeting|place)/(.+)")
_GRAPH = re.compile(r"/graph/(.+?)(\.gexf|\.graphml)?")
_SOURCE = re.compile(r"/source/(.+)")
_ENDPOINT_PATHS = ("/query", "/update")


@dataclass(slots=True)
class Page:
    """What a route gives: a template and its data, or a ready response."""

    template: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    response: Response | None = None


class Site:
    """The pages of one store, served beside its SPARQL endpoint.

    Args:
        store: the store directory (opened read-only on the first request).
        base: the base IRI of its graphs.
        timeout: build pages in child processes killed after this many seconds
            (:mod:`kg.answer.web.isolate`); None builds them in a thread of this process.
    """

    def __init__(self, store: str, base: str, timeout: float | None = None) -> None:
        self.store_path = store
        self.base = base
        self.processes = PageProcesses(store, base, timeout) if timeout else None
        self._store: KgStore | None = None
        self._facts: Facts | None = None
        self._graphs: Neighbourhoods | None = None
        self._lock = threading.Lock()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters["q"] = lambda text: urllib.parse.quote(str(text), safe="")

    def _open(self) -> Facts:
        with self._lock:
            if self._facts is None:
                self._store = open_store(self.store_path, base=self.base, read_only=True)
                self._facts = Facts(self._store)
                self._graphs = Neighbourhoods(self._store)
            return self._facts

    def close(self) -> None:
        """Close the store if it was opened."""
        if self.processes is not None:
            self.processes.close()
        if self._store is not None:
            self._store.close()
            self._store = self._facts = self._graphs = None

    async def __call__(self, request: Request) -> Response | None:
        """Answer a GET for a page (in a thread), or None for the endpoint's own paths."""
        if request.method not in ("GET", "HEAD"):
            return None
        url = urllib.parse.urlsplit(request.target)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        path = urllib.parse.unquote(url.path)
        if path in _ENDPOINT_PATHS or (path == "/sparql" and "query" in params):
            return None
        accept = request.headers.get("accept")
        if self.processes is None or path.startswith("/static/"):
            return await asyncio.to_thread(self.respond, path, params, accept)
        return await self.processes.respond(path, params, accept)

    def respond(self, path: str, params: dict[str, str], accept: str | None) -> Response:
        """Answer one page request: HTML, or JSON for ``.json`` or ``Accept: application/json``."""
        start = time.perf_counter()
        fmt = "json" if path.endswith(".json") else _OFFERS.get(negotiate(accept, _OFFERS) or "")
        path = path.removesuffix(".json")
        try:
            page = self.route(path, params)
            status = HTTPStatus.OK
        except QueryError as err:
            page, status = Page("error.html", {"error": str(err)}), HTTPStatus.NOT_FOUND
        except (KgError, ValueError) as err:
            page, status = Page("error.html", {"error": str(err)}), HTTPStatus.BAD_REQUEST
        if page.response is not None:
            return page.response
        data = _paginate(page.data, params, path)
        elapsed = time.perf_counter() - start
        log.debug("%s %s in %.1f ms", path, fmt, elapsed * 1000)
        timing = {"Server-Timing": f"page;dur={elapsed * 1000:.1f}"}
        if fmt == "json":
            body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
            return Response(status, body, "application/json; charset=utf-8", timing)
        if fmt is None:
            return Response(HTTPStatus.NOT_ACCEPTABLE, b"text/html or application/json\n")
        html = self.env.get_template(page.template).render(
            **data, path=path, json_href=_json_href(path, params)
        )
        return Response(status, html.encode("utf-8"), "text/html; charset=utf-8", timing)

    def route(self, path: str, params: dict[str, str]) -> Page:
        """The page for a path.

        Raises:
            QueryError: no such page, entity or article.
        """
        if path.startswith("/static/"):
            return Page(response=_static(path.removeprefix("/static/")))
        facts = self._open()
        if path in ("/", "/search"):
            text = params.get("q", "").strip()
            return Page("home.html", {"q": text, "results": facts.search(text) if text else []})
        if path == "/sparql":
            return Page("sparql.html", _library(facts, params))
        if path == "/sparql/bind":
            return Page(response=_bound_query(facts, params))
        if m := _ENTITY.fullmatch(path):
            return self._entity(facts, m[1], m[2], params)
        if path == "/facts":
            return Page("facts.html", pages.facts_page(facts, params, _page(params), PAGE_SIZE))
        if m := _SOURCE.fullmatch(path):
            data = pages.source_page(
                facts, m[1], params.get("start"), params.get("end"), params.get("rule")
            )
            return Page("source.html", data)
        if m := _GRAPH.fullmatch(path):
            radius = 2 if params.get("radius") == "2" else 1
            return self._graph(facts, m[1], (m[2] or "").lstrip("."), radius)
        raise QueryError(f"{path}: no such page")

    def _entity(self, facts: Facts, kind: str, rest: str, params: dict[str, str]) -> Page:
        iri = str(facts.iri(kind, rest))
        builders: dict[str, Callable[[Facts, str, int, int], dict[str, Any]]] = {
            "person": pages.person_page,
            "document": pages.document_page,
            "meeting": pages.meeting_page,
            "place": pages.place_page,
        }
        if kind == "body":
            date = params.get("date") or None
            data = pages.body_page(facts, iri, date, _page(params), PAGE_SIZE)
        else:
            data = builders[kind](facts, iri, _page(params), PAGE_SIZE)
        data["kind"] = kind
        return Page(f"{kind}.html", data)

    def _graph(self, facts: Facts, key: str, fmt: str, radius: int) -> Page:
        assert self._graphs is not None
        near = self._graphs.around(key, radius)
        if fmt:
            name = key.replace("/", "_")
            body = download(near, fmt)
            ctype = "application/gexf+xml" if fmt == "gexf" else "application/graphml+xml"
            disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
            return Page(response=Response(HTTPStatus.OK, body, ctype, disposition))
        data = elements(near, key, facts.href)
        label = next((n["data"]["label"] for n in data["nodes"] if n["data"]["center"]), key)
        data.update(key=key, name=label, href=facts.href(key), radius=radius)
        return Page("graph.html", data)


def _json_href(path: str, params: dict[str, str]) -> str:
    """The JSON twin's link of a page."""
    query = urllib.parse.urlencode(params)
    return urllib.parse.quote(path) + ".json" + (f"?{query}" if query else "")


def _page(params: dict[str, str]) -> int:
    """The page number asked for (``?page=``; 1 when missing or not a number)."""
    try:
        return max(1, int(params.get("page", "1")))
    except ValueError:
        return 1


def _paginate(data: dict[str, Any], params: dict[str, str], path: str) -> dict[str, Any]:
    """Say which page of its lists a page shows, with the links to the pages around it.

    A page whose lists were asked one page at a time says which have more rows
    (``more``); the lists of other pages (search results, the editor's rows) are cut here.
    """
    page = _page(params)
    out = dict(data)
    more = out.pop("more", None)
    totals = {}
    if more is None:
        more = {}
        for name in LONG_LISTS:
            items = data.get(name)
            if isinstance(items, list):
                out[name] = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
                more[name] = len(items) > page * PAGE_SIZE
                totals[name] = len(items)
    links: dict[str, str | None] = {}
    for name, number in (("prev", page - 1), ("next", page + 1)):
        wanted = number >= 1 and (name == "prev" or any(more.values()))
        query = urllib.parse.urlencode({**params, "page": str(number)}) if wanted else ""
        links[name] = f"{urllib.parse.quote(path)}?{query}" if wanted else None
        links[f"{name}Json"] = f"{urllib.parse.quote(path)}.json?{query}" if wanted else None
    out["pagination"] = {"page": page, "size": PAGE_SIZE, "more": more, "totals": totals, **links}
    return out


def _static(name: str) -> Response:
    """A file of ``static/`` (one flat folder: no path leaves it).

    Raises:
        QueryError: no such file.
    """
    files = {p.name: p for p in STATIC.iterdir() if p.is_file()}
    if name not in files:
        raise QueryError(f"/static/{name}: no such file")
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype.endswith("javascript"):
        ctype += "; charset=utf-8"
    headers = {"Cache-Control": "public, max-age=3600"}
    return Response(HTTPStatus.OK, files[name].read_bytes(), ctype, headers)


def _library(facts: Facts, params: dict[str, str]) -> dict[str, Any]:
    """The editor page: the query library with its parameters; a server-side run."""
    library = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [
                {"name": p.name, "kinds": list(p.kinds), "optional": p.optional} for p in q.params
            ],
        }
        for q in load_queries().values()
    ]
    data: dict[str, Any] = {"library": library, "run": params.get("run", ""), "rows": []}
    data["vars"] = []
    if data["run"]:
        values = {k: v for k, v in params.items() if k not in ("run", "page") and v.strip()}
        result = pages.run_library(facts, data["run"], values)
        data["vars"] = list(result.vars)
        data["rows"] = rows(result)
        data["values"] = values
    return data


def _bound_query(facts: Facts, params: dict[str, str]) -> Response:
    """A library query's text with its parameters bound as VALUES (for the editor)."""
    name = params.pop("name", "")
    # the page of rows is the runner's, not a parameter of the query's text
    values = {k: v for k, v in params.items() if v.strip() and k not in ("limit", "offset")}
    query, bindings = pages.bind_library(facts, name, values)
    text = bind_values(query.text, bindings) if bindings else query.text
    return Response(HTTPStatus.OK, text.encode("utf-8"), "application/sparql-query; charset=utf-8")
