"""Pure helpers both stores share: SPARQL text, parameter binding, the replace update.

Stage: graph. Input: SPARQL text, rdflib terms and quads; output: SPARQL text and rdflib
Datasets. No backend here: the N-Triples text of a term comes in as a function (the local
store's, which Oxigraph writes and checks). Reads no data files.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Iterable

from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.graph.facts import fact_quads, is_article_graph, retract_update
from kg.graph.store.protocol import Bindings, Quad, Store
from kg.vocab import FACTS_IRI, KG, PREFIXES

#: N-Triples text of one rdflib term.
TermText = Callable[[Node], str]

#: The stored articles: named graph and doc id, in doc id order.
ARTICLES = f"""
SELECT ?g ?doc WHERE {{ GRAPH ?g {{ ?a a <{KG.Article}> ; <{KG.docId}> ?doc }} }} ORDER BY ?doc
"""

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_WORD = re.compile(r"[A-Za-z]+")


def where_group(sparql: str) -> int:
    """Return the offset of the ``{`` that opens the query's WHERE clause.

    Comments, IRIs and strings are skipped; for CONSTRUCT the template group is passed.

    Raises:
        QueryError: the query has no WHERE clause.

    Examples:
        >>> where_group("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        29
    """
    i, depth, word, form, template_done = 0, 0, "", "", False
    while i < len(sparql):
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = len(sparql) if end < 0 else end
            continue
        m = (_IRIREF.match(sparql, i) if c == "<" else None) or (
            _STRING.match(sparql, i) if c in "\"'" else None
        )
        if m:
            i = m.end()
            continue
        if depth == 0 and (w := _WORD.match(sparql, i)):
            word = w.group().upper()
            if not form and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            i = w.end()
            continue
        if c == "{":
            if depth == 0 and (form != "CONSTRUCT" or word == "WHERE" or template_done):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
            template_done = template_done or depth == 0
        i += 1
    raise QueryError("query: no WHERE clause to bind parameters in")


def bind_with(sparql: str, bindings: Bindings, term: TermText) -> str:
    """Return the query with ``VALUES`` for the bound variables opening its WHERE clause.

    Args:
        sparql: the query.
        bindings: variable name -> RDF term.
        term: writes one term as N-Triples text (never user text pasted in).
    """
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term(value) for value in bindings.values())
    at = where_group(sparql) + 1
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}{sparql[at:]}"


def replace_update(
    graph: str, quads: Iterable[Quad], term: TermText, base: str | None = None
) -> tuple[str, int]:
    """Return the one SPARQL update that replaces ``graph`` with ``quads``, and their count.

    With ``base`` and an article graph (:func:`kg.graph.facts.is_article_graph`), the same
    update keeps the fact layer exact: the old graph's share is retracted before it is
    dropped, and the new graph's facts are added (:mod:`kg.graph.facts`).

    Raises:
        ValueError: a quad belongs to another graph.
    """
    lines = []
    seen = set()
    kept: list[Quad] = []
    for s, p, o, g in quads:
        if str(g) != graph:
            raise ValueError(f"quad in graph {g}, expected {graph}")
        triple = (s, p, o)
        if triple in seen:
            continue
        seen.add(triple)
        kept.append((s, p, o, g))
        lines.append(f"{term(s)} {term(p)} {term(o)} .")
    g_iri = term(URIRef(graph))
    facts = base is not None and is_article_graph(graph, base)
    update = f"{retract_update(g_iri)} ;\n" if facts else ""
    update += f"DROP SILENT GRAPH {g_iri}"
    if lines:
        update += f" ;\nINSERT DATA {{ GRAPH {g_iri} {{\n" + "\n".join(lines) + "\n} }"
    if facts and base is not None:
        fact_lines = dict.fromkeys(
            f"{term(s)} {term(p)} {term(o)} ." for s, p, o, _ in fact_quads(kept, base)
        )
        if fact_lines:
            update += f" ;\nINSERT DATA {{ GRAPH <{FACTS_IRI}> {{\n" + "\n".join(fact_lines)
            update += "\n} }"
    return update, len(lines)


def remove_update(graph: str, term: TermText) -> str:
    """Return the one SPARQL update that removes an article graph and its share of the facts."""
    g_iri = term(URIRef(graph))
    return f"{retract_update(g_iri)} ;\nDROP SILENT GRAPH {g_iri}"


def over(deadline: float | None) -> bool:
    """Tell whether a :func:`time.monotonic` deadline (None: none) has passed."""
    return deadline is not None and time.monotonic() > deadline


def article_ids(store: Store) -> list[str]:
    """Return the ids of the articles in ``store``, sorted (see :data:`ARTICLES`)."""
    return [str(row[1]) for row in store.query(ARTICLES, union=False).rows]


def article_quads(store: Store, doc_id: str, where: str) -> int:
    """Return the number of quads of a stored article, before it is removed.

    Raises:
        StoreError: no such article in the store (``where`` names the store).
    """
    count = store.quad_count(doc_id)
    if count == 0:
        stored = store.articles()
        if doc_id not in stored:
            raise StoreError(f"{where}: no article {doc_id!r} in the store{_hint(doc_id, stored)}")
    return count


def _hint(doc_id: str, stored: list[str]) -> str:
    """Name the stored ids that ``doc_id`` may have meant, for the error message.

    Examples:
        >>> _hint("report", ["other.txt", "report.html", "report.txt"])
        "; did you mean 'report.html' or 'report.txt'?"
        >>> _hint("x", [])
        '; the store holds no articles'
    """
    if not stored:
        return "; the store holds no articles"
    folded = doc_id.casefold()
    near = [d for d in stored if d.casefold().rsplit(".", 1)[0] == folded]
    near += [d for d in stored if d.casefold() == folded and d not in near]
    near += [d for d in difflib.get_close_matches(doc_id, stored, n=3) if d not in near]
    if not near:
        return f"; none of its {len(stored)} article id(s) is close to it"
    return "; did you mean " + " or ".join(repr(d) for d in near[:3]) + "?"


def to_dataset(quads: Iterable[Quad]) -> Dataset:
    """Return the quads as an in-memory rdflib Dataset with the kg prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for s, p, o, g in quads:
        target = ds.default_graph if g is None else ds.graph(URIRef(str(g)))
        target.add((s, p, o))
    return ds
