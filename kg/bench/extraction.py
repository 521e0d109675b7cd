"""Benchmark of extraction: words/s of the kg pipeline against the bare model, and memory.

Stage: bench. Input: generated articles (:mod:`kg.bench.corpus`), the pipeline
(:mod:`kg.extract.nlp`, :mod:`kg.extract.pipeline`); output: the ``extraction`` and
``memory`` sections of the report. Reads the data files the pipeline and corpus read.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

from kg.bench.measure import cpu_seconds, ratio
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.bench.measure import Step
    from kg.bench.suite import BenchConfig
    from kg.model import Article, ArticleGraph

#: The pipelines compared, in the order they run in each round.
PIPELINES = ("bare", "kg")

MEMORY_WHAT = (
    "peak RSS (ru_maxrss) of a fresh process that builds the pipeline, extracts N "
    "generated one-sentence briefs with extract_all (1 process, every stage on every article) "
    "and serialises each result to JSON and drops it, as kg extract > file does; "
    "growth = peak minus the peak after loading the pipeline and one warm-up article"
)


def fit_batch_size(n_articles: int, workers: int) -> int:
    """Articles per batch so that every process gets several batches of this corpus.

    With ``n_process=2`` and spaCy's default batch of 256 a small corpus goes to one
    process only (STACK.md); about eight batches per process keeps both busy.

    Examples:
        >>> fit_batch_size(120, 2), fit_batch_size(120, 1), fit_batch_size(5, 2)
        (7, 15, 1)
    """
    return max(1, min(32, n_articles // (8 * max(workers, 1))))


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
    pipelines = {"bare": bare, "kg": nlp}
    runs = []
    for round_ in range(config.rounds):
        # the configurations take turns, so a burst of load from other users of the
        # machine hits them alike; each figure is the median over the rounds
        for workers in config.workers:
            for name in PIPELINES:
                run, out = _timed_run(name, pipelines[name], articles, texts, workers)
                run = {"pipeline": name, "workers": workers, "round": round_, **run}
                runs.append(_with_rates(run, len(articles), words))
                if out is not None and workers == 1:
                    graphs = out
                step(f"extraction: {name} x{workers}: {runs[-1]['words_per_s']:,.0f} words/s")
    return _extraction_figures(config, len(articles), words, runs), graphs


def _timed_run(
    name: str, nlp: Any, articles: list[Article], texts: list[str], workers: int
) -> tuple[dict[str, Any], list[ArticleGraph] | None]:
    """Run one pipeline once over the corpus.

    Args:
        name: ``bare`` (``nlp.pipe``) or ``kg`` (``extract_all``).
        nlp: that pipeline (a spaCy ``Language``; typed loosely, kg.bench imports no spaCy).
        articles: the corpus.
        texts: the articles' prepared texts, for the bare model.
        workers: processes.

    Returns:
        The batch size, seconds, cores used and load before; the graphs of a kg run.
    """
    from kg.extract.pipeline import extract_all

    batch = fit_batch_size(len(articles), workers)
    load = os.getloadavg()[0]
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    out = None
    if name == "bare":
        for _ in nlp.pipe(texts, batch_size=batch, n_process=workers):
            pass
    else:
        out = list(extract_all(articles, nlp, workers=workers, batch_size=batch))
    seconds = time.perf_counter() - start
    run = {
        "batch_size": batch,
        "seconds": seconds,
        "cores_used": (cpu_seconds() - cpu0) / seconds,
        "load_before": load,
    }
    return run, out


def _with_rates(run: dict[str, Any], articles: int, words: int) -> dict[str, Any]:
    """One run's record, keys in the order of the report."""
    seconds = run["seconds"]
    return {
        "pipeline": run["pipeline"],
        "workers": run["workers"],
        "round": run["round"],
        "batch_size": run["batch_size"],
        "seconds": seconds,
        "words_per_s": words / seconds,
        "articles_per_s": articles / seconds,
        "cores_used": run["cores_used"],
        "load_before": run["load_before"],
    }


def _extraction_figures(
    config: BenchConfig, articles: int, words: int, runs: list[dict[str, Any]]
) -> dict[str, Any]:
    """The extraction section: the runs, median words/s, kg/bare ratios, speedups."""

    def wps(name: str, workers: int) -> float | None:
        got = [
            float(r["words_per_s"])
            for r in runs
            if r["pipeline"] == name and r["workers"] == workers
        ]
        return statistics.median(got) if got else None

    lo, hi = min(config.workers), max(config.workers)
    return {
        "articles": articles,
        "words": words,
        "runs": runs,
        "median_words_per_s": {
            f"{name} x{w}": wps(name, w) for w in config.workers for name in PIPELINES
        },
        "kg_vs_bare": {str(w): ratio(wps("kg", w), wps("bare", w)) for w in config.workers},
        "speedup": {
            "kg": ratio(wps("kg", hi), wps("kg", lo)),
            "bare": ratio(wps("bare", hi), wps("bare", lo)),
            "workers": [lo, hi],
        },
    }


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

    Raises:
        RuntimeError: a child process failed.
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
        "peak_ratio": ratio(large["peak_mb"], small["peak_mb"]),
        "growth_ratio": ratio(large["growth_mb"], small["growth_mb"]),
    }
