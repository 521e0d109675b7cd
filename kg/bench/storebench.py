"""Benchmark of the store: build throughput, and the ~1M-quad stores the queries run on.

Stage: bench. Input: extracted graphs (build) or synthetic ones (:mod:`kg.bench.corpus`),
:func:`kg.graph.rdf.to_quads` and the store (:mod:`kg.graph.store`); output: the ``build``
section of the report, and the Oxigraph and rdflib stores of :mod:`kg.bench.queries`.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.vocab import ENTITY_TYPES

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.bench.measure import Step
    from kg.model import ArticleGraph

#: The entity types whose popular and typical members the queries are asked about.
_TYPES = ENTITY_TYPES


def _renamed(graph: ArticleGraph, suffix: str) -> ArticleGraph:
    """The graph under a new doc id, so storing it again adds an article."""
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
        store.optimize()  # as kg build ends: the write-ahead log is not the store
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
        "disk_bytes_per_article": size / stored if stored else None,
    }


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


def build_query_stores(
    triples: int, seed: int, workdir: Path, step: Step, with_rdflib: bool = True
) -> tuple[Path, Dataset | None, dict[str, Any]]:
    """Make the same ~``triples``-quad graph in Oxigraph (on disk) and in rdflib (memory).

    Synthetic article graphs (:func:`kg.bench.corpus.synthetic_graph`) go through
    :func:`kg.graph.rdf.to_quads` and :func:`kg.graph.facts.fact_quads`, with the
    ontology graph, into both stores. A third store, the *deduplicated copy*
    (``<workdir>/query-store-dedup``), holds the same data with each fact once: the fact
    graph, the ontology and the article graphs without the triples the fact graph
    copies. It is the engine's limit for this data: what the same query costs when no
    article repeats a fact.

    Args:
        triples: about how many quads to make.
        seed: corpus seed.
        workdir: where the stores go.
        step: progress.
        with_rdflib: also fill the rdflib Dataset (False at sizes that do not fit memory).

    Returns:
        The Oxigraph store directory (closed), the rdflib Dataset (union default graph;
        None without rdflib) and facts about them: quads, load seconds, popular and
        typical entities, the deduplicated copy's path and size.
    """
    from rdflib import Dataset, URIRef

    from kg.bench.corpus import synthetic_graph
    from kg.graph.facts import fact_quads
    from kg.graph.rdf import AnyQuad, ontology_quads, to_quads
    from kg.graph.store import open_store
    from kg.ids import entity_iri

    path = workdir / "query-store"
    dedup_path = workdir / "query-store-dedup"
    for p in (path, dedup_path):
        shutil.rmtree(p, ignore_errors=True)
    ds = Dataset(default_union=True) if with_rdflib else None
    counts: Counter[tuple[str, str]] = Counter()
    ox_s = rdflib_s = gen_s = 0.0
    n = i = 0
    pending: list[Any] = []
    pending_dedup: list[Any] = []
    with open_store(path) as store, open_store(dedup_path) as dedup:
        shared = entity_iri("", store.base)

        def flush() -> float:
            start = time.perf_counter()
            store.bulk_load(pending)
            pending.clear()
            took = time.perf_counter() - start
            dedup.bulk_load(pending_dedup)
            pending_dedup.clear()
            return took

        onto = list(ontology_quads())
        pending.extend(onto)
        pending_dedup.extend(onto)
        start = time.perf_counter()
        if ds is not None:
            ds.addN((s, p, o, ds.graph(URIRef(str(g)))) for s, p, o, g in onto)
        rdflib_s += time.perf_counter() - start
        while n < triples:
            start = time.perf_counter()
            g = synthetic_graph(i, seed)
            own = list(dict.fromkeys(to_quads(g, store.base)))
            # the fact layer, as kg build keeps it
            facts = list(fact_quads(own, store.base))
            quads: list[AnyQuad] = [*own, *facts]
            gen_s += time.perf_counter() - start
            counts.update({(e.type, e.key) for e in g.entities})
            pending.extend(quads)
            pending_dedup.extend(q for q in own if not str(q[0]).startswith(shared))
            pending_dedup.extend(facts)
            if len(pending) >= 200_000:
                ox_s += flush()
            start = time.perf_counter()
            if ds is not None:
                ds.addN((s, p, o, ds.graph(URIRef(str(c)))) for s, p, o, c in quads)
            rdflib_s += time.perf_counter() - start
            n += len(quads)
            i += 1
            if i % 100 == 0:
                step(f"query store: {n:,} quads")
        ox_s += flush()
        quads_total = store.quad_count()
        dedup_total = dedup.quad_count()
    with open_store(path, read_only=True) as store:
        size = store.disk_size()
    facts_out = {
        "articles": i,
        "quads": quads_total,
        "generate_s": gen_s,
        "load_s": {"oxigraph": ox_s, "rdflib": rdflib_s if ds is not None else None},
        "disk_bytes": size,
        "dedup_store": str(dedup_path),
        "dedup_quads": dedup_total,
        "popular": {t: _ranked(counts, t, typical=False) for t in _TYPES},
        "typical": {t: _ranked(counts, t, typical=True) for t in _TYPES},
    }
    return path, ds, facts_out
