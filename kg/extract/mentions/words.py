"""The plain word lists of the mention grammar, loaded once.

Stage: mentions. Input: ``kg/data/lexicons/mentions.yaml`` and the ``levels`` of
``kg/data/lexicons/bodies.yaml`` (the place kinds); output: one cached :class:`Words`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.resources import load_words, load_yaml

_FILE = "lexicons/mentions.yaml"


@dataclass(frozen=True, slots=True)
class Words:
    """Word lists the mention rooms look words up in (see ``mentions.yaml``)."""

    ordinals: dict[str, int]
    stop_name: frozenset[str]
    institution: frozenset[str]
    generic_body_nouns: frozenset[str]
    plural_heads: dict[str, str]
    party_heads: frozenset[str]
    ordinal_heads: frozenset[str]
    locatives: tuple[str, ...]
    place_kinds: frozenset[str]
    plural_kinds: dict[str, str]
    place_kind_words: frozenset[str]
    own_qualifiers: frozenset[str]
    termed_bodies: frozenset[str]
    reference_nouns: tuple[str, ...]
    reference_determiners: tuple[str, ...]
    issue_verbs: tuple[str, ...]


def plural(kind: str) -> str:
    """The plural of a place kind.

    Examples:
        >>> plural("district"), plural("city")
        ('districts', 'cities')
    """
    return f"{kind[:-1]}ies" if kind.endswith("y") else f"{kind}s"


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """The list of strings under ``key``, or a DataFileError naming the file."""
    return load_words(_FILE, key)


@cache
def words() -> Words:
    """Load the word lists (once per process).

    Raises:
        DataFileError: a list is missing or holds something other than strings.
    """
    data = load_yaml(_FILE)
    # every level but the country is a kind of place: province, city, district, ...
    levels = load_yaml("lexicons/bodies.yaml")["levels"]
    kinds = frozenset(v for v in levels.values() if v != "country")
    plural_kinds = {plural(k): k for k in kinds}
    return Words(
        ordinals={w: i + 1 for i, w in enumerate(_strings(data, "ordinal_words"))},
        stop_name=frozenset(_strings(data, "stop_name")),
        institution=frozenset(_strings(data, "institution_words")),
        generic_body_nouns=frozenset(_strings(data, "generic_body_nouns")),
        plural_heads={str(k): str(v) for k, v in data["plural_heads"].items()},
        party_heads=frozenset(_strings(data, "party_heads")),
        ordinal_heads=frozenset(_strings(data, "ordinal_heads")),
        locatives=_strings(data, "locatives"),
        place_kinds=kinds,
        plural_kinds=plural_kinds,
        place_kind_words=kinds | plural_kinds.keys() | set(_strings(data, "more_place_kind_words")),
        own_qualifiers=frozenset(_strings(data, "own_qualifiers")),
        termed_bodies=frozenset(_strings(data, "termed_bodies")),
        reference_nouns=_strings(data, "reference_nouns"),
        reference_determiners=_strings(data, "reference_determiners"),
        issue_verbs=_strings(data, "issue_verbs"),
    )
