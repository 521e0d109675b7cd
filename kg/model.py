"""The internal representation shared by every stage (standard library only).

Article -> (extraction) -> ArticleGraph of Entity and Relation, each relation with its
Evidence. ``ArticleGraph.to_dict`` is exactly one line of the SPEC JSONL contract
(``../shared/eval/SPEC.md`` section 1); ``from_dict`` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

# kg.vocab.EVENT, written out because the model imports nothing from kg (a test holds the two
# equal): Events always carry a "date" key in the JSON shape.
_EVENT = "Event"


class EvidenceDict(TypedDict):
    """JSON shape of :class:`Evidence` (beyond the SPEC's plain ``evidence`` string)."""

    sentence: str
    start: int
    end: int
    rule: str


class EntityDict(TypedDict):
    """JSON shape of one entity in the SPEC contract."""

    id: str
    type: str
    name: str
    mentions: NotRequired[list[str]]
    date: NotRequired[str | None]
    key: NotRequired[str]
    attrs: NotRequired[dict[str, str]]
    spans: NotRequired[list[list[int]]]


class RelationDict(TypedDict):
    """JSON shape of one relation in the SPEC contract."""

    subject: str
    predicate: str
    object: str
    evidence: NotRequired[str]
    provenance: NotRequired[EvidenceDict]
    title: NotRequired[str]
    confidence: NotRequired[float]
    starts: NotRequired[bool]


class ArticleDict(TypedDict):
    """One line of ``kg extract --format jsonl``."""

    doc: str
    entities: list[EntityDict]
    relations: list[RelationDict]
    date: NotRequired[str]
    source: NotRequired[str]
    title: NotRequired[str]
    url: NotRequired[str]
    outlet: NotRequired[str]


@dataclass(frozen=True, slots=True)
class Article:
    """One input article.

    Attributes:
        doc_id: stable id; the file base name for files (SPEC ``doc``).
        text: the article text (NFC); evidence offsets point into it.
        source: where it came from (path, ``path:line`` or URL).
        date: the article's date when known: ISO ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY``
            when only that is known (a URL's ``/201510/`` folder).
        title: headline, when the source gives one.
        url: original URL, when known.
        outlet: the outlet that published it: its site name (``og:site_name``) or, when
            only the URL is known, the URL's domain.
        skip: character spans of page furniture (menus, related-story lists, share
            buttons) that extraction must ignore; offsets stay those of ``text``.
    """

    doc_id: str
    text: str
    source: str = ""
    date: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    skip: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a relation is stated: the sentence and its character span in the article."""

    sentence: str
    start: int
    end: int
    rule: str

    def to_dict(self) -> EvidenceDict:
        """Return the JSON shape."""
        return {"sentence": self.sentence, "start": self.start, "end": self.end, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing within one article.

    Attributes:
        id: local id, unique within the article (``e1``).
        type: one of :data:`kg.vocab.ENTITY_TYPES`.
        name: canonical name (SPEC section 3).
        key: cross-article identity key from :mod:`kg.ids` (same thing, same key).
        mentions: surface forms as written, in order of first appearance.
        spans: character spans ``(start, end)`` of the mentions in the article text.
        date: ISO date of a Document or Event (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``),
            when known. An Event's is the date the text gives for it, never the article's
            publication date; an Event the text gives no date for has None, written
            ``"date": null`` by :meth:`to_dict` (every event has a date or says it has none).
        attrs: extra typed facts as strings (document type, number, issuer code, ...).
    """

    id: str
    type: str
    name: str
    key: str
    mentions: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    date: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, name: str) -> str | None:
        """Return one of :attr:`attrs` by name, or None."""
        for k, v in self.attrs:
            if k == name:
                return v
        return None

    def to_dict(self) -> EntityDict:
        """Return the SPEC JSON shape (plus our provenance keys).

        ``date`` is written when known, and as ``null`` for an Event without one, so that
        every event either has a date or says it has none (the scorer ignores dates).
        """
        d: EntityDict = {"id": self.id, "type": self.type, "name": self.name, "key": self.key}
        if self.mentions:
            d["mentions"] = list(self.mentions)
        if self.spans:
            d["spans"] = [list(s) for s in self.spans]
        if self.date or self.type == _EVENT:
            d["date"] = self.date or None
        if self.attrs:
            d["attrs"] = dict(self.attrs)
        return d

    @classmethod
    def from_dict(cls, d: EntityDict | dict[str, Any]) -> Entity:
        """Build from the JSON shape written by :meth:`to_dict`."""
        return cls(
            id=d["id"],
            type=d["type"],
            name=d["name"],
            key=d.get("key", ""),
            mentions=tuple(d.get("mentions", ())),
            spans=tuple((int(a), int(b)) for a, b in d.get("spans", ())),
            date=d.get("date"),
            attrs=tuple(sorted(d.get("attrs", {}).items())),
        )


