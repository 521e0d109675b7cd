"""Benchmark of extraction: words/s of the kg pipeline against the bare model, and memory.

Stage: bench. Input: generated articles (:mod:`kg.bench.corpus`), the pipeline
(:mod:`kg.extract.nlp`, :mod:`kg.extract.pipeline`); output: the ``extraction`` and
``memory`` sections of the report. Reads the data files the pipeline and corpus read.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

from kg.bench.measure import cpu_seconds, peak_rss_kb, ratio
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.bench.measure import Step
    from kg.bench.suite import BenchConfig
    from kg.model import Article, ArticleGraph

#: The pipelines compared, in the order they run in each round.
PIPELINES = ("bare", "kg")

MEMORY_WHAT = (
    "peak RSS (VmHWM) of a fresh process that builds the pipeline, extracts N "
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
    figures = _extraction_figures(config, len(articles), words, runs)
    step("extraction: each stage of both pipelines, one process")
    figures["stages"] = stage_seconds(pipelines, articles, texts, fit_batch_size(len(articles), 1))
    if config.stages_on:
        from kg.model import Article as _Article
        from kg.read import read_articles

        given = []
        for item in read_articles([config.stages_on]):
            if not isinstance(item, _Article):
                raise item  # an unreadable article: its one-line error
            given.append(item)
        given_texts = [prepare_text(a) for a in given]
        step(f"extraction: each stage on {len(given)} articles of {config.stages_on}")
        for nlp in pipelines.values():  # warm: lazy tables, kg_attributes' table
            for _ in nlp.pipe(given_texts):
                pass
        figures["stages_on"] = {
            "source": config.stages_on,
            "articles": len(given),
            "words": sum(len(t.split()) for t in given_texts),
            **stage_seconds(pipelines, given, given_texts, fit_batch_size(len(given), 1)),
        }
    return figures, graphs


#: The model's components whose output kg reads on every token (the tags, the names)
#: and so must run on every sentence for the output to stay the same.
NEEDED_EVERYWHERE = ("tokenizer", "tok2vec", "tagger", "ner")


def stage_seconds(
    pipelines: dict[str, Any], articles: list[Article], texts: list[str], batch: int
) -> dict[str, Any]:
    """Seconds of each stage of the bare model and of kg, and what they allow at best.

    Each pipeline's components run one after the other over the whole corpus (the
    tokenizer, then each component's ``pipe``), then kg's mentions, resolution and
    relations (``build_graph``); the best of two passes. The ceiling is the bare model's
    time over the time of the model components whose output kg reads on every token
    (:data:`NEEDED_EVERYWHERE`): the most kg could reach with its output unchanged if
    the parser and every stage of its own cost nothing; ``ceiling_free_parser`` adds
    kg's own stages as they are (what kg would reach if only the parser cost nothing).

    Returns:
        ``bare`` and ``kg``: seconds per stage; ``slowest``: kg's slowest stage;
        ``ceiling``: the bound above; ``needed``: the stages it counts; ``kg_own``: the
        seconds of kg's own stages; ``ceiling_free_parser``; ``tokens_in_pair_sentences``
        (:func:`pair_sentence_share`).
    """
    from kg.extract.pipeline import build_graph

    out: dict[str, Any] = {}
    kg_docs: list[Any] = []
    for name, nlp in pipelines.items():
        best: dict[str, float] | None = None
        for _ in range(2):
            got: dict[str, float] = {}
            start = time.perf_counter()
            docs = [nlp.make_doc(t) for t in texts]
            got["tokenizer"] = time.perf_counter() - start
            for comp, proc in nlp.pipeline:
                start = time.perf_counter()
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs, batch_size=batch))
                else:
                    docs = [proc(d) for d in docs]
                got[comp] = time.perf_counter() - start
            if name == "kg":
                start = time.perf_counter()
                for article, doc in zip(articles, docs, strict=True):
                    build_graph(article, doc)
                got["build_graph"] = time.perf_counter() - start
                kg_docs = docs
            if best is None or sum(got.values()) < sum(best.values()):
                best = got
        out[name] = best
    needed = sum(out["bare"].get(c, 0.0) for c in NEEDED_EVERYWHERE)
    own = sum(v for k, v in out["kg"].items() if k not in out["bare"])
    bare = sum(out["bare"].values())
    return {
        **out,
        "slowest": max(out["kg"], key=out["kg"].__getitem__),
        "needed": list(NEEDED_EVERYWHERE),
        "ceiling": ratio(bare, needed),
        "kg_own": own,
        "ceiling_free_parser": ratio(bare, needed + own),
        "tokens_in_pair_sentences": pair_sentence_share(kg_docs),
    }


def pair_sentence_share(docs: list[Any]) -> float | None:
    """The share of tokens in sentences that hold two candidate mentions or more.

    A candidate mention is a name the model found (``doc.ents``) or a span of kg's
    rulers (places, bodies, titles, documents, meetings): a sentence with fewer has no
    relation to find, so these are the tokens the parser would still have to read if
    it ran only where a relation is possible.
    """
    from kg.extract.nlp.components import SPANS_KEY

    pairs = total = 0
    for doc in docs:
        spans = [*doc.ents, *doc.spans.get(SPANS_KEY, [])]
        for sent in doc.sents:
            inside = sum(1 for s in spans if s.start >= sent.start and s.end <= sent.end)
            total += len(sent)
            pairs += len(sent) if inside >= 2 else 0
    return pairs / total if total else None


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
    baseline = peak_rss_kb()
    words = count = 0
    start = time.perf_counter()
    articles = generate_articles(n, seed, sentences=sentences, max_sentence_words=max_words)
    for g in extract_all(articles, nlp):
        words += len(g.article.text.split())
        count += 1
        json.dumps(g.to_dict(), ensure_ascii=False)
    peak = peak_rss_kb()
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
