"""One function per entity page: the facts it shows, each with the links to its sources.

Stage: answer (web). Input: :class:`~kg.answer.web.facts.Facts`, an entity IRI (or an
article's doc id) and the page number; output: the page's JSON-ready dict. The library
questions (career_timeline, co_attendees, body_members, body_issued_documents,
body_implements, document_implementers, province_overview) and the pages' own give the
rows, one page of each list; one question for all the rows shown gives their source
links (:meth:`Facts.attach`). Reads an article's file for its text.
"""

from __future__ import annotations

import functools
import logging
import os
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib.term import Node

from kg.answer.queries import Query, bind, load_queries
from kg.answer.runner import DEFAULT_PAGE, execute, page_params
from kg.answer.web.facts import _KG, _MEMBER, Fact, Facts, Row, source_href
from kg.errors import KgError, QueryError
from kg.graph.store import QueryResult
from kg.model import Article
from kg.read.articles import read_articles
from kg.read.outlets import find_outlet, url_domain

log = logging.getLogger(__name__)


def _linked(facts: Facts, row: Row, *fields: str) -> Row:
    """Add ``<field>Href`` page links for the IRI fields of a row."""
    for name in fields:
        row[f"{name}Href"] = facts.href(row.get(name))
    return row


def _related(iri: str, other: str, relations: str) -> list[Fact]:
    """The facts behind a row of :func:`links`: ``rel`` from the entity, ``^rel`` to it."""
    return [
        (other, rel[1:], iri) if rel.startswith("^") else (iri, rel, other)
        for rel in str(relations or "").split()
    ]


def _links_params(iri: str, cls: str, predicate: str | None = None) -> dict[str, str]:
    """The parameters of links.rq: the entities of class ``cls`` a fact links to ``iri``."""
    return {"entity": iri, "class": _KG + cls, **({"predicate": predicate} if predicate else {})}


def _linked_rows(facts: Facts, found: list[Row]) -> list[Row]:
    """Rows of links.rq with their page links and relation lists."""
    for row in found:
        row["otherHref"] = facts.href(row["other"])
        row["relations"] = str(row["relations"] or "").split()
    return found


def _links(
    facts: Facts, iri: str, cls: str, page: int, size: int, predicate: str | None = None
) -> tuple[list[Row], bool]:
    """A page of the entities of class ``cls`` a fact links to the entity (links.rq)."""
    found, more = facts.page("links", _links_params(iri, cls, predicate), page, size)
    return _linked_rows(facts, found), more


def _meeting_rows(facts: Facts, found: list[Row], roles: bool = False) -> list[Row]:
    """An entity's meetings from links.rq rows: link, name, date, relations (and roles)."""
    return [
        {
            "event": r["other"],
            "eventHref": r["otherHref"],
            "meeting": r["label"],
            "date": r["date"],
            **({"roles": ", ".join(r["relations"])} if roles else {}),
            "relations": r["relations"],
        }
        for r in _linked_rows(facts, found)
    ]


def person_page(facts: Facts, iri: str, page: int = 1, size: int = 50) -> Row:
    """A person: posts over time, meetings with role and date, officials met most often."""
    entity, (posts, more_posts), (found, more_meetings), (met, more_met) = facts.together(
        lambda: facts.entity(iri),
        lambda: facts.page("career_timeline", {"person": iri}, page, size),
        lambda: facts.page("links", _links_params(iri, "Event"), page, size),
        lambda: facts.page("co_attendees", {"person": iri}, page, size),
    )
    for row in posts:
        _linked(facts, row, "body")
    meetings = _meeting_rows(facts, found, roles=True)
    for row in met:
        _linked(facts, row, "other")
    shared = {
        str(r["other"]): str(r["first"])
        for r in facts.values(
            "coattendance_first", ["person", "other"], ((iri, str(r["other"])) for r in met)
        )
    }
    facts.attach(
        [
            (posts, lambda r: [(iri, str(r["relation"]), str(r["body"]))]),
            (meetings, lambda r: _related(iri, str(r["event"]), " ".join(r["relations"]))),
            (
                met,
                lambda r: (
                    [(str(r["other"]), None, shared[str(r["other"])])]
                    if str(r["other"]) in shared
                    else []
                ),
            ),
        ]
    )
    return {
        "entity": entity,
        "posts": posts,
        "meetings": meetings,
        "coAttendees": met,
        "more": {"posts": more_posts, "meetings": more_meetings, "coAttendees": more_met},
    }


