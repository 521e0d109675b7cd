"""Benchmark of the query library: Oxigraph latency at ~1M quads against rdflib in memory.

Stage: bench. Input: the stores of :func:`kg.bench.storebench.build_query_stores` and
``queries/*.rq`` (through :mod:`kg.answer.queries`); output: the ``queries`` section of
the report. Oxigraph runs in child processes (``python -m kg.bench.suite oxigraph``).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kg.bench.measure import percentile, ratio, time_runs
from kg.bench.report import fmt
from kg.bench.storebench import build_query_stores
from kg.errors import KgError
from kg.settings import Settings
from kg.vocab import ATTENDED, PERSON

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Node

    from kg.bench.measure import Step
    from kg.bench.suite import BenchConfig
    from kg.graph.store import KgStore, QueryResult

#: Values given to optional query parameters (the required ones get popular entities).
OPTIONAL_VALUES = {"from": "2023-01-01", "to": "2023-06-30"}
#: Optional parameters that get an entity anyway (a fact's evidence is asked about one).
OPTIONAL_ENTITIES = ("subject",)


def parameter_values(query: Any, entities: dict[str, list[str]], base: str) -> dict[str, str]:
    """Values (as ``kg query -p`` takes them) for a query's parameters.

    Required entity parameters get the entities given for their kind, in order (a
    second Person parameter gets the second person); ``from``/``to`` get the dates of
    :data:`OPTIONAL_VALUES`; other optional parameters stay unbound.
    """
    from kg.ids import entity_iri

    values: dict[str, str] = {}
    used: Counter[str] = Counter()
    for p in query.params:
        kind = p.kinds[0]
        if p.name in OPTIONAL_VALUES:
            values[p.name] = OPTIONAL_VALUES[p.name]
            continue
        if p.optional and p.name not in OPTIONAL_ENTITIES:
            continue
        if kind == "entity":
            kind = PERSON
        if kind in entities:
            keys = entities[kind]
            values[p.name] = f"<{entity_iri(keys[used[kind] % len(keys)], base)}>"
            used[kind] += 1
        elif kind == "property":
            values[p.name] = ATTENDED
        elif kind == "date":
            values[p.name] = OPTIONAL_VALUES["to"]
    return values


class _RdflibStore:
    """Just enough of a store over an rdflib Dataset for a question's engine to run on it."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds

    def query(self, sparql: str, bindings: Any = None, **options: Any) -> QueryResult:
        from kg.graph.store import QueryResult

        res = self.ds.query(sparql, initBindings=bindings or {})
        rows: list[tuple[Node | None, ...]] = [tuple(r) for r in res if isinstance(r, tuple)]
        return QueryResult("select", tuple(str(v) for v in res.vars or ()), rows)


def _rdflib_rows(ds: Dataset, query: Any, bindings: dict[str, Any], page: int | None) -> int:
    """Run a question on rdflib as kg runs it: its SPARQL text (one page), or its engine."""
    from kg.answer.runner import execute

    store = cast("KgStore", _RdflibStore(ds))
    return len(execute(store, query.text, bindings, query.engine, page).rows)


def _rdflib_times(
    ds: Dataset, query: Any, bindings: dict[str, Any], config: BenchConfig
) -> tuple[list[float], int | None, str | None]:
    """Time a query on rdflib in a forked child that is killed at ``rdflib_timeout``.

    Forking shares the loaded Dataset copy-on-write; Python cannot stop a running
    rdflib query in a thread, so a runaway query costs a kill instead of the run.

    Returns:
        The run times (possibly fewer than asked, or none), the row count, an error.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            spent = 0.0
            for _ in range(config.rdflib_runs):
                start = time.perf_counter()
                rows = _rdflib_rows(ds, query, bindings, config.query_page or None)
                took = time.perf_counter() - start
                send.send(("time", took, rows))
                spent += took
                if spent + took > config.rdflib_budget:
                    break
            send.send(("done", 0.0, 0))
        except Exception as err:  # reported to the parent, which records it
            send.send(("error", f"{type(err).__name__}: {err}", 0))

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send.close()
    deadline = time.monotonic() + config.rdflib_timeout
    times: list[float] = []
    rows: int | None = None
    error: str | None = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not recv.poll(left):
            error = f"timed out after {config.rdflib_timeout:g} s"
            break
        try:
            kind, value, count = recv.recv()
        except EOFError:
            error = "the rdflib process died"
            break
        if kind == "time":
            times.append(float(value))
            rows = int(count)
        elif kind == "error":
            error = str(value)
            break
        else:
            break
    if proc.is_alive():
        proc.kill()
    proc.join()
    recv.close()
    return times, rows, error


def oxigraph_probe(job: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Time queries on an Oxigraph store (run in a child process the parent can kill).

    Args:
        job: ``store`` (directory), ``queries`` (name -> {"popular": values,
            "typical": values}), ``runs``, ``budget`` (seconds per query and binding).

    Yields:
        One result per query, as soon as it is measured.
    """
    from kg.answer.queries import bind, load_queries
    from kg.graph.store import open_store

    queries = load_queries(job.get("queries_dir"))
    with open_store(job["store"], read_only=True) as store:
        for name, values in job["queries"].items():
            query = queries[name]
            out: dict[str, Any] = {"query": name}
            for which in ("popular", "typical"):
                try:
                    bindings = bind(store, query, values[which])
                    out[which] = _probe_one(store, query, bindings, which, job)
                except KgError as err:  # e.g. one official for a question about two
                    out[which] = {"times": [], "rows": None}
                    out.setdefault("error", f"{which}: {err}")
            yield out


