"""Build: articles in, the persistent knowledge graph updated one article at a time.

Input: article files (through :mod:`kg.read.articles` and :mod:`kg.extract.pipeline`) or ready
ArticleGraphs; output: each article's named graph replaced in the store (see
:mod:`kg.graph.store`), one node per document and meeting across articles
(:mod:`kg.graph.identity`), the ontology graph refreshed, and a :class:`BuildReport`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SDO

from kg.errors import InputError
from kg.graph.identity import Scope, quads_scope, reconcile, scope_of, settle_keys
from kg.graph.layers import ensure_facts
from kg.graph.rdf import ontology_quads, to_quads
from kg.graph.store import KgStore, open_store, term_text
from kg.ids import DEFAULT_BASE, graph_iri, text_hash
from kg.model import Article, ArticleGraph
from kg.vocab import KG, ONTOLOGY_IRI, ontology

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

OnError = Literal["stop", "skip"]

#: The stored text hash and source of one article (both optional); GRAPH names the
#: article's graph IRI itself (as VALUES, Oxigraph would scan every graph).
_STORED = f"""
SELECT ?hash ?source WHERE {{ GRAPH GRAPH_IRI {{
    ?a a <{KG.Article}> .
    OPTIONAL {{ ?a <{SDO.sha256}> ?hash }} OPTIONAL {{ ?a <{KG.source}> ?source }}
}} }}
"""


@dataclass(frozen=True, slots=True)
class StdinOptions:
    """How a build reads ``-``.

    Attributes:
        format: ``auto``, ``txt``, ``html``, ``jsonl`` or ``csv``
            (see :func:`kg.read.articles.read_articles`).
        doc_id: the id of a text or page on stdin; None: only records with an ``id``.
    """

    format: str = "auto"
    doc_id: str | None = None


@dataclass
class BuildReport:
    """What a build did.

    Attributes:
        stored: ``(doc_id, quads)`` for every article written, in order.
        failed: one message per article that could not be read or stored.
        warnings: things that did not stop the build (a repeated document id).
        quads: quads in the whole store afterwards (ontology included).
        seconds: wall-clock time of the build.
    """

    stored: list[tuple[str, int]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quads: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every article was read and stored."""
        return not self.failed

    def summary(self) -> str:
        """Return a one-line summary."""
        text = (
            f"stored {len(self.stored)} article(s); the store holds {self.quads} quads "
            f"({self.seconds:.1f} s)"
        )
        return text + (f"; {len(self.failed)} failed" if self.failed else "")


def _refresh_ontology(store: KgStore) -> None:
    """Store the ontology graph, unless the stored one already equals the file.

    Its owl:unionOf lists are blank nodes, which a reload would renumber: leaving an
    unchanged ontology alone keeps a rebuild's quads exactly the same.
    """
    stored = Graph()
    for s, p, o, _ in store.quads(ONTOLOGY_IRI):
        stored.add((s, p, o))
    if not isomorphic(stored, ontology()):
        store.replace_graph(ONTOLOGY_IRI, ontology_quads())


def _stored_state(store: KgStore, graph: ArticleGraph) -> tuple[bool, str | None]:
    """Whether ``graph``'s id is stored, and how storing it changes the stored article.

    Only a text that differs from the stored one's (by SHA-256) is a replacement: the
    same text again, a new id, or an extraction without its text (``kg load``) is not.

    Returns:
        (the article is stored, what the replacement changes or None).
    """
    sparql = _STORED.replace("GRAPH_IRI", term_text(URIRef(graph_iri(graph.doc_id, store.base))))
    rows = store.query(sparql, union=False).rows
    if not rows:
        return False, None
    if not graph.article.text:
        return True, None
    old, source = rows[0]
    new = text_hash(graph.article.text)
    if old is None or str(old) == new:
        return True, None
    where = f", stored from {source}" if source is not None else ""
    return True, f"text changed: sha256 {str(old)[:12]} -> {new[:12]}{where}"


