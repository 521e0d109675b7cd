"""Deterministic identity: canonical keys and IRIs (the only place ids are minted).

Input: an entity's type and canonical facts; output: a key such as
``person/nguyen-phu-trong`` that is equal for the same real thing in every article
(diacritic-insensitive), and the IRI ``<base>id/<key>``.
"""

from __future__ import annotations

from kg.names import slug
from kg.vocab import DOCUMENT, EVENT, ORGANIZATION, PERSON, PLACE

DEFAULT_BASE = "https://kg.example.org/"

_TYPE_PATH = {
    PERSON: "person",
    ORGANIZATION: "org",
    PLACE: "place",
    DOCUMENT: "doc",
    EVENT: "event",
}


def entity_key(
    etype: str,
    name: str,
    *,
    code: str | None = None,
    year: str | None = None,
    date: str | None = None,
    place: str | None = None,
    body: str | None = None,
) -> str:
    """Return the cross-article key of an entity.

    Documents with a code are keyed on the code and, when known, the year: party
    documents are renumbered every term, so 18-NQ/TW of 2017 and of 2022 differ.
    Events are keyed on date, place and organising body when known.

    Examples:
        >>> entity_key("Person", "Nguyễn Phú Trọng")
        'person/nguyen-phu-trong'
        >>> entity_key("Person", "Nguyen Phu Trong")
        'person/nguyen-phu-trong'
        >>> entity_key("Document", "Resolution No. 18-NQ/TW", code="18-NQ/TW", year="2017")
        'doc/18-nq-tw/2017'
        >>> entity_key("Event", "conference", date="2024-01-10", place="Lang Son")
        'event/2024-01-10/lang-son'
    """
    path = _TYPE_PATH[etype]
    if etype == DOCUMENT and code:
        return f"{path}/{slug(code)}" + (f"/{year}" if year else "")
    if etype == EVENT and date:
        parts = [date] + [slug(p) for p in (place, body) if p]
        return f"{path}/" + "/".join(parts)
    return f"{path}/{slug(name)}"


def entity_iri(key: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of an entity key under a base IRI.

    Examples:
        >>> entity_iri("place/lang-son")
        'https://kg.example.org/id/place/lang-son'
    """
    return _iri(base, "id", key)


def graph_iri(doc_id: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of an article's named graph.

    Examples:
        >>> graph_iri("000_0e8fbe108fad76ea.txt")
        'https://kg.example.org/graph/000_0e8fbe108fad76ea.txt'
    """
    return _iri(base, "graph", slug_doc(doc_id))


def article_iri(doc_id: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of the article itself (the PROV entity facts derive from).

    Examples:
        >>> article_iri("a b.txt")
        'https://kg.example.org/article/a_b.txt'
    """
    return _iri(base, "article", slug_doc(doc_id))


def _iri(base: str, segment: str, local: str) -> str:
    """Join a base IRI, the path segment of one kind of node and an IRI-safe local part.

    Examples:
        >>> _iri("https://kg.example.org/", "graph", "a.txt")
        'https://kg.example.org/graph/a.txt'
    """
    return f"{base}{segment}/{local}"


def slug_doc(doc_id: str) -> str:
    """Make a document id safe inside an IRI while keeping it readable.

    Examples:
        >>> slug_doc("000_0e8fbe108fad76ea.txt")
        '000_0e8fbe108fad76ea.txt'
        >>> slug_doc("news/Hà Nội 1.html")
        'news_Ha_Noi_1.html'
    """
    from kg.names import fold

    out = []
    for ch in fold(doc_id):
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in "-._~") else "_")
    return "".join(out)


def fragment_iri(doc_id: str, *parts: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of a node that exists only inside one article's graph.

    Occurrences, statements, their evidence and memberships are facts *of one article*,
    so they hang off the article's IRI as a fragment path; each part is made IRI-safe.

    Examples:
        >>> fragment_iri("a.txt", "relation", "3", "evidence")
        'https://kg.example.org/article/a.txt#relation/3/evidence'
        >>> fragment_iri("a.txt", "entity", "e 1/x")
        'https://kg.example.org/article/a.txt#entity/e_1_x'
    """
    return article_iri(doc_id, base) + "#" + "/".join(slug_doc(p) for p in parts)


def role_key(title: str) -> str:
    """Return the key of a role (an org:Role shared across articles) from a title as written.

    Examples:
        >>> role_key("Standing Deputy Secretary")
        'role/standing-deputy-secretary'
    """
    return f"role/{slug(title)}"