def body_page(
    facts: Facts, iri: str, date: str | None = None, page: int = 1, size: int = 50
) -> Row:
    """A body: who holds which post as of ``date``, documents issued and implemented."""
    params = {"body": iri, **({"date": date} if date else {})}
    lists = facts.together(
        lambda: facts.entity(iri),
        lambda: facts.page("body_members", params, page, size),
        lambda: facts.page("body_issued_documents", {"body": iri}, page, size),
        lambda: facts.page("body_implements", {"body": iri}, page, size),
        lambda: facts.page("links", _links_params(iri, "Event"), page, size),
    )
    entity, (members, more_members), (issued, more_issued) = lists[:3]
    (implements, more_impl), (found, more_meetings) = lists[3:]
    for row in members:
        _linked(facts, row, "person")
    for row in [*issued, *implements]:
        _linked(facts, row, "document")
    meetings = _meeting_rows(facts, found)
    facts.attach(
        [
            (members, lambda r: [(str(r["person"]), rel, iri) for rel in _MEMBER]),
            (issued, lambda r: [(str(r["document"]), "issuedBy", iri)]),
            (implements, lambda r: [(iri, "implements", str(r["document"]))]),
            (meetings, lambda r: _related(iri, str(r["event"]), " ".join(r["relations"]))),
        ]
    )
    return {
        "entity": entity,
        "date": date or "",
        "members": members,
        "issued": issued,
        "implements": implements,
        "meetings": meetings,
        "more": {
            "members": more_members,
            "issued": more_issued,
            "implements": more_impl,
            "meetings": more_meetings,
        },
    }


def document_page(facts: Facts, iri: str, page: int = 1, size: int = 50) -> Row:
    """A document: code, type, issuer, date, implementers over time."""
    entity = facts.entity(iri)
    found, _ = _links(facts, iri, "Organization", 1, size, "issuedBy")
    issuers = [
        {"issuer": r["other"], "issuerHref": r["otherHref"], "name": r["label"]} for r in found
    ]
    implementers, more = facts.page("document_implementers", {"document": iri}, page, size)
    for row in implementers:
        _linked(facts, row, "implementer")
    facts.attach(
        [
            (issuers, lambda r: [(iri, "issuedBy", str(r["issuer"]))]),
            (implementers, lambda r: [(str(r["implementer"]), "implements", iri)]),
        ]
    )
    return {
        "entity": entity,
        "issuers": issuers,
        "implementers": implementers,
        "more": {"implementers": more},
    }


def _people(
    facts: Facts, iri: str, page: int, size: int, role: str | None = None
) -> tuple[list[Row], bool]:
    """A page of the people at a meeting, with their roles (meeting_people.rq)."""
    params = {"event": iri, **({"role": role} if role else {})}
    found, more = facts.page("meeting_people", params, page, size)
    for row in found:
        _linked(facts, row, "person")
        row["roles"] = str(row["roles"] or "").split()
    return found, more


def meeting_page(facts: Facts, iri: str, page: int = 1, size: int = 50) -> Row:
    """A meeting: date, place, chair, speakers, attendees, the articles that report it."""
    entity = facts.entity(iri)
    found, _ = _links(facts, iri, "Place", 1, size)
    places = [
        {
            "place": r["other"],
            "placeHref": r["otherHref"],
            "name": r["label"],
            "relations": r["relations"],
        }
        for r in found
    ]
    chairs, _ = _people(facts, iri, 1, size, "chaired")
    speakers, _ = _people(facts, iri, 1, size, "spokeAt")
    attendees, more_people = _people(facts, iri, page, size)
    docs, more_docs = facts.page("meeting_articles", {"event": iri}, page, size)
    facts.attach(
        [
            (places, lambda r: _related(iri, str(r["place"]), " ".join(r["relations"]))),
            *[
                (people, lambda r: [(str(r["person"]), role, iri) for role in r["roles"]])
                for people in (chairs, speakers, attendees)
            ],
        ]
    )
    return {
        "entity": entity,
        "date": ", ".join(entity["properties"].get("date", [])),
        "places": places,
        "chairs": chairs,
        "speakers": speakers,
        "attendees": attendees,
        "articles": [_article(row) for row in docs],
        "more": {"attendees": more_people, "articles": more_docs},
    }


def place_page(facts: Facts, iri: str, page: int = 1, size: int = 50) -> Row:
    """A place: its bodies and their heads, its places, meetings and documents.

    province_overview reads the fact graph only (no statements); its rows are grouped by
    item here and each list cut to the page, whose rows alone get their sources.
    """
    entity = facts.entity(iri)
    items: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in facts._run("province_overview", {"province": iri}):
        item = items[str(row["kind"])].setdefault(
            str(row["item"]),
            {
                "item": row["item"],
                "itemHref": facts.href(row["item"]),
                "label": row["label"],
                "date": row["date"],
                "leaders": [],
            },
        )
        if row["person"]:
            leader = {"person": row["person"], "name": row["leader"]}
            item["leaders"].append(_linked(facts, leader, "person"))
    data: Row = {"entity": entity, "more": {}}
    lo, hi = (page - 1) * size, page * size
    for kind, name in (
        ("body", "bodies"),
        ("place", "places"),
        ("meeting", "meetings"),
        ("document", "documents"),
    ):
        every = list(items[kind].values())
        data[name] = every[lo:hi]
        data["more"][name] = len(every) > hi
    facts.attach(
        (data[name], lambda r: [(iri, None, str(r["item"])), (str(r["item"]), None, iri)])
        for name in ("bodies", "places", "meetings", "documents")
    )
    return data