def _probe_one(
    store: Any, query: Any, bindings: Any, which: str, job: dict[str, Any]
) -> dict[str, Any]:
    """Time one query with one set of bindings (see :func:`oxigraph_probe`)."""
    from kg.answer.runner import execute

    def run(bindings: Any = bindings, query: Any = query) -> int:
        # as kg query runs it (shortest_chain by its engine): its first page of rows
        res = execute(store, query.text, bindings, query.engine, job.get("page") or None)
        return len(res.rows) if res.kind == "select" else len(res.triples)

    times: list[float] = []
    rows = 0
    if which == "popular":  # warm-up; a slow query's first run is its figure
        start = time.perf_counter()
        rows = run()
        took = time.perf_counter() - start
        if took > 1.0:
            times.append(took)
    if not times:
        times, rows = time_runs(run, job["runs"], job["budget"])
    return {"times": times, "rows": rows}


def _oxigraph_times(
    path: Path, plan: dict[str, dict[str, dict[str, str]]], config: BenchConfig, settings: Settings
) -> dict[str, dict[str, Any]]:
    """Run :func:`oxigraph_probe` in child processes, killing one that overruns.

    Oxigraph cannot interrupt a query once it runs, so a child process holds the store:
    a query whose runs overrun (see ``BenchConfig.query_timeout``) is recorded as timed
    out, the child is killed and a new one carries on with the remaining queries.
    """
    import select

    results: dict[str, dict[str, Any]] = {}
    remaining = dict(plan)
    while remaining:
        job = {
            "store": str(path),
            "queries": remaining,
            "runs": config.query_runs,
            "budget": 10.0,
            "queries_dir": str(settings.queries_dir),
            "page": config.query_page,
        }
        cmd = [sys.executable, "-m", "kg.bench.suite", "oxigraph", json.dumps(job)]
        # stderr to a file: an unread pipe would block the child once 64 KB are written
        errors = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert proc.stdout is not None
        # warm-up + two timed phases of <= 10 s and one run each; the first query also
        # waits for the child's imports
        timeout = config.query_timeout * 3 + 20 + 15
        current = next(iter(remaining))
        while remaining:
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            line = proc.stdout.readline() if ready else ""
            if not line:
                proc.kill()
                proc.wait()
                errors.seek(0)
                if ready and proc.returncode not in (0, -9):
                    raise RuntimeError(f"oxigraph probe failed:\n{errors.read()[-3000:]}")
                results[current] = {"error": f"timed out after {timeout:g} s"}
                remaining.pop(current, None)
                break
            result = json.loads(line)
            results[result["query"]] = result
            remaining.pop(result["query"], None)
            current = next(iter(remaining), "")
            timeout = config.query_timeout * 3 + 20
        else:
            proc.wait()
        errors.close()
    return results