def ingest(
    graphs: Iterable[ArticleGraph],
    store: KgStore,
    *,
    replace: bool = True,
    on_error: OnError = "stop",
    on_article: Callable[[ArticleGraph, int], None] | None = None,
    report: BuildReport | None = None,
) -> BuildReport:
    """Store extractions one article at a time, each in one transaction.

    An article's quads are all produced before its graph is touched, and the old graph
    is dropped and the new one inserted in one SPARQL update: a failure (or a crash)
    on article N leaves articles 1..N-1 stored and article N as it was before. Then
    the documents and meetings it shares with stored articles are given one node
    (:func:`kg.graph.identity.reconcile`: each graph re-keyed in its own update). A store
    built before the fact layer gets its fact graph first
    (:func:`kg.graph.layers.ensure_facts`), so what is added joins a complete one.

    Args:
        graphs: extractions, e.g. :func:`kg.extract.pipeline.extract_all` output.
        store: an open, writable store.
        replace: an article whose id is stored with another text replaces it (saying
            so in ``report.warnings``, with both texts' SHA-256); False refuses it
            (``report.failed``) and keeps the stored one.
        on_error: for an article whose extraction cannot be turned into RDF (unknown
            predicate, dangling entity id): ``stop`` raises, ``skip`` reports it in
            the returned report and goes on. Store errors always stop.
        on_article: called after each stored article with it and its quad count
            (progress bars).
        report: a report to add to (:func:`build` passes its own).

    Returns:
        The report.

    Raises:
        ValueError: with ``on_error="stop"``, an extraction that is not valid RDF.
        StoreError: the store cannot be written.
    """
    report = report if report is not None else BuildReport()
    start = time.perf_counter()
    ensure_facts(store)
    _refresh_ontology(store)
    seen: dict[str, str] = {doc: doc for doc, _ in report.stored}
    for graph in graphs:
        doc = graph.doc_id
        try:
            quads = list(to_quads(settle_keys(graph), store.base))
        except ValueError as err:
            if on_error == "stop":
                raise
            where = graph.article.source or doc
            report.failed.append(f"{where}: {err}")
            log.info("%s: not stored: %s", where, err)
            continue
        if doc in seen:
            where = graph.article.source or doc
            report.failed.append(
                f"{where}: id {doc!r} is already stored by this run (from {seen[doc]}); "
                "not stored again: rename one of them"
            )
            continue
        stored, changed = _stored_state(store, graph)
        if changed and not replace:
            report.failed.append(
                f"{doc}: already stored with another text ({changed}); not replaced (--no-replace)"
            )
            continue
        if changed:
            report.warnings.append(f"{doc}: replaced the stored article ({changed})")
        before = scope_of(store, doc) if stored else Scope()
        count = store.replace_article(doc, quads)
        reconcile(store, before | quads_scope(quads, store.base))
        seen[doc] = graph.article.source or doc
        report.stored.append((doc, count))
        if on_article is not None:
            on_article(graph, count)
    report.quads = store.quad_count()
    report.seconds += time.perf_counter() - start
    return report


def build(
    paths: Iterable[str | Path],
    store_dir: str | Path,
    nlp: Language,
    *,
    date: str | None = None,
    workers: int = 1,
    base: str = DEFAULT_BASE,
    on_error: OnError = "skip",
    on_article: Callable[[ArticleGraph, int], None] | None = None,
    replace: bool = True,
    stdin: StdinOptions | None = None,
    on_input_error: Callable[[InputError], None] | None = None,
) -> BuildReport:
    """Read articles, extract their graphs and store each one in the store directory.

    Unreadable inputs are reported and skipped; the others are processed. Building
    the same articles twice leaves the store with exactly the same quads. Articles on
    stdin need an id (``stdin.doc_id``, or each record's own ``id``): a fixed one would
    silently replace the previous stdin article.

    Args:
        paths: article files or directories (anything :func:`kg.read.articles.read_articles`
            takes).
        store_dir: the store directory (created if missing).
        nlp: the pipeline from :func:`kg.extract.nlp.build_nlp`.
        date: the article date to assume when a text states none.
        workers: spaCy processes.
        base: base IRI of the graph.
        on_error: see :func:`ingest`.
        on_article: progress callback, see :func:`ingest`.
        replace: see :func:`ingest` (False: ``kg build --no-replace``).
        stdin: how to read ``-``: its format and the id of a text on it.
        on_input_error: called with each unreadable input as it is met (so a long
            run shows it at once); every one is also in ``report.failed``.

    Returns:
        The report (``report.ok`` is False if any input failed).

    Raises:
        StoreError: the store cannot be opened or written.
    """
    from kg.extract.pipeline import extract_all
    from kg.read.articles import read_articles

    report = BuildReport()
    start = time.perf_counter()

    def readable() -> Iterator[Article]:
        stdin_opts = stdin or StdinOptions()
        items = read_articles(
            [str(p) for p in paths],
            date=date,
            stdin_format=stdin_opts.format,
            stdin_id=stdin_opts.doc_id,
        )
        for item in items:
            if isinstance(item, InputError):
                report.failed.append(str(item))
                log.info("%s", item)
                if on_input_error is not None:
                    on_input_error(item)
            else:
                yield item

    with open_store(store_dir, base=base) as store:
        ingest(
            extract_all(readable(), nlp, workers=workers),
            store,
            on_error=on_error,
            on_article=on_article,
            report=report,
            replace=replace,
        )
        store.optimize()  # drops the write-ahead log: two thirds of the disk after a build
    report.seconds = time.perf_counter() - start
    return report
