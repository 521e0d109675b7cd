"""One function per entity page: the facts it shows, each with the links to its sources.

Stage: answer (web). Input: :class:`~kg.answer.web.facts.Facts` and an entity IRI (or an
article's doc id); output: the page's JSON-ready dict. The library questions
(career_timeline, meeting_participants, co_attendees, body_members, body_issued_documents,
body_implements, document_implementers, province_overview) give the rows; the entity's
statements give every row its source links. Reads an article's file for its text.
"""

from __future__ import annotations

import functools
import logging
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib.term import Node

from kg.answer.queries import Query, bind, load_queries
from kg.answer.runner import DEFAULT_PAGE, execute, page_params
from kg.answer.web.facts import _ATTENDED, _MEMBER, Facts, Row, source_href
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


def person_page(facts: Facts, iri: str) -> Row:
    """A person: posts over time, meetings with role and date, officials met most often."""
    entity = facts.entity(iri)
    statements = facts.statements(iri)
    posts = facts._run("career_timeline", {"person": iri})
    for row in posts:
        _linked(facts, row, "body")
        row["sources"] = facts.sources(statements, row["body"], [row["relation"]])
    meetings = [
        _linked(facts, row, "event")
        for row in facts._run("meeting_participants", {"person": iri})
        if row["participant"] == iri
    ]
    for row in meetings:
        row["sources"] = facts.sources(statements, row["event"], _ATTENDED)
    evidence: dict[str, list[str]] = defaultdict(list)
    for row in facts._run("coattendance_evidence", {"person": iri}):
        evidence[str(row["other"])].append(
            source_href(row["doc"], row["start"], row["end"], row["rule"])
        )
    met = facts._run("co_attendees", {"person": iri})
    for row in met:
        _linked(facts, row, "other")
        row["sources"] = list(dict.fromkeys(evidence.get(str(row["other"]), [])))
    return {
        "entity": entity,
        "posts": posts,
        "meetings": meetings,
        "coAttendees": met,
        "statements": statements,
    }


def body_page(facts: Facts, iri: str, date: str | None = None) -> Row:
    """A body: who holds which post as of ``date``, documents issued and implemented."""
    entity = facts.entity(iri)
    statements = facts.statements(iri)
    params = {"body": iri, **({"date": date} if date else {})}
    members = facts._run("body_members", params)
    for row in members:
        _linked(facts, row, "person")
        row["sources"] = facts.sources(statements, row["person"], _MEMBER)
    issued = facts._run("body_issued_documents", {"body": iri})
    implements = facts._run("body_implements", {"body": iri})
    for row in [*issued, *implements]:
        _linked(facts, row, "document")
        row["sources"] = facts.sources(statements, row["document"], ["issuedBy", "implements"])
    meetings = _meetings_of(facts, statements, iri)
    return {
        "entity": entity,
        "date": date or "",
        "members": members,
        "issued": issued,
        "implements": implements,
        "meetings": meetings,
        "statements": statements,
    }


def _meetings_of(facts: Facts, statements: list[Row], iri: str) -> list[Row]:
    """The meetings a statement links to the entity, with the relation and sources."""
    found: dict[str, Row] = {}
    for row in statements:
        end = "object" if row["subject"] == iri else "subject"
        if row[f"{end}Type"] != "Event":
            continue
        item = found.setdefault(
            str(row[end]),
            {
                "event": row[end],
                "eventHref": facts.href(row[end]),
                "meeting": row[f"{end}Label"],
                "relations": [],
                "sources": [],
            },
        )
        if row["relation"] not in item["relations"]:
            item["relations"].append(row["relation"])
        if row["source"] not in item["sources"]:
            item["sources"].append(row["source"])
    return sorted(found.values(), key=lambda r: str(r["meeting"]))


def document_page(facts: Facts, iri: str) -> Row:
    """A document: code, type, issuer, date, implementers over time."""
    entity = facts.entity(iri)
    statements = facts.statements(iri)
    issuers = [
        {"issuer": r["object"], "issuerHref": r["objectHref"], "name": r["objectLabel"]}
        for r in statements
        if r["subject"] == iri and r["relation"] == "issuedBy"
    ]
    issuers = list({r["issuer"]: r for r in issuers}.values())
    for row in issuers:
        row["sources"] = facts.sources(statements, row["issuer"], ["issuedBy"])
    implementers = facts._run("document_implementers", {"document": iri})
    for row in implementers:
        _linked(facts, row, "implementer")
        row["sources"] = facts.sources(statements, row["implementer"], ["implements"])
    return {
        "entity": entity,
        "issuers": issuers,
        "implementers": implementers,
        "statements": statements,
    }


def meeting_page(facts: Facts, iri: str) -> Row:
    """A meeting: date, place, chair, speakers, attendees, the articles that report it."""
    entity = facts.entity(iri)
    statements = facts.statements(iri)
    people: dict[str, Row] = {}
    places: dict[str, Row] = {}
    for row in statements:
        if row["object"] == iri and row["relation"] in _ATTENDED:
            who = people.setdefault(
                str(row["subject"]),
                {
                    "person": row["subject"],
                    "personHref": row["subjectHref"],
                    "name": row["subjectLabel"],
                    "roles": [],
                    "sources": [],
                },
            )
            if row["relation"] not in who["roles"]:
                who["roles"].append(row["relation"])
            who["sources"].append(row["source"])
        elif row["subject"] == iri and row["objectType"] == "Place":
            where = places.setdefault(
                str(row["object"]),
                {
                    "place": row["object"],
                    "placeHref": row["objectHref"],
                    "name": row["objectLabel"],
                },
            )
            where.setdefault("sources", []).append(row["source"])
    ordered = sorted(people.values(), key=lambda r: str(r["name"]))

    def having(role: str) -> list[Row]:
        return [r for r in ordered if role in r["roles"]]

    docs = sorted({str(r["doc"]) for r in statements})
    return {
        "entity": entity,
        "date": ", ".join(entity["properties"].get("date", [])),
        "places": list(places.values()),
        "chairs": having("chaired"),
        "speakers": having("spokeAt"),
        "attendees": ordered,
        "articles": [article_info(facts, doc) for doc in docs],
        "statements": statements,
    }


def place_page(facts: Facts, iri: str) -> Row:
    """A place: its bodies and their heads, its places, meetings and documents."""
    entity = facts.entity(iri)
    statements = facts.statements(iri)
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
                "sources": facts.sources(statements, row["item"]),
            },
        )
        if row["person"]:
            leader = {"person": row["person"], "name": row["leader"]}
            item["leaders"].append(_linked(facts, leader, "person"))
    return {
        "entity": entity,
        "bodies": list(items["body"].values()),
        "places": list(items["place"].values()),
        "meetings": list(items["meeting"].values()),
        "documents": list(items["document"].values()),
        "statements": statements,
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
    row = found[0]
    url = row.get("url") or None
    outlet = find_outlet(url) if url else None
    return {
        "doc": doc,
        "source": row.get("source") or "",
        "url": url,
        "outlet": outlet.name if outlet else (url_domain(url) if url else None),
        "date": row.get("date"),
        "headline": row.get("headline"),
        "href": source_href(doc),
    }


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
