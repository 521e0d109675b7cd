"""What the browser's pages show: library questions run on the store, as plain dicts.

Stage: answer (web). Input: an open store and an entity key, a search text or an
article's doc id; output: JSON-ready dicts (the JSON twin of each page, and what its
template shows). Questions: ``queries/*.rq`` through :func:`kg.answer.queries.run_query`,
and the page's own ``kg/answer/web/queries/*.rq``. Every list is asked one page at a time
(LIMIT/OFFSET in the query), and the sources of the rows a page shows are asked for those
rows only (VALUES), never for every statement of an entity.
"""

from __future__ import annotations

import functools
import logging
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from kg.answer.queries import Query, find_query, load_queries, run_query
from kg.errors import QueryError
from kg.graph.store import KgStore, QueryResult
from kg.graph.store.common import where_group
from kg.ids import entity_iri
from kg.names import norm_key

log = logging.getLogger(__name__)

Row = dict[str, Any]

#: Entity key prefix (kg/ids.py) -> page name in URLs, and back.
PAGE_OF_PREFIX = {
    "person": "person",
    "org": "body",
    "doc": "document",
    "event": "meeting",
    "place": "place",
}
PREFIX_OF_PAGE = {page: prefix for prefix, page in PAGE_OF_PREFIX.items()}
#: Class local name -> the page name.
PAGE_OF_CLASS = {
    "Person": "person",
    "Organization": "body",
    "Document": "document",
    "Event": "meeting",
    "Place": "place",
}
_ATTENDED = ("attended", "chaired", "spokeAt")
_MEMBER = ("memberOf", "headOf")
_WEB_QUERIES = Path(__file__).parent / "queries"
_KG = "https://kg.example.org/ontology#"

#: A fact whose sources a page shows: subject, relation (None: any), object (IRIs).
Fact = tuple[str, str | None, str]


@functools.cache
def web_queries() -> dict[str, Query]:
    """The pages' own questions (``kg/answer/web/queries/*.rq``)."""
    return load_queries(_WEB_QUERIES)


def with_values(text: str, variables: list[str], table: Iterable[Iterable[str | None]]) -> str:
    """A question with VALUES for many rows opening its WHERE clause.

    Each cell is an IRI the store gave (written by rdflib, never pasted text); None is
    UNDEF. No rows: VALUES with none, so the question answers nothing.

    Examples:
        >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", ["x"], [["http://a/b"], [None]])
        'SELECT ?x WHERE { VALUES (?x) { (<http://a/b>) (UNDEF) } ?x ?p ?o }'
    """
    lines = [
        "(" + " ".join("UNDEF" if v is None else URIRef(v).n3() for v in row) + ")" for row in table
    ]
    at = where_group(text) + 1
    head = " ".join(f"?{v}" for v in variables)
    return f"{text[:at]} VALUES ({head}) {{ {' '.join(lines)} }}{text[at:]}"


def value(term: Node | None) -> str | int | float | bool | None:
    """A term as a JSON value: numbers and booleans as such, everything else as text.

    Examples:
        >>> value(Literal(3)), value(Literal("x")), value(None), value(URIRef("http://a"))
        (3, 'x', None, 'http://a')
    """
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype not in (None, XSD.string):
        py = term.toPython()
        if isinstance(py, bool | int | float):
            return py
    return str(term)


def rows(result: QueryResult) -> list[Row]:
    """The rows of an answer as dicts (unbound variables are None)."""
    return [
        {var: value(term) for var, term in zip(result.vars, row, strict=True)}
        for row in result.rows
    ]


def source_href(doc: str, start: Any = None, end: Any = None, rule: Any = None) -> str:
    """The link to an article with one evidence sentence highlighted.

    Examples:
        >>> source_href("a b.txt", 3, 9, "role-verb")
        '/source/a%20b.txt?start=3&end=9&rule=role-verb'
    """
    query = {k: v for k, v in (("start", start), ("end", end), ("rule", rule)) if v is not None}
    tail = f"?{urllib.parse.urlencode(query)}" if query else ""
    return f"/source/{urllib.parse.quote(doc)}{tail}"


def _halves(table: list[tuple[str, str | None, str]]) -> list[list[tuple[str, str | None, str]]]:
    """Split VALUES rows in two to ask side by side, keeping the rows of one pair together.

    A row with any relation and one with a given relation between the same two entities
    count the same statements, so they must be grouped by one query, not two.

    Examples:
        >>> [len(h) for h in _halves([("a", None, "b"), ("a", "r", "b")])]
        [2]
        >>> pairs = [(f"p{i // 2:02}", None if i % 2 else "r", "x") for i in range(42)]
        >>> [len(h) for h in _halves(pairs)]
        [22, 20]
    """
    if len(table) < 32:
        return [table]
    rows = sorted(table, key=lambda row: (row[0], row[2]))
    cut = len(rows) // 2
    while 0 < cut < len(rows) and (rows[cut][0], rows[cut][2]) == (
        rows[cut - 1][0],
        rows[cut - 1][2],
    ):
        cut += 1
    return [part for part in (rows[:cut], rows[cut:]) if part]


