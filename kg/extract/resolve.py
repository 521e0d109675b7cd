"""Within-article resolution: mentions -> one entity per real-world thing.

Stage: resolve. Input: the mentions of one article (:mod:`kg.extract.mentions`). Output: a
:class:`Resolution` mapping every mention to a local entity id (``e1``...), with
canonical names, surface forms and character spans, and cross-article keys
(:func:`kg.ids.entity_key`; congresses by level, place and ordinal, documents named by
their issuer by that issuer's key). Short references ("General Secretary Trong", "Comrade
Hai") join the unique full name they end with. Reads ``lexicons/identity.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg import vocab
from kg.extract.lexicon import Place, lexicon
from kg.extract.mentions import DOC, ORG, PERSON, PLACE, SHORTREF, Mention, main_province
from kg.ids import congress_key, entity_key, occasion_key
from kg.names import fold, norm_key
from kg.resources import load_yaml
from kg.vocab import DOCUMENT, ORGANIZATION

_TYPE = {PERSON: vocab.PERSON, ORG: ORGANIZATION, PLACE: vocab.PLACE, DOC: DOCUMENT}
_CONGRESS_HEADS = ("party-congress", "national-party-congress")


@cache
def national_congress_max() -> int:
    """The ordinal of the latest National Party Congress (``lexicons/identity.yaml``)."""
    return int(load_yaml("lexicons/identity.yaml")["national_congress_max"])


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
    bodies = _BodyKeys(mentions)
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
            d = _document(res, m, bodies)
        else:
            name, key = bodies.of(m)
            d = res.get_or_add(ORGANIZATION, name, norm_key(name), key)
        res.link(m, d, text)
    _short_refs(mentions, res, text)
    return res


def _document(res: Resolution, m: Mention, bodies: _BodyKeys) -> Draft:
    """The Document entity of a mention: keyed on its code, else on its issuing occasion."""
    code = m.info.get("code")
    issuer = m.info.get("issuer")
    name = m.name
    if code:
        key = entity_key(DOCUMENT, name, code=code)
        match = code.upper()
    elif isinstance(issuer, Mention) and issuer.label == ORG and issuer.name:
        issuer_name, issuer_key = bodies.of(issuer)
        num = m.info.get("number") or None
        dtype = m.info.get("type") or "Document"
        if issuer_name != issuer.name:
            name = f"{dtype} {num} of the {issuer_name}" if num else f"{dtype} of the {issuer_name}"
        key, match = occasion_key(dtype, num, issuer_key), norm_key(name)
    else:
        key, match = entity_key(DOCUMENT, name), norm_key(name)
    d = res.get_or_add(DOCUMENT, name, match, key)
    for k in ("type", "code", "number", "issuer_code"):
        if m.info.get(k):
            d.attrs.setdefault(k if k != "type" else "doc_type", m.info[k])
    return d


class _BodyKeys:
    """Names and keys of bodies: congresses by level, place and ordinal, others by name."""

    def __init__(self, mentions: list[Mention]) -> None:
        self._mentions = mentions
        self._main: list[Place | None] = []

    def main(self) -> Place | None:
        """The article's province (computed once, only when a congress needs it)."""
        if not self._main:
            self._main.append(main_province(self._mentions, lexicon()))
        return self._main[0]

    def of(self, m: Mention) -> tuple[str, str]:
        """Return the canonical name and the cross-article key of a body mention."""
        info = m.info
        ordinal = info.get("ordinal")
        if info.get("head") not in _CONGRESS_HEADS:
            return m.name, entity_key(ORGANIZATION, m.name)
        if info.get("head") == "national-party-congress" or info.get("level") == "National":
            number = re.match(r"\d+", ordinal or "")
            if number is None or int(number.group(0)) <= national_congress_max():
                return m.name, congress_key("National", None, ordinal)
            # "the 17th Party Congress": no national congress has that number yet, so
            # it is the congress of the province the article is about
            main = self.main()
            if main is None:
                return m.name, entity_key(ORGANIZATION, m.name)
            level = None if main.municipality else "Provincial"
            name = " ".join(p for p in (ordinal, main.name, level, "Party Congress") if p)
            return name, congress_key(main.kind, main.id, ordinal)
        place = info.get("resolved_place")
        if isinstance(place, Place):
            return m.name, congress_key(place.kind, place.id, ordinal)
        place_name = info.get("resolved_place_name")
        if place_name:
            return m.name, congress_key(info.get("level"), place_name, ordinal)
        return m.name, entity_key(ORGANIZATION, m.name)


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
