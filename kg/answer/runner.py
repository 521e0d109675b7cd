"""Answer stage, running a bound question one page at a time.

Input: a question's SPARQL text (or the name of its engine, ``# engine:`` in its header),
its bound parameters and a page (limit, offset); output: that page of rows as a
:class:`kg.graph.store.QueryResult` whose ``truncated`` says more rows follow. Reads no
data files.

SPARQL questions get ``LIMIT``/``OFFSET`` written into their text, so the engine can stop
early; a question with its own LIMIT keeps the smaller. A question whose answer SPARQL
cannot give fast (``shortest_chain``) names an engine of :data:`ENGINES` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from rdflib.term import Node

from kg.answer.chain import shortest_chains
from kg.errors import QueryError
from kg.graph.store import KgStore, QueryResult
from kg.graph.store.common import sparql_tokens

#: Rows per page when a page is asked for without a size (``kg query`` does by default).
DEFAULT_PAGE = 100
#: The parameters that choose the page (``-p limit=20 -p offset=40``), not a variable.
PAGE_PARAMS = ("limit", "offset")

#: An engine: (store, bindings, limit, offset) -> that page of rows.
Engine = Callable[[KgStore, Mapping[str, Node], int | None, int], QueryResult]


def _chain(store: KgStore, b: Mapping[str, Node], limit: int | None, offset: int) -> QueryResult:
    if "person" not in b or "other" not in b:
        raise QueryError("shortest_chain: give ?person and ?other")
    return shortest_chains(store, b["person"], b["other"], limit, offset)


#: Engines a question may name in its ``# engine:`` header line; ``sparql`` runs its text.
ENGINES: dict[str, Engine] = {"chain": _chain}


class _Tail(NamedTuple):
    """The top level of a query: its form, its LIMIT/OFFSET clauses, where VALUES starts."""

    form: str
    clauses: list[tuple[str, int, int, int]]  # keyword, start, end, value
    values_at: int | None


def _tail(sparql: str) -> _Tail:
    """Scan the query's top level (comments, IRIs, strings and groups skipped)."""
    depth, form, values_at = 0, "", None
    clauses: list[tuple[str, int, int, int]] = []
    tokens = list(sparql_tokens(sparql))
    for k, (at, tok) in enumerate(tokens):
        if tok in ("{", "}"):
            depth += 1 if tok == "{" else -1
            continue
        word = tok.upper()
        if depth or not tok[0].isalpha():
            continue
        if not form and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = word
        elif word in ("LIMIT", "OFFSET") and k + 1 < len(tokens):
            n_at, n = tokens[k + 1]
            # the clause's number follows after white space only
            if n.isdigit() and not sparql[at + len(tok) : n_at].strip():
                clauses.append((word, at, n_at + len(n), int(n)))
        elif word == "VALUES" and form:
            values_at = at
    return _Tail(form, clauses, values_at)


def paged_sparql(sparql: str, limit: int | None, offset: int = 0) -> str:
    r"""Return a SELECT with the page's LIMIT and OFFSET; other forms unchanged.

    The page is taken from the question's own rows: with its own ``LIMIT L OFFSET O``,
    rows ``O + offset`` to at most ``O + L``. The LIMIT written is ``limit + 1``: the
    extra row tells that more follow (:func:`execute` drops it).

    Examples:
        >>> paged_sparql("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 10, 20)
        'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\nLIMIT 11 OFFSET 20\n'
        >>> paged_sparql("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50 # fifty", 100, 40)
        'SELECT ?s WHERE { ?s ?p ?o }  # fifty\nLIMIT 10 OFFSET 40\n'
        >>> paged_sparql("ASK { ?s ?p ?o }", 10)
        'ASK { ?s ?p ?o }'
    """
    tail = _tail(sparql)
    if tail.form != "SELECT" or (limit is None and not offset):
        return sparql
    own = {word: value for word, _, _, value in tail.clauses}
    rows = [] if limit is None else [limit + 1]
    if "LIMIT" in own:
        rows.append(max(own["LIMIT"] - offset, 0))
    for _, start, end, _ in reversed(tail.clauses):
        sparql = sparql[:start] + sparql[end:]
        if tail.values_at is not None and tail.values_at > start:
            tail = tail._replace(values_at=tail.values_at - (end - start))
    clause = (f"LIMIT {min(rows)} " if rows else "") + f"OFFSET {own.get('OFFSET', 0) + offset}"
    if tail.values_at is None:
        return f"{sparql}\n{clause}\n"
    return f"{sparql[: tail.values_at]}{clause}\n{sparql[tail.values_at :]}"