class Facts:
    """The pages' questions over one open store.

    Args:
        store: an open (read-only) store.
    """

    def __init__(self, store: KgStore) -> None:
        self.store = store
        self.base = store.base
        self._prefix = entity_iri("", store.base)
        self._names: list[tuple[str, str, str, str, bool]] | None = None

    # ------------------------------------------------------------ keys and links

    def key(self, iri: str | None) -> str:
        """An entity IRI's key (``person/an``); other IRIs unchanged."""
        text = iri or ""
        return text[len(self._prefix) :] if text.startswith(self._prefix) else text

    def href(self, iri: str | None) -> str | None:
        """The page of an entity IRI or key (None for what has no page)."""
        key = self.key(iri)
        prefix, _, rest = key.partition("/")
        page = PAGE_OF_PREFIX.get(prefix)
        return f"/{page}/{urllib.parse.quote(rest)}" if page and rest else None

    def iri(self, page: str, rest: str) -> URIRef:
        """The IRI of the entity a page shows.

        Raises:
            QueryError: no such page kind.
        """
        prefix = PREFIX_OF_PAGE.get(page)
        if prefix is None:
            raise QueryError(f"no page kind {page!r}")
        return URIRef(entity_iri(f"{prefix}/{rest}", self.base))

    def iri_of_key(self, text: str) -> URIRef:
        """An entity key (``person/an``) or an IRI as an IRI."""
        return URIRef(text if "://" in text else entity_iri(text, self.base))

    def _run(self, name: str, params: Mapping[str, str]) -> list[Row]:
        query = web_queries().get(name) or find_query(name)
        return rows(run_query(self.store, query, params))

    def page(
        self, name: str, params: Mapping[str, str], page: int, size: int
    ) -> tuple[list[Row], bool]:
        """One page of a question's rows (LIMIT/OFFSET in the query), and whether more follow."""
        query = web_queries().get(name) or find_query(name)
        found = run_query(self.store, query, params, limit=size, offset=(page - 1) * size)
        return rows(found), found.truncated

    def together(self, *calls: Callable[[], Any]) -> list[Any]:
        """Run independent questions of one page side by side; their results in order.

        Oxigraph evaluates a query without holding Python's lock, so the lists of one
        entity page run on both cores instead of one after another.
        """
        with ThreadPoolExecutor(max_workers=max(1, len(calls))) as pool:
            return list(pool.map(lambda call: call(), calls))

    def values(
        self, name: str, variables: list[str], table: Iterable[Iterable[str | None]]
    ) -> list[Row]:
        """Run a page question for many rows at once: VALUES opens its WHERE clause.

        Each cell is an IRI (None: UNDEF); the IRIs come from the store's own answers.
        """
        return rows(self.store.query(with_values(web_queries()[name].text, variables, table)))

    # ------------------------------------------------------------ shared parts

    def entity(self, iri: str) -> Row:
        """Class, canonical name, aliases and literal facts of an entity.

        Raises:
            QueryError: the store holds nothing about it.
        """
        props = self._run("entity_properties", {"entity": iri})
        if not props:
            raise QueryError(f"{self.key(iri)}: no such entity in the store")
        cls = ""
        labels: list[str] = []
        aliases: list[str] = []
        other: dict[str, list[str]] = defaultdict(list)
        for row in props:
            prop = str(row["property"])
            local = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if local == "type":
                cls = str(row["value"]).rsplit("#", 1)[-1]
            elif local == "label":
                labels.append(str(row["value"]))
            elif local == "altLabel":
                aliases.append(str(row["value"]))
            else:
                other[local].append(str(row["value"]))
        name = min(labels, key=lambda n: (len(n), n)) if labels else self.key(iri)
        return {
            "iri": iri,
            "key": self.key(iri),
            "class": cls,
            "name": name,
            "aliases": sorted({*labels, *aliases} - {name}),
            "properties": {k: sorted(set(v)) for k, v in sorted(other.items())},
            "graph": f"/graph/{self.key(iri)}",
        }

    def details(self, statements: Iterable[str]) -> list[Row]:
        """The given statements with both ends, links, article, evidence and source link."""
        found = self.values("statement_details", ["statement"], ([st] for st in statements))
        for row in found:
            row["subjectHref"] = self.href(row["subject"])
            row["objectHref"] = self.href(row["object"])
            row["source"] = source_href(row["doc"], row["start"], row["end"], row["rule"])
        return found

    def sources(self, wanted: Iterable[Fact]) -> dict[Fact, Row]:
        """The sources of the facts a page shows, asked for those facts only.

        For each fact: its first statements' source links, how many statements state it,
        and the link to the list of them all (``/facts``).

        Args:
            wanted: (subject, relation, object) IRIs; a relation of None is any relation,
                and then the first statement of each relation is linked.

        Returns:
            Fact -> ``sources`` (source links), ``sourceCount``, ``factsHref``.
        """
        facts = list(dict.fromkeys(wanted))
        table = [(s, None if r is None else _KG + r, o) for s, r, o in facts]
        counted = [
            row
            for part in self.together(
                *(
                    functools.partial(
                        self.values, "fact_sources", ["subject", "predicate", "object"], half
                    )
                    for half in _halves(table)
                )
            )
            for row in part
        ]
        firsts = {str(row["first"]) for row in counted}
        links = {str(row["statement"]): row["source"] for row in self.details(firsts)}
        out: dict[Fact, Row] = {}
        for fact in facts:
            s, r, o = fact
            query = {"subject": self.key(s), "object": self.key(o)}
            out[fact] = {
                "sources": [],
                "sourceCount": 0,
                "factsHref": "/facts?"
                + urllib.parse.urlencode({**query, **({"relation": r} if r else {})}),
            }
        for row in counted:
            relation = str(row["predicate"]).rsplit("#", 1)[-1]
            for fact in {
                (str(row["subject"]), relation, str(row["object"])),
                (str(row["subject"]), None, str(row["object"])),
            }:
                if fact in out:
                    item = out[fact]
                    item["sourceCount"] += int(row["count"])
                    link = links.get(str(row["first"]))
                    if link and link not in item["sources"]:
                        item["sources"].append(link)
        return out

    def attach(self, lists: Iterable[tuple[list[Row], Callable[[Row], list[Fact]]]]) -> None:
        """Give every row of the lists the sources of its facts, in one question for all.

        Args:
            lists: (rows, the facts of a row) pairs; each row gets ``sources``,
                ``sourceCount`` and ``factsHref`` (the list of all its statements).
        """
        pairs = [(row, of(row)) for items, of in lists for row in items]
        found = self.sources(fact for _, wanted in pairs for fact in wanted)
        for row, wanted in pairs:
            row.update(sources=[], sourceCount=0, factsHref=None)
            for fact in wanted:
                got = found[fact]
                row["sources"] += [s for s in got["sources"] if s not in row["sources"]]
                row["sourceCount"] += got["sourceCount"]
                if got["sourceCount"] and row["factsHref"] is None:
                    row["factsHref"] = got["factsHref"]

    # ------------------------------------------------------------ search

    def _all_names(self) -> list[tuple[str, str, str, str, bool]]:
        if self._names is None:
            found = self._run("names", {})
            self._names = [
                (
                    norm_key(str(r["name"])),
                    str(r["entity"]),
                    str(r["class"]).rsplit("#", 1)[-1],
                    str(r["name"]),
                    bool(r["canonical"]),
                )
                for r in found
            ]
        return self._names

    def search(self, text: str) -> list[Row]:
        """Entities whose names contain every word of ``text`` (no case, no diacritics).

        Short names work: "Trong" finds "Nguyen Phu Trong" and "Nguyễn Phú Trọng". An
        exact name ranks first, then a name that starts with the text, then the rest.
        """
        words = norm_key(text).split()
        if not words:
            return []
        best: dict[str, tuple[int, str, str, str]] = {}
        for folded, iri, cls, name, canonical in self._all_names():
            tokens = folded.split()
            if not all(any(t.startswith(w) for t in tokens) for w in words):
                continue
            rank = 0 if folded == " ".join(words) else 1 if folded.startswith(words[0]) else 2
            rank = rank * 2 + (0 if canonical else 1)
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, cls, name, name if canonical else "")
        labels = {iri: n for folded, iri, c, n, canonical in self._all_names() if canonical}
        ordered = sorted(best.items(), key=lambda kv: (kv[1][0], labels.get(kv[0], kv[1][2])))
        return [
            {
                "iri": iri,
                "key": self.key(iri),
                "class": cls,
                "kind": PAGE_OF_CLASS.get(cls, cls),
                "name": labels.get(iri, name),
                "matched": name,
                "href": self.href(iri),
            }
            for iri, (_, cls, name, _c) in ordered
        ]