def bench_queries(
    config: BenchConfig,
    settings: Settings,
    workdir: Path,
    step: Step,
    triples: int | None = None,
) -> dict[str, Any]:
    """Latency of every library query at ~``triples`` quads against its two anchors.

    Each query gets its parameters bound to the entities found in the most articles (the
    busiest official, body, document, province: what analysts ask about, and the worst
    case) and, separately, to typical ones; Oxigraph runs it once to warm up, then up to
    ``query_runs`` times within 10 s. The anchors, in the same run: the same query on
    the deduplicated copy of the data (each fact once: the engine's limit), and
    rdflib's in-memory Dataset with the same quads (up to ``rdflib_runs`` times within
    ``rdflib_budget`` seconds, stopped at ``rdflib_timeout``; skipped above
    ``rdflib_max_quads``, where it does not fit in memory).

    Args:
        config: runs, budgets, seed.
        settings: the queries directory.
        workdir: where the stores are built.
        step: progress.
        triples: the store's size (default ``config.triples``).
    """
    from kg.answer.queries import bind, load_queries
    from kg.graph.store import open_store
    from kg.ids import DEFAULT_BASE

    size = triples or config.triples
    with_rdflib = size <= config.rdflib_max_quads
    path, ds, facts = build_query_stores(size, config.seed, workdir, step, with_rdflib)
    rdflib_load = facts["load_s"]["rdflib"]
    step(
        f"queries: store of {facts['quads']:,} quads loaded (oxigraph "
        f"{facts['load_s']['oxigraph']:.1f} s"
        + (f", rdflib {rdflib_load:.1f} s)" if rdflib_load is not None else ")")
    )
    queries = load_queries(settings.queries_dir)
    plan = {
        name: {
            which: parameter_values(q, facts[which], DEFAULT_BASE)
            for which in ("popular", "typical")
        }
        for name, q in queries.items()
    }
    step(f"queries: timing {len(plan)} queries on Oxigraph")
    ox = _oxigraph_times(path, plan, config, settings)
    step(f"queries: timing {len(plan)} queries on the deduplicated copy")
    dedup = _oxigraph_times(Path(facts["dedup_store"]), plan, config, settings)
    results = []
    with open_store(path, read_only=True) as store:
        for name, query in queries.items():
            bindings = bind(store, query, plan[name]["popular"])
            rdflib = (
                _rdflib_times(ds, query, bindings, config)
                if ds is not None
                else ([], None, f"not run above {config.rdflib_max_quads:,} quads")
            )
            row = _query_row(name, plan[name], ox[name], rdflib, config)
            _add_dedup(row, dedup[name])
            results.append(row)
            step(
                f"queries: {name}: {fmt(row['oxigraph_p50_ms'], 1)} ms ({row['rows']} rows), "
                f"dedup copy {fmt(row['dedup_p50_ms'], 1)} ms, "
                f"rdflib {fmt(row['rdflib_p50_ms'], 0)} ms {row['rdflib_error'] or ''}"
                f"{row['oxigraph_error'] or ''}"
            )
    return {
        **facts,
        "what": "p50/p95 of each queries/*.rq with bound parameters, as kg query runs it",
        "page": config.query_page,
        "per_query": results,
    }


def _add_dedup(row: dict[str, Any], got: dict[str, Any]) -> None:
    """Add the deduplicated copy's p50 and the ratio of the store's p50 to it."""
    pop = got.get("popular") or {"times": []}
    p50 = 1000 * statistics.median(pop["times"]) if pop["times"] else None
    row["dedup_p50_ms"] = p50
    row["dedup_error"] = got.get("error")
    row["vs_dedup"] = ratio(row["oxigraph_p50_ms"], p50) if p50 and row["oxigraph_p50_ms"] else None


def _query_row(
    name: str,
    plan: dict[str, dict[str, str]],
    got: dict[str, Any],
    rdflib: tuple[list[float], int | None, str | None],
    config: BenchConfig,
) -> dict[str, Any]:
    """One query's figures: Oxigraph popular and typical, rdflib, and the speedup.

    Args:
        name: the query.
        plan: its ``popular`` and ``typical`` parameter values.
        got: what :func:`oxigraph_probe` measured (or an ``error``).
        rdflib: what :func:`_rdflib_times` measured.
        config: for the rdflib timeout (a timed-out speedup is a lower bound).
    """
    rl_times, rl_rows, rl_error = rdflib
    pop = got.get("popular") or {"times": [], "rows": None}
    typ = got.get("typical") or {"times": [], "rows": None}
    p50 = 1000 * statistics.median(pop["times"]) if pop["times"] else None
    row: dict[str, Any] = {
        "query": name,
        "bindings": plan["popular"],
        "rows": pop["rows"],
        "oxigraph_p50_ms": p50,
        "oxigraph_p95_ms": 1000 * percentile(pop["times"], 0.95) if p50 else None,
        "oxigraph_runs": len(pop["times"]),
        "oxigraph_error": got.get("error"),
        "typical_bindings": plan["typical"],
        "typical_rows": typ["rows"],
        "typical_p50_ms": 1000 * statistics.median(typ["times"]) if typ["times"] else None,
        "rows_rdflib": rl_rows,
        "rdflib_p50_ms": 1000 * statistics.median(rl_times) if rl_times else None,
        "rdflib_p95_ms": 1000 * percentile(rl_times, 0.95) if rl_times else None,
        "rdflib_runs": len(rl_times),
        "rdflib_error": rl_error,
        "speedup": None,
        "speedup_is_lower_bound": False,
    }
    if rl_times and p50:
        row["speedup"] = ratio(row["rdflib_p50_ms"], p50)
    elif p50 and rl_error and rl_error.startswith("timed out"):
        row["speedup"] = ratio(1000 * config.rdflib_timeout, p50)
        row["speedup_is_lower_bound"] = True
    return row
