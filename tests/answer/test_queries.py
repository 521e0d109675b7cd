from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from kg.answer.queries import (
    Query,
    bind,
    describe,
    find_query,
    format_result,
    load_queries,
    parse_params,
    parse_query,
    resolve_name,
    run_query,
)
from kg.errors import QueryError
from kg.graph.build import ingest
from kg.graph.store import KgStore, QueryResult
from kg.ids import entity_iri
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation
from kg.vocab import KG

# every name here is invented; t001 and t002 are the conftest graphs
BINH, LAN, TUAN = "person/hoang-van-binh", "person/trinh-thi-lan", "person/dao-minh-tuan"
MO, KHAI = "person/ngo-thi-mo", "person/phung-van-khai"
CONF, MEETING = "event/2024-03-11/song-lam", "event/2024-05-02/song-lam"
PPC = "org/song-lam-provincial-party-committee"
DEPT = "org/song-lam-department-of-public-security"
PLACE, RES = "place/song-lam", "doc/07-nq-tu/2021"

QUERIES = sorted(load_queries())


def _third_graph() -> ArticleGraph:
    """t003: a later meeting chaired by Lan, a new deputy, Lan promoted, a second implementer."""
    text = (
        "Secretary Trinh Thi Lan chaired the review meeting in Song Lam on May 2. "
        "Hoang Van Binh and Ngo Thi Mo attended. "
        "Phung Van Khai is Deputy Director of the Song Lam Department of Public Security, "
        "which carries out Resolution No. 07-NQ/TU."
    )

    def ent(local: str, etype: str, name: str, key: str, **kw: object) -> Entity:
        start = text.find(name)
        spans = ((start, start + len(name)),) if start >= 0 else ()
        return Entity(local, etype, name, key, mentions=(name,), spans=spans, **kw)  # type: ignore[arg-type]

    def ev(sentence: int, rule: str) -> Evidence:
        parts = text.split(". ")
        start = text.find(parts[sentence])
        return Evidence(parts[sentence], start, start + len(parts[sentence]), rule)

    entities = (
        ent("e1", "Person", "Trinh Thi Lan", LAN),
        ent("e2", "Event", "review meeting", MEETING, date="2024-05-02"),
        ent("e3", "Place", "Song Lam", PLACE),
        ent("e4", "Person", "Hoang Van Binh", BINH),
        ent("e5", "Person", "Ngo Thi Mo", MO),
        ent("e6", "Person", "Phung Van Khai", KHAI),
        ent("e7", "Organization", "Song Lam Department of Public Security", DEPT),
        ent(
            "e8",
            "Document",
            "Resolution No. 07-NQ/TU",
            RES,
            attrs=(("code", "07-NQ/TU"), ("doc_type", "Resolution")),
        ),
        ent("e9", "Organization", "Song Lam Provincial Party Committee", PPC),
    )
    relations = (
        Relation("e1", "chaired", "e2", ev(0, "t.chaired")),
        Relation("e2", "heldIn", "e3", ev(0, "t.heldIn")),
        Relation("e4", "attended", "e2", ev(1, "t.attended")),
        Relation("e5", "attended", "e2", ev(1, "t.attended")),
        Relation("e6", "memberOf", "e7", ev(2, "t.memberOf"), "Deputy Director"),
        Relation("e7", "implements", "e8", ev(2, "t.implements")),
        Relation("e1", "headOf", "e9", ev(0, "t.headOf"), "Secretary"),
    )
    article = Article("t003.txt", text, source="tests/t003.txt", date="2024-05-02")
    return ArticleGraph(article, entities, relations)


@pytest.fixture
def kg_store(store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph) -> KgStore:
    """The three invented articles and the ontology, stored the way kg build stores them."""
    ingest([tiny_graph, second_graph, _third_graph()], store)
    return store


