"""Small views of an ArticleGraph for assertions (names instead of local ids)."""

from __future__ import annotations

from kg.model import ArticleGraph


def names(g: ArticleGraph, etype: str | None = None) -> set[str]:
    """Canonical names of the entities (of one type)."""
    return {e.name for e in g.entities if etype is None or e.type == etype}


def triples(g: ArticleGraph) -> set[tuple[str, str, str]]:
    """Relations as (subject name, predicate, object name); any meeting is "EVENT"."""
    out = set()
    for r in g.relations:
        s, o = g.entity(r.subject), g.entity(r.object)
        out.add(
            (
                "EVENT" if s.type == "Event" else s.name,
                r.predicate,
                "EVENT" if o.type == "Event" else o.name,
            )
        )
    return out
