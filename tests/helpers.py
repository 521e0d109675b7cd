"""Small views of an ArticleGraph for assertions (names instead of local ids)."""

from __future__ import annotations

from dataclasses import dataclass, field

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


Pattern = tuple[str | None, str | None, str | None]


@dataclass(frozen=True)
class Rule:
    """One rule case: an invented text, the triples it must give and the patterns it must not.

    In ``lacks``, None is a wildcard: ``("X", "headOf", None)`` means X heads nothing.
    """

    text: str
    has: list[tuple[str, str, str]] = field(default_factory=list)
    lacks: list[Pattern] = field(default_factory=list)


def matching(t: set[tuple[str, str, str]], pattern: Pattern) -> set[tuple[str, str, str]]:
    """The triples of ``t`` that fit a pattern (None matches anything)."""
    return {
        x
        for x in t
        if all(want is None or want == got for want, got in zip(pattern, x, strict=True))
    }


def check_rule(g: ArticleGraph, rule: Rule) -> None:
    """Assert that the graph of a rule's text has every expected triple and none it lacks."""
    t = triples(g)
    missing = [x for x in rule.has if x not in t]
    wrong = [x for p in rule.lacks for x in matching(t, p)]
    assert not missing and not wrong, f"missing {missing}; not expected {wrong}; got {sorted(t)}"


@dataclass(frozen=True)
class Names:
    """One naming case: an invented text and the canonical names it must (not) give, by type."""

    text: str
    has: dict[str, list[str]] = field(default_factory=dict)
    lacks: dict[str, list[str]] = field(default_factory=dict)
    exactly: dict[str, set[str]] = field(default_factory=dict)


def check_names(g: ArticleGraph, case: Names) -> None:
    """Assert the names of a naming case, saying every name that is missing or wrong."""
    problems = []
    for etype, want in case.has.items():
        problems += [f"{etype} {n!r} missing" for n in want if n not in names(g, etype)]
    for etype, unwanted in case.lacks.items():
        problems += [f"{etype} {n!r} not expected" for n in unwanted if n in names(g, etype)]
    for etype, exact in case.exactly.items():
        if names(g, etype) != exact:
            problems.append(f"{etype} names {sorted(names(g, etype))}, expected {sorted(exact)}")
    assert not problems, "; ".join(problems)
