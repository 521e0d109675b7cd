"""The SPARQL 1.1 Protocol over the worker pool: routes, checks, content negotiation.

Stage: answer (serve). Input: :class:`~kg.answer.serve.http.Request`; output:
:class:`~kg.answer.serve.http.Response`. Queries at ``/query`` (and ``/sparql``) by GET or
POST, updates at ``/update`` when the server is writable. Every request's Host must be
allowed (DNS rebinding); a request that changes data must come from no browser page or
from the server's own origin (CSRF); queries pass :mod:`kg.answer.serve.guard` first.
Queries that read no data (``ASK {}``) take a fast lane of their own; the others queue
first come, first served, and get 503 with Retry-After when the queue is too long.
"""

from __future__ import annotations

import functools
import logging
import math
import socket
import time
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus

from kg.answer.serve.guard import (
    Limits,
    QueryRefusedError,
    check_query,
    reads_no_data,
    sparql_form,
)
from kg.answer.serve.http import HttpLimits, Pages, Request, Response, text_response
from kg.answer.serve.inline import KnownQueries, KnownQueryOverranError, job_key
from kg.answer.serve.pool import PoolBusyError, WorkerCrashedError, WorkerPool
from kg.answer.serve.worker import Job, Reply
from kg.graph.store import QueryTimeoutError

log = logging.getLogger(__name__)

#: Media types of SELECT/ASK answers -> the worker's result format.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types of CONSTRUCT/DESCRIBE answers -> the worker's graph format.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}
_QUERY_PATHS = ("/query", "/sparql")
_UPDATE_PATH = "/update"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: Texts of data-free queries that overran the fast lane, remembered at most.
_SLOW_KEPT = 1024


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How the endpoint behaves.

    Attributes:
        timeout: seconds a query may take (waiting for a worker included) before the
            client gets 503 and its evaluation is killed.
        limit: rows (or triples) returned at most; ``X-KG-Truncated: true`` says when
            a result was cut.
        allow_update: accept SPARQL Update at ``/update`` (one worker, store writable).
        workers: queries run at once, each in its worker process (read-only server),
            shared among the fronts (each has at least one).
        burst: workers at most: the spare and those running long queries included
            (shared among the fronts too).
        allow_hosts: Host names accepted besides the bound host (``*``: any).
        guard: query size, nesting and federation limits.
        http: connection limits and timeouts.
        backlog: the listen backlog (connections waiting to be accepted).
        queue_wait: seconds a query may wait for a worker: one expected to wait longer
            is answered 503 with Retry-After at once (over capacity) rather than late,
            and one still waiting then gets the same answer (0: no limit but
            ``timeout``).
        fast_budget: seconds a query that reads no data may take in the fast lane; one
            that takes longer is stopped, run in the ordinary queue and sent there
            from then on (0: no fast lane).
        long_query: CPU seconds after which a running query is long: it gives its place
            among the ``workers`` to an idle worker (one spare is kept), so short queries
            do not wait behind it; past ten times that it is a runaway, niced.
        known_budget: CPU seconds within which a worker must have answered a query text
            for the server to answer that text in its own threads from then on
            (:mod:`kg.answer.serve.inline`; read-only servers; 0: always in workers).
        fronts: HTTP processes sharing the listening socket, each with its own workers
            (0: one per core, up to four; a writable server has one).
    """

    timeout: float = 30.0
    limit: int = 10_000
    allow_update: bool = False
    workers: int = 4
    burst: int = 16
    allow_hosts: tuple[str, ...] = ()
    guard: Limits = field(default_factory=Limits)
    http: HttpLimits = field(default_factory=HttpLimits)
    backlog: int = 1024
    queue_wait: float = 2.5
    fast_budget: float = 0.5
    long_query: float = 0.1
    known_budget: float = 0.05
    fronts: int = 0


def allowed_hosts(bound: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The Host names a server bound to ``bound`` answers to.

    Examples:
        >>> sorted(allowed_hosts("127.0.0.1"))
        ['127.0.0.1', '::1', 'localhost']
    """
    names = {bound.lower(), *(h.lower() for h in extra)}
    if bound in _LOOPBACK:
        names.update(_LOOPBACK)
    if bound in ("0.0.0.0", "::", ""):
        names.update(_LOOPBACK)
        names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
    return frozenset(names)