@dataclass(frozen=True, slots=True)
class Relation:
    """One stated fact between two entities of the same article.

    Attributes:
        subject: local id of the subject entity.
        predicate: one of :data:`kg.vocab.PREDICATES`.
        object: local id of the object entity.
        evidence: the sentence that states it.
        title: for memberOf/headOf, the title as written ("Standing Deputy Secretary").
        confidence: the probability that the fact is right: the measured precision of the
            rule that stated it (:mod:`kg.extract.confidence`), None when unknown.
        starts: for memberOf/headOf, the sentence says the post begins then ("was
            elected", "was appointed", "took over", "newly appointed"); written only when
            True, so the JSON of other relations is unchanged.
    """

    subject: str
    predicate: str
    object: str
    evidence: Evidence | None = None
    title: str | None = None
    confidence: float | None = None
    starts: bool = False

    def to_dict(self) -> RelationDict:
        """Return the SPEC JSON shape (plus our provenance keys)."""
        d: RelationDict = {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
        }
        if self.evidence is not None:
            d["evidence"] = self.evidence.sentence
            d["provenance"] = self.evidence.to_dict()
        if self.title:
            d["title"] = self.title
        if self.confidence is not None:
            d["confidence"] = self.confidence
        if self.starts:
            d["starts"] = True
        return d

    @classmethod
    def from_dict(cls, d: RelationDict | dict[str, Any]) -> Relation:
        """Build from the JSON shape written by :meth:`to_dict`."""
        ev = None
        prov = d.get("provenance")
        if prov:
            ev = Evidence(prov["sentence"], int(prov["start"]), int(prov["end"]), prov["rule"])
        elif d.get("evidence"):
            ev = Evidence(d["evidence"], -1, -1, "")
        confidence = d.get("confidence")
        return cls(
            d["subject"],
            d["predicate"],
            d["object"],
            ev,
            d.get("title"),
            None if confidence is None else float(confidence),
            bool(d.get("starts", False)),
        )


@dataclass(frozen=True, slots=True)
class ArticleGraph:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    _by_id: dict[str, Entity] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.entities})

    @property
    def doc_id(self) -> str:
        """The article's id (SPEC ``doc``)."""
        return self.article.doc_id

    def entity(self, local_id: str) -> Entity:
        """Return the entity with this local id (KeyError if absent)."""
        return self._by_id[local_id]

    def to_dict(self) -> ArticleDict:
        """Return one SPEC JSONL record."""
        d: ArticleDict = {
            "doc": self.article.doc_id,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
        }
        if self.article.date:
            d["date"] = self.article.date
        if self.article.source:
            d["source"] = self.article.source
        if self.article.title:
            d["title"] = self.article.title
        if self.article.url:
            d["url"] = self.article.url
        if self.article.outlet:
            d["outlet"] = self.article.outlet
        return d

    @classmethod
    def from_dict(cls, d: ArticleDict | dict[str, Any], text: str = "") -> ArticleGraph:
        """Build from a SPEC JSONL record (the article text is not part of it)."""
        art = Article(
            doc_id=d["doc"],
            text=text,
            source=d.get("source", ""),
            date=d.get("date"),
            title=d.get("title"),
            url=d.get("url"),
            outlet=d.get("outlet"),
        )
        return cls(
            art,
            tuple(Entity.from_dict(e) for e in d.get("entities", [])),
            tuple(Relation.from_dict(r) for r in d.get("relations", [])),
        )