def _rows(result: QueryResult, *columns: str) -> list[tuple[str, ...]]:
    """The answer as plain strings, entity IRIs shortened to their keys.

    GROUP_CONCAT has no order in SPARQL: the parts of a joined value are sorted here.
    """
    prefix = entity_iri("")

    def text(value: object) -> str:
        s = str(value).removeprefix(prefix)
        for sep in ("; ", ", "):
            if sep in s:
                return sep.join(sorted(s.split(sep)))
        return s

    return [tuple(text(row.get(c, "")) for c in columns) for row in result.dicts()]


# ---------------------------------------------------------------- the library itself


def test_queries_library_has_the_ten_questions() -> None:
    assert set(QUERIES) >= {
        "meeting_participants",
        "co_attendees",
        "career_timeline",
        "body_members",
        "document_implementers",
        "body_implements",
        "body_issued_documents",
        "province_overview",
        "meetings_in_range",
        "fact_evidence",
        "shortest_chain",
        "implementation_timeline",
    }


@pytest.mark.parametrize("name", QUERIES)
def test_queries_file_has_header_and_its_own_prefixes(name: str) -> None:
    query = find_query(name)
    assert query.title and query.description
    lines = query.text.splitlines()
    declared = {m[1] for line in lines if (m := re.match(r"PREFIX (\w+):", line))}
    body = "\n".join(line for line in lines if not line.startswith(("#", "PREFIX")))
    used = set(re.findall(r"(?<![\w<])([a-z]+):\w", body))
    assert used <= declared, f"{name} uses {used - declared} without PREFIX"


@pytest.mark.parametrize("name", QUERIES)
def test_queries_every_file_parses_and_runs_without_optional_params(
    kg_store: KgStore, name: str
) -> None:
    query = find_query(name)
    values = {
        p.name: {
            "Person": "Trinh Thi Lan",
            "Organization": "Song Lam Provincial Party Committee",
        }.get(p.kinds[0], "Song Lam" if p.kinds[0] == "Place" else "Resolution No. 07-NQ/TU")
        for p in query.params
        if not p.optional
    }
    if name == "shortest_chain":
        values["other"] = "Dao Minh Tuan"
    result = run_query(kg_store, query, values)
    assert result.kind == "select"
    assert result.rows, f"{name} found nothing in the test graph"


def test_queries_meeting_participants(kg_store: KgStore) -> None:
    result = run_query(kg_store, "meeting_participants", {"person": "Trịnh Thị Lan"})
    assert _rows(result, "event", "participant", "roles") == [
        (CONF, TUAN, "attended"),
        (CONF, BINH, "attended, chaired"),
        (CONF, LAN, "spokeAt"),
        (MEETING, BINH, "attended"),
        (MEETING, MO, "attended"),
        (MEETING, LAN, "chaired"),
    ]


def test_queries_co_attendees_ranks_by_shared_meetings(kg_store: KgStore) -> None:
    result = run_query(kg_store, "co_attendees", {"person": "trinh thi lan"})
    assert _rows(result, "other", "meetings") == [(BINH, "2"), (TUAN, "1"), (MO, "1")]


def test_queries_career_timeline_is_dated_and_ordered(kg_store: KgStore) -> None:
    result = run_query(kg_store, "career_timeline", {"person": "Trinh Thi Lan"})
    columns = ("start", "end", "endKnown", "body", "title", "relation", "articles")
    assert _rows(result, *columns) == [
        ("2024-03-12", "2024-03-12", "false", PPC, "Deputy Secretary", "memberOf", "t001.txt"),
        ("2024-05-02", "2024-05-02", "false", PPC, "Secretary", "headOf", "t003.txt"),
    ]
    # Lan stated Secretary in t003 ends Binh's headship of the committee
    result = run_query(kg_store, "career_timeline", {"person": "Hoang Van Binh"})
    assert ("2024-03-12", "2024-05-02", "true", PPC, "Secretary", "headOf", "t001.txt") in _rows(
        result, *columns
    )


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        # Lan, stated Secretary last, is the one head; Binh's headship has ended
        (None, [(LAN, "Deputy Secretary; Secretary", "true")]),
        ("2024-04", [(BINH, "Secretary", "true"), (LAN, "Deputy Secretary", "false")]),
        ("2024-03-01", []),
    ],
)
def test_queries_body_members_as_of_a_date(
    kg_store: KgStore, date: str | None, expected: list[tuple[str, ...]]
) -> None:
    params = {"body": "Song Lam Provincial Party Committee"} | ({"date": date} if date else {})
    result = run_query(kg_store, "body_members", params)
    assert _rows(result, "person", "titles", "head") == expected