def facts_page(facts: Facts, params: Mapping[str, str], page: int = 1, size: int = 50) -> Row:
    """The statements of one fact, or of every fact with a given subject or object.

    ``params``: ``subject``, ``relation``, ``object`` (entity keys or IRIs, a relation's
    local name). Each statement comes with its article, evidence sentence and source link.

    Raises:
        QueryError: neither a subject nor an object given.
    """
    given = {
        k: v.strip()
        for k, v in params.items()
        if k in ("subject", "relation", "object") and v.strip()
    }
    if "subject" not in given and "object" not in given:
        raise QueryError("/facts: give a subject or an object (and a relation)")
    query = {
        ("predicate" if k == "relation" else k): (
            v if k == "relation" else str(facts.iri_of_key(v))
        )
        for k, v in given.items()
    }
    found, more = facts.page("fact_statements", query, page, size)
    order = [str(r["statement"]) for r in found]
    details = {str(r["statement"]): r for r in facts.details(order)}
    return {
        "fact": {
            k: {"key": v, "href": facts.href(facts.iri_of_key(v)) if k != "relation" else None}
            for k, v in given.items()
        },
        "statements": [details[st] for st in order if st in details],
        "more": {"statements": more},
    }


def _article(row: Row) -> Row:
    """An article row of the store as a page shows it (see :func:`article_info`)."""
    url = row.get("url") or None
    outlet = find_outlet(url) if url else None
    return {
        "doc": row["doc"],
        "source": row.get("source") or "",
        "url": url,
        "outlet": outlet.name if outlet else (url_domain(url) if url else None),
        "date": row.get("date"),
        "headline": row.get("headline"),
        "href": source_href(str(row["doc"])),
    }


# ------------------------------------------------------------ articles and sources


def article_info(facts: Facts, doc: str) -> Row:
    """An article's source, URL, outlet, date and headline, as the store has them.

    Raises:
        QueryError: no article with that doc id.
    """
    found = facts._run("article", {"doc": doc})
    if not found:
        raise QueryError(f"{doc}: no such article in the store")
    return _article({**found[0], "doc": doc})


@functools.lru_cache(maxsize=64)
def article_text(source: str, doc: str) -> str | None:
    """The text of an article as ``kg build`` read it (None: its file is gone).

    ``source`` is the path the article was read from (``path`` or ``path:line`` for a
    record of a collection), relative to the folder ``kg build`` was given: it is looked
    up there (``kg serve --articles``, ``$KG_ARTICLES``) and in the current folder, and
    read again with :func:`kg.read.read_articles`, so the evidence offsets point into the
    same text.
    """
    path = _article_file(source) or _article_file(source.rsplit(":", 1)[0])
    if path is None:
        return None
    for item in read_articles([str(path)]):
        if isinstance(item, Article) and item.doc_id == doc:
            return item.text
        if isinstance(item, KgError):
            log.warning("%s", item)
    return None


def _article_file(source: str) -> Path | None:
    """The file a stored source names, under one of the article roots, or None."""
    roots = [Path(p) for p in os.environ.get("KG_ARTICLES", "").split(os.pathsep) if p]
    for root in [*roots, Path.cwd()]:
        if root.is_file() and root.name == source:  # the file itself was given
            return root
        found = root / source
        if found.is_file():
            return found
    return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def source_page(facts: Facts, doc: str, start: Any, end: Any, rule: str | None) -> Row:
    """An article's text cut around one evidence span: before, the span, after.

    Raises:
        QueryError: no such article, or offsets outside its text.
    """
    info = article_info(facts, doc)
    text = article_text(str(info["source"]), doc)
    lo, hi = _int(start), _int(end)
    page: Row = {"article": info, "rule": rule or "", "start": lo, "end": hi, "text": None}
    if text is None:
        return page
    if lo is not None and hi is not None:
        if not 0 <= lo <= hi <= len(text):
            raise QueryError(f"{doc}: offsets {lo}-{hi} are outside its {len(text)} characters")
        page.update(before=text[:lo], evidence=text[lo:hi], after=text[hi:])
    else:
        page.update(before=text, evidence="", after="")
    page["text"] = text
    return page


# ------------------------------------------------------------ the query library


def bind_library(facts: Facts, name: str, values: dict[str, str]) -> tuple[Query, dict[str, Node]]:
    """A question of the library by name, and its parameters resolved to RDF terms.

    Raises:
        QueryError: not a question of the library, or a value that names nothing.
    """
    library = load_queries()
    if name not in library:
        raise QueryError(f"{name!r} is not a question of the library")
    query = library[name]
    return query, bind(facts.store, query, values)


def run_library(facts: Facts, name: str, values: dict[str, str]) -> QueryResult:
    """Run a question of the library as kg query does: by its engine, a page at a time.

    ``limit`` and ``offset`` among the values choose the page (100 rows by default;
    ``truncated`` says more follow).

    Raises:
        QueryError: see :func:`bind_library`.
    """
    values, limit, offset = page_params(values, DEFAULT_PAGE, 0)
    query, bindings = bind_library(facts, name, values)
    return execute(facts.store, query.text, bindings, query.engine, limit, offset)