def _hostname(value: str) -> str:
    """The host name of a Host header or an origin's authority, without port.

    Examples:
        >>> _hostname("[::1]:7878"), _hostname("Example.org:80"), _hostname("a")
        ('::1', 'example.org', 'a')
    """
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


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


def _media_types(accept: str | None) -> tuple[str | None, str | None]:
    """The media types for a SELECT/ASK answer and a CONSTRUCT one that Accept prefers."""
    if accept is not None and len(accept) > 200:  # not kept: the cache stays small
        return negotiate(accept, RESULT_TYPES), negotiate(accept, GRAPH_TYPES)
    return _common_media_types(accept)


@functools.lru_cache(maxsize=128)  # clients send the same few Accept headers
def _common_media_types(accept: str | None) -> tuple[str | None, str | None]:
    return negotiate(accept, RESULT_TYPES), negotiate(accept, GRAPH_TYPES)


class SparqlApp:
    """Answers SPARQL Protocol requests with a worker pool.

    Args:
        pool: the started worker pool.
        options: see :class:`ServeOptions`.
        hosts: Host names accepted (see :func:`allowed_hosts`).
        port: the bound port (an update's Origin must name it).
        fast: the fast lane, a started pool over an empty store for queries that read
            no data (None: they queue with the others).
        pages: asked first for every GET (after the Host check); None from it, or no
            pages, leaves the request to the endpoint (:class:`kg.answer.web.Site`).
        known: answers in the server's threads the queries a worker answered cheaply
            (None: every query goes to a worker).
    """

    def __init__(
        self,
        pool: WorkerPool,
        options: ServeOptions,
        hosts: frozenset[str],
        port: int,
        fast: WorkerPool | None = None,
        pages: Pages | None = None,
        known: KnownQueries | None = None,
    ) -> None:
        self.pool = pool
        self.known = known
        self.options = options
        self.hosts = hosts
        self.port = port
        self.fast = fast
        self._slow: dict[str, None] = {}  # data-free queries that overran the fast lane
        self.pages = pages

    async def __call__(self, request: Request) -> Response:
        """Answer one request."""
        host = _hostname(request.headers.get("host", ""))
        if "*" not in self.hosts and host not in self.hosts:
            return text_response(
                HTTPStatus.FORBIDDEN,
                f"Host {host!r} is not served here (start kg serve --allow-host {host})",
            )
        get = request.method in ("GET", "HEAD")
        if get and self.pages is not None and (page := await self.pages(request)) is not None:
            return page
        url = urllib.parse.urlsplit(request.target)
        params = urllib.parse.parse_qs(url.query) if url.query else {}
        if get:
            if url.path in _QUERY_PATHS and "query" in params:
                return await self._query(params["query"][0], params, request)
            if url.path in _QUERY_PATHS or url.path == "/":
                return text_response(HTTPStatus.OK, self.describe())
            return text_response(
                HTTPStatus.NOT_FOUND, f"{url.path}: no such endpoint; queries go to /query"
            )
        if request.method != "POST":
            return Response(
                HTTPStatus.METHOD_NOT_ALLOWED,
                b"GET, HEAD or POST\n",
                headers={"Allow": "GET, HEAD, POST"},
            )
        return await self._post(url.path, params, request)

    async def _post(self, path: str, params: dict[str, list[str]], request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        text = request.body.decode("utf-8", "replace")
        if ctype == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(text))
            query, update = params.get("query", [None])[0], params.get("update", [None])[0]
        elif ctype == "application/sparql-query":
            query, update = text, None
        elif ctype == "application/sparql-update":
            query, update = None, text
        else:
            return text_response(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/sparql-query, application/sparql-update or a form",
            )
        if update is not None and path in (_UPDATE_PATH, *_QUERY_PATHS):
            return await self._update(update, request)
        if query is not None and path in _QUERY_PATHS:
            return await self._query(query, params, request)
        if query is not None and path == _UPDATE_PATH:
            return text_response(
                HTTPStatus.BAD_REQUEST,
                "query: /update takes SPARQL Update (update= or application/sparql-update);"
                " send queries to /query",
            )
        return text_response(HTTPStatus.BAD_REQUEST, "no query (or update) in the request")

    def _foreign(self, request: Request) -> str | None:
        """Why a data-changing request looks sent by another site's page (None: it does not)."""
        origin = request.headers.get("origin")
        if origin is not None:
            parts = urllib.parse.urlsplit(origin.strip())
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                port = -1
            name = (parts.hostname or "").lower()
            if parts.scheme != "http" or port != self.port or name not in self.hosts:
                return f"Origin {origin[:100]!r} may not change data here"
        if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
            return "a cross-site request may not change data here"
        return None

    async def _query(self, sparql: str, params: dict[str, list[str]], request: Request) -> Response:
        kind, word = sparql_form(sparql)
        if kind == "update":
            ro = "" if self.options.allow_update else " (this endpoint is read-only)"
            return text_response(
                HTTPStatus.BAD_REQUEST,
                f"query: {word} makes this a SPARQL Update, not a query: send it as update="
                f" in a POST to /update, or as application/sparql-update{ro}",
            )
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return text_response(
                HTTPStatus.BAD_REQUEST,
                "default-graph-uri/named-graph-uri are not supported: the default graph is "
                "the union of all graphs; use GRAPH in the query",
            )
        result_media, graph_media = _media_types(request.headers.get("accept"))
        formats = (
            RESULT_TYPES[result_media] if result_media else None,
            GRAPH_TYPES[graph_media] if graph_media else None,
        )
        job = Job(sparql, formats=formats, limit=self.options.limit)
        failed, reply = await self._run(job, "query")
        if failed is not None:
            return failed
        assert reply is not None
        media = graph_media if reply.kind == "construct" else result_media
        if reply.body is None or media is None:
            offers = GRAPH_TYPES if reply.kind == "construct" else RESULT_TYPES
            return text_response(
                HTTPStatus.NOT_ACCEPTABLE, "acceptable types: " + ", ".join(offers)
            )
        extra = {"X-KG-Truncated": "true"} if reply.truncated else {}
        return Response(HTTPStatus.OK, reply.body, f"{media}; charset=utf-8", extra)

    async def _update(self, sparql: str, request: Request) -> Response:
        kind, word = sparql_form(sparql)
        if kind == "query":
            return text_response(
                HTTPStatus.BAD_REQUEST,
                f"update: {word} makes this a SPARQL query, not an update: send it as query="
                " (GET /query?query=..., or a POST to /query)",
            )
        if not self.options.allow_update:
            return text_response(
                HTTPStatus.FORBIDDEN, "read-only endpoint (start kg serve --allow-update)"
            )
        why = self._foreign(request)
        if why is not None:
            return text_response(HTTPStatus.FORBIDDEN, why)
        failed, _ = await self._run(Job(sparql, update=True), "update")
        return failed or Response(HTTPStatus.NO_CONTENT)

    async def _run(self, job: Job, what: str) -> tuple[Response | None, Reply | None]:
        """Check and run a job: (an error answer, None) or (None, the worker's reply)."""
        start = time.monotonic()
        timeout, queue_wait = self.options.timeout, self.options.queue_wait
        # updates (one writer) are never shed; queries wait at most queue_wait for a worker
        wait_until = start + queue_wait if queue_wait > 0 and not job.update else None
        known = self.known if not job.update else None
        try:
            check_query(job.sparql, self.options.guard, what)
            reply = await self._fast_lane(job, start + timeout)
            key = job_key(job) if reply is None and known is not None else None
            if key is not None and known is not None and known.knows(key):
                wait = known.expected_wait() if wait_until is not None else 0.0
                if wait > queue_wait:
                    return self._over_capacity(what, wait), None
                reply = await known.run(job, key, start + timeout, wait_until or math.inf)
            elif reply is None:
                wait = self.pool.expected_wait() if wait_until is not None else 0.0
                if wait > queue_wait:
                    return self._over_capacity(what, wait), None
                reply = await self.pool.run(job, start + timeout, wait_until)
                if key is not None and known is not None:
                    known.learn(key, job, reply)
        except QueryRefusedError as err:
            return text_response(HTTPStatus.BAD_REQUEST, str(err)), None
        except PoolBusyError:
            if wait_until is not None and wait_until < start + timeout:
                return self._over_capacity(what, queue_wait, late=True), None
            return text_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"{what}: no query worker free within {timeout:g} s; try again later",
            ), None
        except KnownQueryOverranError:
            return text_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"{what}: timed out after {timeout:g} s (it ran in the server's own thread, "
                "which finishes it; the text goes to a worker from now on)",
            ), None
        except QueryTimeoutError:
            return text_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"{what}: timed out after {timeout:g} s (its evaluation was stopped)",
            ), None
        except WorkerCrashedError as err:
            log.error("%s crashed its worker: %.200r", what, job.sparql)
            return text_response(HTTPStatus.INTERNAL_SERVER_ERROR, f"{what}: {err}"), None
        if reply.status == "bad":
            return text_response(HTTPStatus.BAD_REQUEST, reply.message), None
        if reply.status != "ok":
            return text_response(HTTPStatus.INTERNAL_SERVER_ERROR, reply.message), None
        return None, reply

    async def _fast_lane(self, job: Job, deadline: float) -> Reply | None:
        """Answer a query that reads no data in the fast lane (None: not for the fast lane).

        A query that overruns the lane's budget (or finds it busy) is left to the
        ordinary queue; one that overran is remembered and goes there directly next time.

        Raises:
            QueryTimeoutError: the query's own deadline passed in the fast lane.
        """
        if self.fast is None or job.update or self.options.fast_budget <= 0:
            return None
        if not reads_no_data(job.sparql):
            return None
        text = " ".join(job.sparql.split())
        if text in self._slow:
            return None
        budget = time.monotonic() + self.options.fast_budget
        try:
            return await self.fast.run(job, min(deadline, budget))
        except PoolBusyError:
            if budget >= deadline:
                raise
        except QueryTimeoutError:
            if budget >= deadline:
                raise
            self._slow[text] = None
            if len(self._slow) > _SLOW_KEPT:
                del self._slow[next(iter(self._slow))]
            log.warning("a query that reads no data overran the fast lane: %.200r", text)
        return None

    def _over_capacity(self, what: str, wait: float, late: bool = False) -> Response:
        """503 with Retry-After: the query would wait (``late``: waited) past queue_wait."""
        retry = max(1, math.ceil(wait - self.options.queue_wait))
        why = (
            f"waited {wait:g} s for a query worker"
            if late
            else f"about {wait:.1f} s of queries are queued ahead"
            f" (more than {self.options.queue_wait:g} s)"
        )
        answer = text_response(
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"{what}: over capacity: {why}; retry after {retry} s",
        )
        answer.headers["Retry-After"] = str(retry)
        return answer

    def describe(self) -> str:
        """Return the text served at ``/``."""
        mode = "read-write" if self.options.allow_update else "read-only"
        opts = self.options
        return (
            f"kg SPARQL endpoint ({mode}) on port {self.port}\n"
            "queries: GET /query?query=... or POST /query (application/sparql-query or a form)\n"
            + ("updates: POST /update (application/sparql-update)\n" if opts.allow_update else "")
            + "default graph: the union of the article graphs and the fact graph;"
            f" timeout {opts.timeout:g} s; at most {opts.limit} rows\n"
        )