def test_queries_document_implementers_over_time(kg_store: KgStore) -> None:
    result = run_query(kg_store, "document_implementers", {"document": "07-NQ/TU"})
    assert sorted(_rows(result, "implementer", "type", "firstReported", "lastReported")) == [
        (DEPT, "Organization", "2024-05-02", "2024-05-02"),
        (PPC, "Organization", "2024-03-12", "2024-03-12"),
    ]


def test_queries_implementation_timeline(kg_store: KgStore) -> None:
    result = run_query(kg_store, "implementation_timeline")
    assert _rows(result, "firstReported", "lastReported", "articles", "implementer") == [
        ("2024-03-12", "2024-03-12", "1", PPC),
        ("2024-05-02", "2024-05-02", "1", DEPT),
    ]


def test_queries_undated_articles_leave_the_dates_of_the_others(kg_store: KgStore) -> None:
    # an aggregate over a value some rows lack would be unbound in SPARQL
    undated = ArticleGraph(
        Article("t004.txt", "", date=None),
        (
            Entity("e1", "Person", "Trinh Thi Lan", LAN),
            Entity("e2", "Organization", "Song Lam Provincial Party Committee", PPC),
            Entity("e3", "Document", "Resolution No. 07-NQ/TU", RES),
        ),
        (Relation("e1", "memberOf", "e2"), Relation("e2", "implements", "e3")),
    )
    ingest([undated], kg_store)
    members = run_query(kg_store, "body_members", {"body": PPC})
    assert _rows(members, "person", "titles", "firstSeen", "lastSeen")[0] == (
        LAN,
        "Deputy Secretary; Secretary",
        "2024-03-12",
        "2024-05-02",
    )
    timeline = run_query(kg_store, "implementation_timeline")
    assert ("2024-03-12", "2024-03-12", "2", PPC) in _rows(
        timeline, "firstReported", "lastReported", "articles", "implementer"
    )


def test_queries_body_implements(kg_store: KgStore) -> None:
    result = run_query(
        kg_store, "body_implements", {"body": "Song Lam Department of Public Security"}
    )
    assert _rows(result, "document", "code", "date", "issuedBy") == [
        (RES, "07-NQ/TU", "2021-05", "Song Lam Provincial Party Committee")
    ]


def test_queries_body_issued_documents_and_their_implementers(kg_store: KgStore) -> None:
    result = run_query(kg_store, "body_issued_documents", {"body": PPC.split("/")[1]})
    assert _rows(result, "document", "implementers", "implementedBy") == [
        (RES, "2", "Song Lam Department of Public Security; Song Lam Provincial Party Committee")
    ]


def test_queries_province_overview(kg_store: KgStore) -> None:
    result = run_query(kg_store, "province_overview", {"province": "Song Lam"})
    assert _rows(result, "kind", "item", "date", "person") == [
        ("body", DEPT, "", TUAN),
        ("body", PPC, "", BINH),
        ("body", PPC, "", LAN),
        ("document", RES, "2021-05", ""),
        ("meeting", CONF, "2024-03-11", BINH),
        ("meeting", MEETING, "2024-05-02", LAN),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [(CONF, "2024-03-11", "Song Lam", "3"), (MEETING, "2024-05-02", "Song Lam", "3")]),
        ({"from": "2024-04"}, [(MEETING, "2024-05-02", "Song Lam", "3")]),
        ({"to": "2024-03"}, [(CONF, "2024-03-11", "Song Lam", "3")]),
        ({"from": "2024-03-12", "to": "2024-05-01"}, []),
    ],
)
def test_queries_meetings_in_range(
    kg_store: KgStore, params: dict[str, str], expected: list[tuple[str, ...]]
) -> None:
    result = run_query(kg_store, "meetings_in_range", params)
    assert _rows(result, "event", "date", "place", "attendees") == expected


