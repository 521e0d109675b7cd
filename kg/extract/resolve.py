"""Within-article resolution: mentions -> one entity per real-world thing.

Stage: resolve. Input: the mentions of one article (:mod:`kg.extract.mentions`). Output: a
:class:`Resolution` mapping every mention to a local entity id (``e1``...), with
canonical names, surface forms and character spans, and cross-article keys
(:func:`kg.ids.entity_key`). Short references ("General Secretary Trong", "Comrade
Hai") join the unique full name they end with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import vocab
from kg.extract.lexicon import Place
from kg.extract.mentions import DOC, ORG, PERSON, PLACE, SHORTREF, Mention
from kg.ids import entity_key
from kg.names import fold, norm_key
from kg.vocab import DOCUMENT, ORGANIZATION

_TYPE = {PERSON: vocab.PERSON, ORG: ORGANIZATION, PLACE: vocab.PLACE, DOC: DOCUMENT}


@dataclass(slots=True)
class Draft:
    """An entity being assembled (mutable until the pipeline freezes it)."""

    id: str
    type: str
    name: str
    key: str
    mentions: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    date: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)

    def add(self, surface: str, span: tuple[int, int] | None) -> None:
        """Record one more mention (surface forms kept once, spans all)."""
        if surface and surface not in self.mentions:
            self.mentions.append(surface)
        if span is not None and span not in self.spans:
            self.spans.append(span)


class Resolution:
    """The entities of one article and which mention belongs to which."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self._by_key: dict[tuple[str, str], Draft] = {}
        self._of: dict[int, Draft] = {}

    def entity_of(self, m: Mention | None) -> Draft | None:
        """The entity a mention was resolved to, or None."""
        return None if m is None else self._of.get(id(m))

    def get_or_add(self, etype: str, name: str, match_key: str, key: str) -> Draft:
        """Return the entity with this match key, creating it if needed."""
        k = (etype, match_key)
        d = self._by_key.get(k)
        if d is None:
            d = Draft(f"e{len(self.drafts) + 1}", etype, name, key)
            self.drafts.append(d)
            self._by_key[k] = d
        return d

    def link(self, m: Mention, d: Draft, text: str) -> None:
        """Attach a mention to an entity."""
        self._of[id(m)] = d
        d.add(text[m.start_char : m.end_char], (m.start_char, m.end_char))

    def place(self, place: Place | None, name: str | None = None) -> Draft | None:
        """The Place entity for a gazetteer place (or a bare place name), created if needed."""
        if place is not None:
            return self.get_or_add(
                vocab.PLACE, place.display, place.id, entity_key(vocab.PLACE, place.display)
            )
        if name:
            return self.get_or_add(vocab.PLACE, name, norm_key(name), entity_key(vocab.PLACE, name))
        return None


def resolve_mentions(mentions: list[Mention], text: str) -> Resolution:
    """Group mentions into entities.

    Args:
        mentions: the article's mentions in text order.
        text: the article text (for surface forms).

    Returns:
        The resolution: entities plus the mention -> entity map.
    """
    res = Resolution()
    persons = [m for m in mentions if m.label == PERSON]
    full = _full_names(persons)
    for m in mentions:
        etype = _TYPE.get(m.label)
        if etype is None or not m.name or m.info.get("virtual"):
            continue
        if m.label == PERSON:
            name = full.get(fold(m.name).lower(), m.name)
            d = res.get_or_add(
                vocab.PERSON, name, fold(name).lower(), entity_key(vocab.PERSON, name)
            )
        elif m.label == PLACE:
            place = m.info.get("place")
            if isinstance(place, Place):
                d = res.place(place)  # type: ignore[assignment]
            else:
                d = res.place(None, m.name)  # type: ignore[assignment]
            if d is None:
                continue
        elif m.label == DOC:
            code = m.info.get("code")
            match = code.upper() if code else norm_key(m.name)
            d = res.get_or_add(DOCUMENT, m.name, match, entity_key(DOCUMENT, m.name, code=code))
            for k in ("type", "code", "number", "issuer_code"):
                if m.info.get(k):
                    d.attrs.setdefault(k if k != "type" else "doc_type", m.info[k])
        else:
            d = res.get_or_add(
                ORGANIZATION, m.name, norm_key(m.name), entity_key(ORGANIZATION, m.name)
            )
        res.link(m, d, text)
    _short_refs(mentions, res, text)
    return res


def _full_names(persons: list[Mention]) -> dict[str, str]:
    """Map partial names ("Phu Trong") to the unique longer name they end ("Nguyen Phu Trong")."""
    names = {fold(m.name).lower(): m.name for m in persons}
    out: dict[str, str] = {}
    for low in names:
        longer = [n for n in names if n != low and n.endswith(" " + low)]
        if len(longer) == 1:
            out[low] = names[longer[0]]
    return out


def _short_refs(mentions: list[Mention], res: Resolution, text: str) -> None:
    persons = [d for d in res.drafts if d.type == vocab.PERSON]
    for m in mentions:
        if m.label != SHORTREF:
            continue
        last = fold(m.name).lower()
        hits = [d for d in persons if fold(d.name).lower().split()[-1] == last]
        if len(hits) == 1:
            res.link(m, hits[0], text)
