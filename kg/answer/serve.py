"""SPARQL endpoint: a store directory served over the SPARQL 1.1 Protocol.

Input: a store opened through :mod:`kg.graph.store`; output: HTTP answers. Queries at
``/query`` (and ``/sparql``) by GET or POST, results as SPARQL JSON, XML, CSV or TSV and
graphs as Turtle, N-Triples, RDF/XML or JSON-LD by the Accept header; updates at
``/update`` only when the server is started writable. Standard library HTTP server.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, cast

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from kg.errors import KgError, QueryError
from kg.graph.store import QueryResult, QueryTimeoutError
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from kg.graph.store import KgStore

log = logging.getLogger(__name__)

#: Media types of SELECT/ASK answers -> rdflib result serializer.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types of CONSTRUCT/DESCRIBE answers -> rdflib graph serializer.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
_QUERY_PATHS = ("/query", "/sparql")
_UPDATE_PATH = "/update"
_MAX_BODY = 10_000_000


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How the endpoint behaves.

    Attributes:
        timeout: seconds a query may take before the client gets 503.
        limit: rows (or triples) returned at most; the header
            ``X-KG-Truncated: true`` says when a result was cut.
        allow_update: accept SPARQL Update at ``/update`` (the store is opened writable).
        max_concurrent: queries evaluated at once; more wait for a free slot.
    """

    timeout: float = 30.0
    limit: int = 10_000
    allow_update: bool = False
    max_concurrent: int = 4


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """Pick the media type of ``offers`` the Accept header prefers (None: none fits).

    Examples:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
        'application/sparql-results+xml'
        >>> negotiate(None, RESULT_TYPES)
        'application/sparql-results+json'
        >>> negotiate("image/png", GRAPH_TYPES) is None
        True
    """
    default = next(iter(offers))
    if not accept:
        return default
    ranked = []
    for order, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.lower()
        if media in ("*/*", "application/*", "text/*"):
            fits = [m for m in offers if media == "*/*" or m.startswith(media[:-1])]
            media = default if default in fits else (fits or [""])[0]
        if media in offers and q > 0:
            # highest q first; at equal q the client's first-listed type wins
            ranked.append((-q, order, media))
    return min(ranked)[2] if ranked else None


def serialize(result: QueryResult, media: str) -> bytes:
    """Serialise a query answer as ``media`` (one of :data:`RESULT_TYPES` or :data:`GRAPH_TYPES`).

    Raises:
        ValueError: the media type does not fit the answer.
    """
    if result.kind == "construct":
        graph = Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for triple in result.triples:
            graph.add(triple)
        return graph.serialize(format=GRAPH_TYPES[media], encoding="utf-8")
    fmt = RESULT_TYPES[media]
    out = Result("ASK" if result.kind == "ask" else "SELECT")
    if result.kind == "ask":
        if fmt in ("csv", "tsv"):
            return b"true\n" if result.boolean else b"false\n"
        out.askAnswer = bool(result.boolean)
    else:
        out.vars = [Variable(v) for v in result.vars]
        out.bindings = [
            {
                Variable(v): cast(Identifier, t)
                for v, t in zip(result.vars, row, strict=True)
                if t is not None
            }
            for row in result.rows
        ]
    data = out.serialize(format=fmt, encoding="utf-8")
    assert isinstance(data, bytes)
    return data