def test_queries_fact_evidence_follows_sub_properties(kg_store: KgStore) -> None:
    result = run_query(
        kg_store,
        "fact_evidence",
        {"subject": "Hoang Van Binh", "predicate": "attended", "object": CONF},
    )
    assert _rows(result, "relation", "doc", "rule") == [
        ("chaired", "t001.txt", "test.chaired.v1"),
        ("attended", "t002.txt", "test.attended.v1"),
    ]
    for row in result.dicts():
        text = str(row["sentence"])
        assert "Binh" in text or "Bình" in text
        assert int(str(row["end"])) - int(str(row["start"])) == len(text)


def test_queries_fact_evidence_keeps_statements_without_a_sentence(kg_store: KgStore) -> None:
    # conftest leaves every fourth relation without evidence: t001's Lan memberOf
    result = run_query(
        kg_store, "fact_evidence", {"subject": "Trinh Thi Lan", "predicate": "memberOf"}
    )
    rows = _rows(result, "relation", "doc", "sentence")
    assert ("memberOf", "t001.txt", "") in rows
    assert (
        "headOf",
        "t003.txt",
        "Secretary Trinh Thi Lan chaired the review meeting in Song Lam on May 2",
    ) in rows


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("Dao Minh Tuan", [("1", CONF, "", "")]),
        ("Phung Van Khai", [("2", CONF, TUAN, DEPT)]),
    ],
)
def test_queries_shortest_chain(
    kg_store: KgStore, other: str, expected: list[tuple[str, ...]]
) -> None:
    result = run_query(kg_store, "shortest_chain", {"person": "Trinh Thi Lan", "other": other})
    assert _rows(result, "length", "via1", "mid", "via2")[: len(expected)] == expected


# ---------------------------------------------------------------- parameters and names


def test_queries_bindings_are_terms_not_text(kg_store: KgStore) -> None:
    query = find_query("body_members")
    terms = bind(kg_store, query, {"body": "song lam provincial party committee", "date": "2024"})
    assert terms == {"body": URIRef(entity_iri(PPC)), "date": Literal("2024", datatype=XSD.gYear)}
    assert "song lam" not in query.text.lower()


@pytest.mark.parametrize(
    ("text", "kinds", "key"),
    [
        ("Hoàng Văn Bình", "Person", BINH),
        ("HOANG VAN BINH", "Person", BINH),
        ("Comrade Bình", "Person", BINH),  # an alias, as written in t001
        ("Resolution No. 07-NQ/TU", "Document", RES),
        ("resolution 07-nq/tu", "Document", RES),
        ("Song Lam", ("Organization", "Place"), PLACE),
        ("the Provincial Party Committee", "Organization", PPC),
        (entity_iri(TUAN), "Person", TUAN),
        (f"<{entity_iri(TUAN)}>", "entity", TUAN),
        (CONF, "entity", CONF),  # a key, as tables show them
    ],
)
def test_queries_resolve_name(kg_store: KgStore, text: str, kinds: str, key: str) -> None:
    assert resolve_name(kg_store, text, kinds) == URIRef(entity_iri(key))


def test_queries_resolve_name_reports_near_misses(kg_store: KgStore) -> None:
    with pytest.raises(
        QueryError, match="no Person named 'Trinh Thi Lam'.*did you mean 'Trinh Thi Lan'"
    ):
        resolve_name(kg_store, "Trinh Thi Lam", "Person")


