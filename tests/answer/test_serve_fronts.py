"""kg serve's HTTP processes (fronts) and the queries they answer in their own threads.

Real servers on loopback over a generated store. A front is a process that accepts
connections from the shared socket; known queries are texts a worker has already
answered within the CPU budget, answered again in a front's threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import math
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.answer.serve.app import ServeOptions
from kg.answer.serve.inline import KEPT, KnownQueries, KnownQueryOverranError, job_key
from kg.answer.serve.pool import PoolBusyError
from kg.answer.serve.server import serve
from kg.answer.serve.worker import Job, Reply
from kg.errors import KgError
from kg.graph.store import LocalStore
from tests.servers import descendants, free_port, generated_store, running, serve_args

PEOPLE = "SELECT ?p WHERE { ?p a <https://kg.example.org/ontology#Person> } ORDER BY ?p"
OTHER = "SELECT ?b WHERE { ?b a <https://kg.example.org/ontology#Body> } ORDER BY ?b"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_store(tmp_path_factory.mktemp("fronts") / "store", seed=5)


def _post(port: int, query: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/query", query.encode(), {"Content-Type": "application/sparql-query"})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


@contextlib.contextmanager
def _workers_stopped(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """Every process below a one-front server (its forkserver and workers) SIGSTOPped."""
    workers = [pid for pid in descendants(proc.pid) if pid != proc.pid]
    _signal_all(workers, signal.SIGSTOP)
    try:
        yield
    finally:
        _signal_all(workers, signal.SIGCONT)


@pytest.fixture()
def make_known(store_dir: Path) -> Iterator[Callable[..., KnownQueries]]:
    """Makes KnownQueries over the store (1 thread, budget 0.05 s unless given); closes them."""
    made: list[KnownQueries] = []

    def make(threads: int = 1, budget: float = 0.05, kept: int = KEPT) -> KnownQueries:
        made.append(KnownQueries(str(store_dir), "https://kg.example.org/", threads, budget, kept))
        return made[-1]

    yield make
    for known in made:
        known.close()


# ---------------------------------------------------------------- known queries


def test_job_key_tells_texts_formats_and_limits_apart() -> None:
    fast, slow = Job(PEOPLE), Job(OTHER)
    assert job_key(fast) == job_key(Job(PEOPLE)) != job_key(slow)
    assert job_key(fast) != job_key(Job(PEOPLE, formats=("xml", None)))
    assert job_key(fast) != job_key(Job(PEOPLE, limit=5))


def test_known_queries_budget_failure_variation_and_memory_bound(
    make_known: Callable[..., KnownQueries],
) -> None:
    known = make_known(budget=0.01, kept=2)
    jobs = [Job(f"ASK {{ ?s ?p {i} }}") for i in range(3)]
    keys = [job_key(j) for j in jobs]
    known.learn(keys[0], jobs[0], Reply("ok", "ask", b"{}", spent=0.02))  # over the budget
    known.learn(keys[1], jobs[1], Reply("bad", message="syntax", spent=0.001))  # failed
    assert not known.knows(keys[0]) and not known.knows(keys[1])
    chance = Job("ASK { ?s ?p ?o FILTER(RAND() < 0.5) }")  # cheap once, not always
    known.learn(job_key(chance), chance, Reply("ok", "ask", b"{}", spent=0.001))
    assert not known.knows(job_key(chance))
    for key, job in zip(keys, jobs, strict=True):
        known.learn(key, job, Reply("ok", "ask", b"{}", spent=0.001))
    assert [known.knows(k) for k in keys] == [False, True, True]  # the oldest forgotten


def test_known_queries_answer_what_the_store_answers(
    store_dir: Path, make_known: Callable[..., KnownQueries]
) -> None:
    known = make_known(threads=2)

    async def ask(job: Job, wait_until: float) -> Reply:
        return await known.run(job, job_key(job), time.monotonic() + 5, wait_until)

    job = Job(PEOPLE, formats=("csv", None), limit=2)
    reply = asyncio.run(ask(job, time.monotonic() + 5))
    with LocalStore(store_dir, read_only=True) as store:
        assert (reply.kind, reply.body, reply.truncated) == store.answer(PEOPLE, ("csv", None), 2)
    assert reply.truncated and reply.body is not None and reply.body.count(b"\n") == 3
    with pytest.raises(PoolBusyError):  # its deadline passed before a thread took it
        asyncio.run(ask(job, time.monotonic() - 1))


def test_known_queries_thread_survives_an_unexpected_error(
    make_known: Callable[..., KnownQueries], monkeypatch: pytest.MonkeyPatch
) -> None:
    known = make_known()

    def broken(*args: object) -> None:
        raise RuntimeError("out of luck")

    async def ask(job: Job) -> Reply:
        return await known.run(job, job_key(job), time.monotonic() + 5, math.inf)

    with monkeypatch.context() as patch:
        patch.setattr(known._db, "answer", broken)
        reply = asyncio.run(ask(Job(PEOPLE)))
    assert reply.status == "error" and "out of luck" in reply.message
    assert asyncio.run(ask(Job(PEOPLE))).status == "ok"  # the one thread still answers


def test_known_query_past_its_deadline_is_forgotten_and_a_spare_thread_serves(
    make_known: Callable[..., KnownQueries], monkeypatch: pytest.MonkeyPatch
) -> None:
    known = make_known()
    answer = known._db.answer
    slow = Job(OTHER)

    def sometimes_slow(sparql: str, *args: object) -> object:
        if sparql == OTHER:
            time.sleep(1.5)  # as a query whose cost changed would
        return answer(sparql, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(known._db, "answer", sometimes_slow)
    known.learn(job_key(slow), slow, Reply("ok", "select", b"", spent=0.001))

    async def both() -> tuple[BaseException | Reply, Reply, float]:
        late = asyncio.ensure_future(known.run(slow, job_key(slow), time.monotonic() + 0.3, 9e9))
        await asyncio.sleep(0.05)  # the one thread has taken the slow query
        start = time.monotonic()
        fast = await known.run(Job(PEOPLE), job_key(Job(PEOPLE)), time.monotonic() + 5, 9e9)
        took = time.monotonic() - start
        got = await asyncio.gather(late, return_exceptions=True)
        return got[0], fast, took

    late, fast, took = asyncio.run(both())
    assert isinstance(late, KnownQueryOverranError)
    assert not known.knows(job_key(slow))  # it goes to the workers from now on
    assert fast.status == "ok" and took < 1.0  # a spare thread answered it meanwhile
    assert known.overruns == 1


def test_known_query_answered_while_every_worker_is_stopped(store_dir: Path) -> None:
    port = free_port()
    args = serve_args(store_dir, port, "--fronts", "1", "--fast-budget", "0", "--timeout", "2")
    with running(args, f"http://127.0.0.1:{port}/") as proc:
        status, first = _post(port, PEOPLE)  # a worker answers it, cheaply
        assert status == 200
        with _workers_stopped(proc):
            assert _post(port, PEOPLE) == (200, first)  # the front's own thread answers
            status, body = _post(port, OTHER)  # never answered: it needs a worker
            assert status == 503 and b"timed out" in body


def test_query_over_the_budget_always_goes_to_a_worker(store_dir: Path) -> None:
    port = free_port()
    args = serve_args(store_dir, port, "--fronts", "1", "--fast-budget", "0", "--timeout", "2")
    args += ["--known-budget", "0.000001"]  # no query is that cheap: each needs a worker
    with running(args, f"http://127.0.0.1:{port}/") as proc:
        assert _post(port, PEOPLE)[0] == 200
        with _workers_stopped(proc):
            status, body = _post(port, PEOPLE)
            assert status == 503 and b"timed out" in body


# ---------------------------------------------------------------- fronts


def _fronts(pid: int) -> list[int]:
    """The front processes of a supervisor (children of its forkserver)."""
    return sorted(p for p, depth in descendants(pid).items() if depth == 2)


def _wait_for(predicate: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture()
def two_fronts(store_dir: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    with running(serve_args(store_dir, port, "--fronts", "2"), f"http://127.0.0.1:{port}/") as p:
        _wait_for(lambda: len(_fronts(p.pid)) == 2)
        yield port, p


def test_a_front_that_dies_is_replaced_and_the_port_keeps_answering(
    two_fronts: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, proc = two_fronts
    first, second = _fronts(proc.pid)
    os.kill(first, signal.SIGKILL)
    for _ in range(20):  # every connection is accepted by a live front
        assert _post(port, PEOPLE)[0] == 200
    _wait_for(lambda: len(_fronts(proc.pid)) == 2 and first not in _fronts(proc.pid))
    assert second in _fronts(proc.pid) and proc.poll() is None


def test_a_replacement_front_that_cannot_start_leaves_the_others_serving(
    store_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    with running(serve_args(store_dir, port, "--fronts", "2"), f"http://127.0.0.1:{port}/") as p:
        _wait_for(lambda: len(_fronts(p.pid)) == 2)
        assert _post(port, PEOPLE)[0] == 200
        moved = tmp_path / "moved"
        store_dir.rename(moved)  # a new front (and its workers) cannot open the store now
        try:
            os.kill(_fronts(p.pid)[0], signal.SIGKILL)
            time.sleep(3)  # its replacements fail, once a second at most
            assert p.poll() is None  # the supervisor goes on
            assert _post(port, PEOPLE)[0] == 200  # the front left answers
        finally:
            moved.rename(store_dir)
        _wait_for(lambda: len(_fronts(p.pid)) == 2)  # and the next replacement starts


def test_sigterm_stops_every_process_of_the_server(
    two_fronts: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, proc = two_fronts
    tree = descendants(proc.pid)
    assert len(tree) >= 5  # supervisor, forkserver, two fronts and their workers
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in tree), timeout=10)


def test_fronts_stop_when_their_supervisor_is_killed(
    two_fronts: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, proc = two_fronts
    fronts = _fronts(proc.pid)
    proc.kill()
    proc.wait()
    _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in fronts), timeout=15)
    with pytest.raises(ConnectionError):
        _post(port, PEOPLE, timeout=2)


def test_a_front_that_cannot_start_stops_the_server_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "not-a-store").write_text("a file, not a store directory\n")
    options = ServeOptions(fronts=2)
    with pytest.raises(KgError, match="not-a-store"):
        serve(str(tmp_path / "not-a-store"), "https://kg.example.org/", port=0, options=options)
