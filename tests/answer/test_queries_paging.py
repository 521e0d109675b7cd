"""Paging of library questions: LIMIT/OFFSET in the SPARQL, -p limit/offset, kg query flags."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.answer.queries import parse_query, run_query
from kg.answer.runner import DEFAULT_PAGE, execute, page_note, page_params, paged_sparql
from kg.cli import cli
from kg.errors import QueryError
from kg.graph.build import ingest
from kg.graph.store import KgStore
from kg.ids import entity_key
from kg.model import Article, ArticleGraph, Entity, Relation

SELECT = "PREFIX ex: <http://ex/>\nSELECT ?s WHERE { ?s ex:p ?o }"


@pytest.mark.parametrize(
    ("text", "limit", "offset", "tail"),
    [
        (SELECT, 10, 0, "\nLIMIT 11 OFFSET 0\n"),
        (SELECT + " ORDER BY ?s", 10, 30, " ORDER BY ?s\nLIMIT 11 OFFSET 30\n"),
        (SELECT + " LIMIT 5", 10, 0, " \nLIMIT 5 OFFSET 0\n"),  # its own is smaller
        (SELECT + " LIMIT 50 OFFSET 7", 10, 45, "  \nLIMIT 5 OFFSET 52\n"),
        (SELECT + " offset 7 limit 50", None, 40, "  \nLIMIT 10 OFFSET 47\n"),
        (SELECT + " LIMIT 5", 10, 9, " \nLIMIT 0 OFFSET 9\n"),  # past its own end
        (SELECT + " # no LIMIT 3 here", 2, 0, " # no LIMIT 3 here\nLIMIT 3 OFFSET 0\n"),
    ],
)
def test_paging_writes_limit_and_offset_into_the_query(
    text: str, limit: int | None, offset: int, tail: str
) -> None:
    assert paged_sparql(text, limit, offset) == SELECT + tail


def test_paging_leaves_subqueries_strings_and_other_forms_alone() -> None:
    sub = 'SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p "LIMIT 9" } LIMIT 9 } } VALUES ?s { <x:a> }'
    assert paged_sparql(sub, 4, 2) == (
        'SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p "LIMIT 9" } LIMIT 9 } } '
        "LIMIT 5 OFFSET 2\nVALUES ?s { <x:a> }"
    )
    for text in ("ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"):
        assert paged_sparql(text, 4, 2) == text
    assert paged_sparql(SELECT + " LIMIT 5", None, 0) == SELECT + " LIMIT 5"


def test_paging_params_choose_the_page() -> None:
    assert page_params({"person": "An", "offset": "20"}, 100, 0) == ({"person": "An"}, 100, 20)
    assert page_params({"?limit": "0"}, 100, 5) == ({}, None, 5)
    for bad in ({"limit": "ten"}, {"offset": "-1"}):
        with pytest.raises(QueryError, match="whole number"):
            page_params(bad, 100, 0)


def test_paging_names_are_not_query_variables() -> None:
    with pytest.raises(QueryError, match="bad parameter '\\?limit'"):
        parse_query("# title: T\n# params: ?limit\nSELECT * WHERE { ?s ?p ?o }", "q")
    with pytest.raises(QueryError, match="unknown engine 'magic'"):
        parse_query("# title: T\n# engine: magic\nSELECT * WHERE { ?s ?p ?o }", "q")


def _crowd() -> list[ArticleGraph]:
    """Seven invented officials at one meeting: six co-attendees for each."""
    names = [f"Vo Thi {n}" for n in ("Ai", "Be", "Cuc", "Dao", "Em", "Gam", "Ha")]
    people = tuple(
        Entity(f"p{j}", "Person", n, entity_key("Person", n)) for j, n in enumerate(names)
    )
    event = Entity("ev", "Event", "crowd meeting", "event/2024-04-01/crowd", date="2024-04-01")
    rels = tuple(Relation(p.id, "attended", "ev") for p in people)
    return [ArticleGraph(Article("crowd.txt", "", date="2024-04-01"), (*people, event), rels)]


def test_paging_pages_join_into_the_whole_answer(store: KgStore) -> None:
    ingest(_crowd(), store)
    every = run_query(store, "co_attendees", {"person": "Vo Thi Ai"})
    assert len(every.rows) == 6 and not every.truncated
    pages = [run_query(store, "co_attendees", {"person": "Vo Thi Ai"}, 4, o) for o in (0, 4)]
    assert [len(p.rows) for p in pages] == [4, 2]
    assert [p.truncated for p in pages] == [True, False]
    assert pages[0].rows + pages[1].rows == every.rows
    by_params = run_query(store, "co_attendees", {"person": "Vo Thi Ai", "limit": "4"}, 1, 4)
    assert by_params.rows == pages[1].rows
    assert page_note("co_attendees", pages[0], 0) == (
        "co_attendees: rows 1-4 shown, more follow (next page: --offset 4; every row: --all)"
    )
    assert page_note("co_attendees", pages[1], 4) == "co_attendees: 2 row(s) (rows 5-6)"


def test_paging_an_ask_is_not_paged(store: KgStore) -> None:
    ingest(_crowd(), store)
    result = execute(store, "ASK { ?s ?p ?o }", {}, limit=1, offset=5)
    assert result.kind == "ask" and result.boolean is True


def test_paging_kg_query_flags(store: KgStore) -> None:
    ingest(_crowd(), store)
    store_dir = str(store.path)
    store.close()
    base = ["query", "co_attendees", "-p", "person=Vo Thi Ai", "--store", store_dir]
    runner = CliRunner()
    first = runner.invoke(cli, [*base, "--limit", "5", "--format", "csv"])
    assert first.exit_code == 0, first.output
    assert len(first.stdout.splitlines()) == 1 + 5
    assert "rows 1-5 shown, more follow (next page: --offset 5; every row: --all)" in first.stderr
    rest = runner.invoke(cli, [*base, "--limit", "5", "--offset", "5", "--format", "csv"])
    assert len(rest.stdout.splitlines()) == 1 + 1 and "1 row(s) (rows 6-6)" in rest.stderr
    for flags in (["--all"], ["--limit", "0"], ["-p", "limit=0"], []):
        whole = runner.invoke(cli, [*base, *flags, "--format", "csv"])
        assert whole.exit_code == 0, whole.output
        assert "co_attendees: 6 row(s)" in whole.stderr
    assert runner.invoke(cli, [*base, "-p", "limit=2"]).stderr.count("rows 1-2 shown") == 1
    bad = runner.invoke(cli, [*base, "--limit", "-1"])
    assert bad.exit_code == 2


def test_paging_default_page_is_the_libraries() -> None:
    from kg.cli.answer import query_cmd

    limit = next(p for p in query_cmd.params if p.name == "limit")
    assert limit.default == DEFAULT_PAGE
