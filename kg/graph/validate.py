"""Validation: SHACL shapes checked against each article's named graph with pyshacl.

Input: the store (or ArticleGraphs), ``kg/data/shapes/kg-shapes.ttl`` (article graphs),
``kg/data/shapes/fact-shapes.ttl`` (the fact graph) and the ontology
``kg/data/ontology/kg.ttl`` (domains and ranges are read from it); output: a report of
violations and warnings naming the article, the node, the property and the problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.graph.layers import FactState, fact_drift, fact_state, upgrade_hint
from kg.graph.rdf import PREFIXES, to_quads
from kg.graph.store import KgStore
from kg.ids import DEFAULT_BASE
from kg.model import ArticleGraph
from kg.resources import load_turtle
from kg.vocab import FACTS_IRI, KG, ontology

log = logging.getLogger(__name__)

SHAPES_FILE = "shapes/kg-shapes.ttl"
FACT_SHAPES_FILE = "shapes/fact-shapes.ttl"
#: The name the fact graph's issues go under, in place of an article id.
FACTS_DOC = "(fact graph)"


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """Parse the SHACL shapes once per process.

    Raises:
        DataFileError: the shapes file is missing or not valid Turtle.
    """
    return load_turtle(SHAPES_FILE, "shapes file")


@lru_cache(maxsize=1)
def fact_shapes() -> Graph:
    """Parse the fact graph's SHACL shapes once per process.

    Raises:
        DataFileError: the shapes file is missing or not valid Turtle.
    """
    return load_turtle(FACT_SHAPES_FILE, "shapes file")


@dataclass(frozen=True, slots=True)
class Issue:
    """One SHACL result.

    Attributes:
        doc: the article whose graph it was found in.
        severity: ``Violation``, ``Warning`` or ``Info``.
        focus: the node that fails (prefixed where a prefix is known).
        path: the property concerned, if any.
        value: the offending value, if any.
        message: what is wrong.
    """

    doc: str
    severity: str
    focus: str
    path: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}".strip()
        value = f" (value {self.value})" if self.value else ""
        return f"{self.doc}: {self.severity}: {where}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of validating articles' graphs.

    Attributes:
        articles: how many article graphs were checked.
        issues: every violation and warning, in article order (the fact graph's last).
        facts: whether the fact graph was checked too.
    """

    articles: int = 0
    facts: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def violations(self) -> list[Issue]:
        """The issues that make the graph invalid (warnings excluded)."""
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        """True when no article graph has a violation."""
        return not self.violations

    def text(self) -> str:
        """Return one line per issue, then a summary line."""
        lines = [str(i) for i in self.issues]
        warnings = len(self.issues) - len(self.violations)
        verdict = "conforms" if self.conforms else "does not conform"
        facts = " and the fact graph" if self.facts else ""
        lines.append(
            f"{self.articles} article graph(s){facts} checked: {len(self.violations)} "
            f"violation(s), {warnings} warning(s); the graph {verdict}"
        )
        return "\n".join(lines) + "\n"


def _short(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return str(node)


def validate_graph(data: Graph, doc: str, shape_graph: Graph | None = None) -> list[Issue]:
    """Validate one article's graph (the ontology is added for the domain/range checks).

    Args:
        data: the triples of one article's named graph.
        doc: the article id, for the messages.
        shape_graph: the shapes (default: :func:`shapes`, an article graph's).

    Returns:
        The SHACL results, violations first.
    """
    from pyshacl import validate as shacl_validate

    combined = Graph()
    for prefix, ns in PREFIXES.items():
        combined.bind(prefix, ns)
    for triple in data:
        combined.add(triple)
    for triple in ontology():
        combined.add(triple)
    _, results, _ = shacl_validate(
        combined,
        shacl_graph=shape_graph if shape_graph is not None else shapes(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    issues = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        issues.append(
            Issue(
                doc=doc,
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=_short(combined, results.value(result, SH.focusNode)),
                path=_short(combined, results.value(result, SH.resultPath)),
                value=_short(combined, results.value(result, SH.value)),
                message=str(results.value(result, SH.resultMessage) or "constraint not met"),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(issues, key=lambda i: (order.get(i.severity, 3), i.focus, i.path, i.message))


def _article_graphs(store: KgStore) -> Iterator[tuple[str, Graph]]:
    docs = {
        str(row[0]): str(row[1])
        for row in store.query(
            f"SELECT ?g ?doc WHERE {{ GRAPH ?g {{ ?a a <{KG.Article}> ; <{KG.docId}> ?doc }} }}",
            union=False,
        ).rows
    }
    for g_iri, doc in sorted(docs.items(), key=lambda kv: kv[1]):
        graph = Graph()
        for s, p, o, _ in store.quads(g_iri):
            graph.add((s, p, o))
        yield doc, graph


def validate_store(store: KgStore) -> ValidationReport:
    """Validate every article graph in the store, then the fact graph.

    The fact graph is checked against its shapes (:func:`fact_shapes`) and against a
    recomputation from the article graphs (:func:`kg.graph.layers.fact_drift`); a store
    built before the fact layer gets one violation saying how to upgrade it.

    Args:
        store: an open store.

    Returns:
        The report; ``report.conforms`` is False if any article, or the fact graph, has
        a violation.
    """
    report = ValidationReport()
    for doc, graph in _article_graphs(store):
        report.articles += 1
        report.issues.extend(validate_graph(graph, doc))
    report.issues.extend(_fact_issues(store))
    report.facts = True
    return report


def _fact_issues(store: KgStore) -> list[Issue]:
    """The fact graph's problems: missing, half rebuilt, off its shapes or off the articles."""

    def violation(message: str) -> Issue:
        return Issue(FACTS_DOC, "Violation", f"<{FACTS_IRI}>", "", "", message)

    state = fact_state(store)
    if state is not FactState.CURRENT:
        what = "is missing" if state is FactState.MISSING else "was not rebuilt to the end"
        return [violation(f"the fact graph {what}: run {upgrade_hint(store)}")]
    graph = Graph()
    for s, p, o, _ in store.quads(FACTS_IRI):
        graph.add((s, p, o))
    issues = validate_graph(graph, FACTS_DOC, fact_shapes()) if len(graph) else []
    extra, missing = fact_drift(store)
    if extra or missing:
        issues.append(
            violation(
                f"the fact graph differs from its recomputation from the article graphs "
                f"({extra} extra, {missing} missing triple(s)): run {upgrade_hint(store)}"
            )
        )
    return issues


def validate_graphs(graphs: Iterable[ArticleGraph], base: str = DEFAULT_BASE) -> ValidationReport:
    """Validate extractions before (or without) storing them.

    Args:
        graphs: extractions of articles.
        base: base IRI.

    Returns:
        The report, as :func:`validate_store` gives it.
    """
    report = ValidationReport()
    for ag in graphs:
        graph = Graph()
        for s, p, o, _ in to_quads(ag, base):
            graph.add((s, p, o))
        report.articles += 1
        report.issues.extend(validate_graph(graph, ag.doc_id))
    return report
