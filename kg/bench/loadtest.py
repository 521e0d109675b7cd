"""Load test of ``kg serve``: N concurrent clients on loopback against the engine's own speed.

Stage: bench. Input: a generated store of at least 100k quads (:mod:`kg.bench.storebench`)
or an existing store directory, and the library's questions (``queries/*.rq``) bound to
typical entities of that store; output: served
throughput, p50/p95/p99/max latency, errors and requests shed (503 with Retry-After, which
the clients honour), next to the throughput of the same queries run in-process (one
process per core, answers serialised the same way), and their ratio.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.bench.measure import percentile

if TYPE_CHECKING:
    from kg.bench.measure import Step
    from kg.settings import Settings

#: The only addresses the load test talks to.
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """What the load test does.

    Attributes:
        quads: size of the generated store (at least 100k for the issue's figure).
        clients: concurrent clients, each sending query after query on one connection.
        seconds: how long the clients (and the in-process run) go on.
        workers: ``kg serve --workers``.
        seed: corpus seed.
        workdir: where the store is built (kept); None: a temporary directory.
        store: an existing store directory to run against instead (nothing is built).
    """

    quads: int = 120_000
    clients: int = 200
    seconds: float = 20.0
    workers: int = 4
    seed: int = 0
    workdir: str | None = None
    store: str | None = None


def query_mix(path: Path, settings: Settings, facts: dict[str, Any]) -> list[str]:
    """The library's SPARQL questions with their parameters bound to typical entities.

    Each query text carries its values (``VALUES`` from :func:`kg.graph.store.bind_values`),
    so the served and the in-process runs evaluate exactly the same strings. Questions
    that kg runs by an engine of its own (``# engine:``, e.g. shortest_chain's bounded
    search) are not SPARQL an endpoint client sends, and are left out.
    """
    from kg.answer.queries import bind, load_queries
    from kg.bench.queries import parameter_values
    from kg.graph.store import bind_values, open_store
    from kg.ids import DEFAULT_BASE

    texts = []
    with open_store(path, read_only=True) as store:
        for query in load_queries(settings.queries_dir).values():
            if query.engine != "sparql":
                continue
            values = parameter_values(query, facts["typical"], DEFAULT_BASE)
            texts.append(bind_values(query.text, bind(store, query, values)))
    return texts


def store_facts(path: Path) -> dict[str, Any]:
    """Quads, articles and typical entities of each type of an existing store.

    An entity's popularity is the number of article graphs that type it; typical
    entities are picked as for the generated store (around the median of those found
    in two articles or more), so the questions ask about what the store really holds.

    Raises:
        StoreError: ``path`` is not a store directory.
    """
    from collections import Counter

    from kg.bench.storebench import _ranked
    from kg.graph.store import open_store
    from kg.ids import entity_iri
    from kg.vocab import ENTITY_TYPES, KG

    classes = {str(KG[t]): t for t in ENTITY_TYPES}
    values = " ".join(f"<{c}>" for c in classes)
    sparql = (
        "SELECT ?t ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { VALUES ?t { "
        + values
        + " } GRAPH ?g { ?e a ?t } } GROUP BY ?t ?e"
    )
    counts: Counter[tuple[str, str]] = Counter()
    with open_store(path, read_only=True, create=False) as store:
        prefix = entity_iri("", store.base)
        for row in store.query(sparql).dicts():
            iri = str(row["e"])
            if iri.startswith(prefix):
                counts[(classes[str(row["t"])], iri[len(prefix) :])] = int(str(row["n"]))
        quads, articles = store.quad_count(), len(store.articles())
    typical = {t: _ranked(counts, t, typical=True) for t in ENTITY_TYPES}
    return {
        "quads": quads,
        "articles": articles,
        "typical": {t: k for t, k in typical.items() if k},
    }


def mix_costs(path: Path, texts: list[str], limit: int) -> list[float]:
    """Milliseconds of one in-process run of each query of the mix (after a warm-up run)."""
    from kg.graph.store import LocalStore

    costs = []
    with LocalStore(path, read_only=True) as store:
        for text in texts:
            store.answer(text, ("json", "turtle"), limit)
            start = time.perf_counter()
            store.answer(text, ("json", "turtle"), limit)
            costs.append(1000 * (time.perf_counter() - start))
    return costs


def _engine_loop(path: str, texts: list[str], seconds: float, limit: int, out: Any) -> None:
    """One in-process runner: evaluate and serialise the mix until time is up."""
    from kg.graph.store import LocalStore

    done = 0
    with LocalStore(path, read_only=True) as store:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            store.answer(texts[done % len(texts)], ("json", "turtle"), limit)
            done += 1
    out.put(done)


def in_process(
    path: Path, texts: list[str], seconds: float, limit: int, processes: int = 0
) -> dict[str, Any]:
    """Throughput of the mix evaluated in-process (the engine's limit on these cores).

    Args:
        path: the store.
        texts: the queries, run in turns.
        seconds: how long.
        limit: rows kept per answer, as the server does.
        processes: runners; at least one per core (as many as the server's workers
            keeps the comparison fair on a machine shared with other programs).
    """
    cores = max(os.cpu_count() or 1, processes)
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_engine_loop, args=(str(path), texts, seconds, limit, out))
        for _ in range(cores)
    ]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    done = sum(out.get() for _ in procs)
    took = time.perf_counter() - start
    for proc in procs:
        proc.join()
    return {"processes": cores, "queries": done, "seconds": took, "qps": done / took}


def _retry_after(head: bytes) -> float | None:
    r"""The Retry-After seconds of a response head (None: none given).

    Examples:
        >>> _retry_after(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\n\r\n")
        2.0
    """
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"retry-after:"):
            return float(line.split(b":", 1)[1])
    return None


async def _client(port: int, texts: list[str], offset: int, end: float, log: list[Any]) -> None:
    """One client: a keep-alive connection sending query after query until ``end``.

    A 503 with Retry-After (the server over capacity) is logged as ``shed`` and the
    client waits as told before its next query, as a well-behaved client does.
    """
    reader = writer = None
    n = offset
    while time.monotonic() < end:
        body = texts[n % len(texts)].encode()
        n += 1
        head = (
            f"POST /query HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n"
            "Content-Type: application/sparql-query\r\n"
            "Accept: application/sparql-results+json, text/turtle;q=0.9\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        start = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(LOOPBACK, port)
            assert reader is not None
            writer.write(head + body)
            answer = await reader.readuntil(b"\r\n\r\n")
            status = int(answer.split(b" ", 2)[1])
            length = int(answer.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            if b"connection: close" in answer.lower():
                writer.close()
                writer = None
            retry = _retry_after(answer) if status == 503 else None
            log.append((start, time.monotonic() - start, "shed" if retry else status))
            if retry:
                await asyncio.sleep(min(retry, max(0.0, end - time.monotonic())))
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as err:
            log.append((start, time.monotonic() - start, type(err).__name__))
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _probe(port: int, end: float, log: list[float]) -> None:
    """``ASK {}`` every 200 ms on its own connection, beside the load."""
    reader, writer = await asyncio.open_connection(LOOPBACK, port)
    head = f"GET /query?query=ASK%20%7B%7D HTTP/1.1\r\nHost: {LOOPBACK}\r\n\r\n".encode()
    while time.monotonic() < end:
        start = time.monotonic()
        writer.write(head)
        answer = await reader.readuntil(b"\r\n\r\n")
        length = int(answer.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        log.append(time.monotonic() - start)
        await asyncio.sleep(0.2)
    writer.close()


async def _clients(port: int, texts: list[str], config: LoadConfig) -> dict[str, Any]:
    end = time.monotonic() + config.seconds
    log: list[Any] = []
    probes: list[float] = []
    start = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(
        _probe(port, end, probes),
        *(_client(port, texts, i, end, log) for i in range(config.clients)),
    )
    took = time.perf_counter() - start
    cpu = time.process_time() - cpu
    times = [t for _, t, s in log if s == 200]
    shed = [t for _, t, s in log if s == "shed"]
    errors: dict[str, int] = {}
    for _, _, status in log:
        if status not in (200, "shed"):
            errors[str(status)] = errors.get(str(status), 0) + 1
    return {
        "clients": config.clients,
        "requests": len(log),
        "ok": len(times),
        "errors": errors,
        "seconds": took,
        "qps": len(times) / took,
        "p50_ms": 1000 * percentile(times, 0.5) if times else None,
        "p95_ms": 1000 * percentile(times, 0.95) if times else None,
        "p99_ms": 1000 * percentile(times, 0.99) if times else None,
        "max_ms": 1000 * max(times) if times else None,
        "over_3s": sum(1 for t in times if t > 3.0),
        "shed": len(shed),
        "shed_max_ms": 1000 * max(shed) if shed else None,
        "ask_max_ms": 1000 * max(probes) if probes else None,
        "ask_p95_ms": 1000 * percentile(probes, 0.95) if probes else None,
        "ask_probes": len(probes),
        # the clients share the machine's cores with the server: their CPU seconds per
        # second of the run are cores the in-process baseline had and the server had not
        "client_cores": cpu / took if took else None,
    }


def served(path: Path, texts: list[str], config: LoadConfig, limit: int) -> dict[str, Any]:
    """Start ``kg serve`` on a free loopback port and run the clients against it."""
    from kg.answer.serve.server import listen

    sock = listen(LOOPBACK, 0, 16)  # a free port, released just before the server binds it
    port = sock.getsockname()[1]
    sock.close()
    cmd = [sys.executable, "-m", "kg", "serve", "--store", str(path), "--host", LOOPBACK]
    cmd += ["--port", str(port), "--workers", str(config.workers), "--limit", str(limit)]
    errors = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        _wait(f"http://{LOOPBACK}:{port}/", proc)
        return asyncio.run(_clients(port, texts, config))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        errors.close()


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until the server answers.

    Raises:
        RuntimeError: it exited or did not answer in time.
    """
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: kg serve did not answer in {timeout:g} s")


def run_loadtest(config: LoadConfig, settings: Settings, step: Step) -> dict[str, Any]:
    """Measure ``kg serve`` under load against the engine in-process on one store.

    The store is built (or ``config.store`` taken); the engine runs in-process for half
    of ``seconds`` before the served run and half after it.

    Returns:
        ``store`` facts, ``in_process`` and ``served`` figures and ``ratio`` (served
        throughput over in-process throughput).
    """
    from kg.bench.storebench import build_query_stores

    limit = 10_000
    with tempfile.TemporaryDirectory() as tmp:
        if config.store is not None:
            path = Path(config.store)
            facts = store_facts(path)
        else:
            workdir = Path(config.workdir or tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            path, _, facts = build_query_stores(config.quads, config.seed, workdir, step)
        texts = query_mix(path, settings, facts)
        costs = mix_costs(path, texts, limit)
        shown = ", ".join(f"{ms:.1f}" for ms in costs)
        step(f"loadtest: {facts['quads']:,} quads; ms per query: {shown}")
        # half before and half after the served run: the machine's load drifts
        half = config.seconds / 2
        before = in_process(path, texts, half, limit, config.workers)
        step(f"loadtest: in-process {before['qps']:,.0f} q/s; {config.clients} clients")
        load = served(path, texts, config, limit)
        after = in_process(path, texts, half, limit, config.workers)
        step(f"loadtest: in-process again {after['qps']:,.0f} q/s")
    engine = _combined(before, after)
    return {
        # a closed loop of N clients at the engine's throughput X waits N / X s on average
        "floor_s": config.clients / engine["qps"] if engine["qps"] else None,
        "store": {
            "path": str(path) if config.store else None,
            "quads": facts["quads"],
            "articles": facts["articles"],
        },
        "queries": len(texts),
        "query_ms": costs,
        "in_process": engine,
        "served": load,
        "ratio": load["qps"] / engine["qps"] if engine["qps"] else None,
    }


def _combined(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The in-process runs before and after the served one, as one run (and each's q/s)."""
    queries = before["queries"] + after["queries"]
    seconds = before["seconds"] + after["seconds"]
    return {
        "processes": before["processes"],
        "queries": queries,
        "seconds": seconds,
        "qps": queries / seconds if seconds else 0.0,
        "qps_before": before["qps"],
        "qps_after": after["qps"],
    }


def format_loadtest(report: dict[str, Any]) -> str:
    """The load test as a few lines of text."""
    s, e = report["served"], report["in_process"]
    errors = ", ".join(f"{k}: {v}" for k, v in s["errors"].items()) or "none"
    return (
        f"store: {report['store']['path'] or 'generated'}, {report['store']['quads']:,} quads,"
        f" {report['store']['articles']:,} articles; {report['queries']} library queries\n"
        f"in-process: {e['qps']:,.1f} q/s ({e['processes']} processes;"
        f" {e['qps_before']:,.1f} before the served run, {e['qps_after']:,.1f} after)\n"
        f"served: {s['qps']:,.1f} q/s with {s['clients']} clients over {s['seconds']:.1f} s "
        f"({s['ok']:,} answers)\n"
        f"ratio: {report['ratio']:.2f}x\n"
        f"latency: p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms,"
        f" max {s['max_ms']:.0f} ms; over 3 s: {s['over_3s']}\n"
        f"errors: {errors}\n"
        f"shed (503 with Retry-After, over capacity): {s['shed']:,} of {s['requests']:,}"
        f" requests\n"
        f"mean latency the engine allows {s['clients']} clients: {report['floor_s']:.2f} s\n"
        f"ASK {{}} beside the load: p95 {s['ask_p95_ms']:.0f} ms, max {s['ask_max_ms']:.0f} ms"
        f" ({s['ask_probes']} probes)\n"
    )
