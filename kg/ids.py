"""Deterministic identity: canonical keys and IRIs (the only place ids are minted).

Input: an entity's type and canonical facts; output: a key such as
``person/nguyen-phu-trong`` that is equal for the same real thing in every article
(diacritic-insensitive), and the IRI ``<base>id/<key>``.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote

from kg.names import fold, slug
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

    Documents with a code are keyed on the code (as :func:`doc_code` writes it) and,
    when known and the code does not carry a year itself, the year: party documents
    are renumbered every term, so 18-NQ/TW of 2017 and of 2022 differ, while
    05/2022/NQ-HĐND is one document whatever the text says of its date. A mention
    that does not give the year is settled at build time (:mod:`kg.graph.identity`).
    Events are keyed on date, place and organising body when known.

    Examples:
        >>> entity_key("Person", "Nguyễn Phú Trọng")
        'person/nguyen-phu-trong'
        >>> entity_key("Person", "Nguyen Phu Trong")
        'person/nguyen-phu-trong'
        >>> entity_key("Document", "Resolution No. 18-NQ/TW", code="18-NQ/TW", year="2017")
        'doc/18-nq-tw/2017'
        >>> entity_key("Document", "x", code="No. 05/2022/NQ-HĐND", year="2022")
        'doc/05-2022-nq-hdnd'
        >>> entity_key("Event", "conference", date="2024-01-10", place="Lang Son")
        'event/2024-01-10/lang-son'
    """
    path = _TYPE_PATH[etype]
    if etype == DOCUMENT and code:
        code = doc_code(code)
        with_year = year and not code_year(code)
        return f"{path}/{slug(code)}" + (f"/{year}" if with_year else "")
    if etype == EVENT and date:
        parts = [date] + [slug(p) for p in (place, body) if p]
        return f"{path}/" + "/".join(parts)
    return f"{path}/{slug(name)}"


_NUMBER_WORD = re.compile(r"^(?:no\.?|number|#)\s*", re.I)
_CODE_YEAR = re.compile(r"(?<=[/-])((?:19|20)\d\d)(?=[/-])")
_YEAR_SUFFIX = re.compile(r"/((?:19|20)\d\d)$")


def doc_code(code: str) -> str:
    """Return a document code as keys use it: no "No.", no spaces, upper case, folded.

    Examples:
        >>> doc_code("No. 18-nq/tw"), doc_code("05 / 2022 / NQ-HĐND")
        ('18-NQ/TW', '05/2022/NQ-HDND')
    """
    return re.sub(r"\s+", "", fold(_NUMBER_WORD.sub("", code.strip()))).upper()


def code_year(code: str) -> str | None:
    """Return the year a document code carries ("05/2022/NQ-HĐND"), if any.

    Examples:
        >>> code_year("05/2022/NQ-HĐND"), code_year("18-NQ/TW")
        ('2022', None)
    """
    found = _CODE_YEAR.search(doc_code(code))
    return found.group(1) if found else None


def doc_key_variants(key: str) -> list[str]:
    """A year-less document key and every key that :func:`doc_key_year` splits into it.

    The years are those :data:`_YEAR_SUFFIX` admits, so the stored nodes of one
    document can be looked up by IRI instead of found by scanning every document.

    Examples:
        >>> keys = doc_key_variants("doc/18-nq-tw")
        >>> len(keys), keys[:2], keys[-1]
        (201, ['doc/18-nq-tw', 'doc/18-nq-tw/1900'], 'doc/18-nq-tw/2099')
        >>> all(doc_key_year(k) == ("doc/18-nq-tw", k[-4:]) for k in keys[1:])
        True
        >>> doc_key_year("doc/18-nq-tw/1899"), doc_key_year("doc/18-nq-tw/2100")[1]
        (('doc/18-nq-tw/1899', None), None)
    """
    return [key] + [f"{key}/{year}" for year in range(1900, 2100)]


def doc_key_year(key: str) -> tuple[str, str | None]:
    """Split a coded document's key into the key without its year, and the year.

    Examples:
        >>> doc_key_year("doc/18-nq-tw/2017"), doc_key_year("doc/18-nq-tw")
        (('doc/18-nq-tw', '2017'), ('doc/18-nq-tw', None))
    """
    found = _YEAR_SUFFIX.search(key)
    return (key[: found.start()], found.group(1)) if found else (key, None)