def test_queries_resolve_name_reports_ambiguity(store: KgStore) -> None:
    twins = ArticleGraph(
        Article("t9.txt", "", date="2024-01-01"),
        (
            Entity("e1", "Person", "Le Van A", "person/le-van-a", mentions=("Mr. Le",)),
            Entity("e2", "Person", "Le Van B", "person/le-van-b", mentions=("Mr. Le",)),
        ),
        (),
    )
    ingest([twins], store)
    with pytest.raises(QueryError, match="names several Persons"):
        resolve_name(store, "mr le", "Person")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, r"missing \?person \(give -p person=\.\.\.\)"),
        ({"person": "Trinh Thi Lan", "colour": "red"}, "unknown parameter 'colour'"),
    ],
)
def test_queries_bad_parameters(kg_store: KgStore, params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        run_query(kg_store, "co_attendees", params)


def test_queries_bad_date_and_predicate(kg_store: KgStore) -> None:
    with pytest.raises(QueryError, match="YYYY"):
        run_query(kg_store, "meetings_in_range", {"from": "May 2024"})
    with pytest.raises(QueryError, match="unknown predicate 'likes'"):
        run_query(kg_store, "fact_evidence", {"predicate": "likes"})
    terms = bind(kg_store, find_query("fact_evidence"), {"predicate": "kg:spokeAt"})
    assert terms["predicate"] == KG.spokeAt


# ---------------------------------------------------------------- headers, files, output


def test_queries_parse_header() -> None:
    text = (
        "# title: Who met whom\n# description: first line\n#   second line\n"
        "# params: ?person [?date] ?body:Organization|Place\nPREFIX kg: <x:>\n# not header\n"
        "SELECT * WHERE { ?person ?p ?body }"
    )
    q = parse_query(text, "who")
    assert (q.title, q.description) == ("Who met whom", "first line second line")
    assert [(p.name, p.kinds, p.optional) for p in q.params] == [
        ("person", ("Person",), False),
        ("date", ("date",), True),
        ("body", ("Organization", "Place"), False),
    ]


@pytest.mark.parametrize(
    ("spec", "message"), [("?person]", "bad parameter"), ("?x:Colour", "unknown kind")]
)
def test_queries_bad_params_line(spec: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_params(spec, "q.rq")


def test_queries_header_needs_a_title() -> None:
    with pytest.raises(QueryError, match="q.rq: no '# title:'"):
        parse_query("SELECT * WHERE {}", "q", Path("q.rq"))


def test_queries_find_query_by_path_and_unknown_name(tmp_path: Path, kg_store: KgStore) -> None:
    path = tmp_path / "people.rq"
    path.write_text(
        "# title: People\n# params: [?person]\n"
        "PREFIX kg: <https://kg.example.org/ontology#>\n"
        "SELECT DISTINCT ?person WHERE { ?person a kg:Person }\n",
        encoding="utf-8",
    )
    assert find_query(str(path)).name == "people"
    assert len(run_query(kg_store, str(path)).rows) == 5
    with pytest.raises(QueryError, match="did you mean co_attendees"):
        find_query("co_attendee")


def test_queries_format_result() -> None:
    result = QueryResult(
        "select",
        ("who", "n", "note"),
        [
            (URIRef(entity_iri(LAN)), Literal(2), None),
            (Literal("Bình, A"), Literal(1), Literal("x")),
        ],
    )
    table = format_result(result, "table", base=entity_iri("").removesuffix("id/"))
    assert table.splitlines()[2].split() == [LAN, "2"]
    assert format_result(result, "csv").splitlines() == [
        "who,n,note",
        f"{entity_iri(LAN)},2,",
        '"Bình, A",1,x',
    ]
    assert format_result(result, "json") == (
        f'[{{"who": "{entity_iri(LAN)}", "n": 2}}, {{"who": "Bình, A", "n": 1, "note": "x"}}]\n'
    )
    with pytest.raises(ValueError, match="unknown format"):
        format_result(result, "xml")


def test_queries_describe_lists_titles_and_params() -> None:
    text = describe(load_queries())
    assert "co_attendees  ?person:Person" in text
    assert "meetings_in_range  [?from:date] [?to:date]" in text
    assert isinstance(find_query("co_attendees"), Query)
