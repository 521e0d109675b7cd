"""kg serve under load: the fast lane, the first-come queue, 503 when over capacity, and
a query sent as an update (or the other way round) told which parameter to use."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.answer.serve.app import ServeOptions, SparqlApp
from kg.answer.serve.http import Request, Response
from kg.answer.serve.pool import WorkerPool
from kg.answer.serve.worker import Job
from tests.servers import free_port, generated_store, running, serve_args

ASK = "/query?query=" + urllib.parse.quote("ASK {}")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# a few tens of ms on the small store: a regular expression over every object
MEDIUM = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c FILTER(REGEX(STR(?c), "q.*z")) }'
BASE = "https://kg.example.org/"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_store(tmp_path_factory.mktemp("fastlane") / "store", seed=5)


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[int]:
    """A read-only `kg serve` with one query worker."""
    port = free_port()
    args = serve_args(store_dir, port, "--fronts", "1", "--workers", "1", "--timeout", "4")
    with running(args, _url(port)):
        yield port


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    path = tmp_path_factory.mktemp("fastlane-rw") / "store"
    with running(serve_args(path, port, "--allow-update"), _url(port)):
        yield port


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}/"


def _request(
    port: int, method: str, path: str, body: bytes | None = None, ctype: str = ""
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        headers = {"Content-Type": ctype} if ctype else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _ask_ms(port: int) -> float:
    start = time.perf_counter()
    status, body = _request(port, "GET", ASK)
    assert status == 200 and b"true" in body
    return 1000 * (time.perf_counter() - start)


# ---------------------------------------------------------------- the fast lane


def test_ask_answered_fast_while_every_worker_is_busy(server: int) -> None:
    sparql = "application/sparql-query"
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        slow = [pool.submit(_request, server, "POST", "/query", RUNAWAY.encode(), sparql)]
        slow += [pool.submit(_request, server, "POST", "/query", RUNAWAY.encode(), sparql)]
        time.sleep(0.2)  # the one worker (and the queue) now hold runaway queries
        assert not any(f.done() for f in slow)
        times = []
        for _ in range(5):
            times.append(_ask_ms(server))
            time.sleep(0.1)
        assert max(times) < 100, times
        # a data-free query of another shape takes the lane too; it is answered, not queued
        start = time.perf_counter()
        q = urllib.parse.quote("SELECT (1 + 1 AS ?two) WHERE {}")
        status, body = _request(server, "GET", "/query?query=" + q)
        assert status == 200 and b'"2"' in body
        assert time.perf_counter() - start < 0.1
        assert not all(f.done() for f in slow)
        answers = [f.result() for f in slow]
    assert all(status == 503 for status, _ in answers)  # the runaways met --timeout


# ---------------------------------------------------------------- query vs update


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <x:a> <x:b> <x:c> }",
        "PREFIX ex: <http://x/#>\n# a comment\nDELETE WHERE { ?s ex:p ?o }",
        "drop all",
    ],
)
def test_update_sent_as_query_is_told_to_use_update(server: int, update: str) -> None:
    form = "application/x-www-form-urlencoded"
    for method, path, body, ctype in [
        ("GET", "/query?query=" + urllib.parse.quote(update), None, ""),
        ("POST", "/query", urllib.parse.urlencode({"query": update}).encode(), form),
        ("POST", "/query", update.encode(), "application/sparql-query"),
    ]:
        status, answer = _request(server, method, path, body, ctype)
        assert status == 400, answer
        assert answer.count(b"\n") == 1 and b"update=" in answer and b"not a query" in answer
        assert b"read-only" in answer


def test_query_sent_as_update_is_told_to_use_query(writable: int) -> None:
    form = urllib.parse.urlencode({"update": "SELECT * WHERE { ?s ?p ?o }"}).encode()
    status, answer = _request(
        writable, "POST", "/update", form, "application/x-www-form-urlencoded"
    )
    assert status == 400 and answer.count(b"\n") == 1
    assert b"query=" in answer and b"not an update" in answer
    body = b"ASK { ?s ?p ?o }"
    status, answer = _request(writable, "POST", "/update", body, "application/sparql-update")
    assert status == 400 and b"query=" in answer
    # a real update still goes through
    body = b"INSERT DATA { <x:a> <x:b> <x:c> }"
    assert _request(writable, "POST", "/update", body, "application/sparql-update")[0] == 204


# ---------------------------------------------------------------- the queue


def _post(sparql: str) -> Request:
    headers = {"host": "127.0.0.1", "content-type": "application/sparql-query"}
    return Request("POST", "/query", headers, sparql.encode())


async def _with_app(store: Path, options: ServeOptions, body: object) -> object:
    """Run ``body(app)`` against a real worker pool (and fast lane) over ``store``."""
    pool = WorkerPool(str(store), BASE, options.workers, False, burst=options.workers)
    fast = WorkerPool(None, BASE, 1, False, burst=1)
    try:
        await pool.start()
        await fast.start()
        app = SparqlApp(pool, options, frozenset({"127.0.0.1"}), 0, fast)
        return await body(app)  # type: ignore[operator]
    finally:
        await fast.close()
        await pool.close()


def test_queue_over_capacity_answers_503_with_retry_after_at_once(store_dir: Path) -> None:
    options = ServeOptions(workers=1, queue_wait=0.2, timeout=20)

    async def body(app: SparqlApp) -> tuple[list[Response], Response]:
        answers: list[Response] = []
        end = time.monotonic() + 2.0

        async def client() -> None:  # query after query, Retry-After ignored
            while time.monotonic() < end:
                answers.append(await app(_post(MEDIUM)))

        clients = [asyncio.create_task(client()) for _ in range(30)]
        await asyncio.sleep(1.0)  # the pool has been busy long enough to know its rate
        ask = await app(_post("ASK {}"))
        await asyncio.gather(*clients)
        return answers, ask

    result = asyncio.run(_with_app(store_dir, options, body))
    assert isinstance(result, tuple)
    answers, ask = result
    assert ask.status == 200  # the fast lane is never shed
    shed = [r for r in answers if r.status == 503]
    done = [r for r in answers if r.status == 200]
    assert shed and done and len(shed) + len(done) == len(answers)
    for response in shed:
        assert int(response.headers["Retry-After"]) >= 1
        assert b"over capacity" in response.body
    # refused at once (from the measured rate), or after waiting queue_wait for a worker
    at_once = [r for r in shed if b"queued ahead" in r.body]
    late = [r for r in shed if b"waited 0.2 s for a query worker" in r.body]
    assert at_once and len(at_once) + len(late) == len(shed)


def test_jobs_get_workers_first_come_first_served(store_dir: Path) -> None:
    async def body(app: SparqlApp) -> list[int]:
        finished: list[int] = []

        async def one(i: int) -> None:
            await app.pool.run(Job(MEDIUM), time.monotonic() + 20)
            finished.append(i)

        tasks = []
        for i in range(8):
            tasks.append(asyncio.create_task(one(i)))
            await asyncio.sleep(0)  # each asks for the worker in turn
        await asyncio.gather(*tasks)
        return finished

    order = asyncio.run(_with_app(store_dir, ServeOptions(workers=1), body))
    assert order == list(range(8))
