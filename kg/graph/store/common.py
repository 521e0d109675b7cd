"""Pure helpers both stores share: SPARQL text, parameter binding, the replace update.

Stage: graph. Input: SPARQL text, rdflib terms and quads; output: SPARQL text and rdflib
Datasets. No backend here: the N-Triples text of a term comes in as a function (the local
store's, which Oxigraph writes and checks). Reads no data files.
"""

from __future__ import annotations

import difflib
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator

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
_VAR = re.compile(r"[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+")
#: A keyword or a name (a prefixed name whole, so ``ex:LIMIT`` is no LIMIT), or an integer.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?::[\w.-]*)?|\d+")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def where_group(sparql: str) -> int:
    """Return the offset of the ``{`` that opens the query's WHERE clause.

    Comments, IRIs and strings are skipped (:func:`sparql_tokens`); for CONSTRUCT the
    template group is passed.

    Raises:
        QueryError: the query has no WHERE clause.

    Examples:
        >>> where_group("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        29
    """
    depth, word, form, template_done = 0, "", "", False
    for i, tok in sparql_tokens(sparql):
        if tok == "{":
            if depth == 0 and (form != "CONSTRUCT" or word == "WHERE" or template_done):
                return i
            depth += 1
        elif tok == "}":
            depth -= 1
            template_done = template_done or depth == 0
        elif depth == 0 and tok[0].isalpha():
            word = tok.upper()
            if not form and word in _FORMS:
                form = word
    raise QueryError("query: no WHERE clause to bind parameters in")


def bind_with(sparql: str, bindings: Bindings, term: TermText) -> str:
    """Return the query with ``VALUES`` for the bound variables opening its WHERE clauses.

    The query's own WHERE clause gets every binding, as rdflib's ``initBindings`` do.
    A subquery's WHERE clause also gets the bindings of the variables it projects as
    plain variables (``SELECT ?body (COUNT(*) AS ?n)``: ``?body``), which are the same
    variables as outside it: the subquery then computes only the bound case instead of
    every case joined afterwards. A subquery with LIMIT or OFFSET (whose rows would
    change), ``SELECT *``, and a variable the subquery assigns with ``AS`` are left as
    they are, and so is everything inside them.

    Args:
        sparql: the query.
        bindings: variable name -> RDF term.
        term: writes one term as N-Triples text (never user text pasted in).

    Examples:
        >>> text = lambda t: f"<{t}>"
        >>> bind_with("SELECT * { { SELECT ?b { ?b ?p ?o } } }", {"b": "x:b"}, text)
        'SELECT * { VALUES (?b) { (<x:b>) } { SELECT ?b { VALUES (?b) { (<x:b>) } ?b ?p ?o } } }'
    """
    if not bindings:
        return sparql
    out = sparql
    for pos, names in _insert_points(sparql, tuple(bindings)):
        variables = " ".join(f"?{name}" for name in names)
        values = " ".join(term(bindings[name]) for name in names)
        out = f"{out[:pos]} VALUES ({variables}) {{ ({values}) }}{out[pos:]}"
    return out


@functools.lru_cache(maxsize=256)  # the library's and the builder's few query texts
def _insert_points(sparql: str, names: tuple[str, ...]) -> tuple[tuple[int, list[str]], ...]:
    """Where :func:`bind_with` opens VALUES in a query, last first, and for which names."""
    at = where_group(sparql) + 1
    inserts = [(at, list(names))]
    inserts += _subquery_inserts(sparql, at, set(names))
    return tuple(sorted(inserts, reverse=True))


def sparql_tokens(sparql: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, token)``: braces, parentheses, ``*``, words, integers, variables.

    The one lexical scan of SPARQL text that binding and paging share: comments, IRIs
    and strings are skipped, a prefixed name is one word, and ``$v`` is given as ``?v``.

    Examples:
        >>> [t for _, t in sparql_tokens('SELECT ?a { ?a <x:y> "}" } # }')]
        ['SELECT', '?a', '{', '?a', '}']
        >>> [t for _, t in sparql_tokens("SELECT $n { ?n ex:LIMIT 3 } LIMIT 10")]
        ['SELECT', '?n', '{', '?n', 'ex:LIMIT', '3', '}', 'LIMIT', '10']
    """
    i = start
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
        elif w := _VAR.match(sparql, i) or _WORD.match(sparql, i):
            yield i, w.group().replace("$", "?", 1)
            i = w.end()
        else:
            if c in "{}()*":
                yield i, c
            i += 1


def _subquery_inserts(sparql: str, start: int, names: set[str]) -> list[tuple[int, list[str]]]:
    """Where each subquery's WHERE clause opens, and the bound variables it projects.

    Args:
        sparql: the query.
        start: the offset just after the ``{`` of the query's WHERE clause.
        names: the bound variables.
    """
    tokens = list(sparql_tokens(sparql, start))
    close: dict[int, int] = {}
    stack: list[int] = []
    for k, (_, tok) in enumerate(tokens):
        if tok == "{":
            stack.append(k)
        elif tok == "}" and stack:
            close[stack.pop()] = k
    inserts: list[tuple[int, list[str]]] = []

    def visit(first: int, last: int, scope: set[str]) -> None:
        k = first
        while k < last:
            if tokens[k][1] != "{" or k not in close:
                k += 1
                continue
            end = close[k]
            if k + 1 < end and tokens[k + 1][1].upper() == "SELECT":
                found = _subselect(tokens, k + 1, end, close)
                if found is not None:
                    where, plain = found
                    inner = [n for n in sorted(scope) if n in plain]
                    if inner:
                        inserts.append((tokens[where][0] + 1, inner))
                    visit(where + 1, close[where], set(inner))
            elif scope:
                visit(k + 1, end, scope)
            k = end + 1

    # the top-level WHERE group ends at the last "}" that closes it (unmatched in tokens)
    visit(0, len(tokens), names)
    return inserts


def _subselect(
    tokens: list[tuple[int, str]], select: int, end: int, close: dict[int, int]
) -> tuple[int, set[str]] | None:
    """The WHERE group's token index and the plain projected variables of a subquery.

    None when its bindings must not be touched: LIMIT or OFFSET after its WHERE clause,
    or ``SELECT *``.
    """
    plain: set[str] = set()
    assigned: set[str] = set()
    depth = 0
    k = select + 1
    while k < end and not (tokens[k][1] == "{" and depth == 0):
        tok = tokens[k][1]
        depth += {"(": 1, ")": -1}.get(tok, 0)
        if tok == "*" and depth == 0:
            return None
        if tok.startswith("?") and depth == 0:
            plain.add(tok[1:])
        k += 1
    if k >= end or k not in close:
        return None
    modifiers = [t.upper() for _, t in tokens[close[k] + 1 : end]]
    if "LIMIT" in modifiers or "OFFSET" in modifiers:
        return None
    for j in range(select, end):  # variables assigned inside: BIND, GROUP BY (... AS ?v)
        if tokens[j][1].upper() == "AS" and j + 1 < end and tokens[j + 1][1].startswith("?"):
            assigned.add(tokens[j + 1][1][1:])
    return k, plain - assigned


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