class _Handler(BaseHTTPRequestHandler):
    """One HTTP exchange; the server object carries the store and options."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)

    # ------------------------------------------------------------------ helpers

    def _send(
        self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _failed(self, err: KgError) -> None:
        """Answer a failed query or update: timeout 503, bad SPARQL 400, the store 500."""
        if isinstance(err, QueryTimeoutError):
            timeout = self.server.options.timeout
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query timed out after {timeout:g} s")
        elif isinstance(err, QueryError):
            self._error(HTTPStatus.BAD_REQUEST, str(err))
        else:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
            return None
        return self.rfile.read(length) if length else b""

    # ------------------------------------------------------------------ verbs

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path in _QUERY_PATHS and "query" in params:
            self._query(params["query"][0], params)
        elif url.path in _QUERY_PATHS or url.path == "/":
            self._send(HTTPStatus.OK, self.server.describe().encode(), "text/plain; charset=utf-8")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"{url.path}: no such endpoint; queries go to /query")

    do_HEAD = do_GET  # noqa: N815 (http.server's naming)

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        body = self._body()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        text = body.decode("utf-8", "replace")
        if ctype == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(text))
            query, update = params.get("query", [None])[0], params.get("update", [None])[0]
        elif ctype == "application/sparql-query":
            query, update = text, None
        elif ctype == "application/sparql-update":
            query, update = None, text
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/sparql-query, application/sparql-update or a form",
            )
            return
        if update is not None and url.path in (_UPDATE_PATH, *_QUERY_PATHS):
            self._update(update)
        elif query is not None and url.path in _QUERY_PATHS:
            self._query(query, params)
        else:
            self._error(HTTPStatus.BAD_REQUEST, "no query (or update) in the request")

    # ------------------------------------------------------------------ work

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(
                HTTPStatus.BAD_REQUEST,
                "default-graph-uri/named-graph-uri are not supported: the default graph is "
                "the union of all graphs; use GRAPH in the query",
            )
            return
        try:
            result = self.server.run(sparql)
        except KgError as err:
            self._failed(err)
            return
        offers = GRAPH_TYPES if result.kind == "construct" else RESULT_TYPES
        media = negotiate(self.headers.get("Accept"), offers)
        if media is None:
            self._error(HTTPStatus.NOT_ACCEPTABLE, "acceptable types: " + ", ".join(offers))
            return
        extra = {"X-KG-Truncated": "true"} if result.truncated else {}
        self._send(HTTPStatus.OK, serialize(result, media), f"{media}; charset=utf-8", extra)

    def _update(self, sparql: str) -> None:
        if not self.server.options.allow_update:
            self._error(HTTPStatus.FORBIDDEN, "read-only endpoint (start kg serve --allow-update)")
            return
        try:
            with self.server.write_lock:
                self.server.store.update(sparql)
        except KgError as err:
            self._failed(err)
            return
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server that answers SPARQL over one store.

    Queries run on a pool of ``max_concurrent`` threads (Oxigraph releases the GIL while
    it evaluates). A query past ``timeout`` gets 503 and its result reading stops; the
    evaluation inside Oxigraph cannot be interrupted and finishes in the background,
    holding its slot until then.

    Args:
        address: ``(host, port)``; port 0 picks a free one (see ``server_address``).
        store: the open store.
        options: timeout, result limit, updates.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: KgStore, options: ServeOptions) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.options = options
        self.write_lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=options.max_concurrent, thread_name_prefix="kg-query"
        )

    def run(self, sparql: str) -> QueryResult:
        """Evaluate one query with the server's timeout and limit.

        Raises:
            QueryTimeoutError: past the timeout.
            QueryError: not valid SPARQL.
        """
        deadline = time.monotonic() + self.options.timeout
        future = self._pool.submit(
            self.store.query, sparql, None, limit=self.options.limit, deadline=deadline
        )
        try:
            return future.result(timeout=self.options.timeout + 0.5)
        except concurrent.futures.TimeoutError as err:
            future.cancel()
            raise QueryTimeoutError("query: timed out") from err

    def describe(self) -> str:
        """Return the text served at ``/``."""
        host, port = self.server_address[:2]
        mode = "read-write" if self.options.allow_update else "read-only"
        return (
            f"kg SPARQL endpoint ({mode}) on http://{host!s}:{port}\n"
            "queries: GET /query?query=... or POST /query (application/sparql-query or a form)\n"
            + (
                "updates: POST /update (application/sparql-update)\n"
                if self.options.allow_update
                else ""
            )
            + f"default graph: the union of all article graphs; timeout {self.options.timeout:g} s;"
            f" at most {self.options.limit} rows\n"
        )

    def server_close(self) -> None:
        """Stop the query pool and close the socket."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        super().server_close()


def serve(
    store: KgStore,
    host: str = "127.0.0.1",
    port: int = 7878,
    options: ServeOptions | None = None,
    ready: Callable[[SparqlServer], None] | None = None,
) -> None:
    """Serve the store until interrupted (Ctrl-C or SIGTERM ends it cleanly).

    Args:
        store: an open store (read-only unless ``options.allow_update``).
        host: interface to listen on; keep 127.0.0.1 unless a proxy guards it.
        port: TCP port (0 for any free one).
        options: see :class:`ServeOptions`.
        ready: called once the socket listens (to print the address).

    Raises:
        OSError: the address cannot be bound.
    """
    import signal

    server = SparqlServer((host, port), store, options or ServeOptions())

    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
