"""Lookups built once from the data files: places, central bodies, titles, body heads.

Input: ``kg/data/gazetteers/*.jsonl`` and ``kg/data/lexicons/*.yaml``; output: one
cached :class:`Lexicon` with dictionaries keyed by ids and folded names. No spaCy here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.names import fold, norm_key, spelling_variants
from kg.resources import load_jsonl, load_yaml
from kg.vocab import ATTENDED, CHAIRED, IMPLEMENTS, ISSUED_BY, SPOKE_AT


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer place."""

    id: str
    name: str
    kind: str
    parent: str | None = None
    capital: str | None = None
    same_name_as_province: bool = False
    municipality: bool = False

    @property
    def display(self) -> str:
        """Canonical name: a city sharing its province's name keeps "city" (SPEC 3)."""
        return f"{self.name} city" if self.same_name_as_province else self.name


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the extractor looks up, keyed for fast access."""

    places: dict[str, Place]
    place_by_name: dict[str, str]
    bodies: dict[str, dict[str, Any]]
    body_by_name: dict[str, str]
    titles: dict[str, dict[str, Any]]
    title_overrides: dict[str, dict[str, dict[str, str]]]
    group_words: frozenset[str]
    heads: dict[str, dict[str, Any]]
    levels: dict[str, str]
    tail_words: frozenset[str]
    surnames: frozenset[str]
    middle_names: frozenset[str]
    doc_types: tuple[str, ...]
    issued_types: frozenset[str]
    code_regex: str
    number_words: tuple[str, ...]
    planning_heads: tuple[str, ...]
    cues: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    generic_actors: frozenset[str] = frozenset()
    speech_objects: dict[str, frozenset[str]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    issuer_codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def place(self, place_id: str | None) -> Place | None:
        """Return a place by id."""
        return self.places.get(place_id or "")

    def place_named(self, name: str) -> Place | None:
        """Return a place by any of its names (folded, case-insensitive)."""
        return self.places.get(self.place_by_name.get(norm_key(name), ""))

    def province_of(self, place_id: str | None) -> Place | None:
        """Return the province a place belongs to (itself for a province)."""
        seen = 0
        p = self.place(place_id)
        while p is not None and p.kind not in ("province",) and seen < 5:
            p = self.place(p.parent)
            seen += 1
        return p if p is not None and p.kind == "province" else None

    def body_canonical(self, name: str) -> str | None:
        """Return the canonical name of a central body from any alias, or None."""
        for form in spelling_variants(name):
            found = self.body_by_name.get(norm_key(form))
            if found:
                return found
        return None


def _cues() -> dict[str, dict[str, frozenset[str]]]:
    out: dict[str, dict[str, set[str]]] = {}
    for pred in (ATTENDED, CHAIRED, SPOKE_AT, IMPLEMENTS, ISSUED_BY):
        recs = load_jsonl(f"patterns/relations/{pred}.jsonl", ("predicate",))
        d = out.setdefault(pred, {"lemmas": set(), "participles": set(), "phrases": set()})
        for rec in recs:
            for k in ("lemmas", "participles", "phrases"):
                d[k].update(w.lower() for w in rec.get(k, []))
    return {p: {k: frozenset(v) for k, v in d.items()} for p, d in out.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and index every data file (once per process)."""
    places: dict[str, Place] = {}
    by_name: dict[str, str] = {}
    for rec in load_jsonl("gazetteers/places.jsonl", ("id", "name", "kind")):
        p = Place(
            id=rec["id"],
            name=rec["name"],
            kind=rec["kind"],
            parent=rec.get("parent"),
            capital=rec.get("capital"),
            same_name_as_province=bool(rec.get("same_name_as_province")),
            municipality=bool(rec.get("municipality")),
        )
        places[p.id] = p
        for form in [rec["name"], *rec.get("aliases", [])]:
            key = norm_key(form)
            # a province wins over its same-named capital city when the name is bare
            if key not in by_name or p.kind == "province":
                by_name[key] = p.id
    bodies: dict[str, dict[str, Any]] = {}
    body_by_name: dict[str, str] = {}
    for rec in load_jsonl("gazetteers/bodies.jsonl", ("name",)):
        bodies[rec["name"]] = rec
        for form in [rec["name"], *rec.get("aliases", [])]:
            body_by_name.setdefault(norm_key(form), rec["name"])
    tl = load_yaml("lexicons/titles.yaml")
    bl = load_yaml("lexicons/bodies.yaml")
    dl = load_yaml("lexicons/documents.yaml")
    sl = load_yaml("lexicons/surnames.yaml")
    return Lexicon(
        places=places,
        place_by_name=by_name,
        bodies=bodies,
        body_by_name=body_by_name,
        titles=tl["titles"],
        title_overrides=tl.get("overrides", {}),
        group_words=frozenset(tl.get("group_words", [])),
        heads=bl["heads"],
        levels={k.lower(): v for k, v in bl["levels"].items()},
        tail_words=frozenset(bl.get("tail_words", [])),
        surnames=frozenset(fold(s) for s in sl["surnames"]),
        middle_names=frozenset(fold(s) for s in sl.get("middle_names", [])),
        doc_types=tuple(dl["types"]),
        issued_types=frozenset(t.lower() for t in dl.get("issued_types", [])),
        code_regex=dl["code_regex"],
        number_words=tuple(dl.get("number_words", [])),
        planning_heads=tuple(dl.get("planning_heads", [])),
        cues=_cues(),
        speech_objects={
            verb: frozenset(objs)
            for rec in load_jsonl("patterns/relations/spokeAt.jsonl", ("predicate",))
            for verb, objs in rec.get("speech_objects", {}).items()
        },
        demonyms=dict(load_yaml("lexicons/demonyms.yaml")["demonyms"]),
        issuer_codes=dict(dl.get("issuer_codes", {})),
        generic_actors=frozenset(
            w
            for rec in load_jsonl("patterns/relations/implements.jsonl", ("predicate",))
            for w in rec.get("generic_actors", [])
        ),
    )
