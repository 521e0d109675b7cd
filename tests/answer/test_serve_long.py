"""kg serve with long-running queries: a query past --long-query CPU seconds gets a spare
worker put in its place, so short queries do not wait behind it; the settings of the
fast lane and of shedding on the command line."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest

from kg.answer.serve import pool as pool_module
from kg.answer.serve.app import ServeOptions, SparqlApp
from kg.answer.serve.http import Request
from kg.answer.serve.pool import PoolBusyError, WorkerPool, cpu_seconds
from kg.answer.serve.worker import Job
from tests.servers import free_port, generated_store, running, serve_args

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# a few hundred ms of CPU on the test store: long for long_query=0.02, then it ends
MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f }"
SHORT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
BASE = "https://kg.example.org/"
T = TypeVar("T")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_store(tmp_path_factory.mktemp("long") / "store", seed=7)


async def _with_pool(
    store: Path,
    size: int,
    burst: int,
    long_query: float,
    body: Callable[[WorkerPool], Awaitable[T]],
) -> T:
    pool = WorkerPool(str(store), BASE, size, False, burst=burst, long_query=long_query)
    try:
        await pool.start()
        return await body(pool)
    finally:
        await pool.close()


async def _started(pool: WorkerPool, job: Job) -> asyncio.Task[object]:
    """Run ``job`` in the background and return once a worker has taken it."""
    task: asyncio.Task[object] = asyncio.create_task(pool.run(job, time.monotonic() + 30))
    while not pool._busy:  # the worker it was sent to
        await asyncio.sleep(0.01)
    return task


def test_cpu_seconds_reads_a_process_and_knows_a_missing_one() -> None:
    import os

    mine = cpu_seconds(os.getpid())
    assert mine is not None and mine > 0
    assert cpu_seconds(2**22 + 12345) is None  # above the kernel's pid_max


def test_short_query_gets_a_spare_once_a_query_has_used_its_cpu_seconds(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # only CPU time can make the runaway long here
    monkeypatch.setattr(pool_module, "LONG_WALL", 1000.0)

    async def body(pool: WorkerPool) -> tuple[str, bool, int]:
        runaway = await _started(pool, Job(RUNAWAY))
        reply = await pool.run(Job(SHORT), time.monotonic() + 30)
        still_running = not runaway.done()
        runaway.cancel()
        return reply.status, still_running, pool.long_queries

    status, still_running, long_queries = asyncio.run(_with_pool(store_dir, 1, 2, 0.05, body))
    assert status == "ok" and still_running and long_queries == 1


def test_short_query_waits_behind_a_query_not_yet_long(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "LONG_WALL", 1000.0)

    async def body(pool: WorkerPool) -> tuple[bool, int]:
        runaway = await _started(pool, Job(RUNAWAY))
        now = time.monotonic()
        try:
            await pool.run(Job(SHORT), now + 30, wait_until=now + 0.5)
            waited = False
        except PoolBusyError:
            waited = True
        runaway.cancel()
        return waited, pool.long_queries

    waited, long_queries = asyncio.run(_with_pool(store_dir, 1, 2, 1000.0, body))
    assert waited and long_queries == 0


def test_query_still_waiting_at_queue_wait_gets_503_with_retry_after(store_dir: Path) -> None:
    options = ServeOptions(workers=1, burst=1, queue_wait=0.3, timeout=20)
    headers = {"host": "127.0.0.1", "content-type": "application/sparql-query"}

    async def body(pool: WorkerPool) -> tuple[int, dict[str, str], bytes]:
        app = SparqlApp(pool, options, frozenset({"127.0.0.1"}), 0)
        runaway = await _started(pool, Job(RUNAWAY))
        answer = await app(Request("POST", "/query", headers, SHORT.encode()))
        runaway.cancel()
        return answer.status, answer.headers, answer.body

    status, extra, text = asyncio.run(_with_pool(store_dir, 1, 1, 0.05, body))
    assert status == 503 and extra["Retry-After"] == "1"
    assert text == b"query: over capacity: waited 0.3 s for a query worker; retry after 1 s\n"


def test_long_job_keeps_its_worker_which_becomes_the_spare(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "LONG_WALL", 1000.0)
    monkeypatch.setattr(pool_module, "RUNAWAY", 10**9)

    async def body(pool: WorkerPool) -> tuple[str, int, int, int]:
        reply = await pool.run(Job(MEDIUM), time.monotonic() + 30)
        return reply.status, pool.long_queries, pool.restarts, len(pool._all) + pool._starting

    status, long_queries, restarts, workers = asyncio.run(_with_pool(store_dir, 1, 3, 0.02, body))
    # one place for short jobs and one spare: no worker was killed or added for it
    assert status == "ok" and long_queries == 1 and restarts == 0 and workers == 2


def test_runaway_is_niced_and_its_worker_retired(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(pool_module, "RUNAWAY", 2)  # niced past 2 x long_query CPU seconds

    async def body(pool: WorkerPool) -> tuple[int, int, int]:
        runaway = await _started(pool, Job(MEDIUM))
        (worker,) = pool._busy
        while not worker.niced and not runaway.done():
            await asyncio.sleep(0.01)
        nice = os.getpriority(os.PRIO_PROCESS, worker.process.pid)
        await runaway
        return nice, pool.restarts, int(worker in pool._all)

    nice, restarts, kept = asyncio.run(_with_pool(store_dir, 1, 2, 0.02, body))
    assert nice == 19 and restarts == 1 and kept == 0


# ---------------------------------------------------------------- the command line


def _get(port: int, sparql: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/query?query=" + urllib.parse.quote(sparql))
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def _beside_a_runaway(port: int, sparql: str) -> tuple[int, dict[str, str], bytes]:
    """Send ``sparql`` while a runaway query holds a worker; its answer."""
    with concurrent.futures.ThreadPoolExecutor(1) as threads:
        runaway = threads.submit(_get, port, RUNAWAY)
        time.sleep(0.3)  # the runaway has reached its worker
        assert not runaway.done()
        answer = _get(port, sparql)
        assert not runaway.done()  # answered while the runaway still ran
        assert runaway.result()[0] == 503  # then it met --timeout
    return answer


def test_serve_long_query_and_burst_give_short_queries_a_spare(store_dir: Path) -> None:
    port = free_port()
    args = serve_args(store_dir, port, "--fronts", "1", "--workers", "1", "--burst", "2")
    args += ["--long-query", "0.05"]
    with running([*args, "--timeout", "4"], f"http://127.0.0.1:{port}/"):
        status, _, body = _beside_a_runaway(port, SHORT)
    assert status == 200 and b'"bindings"' in body


def test_serve_queue_wait_and_no_fast_lane_shed_behind_a_runaway(store_dir: Path) -> None:
    port = free_port()
    args = serve_args(store_dir, port, "--fronts", "1", "--workers", "1", "--burst", "1")
    args += ["--timeout", "4"]
    args += ["--queue-wait", "0.3", "--fast-budget", "0"]
    with running(args, f"http://127.0.0.1:{port}/"):
        # without its fast lane ASK {} queues with the others, and is shed there
        status, headers, body = _beside_a_runaway(port, "ASK {}")
    assert status == 503 and headers["Retry-After"] == "1"
    assert b"waited 0.3 s for a query worker" in body