def congress_key(level: str | None, place: str | None, ordinal: str | None) -> str:
    """Return the key of a party congress from its level, place and ordinal.

    The name of a congress varies with how an article writes it; these three do not,
    so the 17th congresses of two provinces are two nodes and "the 13th Party Congress"
    and "the 13th National Party Congress" one.

    Examples:
        >>> congress_key("Provincial", "Lạng Sơn", "17th")
        'org/congress/provincial/lang-son/17'
        >>> congress_key("National", None, "13th")
        'org/congress/national/13'
    """
    parts = [slug(level or "local")]
    if place and slug(level or "") != "national":
        parts.append(slug(place))
    if ordinal:
        number = re.match(r"\d+", ordinal)
        parts.append(number.group(0) if number else slug(ordinal))
    return "org/congress/" + "/".join(parts)


def is_congress_key(key: str) -> bool:
    """Tell whether an entity key is a congress's (:func:`congress_key`).

    Examples:
        >>> is_congress_key("org/congress/national/13"), is_congress_key("org/congress")
        (True, False)
    """
    return key.startswith("org/congress/")


def occasion_key(doc_type: str, number: str | None, issuer_key: str) -> str:
    """Return the key of an unnumbered document: its type, number and issuing occasion.

    "Resolution of the 13th National Party Congress" is the resolution of that
    congress however the congress is written, so the key follows the issuer's key.

    Examples:
        >>> occasion_key("Resolution", None, "org/congress/national/13")
        'doc/resolution/of/congress/national/13'
        >>> occasion_key("Plan", "05", "org/lang-son-provincial-party-committee")
        'doc/plan/05/of/lang-son-provincial-party-committee'
    """
    issuer = issuer_key.split("/", 1)[1] if "/" in issuer_key else issuer_key
    parts = [slug(doc_type)] + ([slug(number)] if number else []) + ["of", issuer]
    return "doc/" + "/".join(parts)


def undated_event_key(name: str, doc_id: str) -> str:
    """Return the key of a meeting an article reports without a date.

    A name such as "meeting" says nothing of which meeting, so without a date the
    meeting is the article's own until build time finds the same meeting elsewhere.

    The article is written exactly (:func:`doc_segment`), so two articles whose ids
    differ only in punctuation never share a meeting.

    Examples:
        >>> undated_event_key("working session", "a/b.txt")
        'event/undated/a%2Fb.txt/working-session'
    """
    return f"event/undated/{doc_segment(doc_id)}/{slug(name)}"


def entity_iri(key: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of an entity key under a base IRI.

    Examples:
        >>> entity_iri("place/lang-son")
        'https://kg.example.org/id/place/lang-son'
    """
    return _iri(base, "id", key)


def graph_iri(doc_id: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of an article's named graph.

    The doc id is written exactly (:func:`doc_segment`): two articles never share a graph.

    Examples:
        >>> graph_iri("000_0e8fbe108fad76ea.txt")
        'https://kg.example.org/graph/000_0e8fbe108fad76ea.txt'
        >>> graph_iri("a&b.txt"), graph_iri("a_b.txt")
        ('https://kg.example.org/graph/a%26b.txt', 'https://kg.example.org/graph/a_b.txt')
    """
    return _iri(base, "graph", doc_segment(doc_id))


def article_iri(doc_id: str, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of the article itself (the PROV entity facts derive from).

    Examples:
        >>> article_iri("a b.txt")
        'https://kg.example.org/article/a%20b.txt'
    """
    return _iri(base, "article", doc_segment(doc_id))


def doc_segment(doc_id: str) -> str:
    """Write a doc id as one IRI path segment, exactly: every id has its own segment.

    ASCII letters, digits, ``-._~:@`` stay as they are, so ordinary file names read
    the same; every other character (``%`` included) is percent-encoded as UTF-8, so
    ``a b.txt``, ``a&b.txt`` and ``a_b.txt`` (or ``Hội nghị.txt`` and
    ``Hoi nghi.txt``) stay apart and :func:`doc_of_segment` gives the id back.

    Examples:
        >>> doc_segment("000_0e8fbe108fad76ea.txt"), doc_segment("news.jsonl:3")
        ('000_0e8fbe108fad76ea.txt', 'news.jsonl:3')
        >>> doc_segment("Hội nghị.txt")
        'H%E1%BB%99i%20ngh%E1%BB%8B.txt'
        >>> doc_segment("50%.txt")
        '50%25.txt'
    """
    return quote(doc_id, safe=":@")


def text_hash(text: str) -> str:
    """Return the SHA-256 of an article's text (UTF-8), in hex: what tells two versions apart.

    Examples:
        >>> text_hash("Ana Lum spoke.")[:12]
        '1ebc06d58388'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def doc_of_segment(segment: str) -> str:
    """Return the doc id a path segment of :func:`doc_segment` was written from.

    Examples:
        >>> doc_of_segment(doc_segment("a&b 50%.txt"))
        'a&b 50%.txt'
    """
    return unquote(segment)


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
