"""Benchmark corpus: the cast that generated articles and graphs name, drawn by seed.

Stage: bench. Input: ``gazetteers/places.jsonl``, ``gazetteers/bodies.jsonl`` and
``lexicons/`` ``surnames``, ``titles``, ``events``, ``documents`` and ``corpus.yaml``;
output: a :class:`Cast` (officials, places, bodies, titles, meetings, document codes).

The cast also carries the patterns that find their like in real sentences, which
:mod:`kg.bench.corpus` swaps for members of the cast.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from kg.resources import load_jsonl, load_yaml

_LEXICON = "lexicons/corpus.yaml"


def corpus_words(name: str) -> Any:
    """One list or table of ``lexicons/corpus.yaml`` (the file is read once).

    Examples:
        >>> corpus_words("document_types")["NQ"]
        'Resolution'
    """
    return load_yaml(_LEXICON)[name]


def _alternation(forms: Iterable[str]) -> re.Pattern[str]:
    """A pattern of whole-word forms, longest first: a name wins over a shorter one inside it."""
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(f) for f in ordered) + r")(?![\w])")


@dataclass(frozen=True)
class _Zipf:
    """Draw items with probability falling as 1/rank**s: a few are everywhere."""

    items: tuple[Any, ...]
    s: float = 1.0
    cum: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        weights = [1 / (rank + 1) ** self.s for rank in range(len(self.items))]
        object.__setattr__(self, "cum", tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> Any:
        """One item, drawn with ``rng`` (one ``random()`` call)."""
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass(frozen=True)
class Cast:
    """Everything names are swapped with: people, places, bodies, documents.

    Built once per seed by :func:`cast`; the people are a fixed population drawn by
    popularity, so the same officials recur across articles as they do in the news.
    """

    people: _Zipf
    provinces: _Zipf
    places_in: dict[str, tuple[str, ...]]
    towns: tuple[str, ...]
    place_kind: dict[str, str]
    place_name: dict[str, str]
    place_id: dict[str, str]
    bodies: dict[str, tuple[str, ...]]
    body_kind: dict[str, str]
    central: _Zipf
    titles: tuple[str, ...]
    events: tuple[str, ...]
    documents: _Zipf
    place_re: re.Pattern[str]
    body_re: re.Pattern[str]
    person_re: re.Pattern[str]
    code_re: re.Pattern[str]


def _person_name(rng: random.Random, family: list[str], middle: list[str]) -> str:
    # the most common family names carry most of the population, as in Vietnam
    first = family[min(int(rng.expovariate(1 / 6)), len(family) - 1)]
    parts = [first, rng.choice(middle)]
    if rng.random() < 0.3:
        parts.append(rng.choice(middle))
    parts.append(rng.choice(middle))
    return " ".join(parts)


class _Places(NamedTuple):
    """Vietnam's provinces and the cities and districts in them, from the gazetteer."""

    provinces: list[str]
    place_kind: dict[str, str]
    place_name: dict[str, str]
    place_id: dict[str, str]
    places_in: dict[str, list[str]]
    forms: list[str]


def _places() -> _Places:
    """Read the places whose names are swapped (foreign ones stay as written)."""
    places = _Places([], {}, {}, {}, {}, [])
    records = load_jsonl("gazetteers/places.jsonl", ("id", "name", "kind"))
    vietnamese = {
        r["id"] for r in records if r["kind"] == "province" and r.get("parent") == "vietnam"
    }
    # "X province" keeps its tail word: only the bare name is swapped
    tail = re.compile(r"\s+(" + "|".join(corpus_words("place_kind_words")) + r")$")
    for rec in records:
        if rec["id"] not in vietnamese and rec.get("parent") not in vietnamese:
            continue
        if rec["kind"] not in ("province", "city", "district"):
            continue
        if rec["kind"] == "province" and rec.get("period") != "2025-":
            places.provinces.append(rec["id"])
        places.place_kind[rec["id"]] = rec["kind"]
        places.place_name[rec["id"]] = rec["name"]
        if rec["kind"] != "province" and rec.get("parent"):
            places.places_in.setdefault(rec["parent"], []).append(rec["id"])
        for form in [rec["name"], *rec.get("aliases", [])]:
            bare = tail.sub("", form)
            if bare.isascii() and len(bare) > 3:
                places.place_id.setdefault(bare, rec["id"])
                places.forms.append(bare)
    return places


def _bodies() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Read the current bodies with ASCII names: names by kind, and each name's kind."""
    bodies: dict[str, list[str]] = {}
    body_kind: dict[str, str] = {}
    for rec in load_jsonl("gazetteers/bodies.jsonl", ("name",)):
        kind = rec.get("kind", "")
        if rec.get("period") == "until 2025" or not rec["name"].isascii():
            continue
        bodies.setdefault(kind, []).append(rec["name"])
        body_kind[rec["name"]] = kind
    return bodies, body_kind


def _person_pattern(family: list[str]) -> re.Pattern[str]:
    """A family name followed by one to three name-like words."""
    return re.compile(
        r"\b(?:" + "|".join(sorted(family, key=len, reverse=True)) + r")"
        r"(?:\s[A-Z][a-z]{0,6}){1,3}\b"
    )


@cache
def cast(seed: int = 0, people: int = 4000) -> Cast:
    """Return the cast of a seed (cached: building it reads every data file once).

    Args:
        seed: the random seed; the same seed gives the same cast.
        people: size of the population of officials.
    """
    rng = random.Random(f"kg.bench.corpus.cast:{seed}")
    names = load_yaml("lexicons/surnames.yaml")
    family = [s for s in names["surnames"] if s[:1].isupper() and s.isalpha()]
    middle = [s for s in names["middle_names"] if s.isalpha()]
    population = list(dict.fromkeys(_person_name(rng, family, middle) for _ in range(people)))
    places = _places()
    rng.shuffle(places.provinces)
    bodies, body_kind = _bodies()
    central = [b for k in corpus_words("central_body_kinds") for b in bodies.get(k, [])]
    rng.shuffle(central)
    titles = [
        spec["forms"][0]
        for spec in load_yaml("lexicons/titles.yaml")["titles"].values()
        if spec.get("forms")
    ]
    suffixes = corpus_words("document_suffixes")
    documents = [
        (f"{rng.randint(1, 99)}-{rng.choice(suffixes)}", str(rng.randint(2011, 2025)))
        for _ in range(people // 2)
    ]
    code = load_yaml("lexicons/documents.yaml")["code_regex"]
    return Cast(
        people=_Zipf(tuple(population), s=0.6),
        provinces=_Zipf(tuple(places.provinces), s=0.7),
        places_in={k: tuple(v) for k, v in places.places_in.items()},
        towns=tuple(k for k, v in places.place_kind.items() if v != "province"),
        place_kind=places.place_kind,
        place_name=places.place_name,
        place_id=places.place_id,
        bodies={k: tuple(v) for k, v in bodies.items()},
        body_kind=body_kind,
        central=_Zipf(tuple(central), s=1.0),
        titles=tuple(titles),
        events=tuple(load_yaml("lexicons/events.yaml")["event_nouns"][:12]),
        documents=_Zipf(tuple(documents), s=0.7),
        place_re=_alternation(places.forms),
        body_re=_alternation(body_kind),
        person_re=_person_pattern(family),
        code_re=re.compile(rf"(?<![\w/-]){code}(?![\w/-])"),
    )
