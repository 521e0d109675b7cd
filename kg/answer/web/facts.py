"""What the browser's pages show: library questions run on the store, as plain dicts.

Stage: answer (web). Input: an open store and an entity key, a search text or an
article's doc id; output: JSON-ready dicts (the JSON twin of each page, and what its
template shows). Questions: ``queries/*.rq`` through :func:`kg.answer.queries.run_query`,
and the page's own ``kg/answer/web/queries/*.rq`` (statements with their IRIs).
"""

from __future__ import annotations

import functools
import logging
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from kg.answer.queries import Query, find_query, load_queries, run_query
from kg.errors import QueryError
from kg.graph.store import KgStore, QueryResult
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


@functools.cache
def web_queries() -> dict[str, Query]:
    """The pages' own questions (``kg/answer/web/queries/*.rq``)."""
    return load_queries(_WEB_QUERIES)


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

    def _run(self, name: str, params: Mapping[str, str]) -> list[Row]:
        query = web_queries().get(name) or find_query(name)
        return rows(run_query(self.store, query, params))

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

    def statements(self, iri: str) -> list[Row]:
        """Every statement with the entity as subject or object, with links and source."""
        found = self._run("statements", {"subject": iri}) + self._run("statements", {"object": iri})
        for row in found:
            row["subjectHref"] = self.href(row["subject"])
            row["objectHref"] = self.href(row["object"])
            row["source"] = source_href(row["doc"], row["start"], row["end"], row["rule"])
        return found

    @staticmethod
    def sources(
        statements: Iterable[Row], other: str | None, relations: Iterable[str] | None = None
    ) -> list[str]:
        """Source links of the statements linking to ``other`` by one of ``relations``."""
        wanted = set(relations) if relations is not None else None
        links = [
            row["source"]
            for row in statements
            if other in (row["subject"], row["object"])
            and (wanted is None or row["relation"] in wanted)
        ]
        return list(dict.fromkeys(links))

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