def page_params(
    values: Mapping[str, str], limit: int | None, offset: int
) -> tuple[dict[str, str], int | None, int]:
    """Take ``limit`` and ``offset`` out of a question's parameters; they beat the defaults.

    A limit of 0 means every row.

    Raises:
        QueryError: not a whole number, or a negative one.

    Examples:
        >>> page_params({"person": "An", "limit": "20"}, 100, 0)
        ({'person': 'An'}, 20, 0)
        >>> page_params({"limit": "0", "offset": "5"}, 100, 0)
        ({}, None, 5)
    """
    rest = {k: v for k, v in values.items() if k.lstrip("?") not in PAGE_PARAMS}
    given = {k.lstrip("?"): v for k, v in values.items() if k.lstrip("?") in PAGE_PARAMS}
    page = {"limit": limit or 0, "offset": offset}
    for name, text in given.items():
        if not text.strip().isdigit():
            raise QueryError(f"{name} must be a whole number of rows, not {text!r}")
        page[name] = int(text)
    if page["limit"] < 0 or page["offset"] < 0:
        raise QueryError("limit and offset must not be negative")
    return rest, page["limit"] or None, page["offset"]


def execute(
    store: KgStore,
    sparql: str,
    bindings: Mapping[str, Node],
    engine: str = "sparql",
    limit: int | None = None,
    offset: int = 0,
) -> QueryResult:
    """Run a bound question and return one page of its rows.

    Args:
        store: an open store.
        sparql: the question's SPARQL text.
        bindings: its parameters as RDF terms.
        engine: ``sparql``, or a name of :data:`ENGINES` that answers instead of the text.
        limit: rows at most (None: every row).
        offset: rows skipped first.

    Returns:
        The page; ``truncated`` when more rows follow it.

    Raises:
        QueryError: an unknown engine, bad SPARQL.
    """
    if engine != "sparql":
        if engine not in ENGINES:
            raise QueryError(f"unknown engine {engine!r}; expected sparql or {', '.join(ENGINES)}")
        return ENGINES[engine](store, bindings, limit, offset)
    if _tail(sparql).form != "SELECT":  # an ASK has no rows; CONSTRUCT is not paged
        return store.query(sparql, bindings)
    return store.query(paged_sparql(sparql, limit, offset), bindings, limit=limit)


def page_note(name: str, result: QueryResult, offset: int = 0) -> str:
    """Say which rows a page shows and, when more follow, how to get them.

    Examples:
        >>> from rdflib import Literal
        >>> rows = [(Literal(i),) for i in range(100)]
        >>> page = QueryResult("select", ("n",), rows, truncated=True)
        >>> page_note("q", page, 100)
        'q: rows 101-200 shown, more follow (next page: --offset 200; every row: --all)'
        >>> page_note("q", QueryResult("select", ("n",), []), 0)
        'q: 0 row(s)'
    """
    shown = len(result.rows) if result.kind == "select" else len(result.triples)
    if not result.truncated:
        if offset and not shown:
            return f"{name}: no rows at offset {offset}"
        span = f" (rows {offset + 1}-{offset + shown})" if offset else ""
        return f"{name}: {shown} row(s){span}"
    last = offset + shown
    return (
        f"{name}: rows {offset + 1}-{last} shown, more follow "
        f"(next page: --offset {last}; every row: --all)"
    )
