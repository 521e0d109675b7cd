"""Binding parameters: VALUES open the WHERE clause and the subqueries that project them."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kg.graph.store import bind_values, open_store

A = URIRef("http://x/a")
VA = "VALUES (?s) { (<http://x/a>) }"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a subquery projecting ?s computes only the bound case
        (
            "SELECT ?n { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } }",
            f"SELECT ?n {{ {VA} {{ SELECT ?s (COUNT(*) AS ?n) WHERE {{ {VA} ?s ?p ?o }} "
            "GROUP BY ?s } }",
        ),
        # ?s not projected: the subquery's ?s is another variable
        (
            "SELECT ?n { { SELECT (COUNT(*) AS ?n) { ?s ?p ?o } } }",
            f"SELECT ?n {{ {VA} {{ SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} }} }}",
        ),
        # assigned with AS, not projected plainly
        (
            "SELECT ?s { { SELECT (?o AS ?s) { ?x ?p ?o } } }",
            f"SELECT ?s {{ {VA} {{ SELECT (?o AS ?s) {{ ?x ?p ?o }} }} }}",
        ),
        # LIMIT or OFFSET: which rows are kept would change, so nothing inside is touched
        (
            "SELECT ?s { { SELECT ?s { { SELECT ?s { ?s ?p ?o } } } LIMIT 2 } }",
            f"SELECT ?s {{ {VA} {{ SELECT ?s {{ {{ SELECT ?s {{ ?s ?p ?o }} }} }} LIMIT 2 }} }}",
        ),
        (
            "SELECT ?s { { SELECT ?s { ?s ?p ?o } ORDER BY ?o OFFSET 1 } }",
            f"SELECT ?s {{ {VA} {{ SELECT ?s {{ ?s ?p ?o }} ORDER BY ?o OFFSET 1 }} }}",
        ),
        # SELECT * is left alone
        (
            "SELECT ?s { { SELECT * { ?s ?p ?o } } }",
            f"SELECT ?s {{ {VA} {{ SELECT * {{ ?s ?p ?o }} }} }}",
        ),
        # nested: the inner one is the same ?s only through a middle one that projects it
        (
            "SELECT ?s { OPTIONAL { { SELECT ?s { { SELECT ?s { ?s ?p ?o } } } } } }",
            f"SELECT ?s {{ {VA} OPTIONAL {{ {{ SELECT ?s {{ {VA} {{ SELECT ?s {{ {VA} "
            "?s ?p ?o } } } } } }",
        ),
        (
            "SELECT ?s { { SELECT ?o { { SELECT ?s ?o { ?s ?p ?o } } } } }",
            f"SELECT ?s {{ {VA} {{ SELECT ?o {{ {{ SELECT ?s ?o {{ ?s ?p ?o }} }} }} }} }}",
        ),
        # a subquery inside FILTER NOT EXISTS, written with $ and a string holding braces
        (
            'SELECT ?s { FILTER NOT EXISTS { { SELECT $s { ?s ?p "{ SELECT ?s" } } } }',
            f"SELECT ?s {{ {VA} FILTER NOT EXISTS {{ {{ SELECT $s {{ {VA} "
            '?s ?p "{ SELECT ?s" } } } }',
        ),
    ],
)
def test_store_bind_values_open_the_subqueries_that_project_them(query: str, expected: str) -> None:
    assert bind_values(query, {"s": A}) == expected


def test_store_bind_values_in_a_subquery_give_the_joined_answer() -> None:
    """The subquery with VALUES gives what computing every case and joining would."""
    with open_store(None) as store:
        store.update(
            "INSERT DATA { <http://x/a> <http://x/p> 1, 2, 3 . <http://x/b> <http://x/p> 4 . "
            "<http://x/b> <http://x/q> 5 }"
        )
        query = (
            "SELECT ?s ?n ?top WHERE { ?s ?any ?v "
            "{ SELECT ?s (COUNT(*) AS ?n) (MAX(?o) AS ?top) WHERE { ?s ?p ?o } GROUP BY ?s } } "
            "ORDER BY ?v"
        )
        for s, n, top in ((A, 3, 3), (URIRef("http://x/b"), 2, 5)):
            bound = store.query(query, {"s": s}).rows
            joined = [r for r in store.query(query).rows if r[0] == s]
            assert bound == joined
            assert {(int(r[1]), int(r[2])) for r in bound} == {(n, top)}  # type: ignore[arg-type]
        assert store.query(query, {"s": Literal("none")}).rows == []
