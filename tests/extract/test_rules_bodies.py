"""Rules for bodies on real-article phrasings, each on a sentence written for these tests.

The tables: ``OUTLET`` (the article's province from its outlet), ``NAMES`` (canonical
names of bodies) and ``RULES`` (relations of bodies: locatedIn, memberOf, headOf).
Every name and sentence is invented.
"""

from __future__ import annotations

import pytest

from kg.extract.pipeline import extract
from kg.model import Article
from tests.helpers import Names, Rule, check_names, check_rule

# (text, url, names) -- a provincial paper writes "the province" without naming it
OUTLET = [
    (
        Names(
            "The Chairman of the Provincial People's Council, Tran Van Lam, opened the session. "
            "Members of the Provincial Party Committee attended.",
            has={
                "Organization": [
                    "Nghe An Provincial People's Council",
                    "Nghe An Provincial Party Committee",
                ]
            },
        ),
        "https://baonghean.vn/en/some-story.html",
    ),
    (
        # no outlet: nothing qualifies the bodies
        Names(
            "The Chairman of the Provincial People's Council, Tran Van Lam, opened the session.",
            lacks={"Organization": ["Nghe An Provincial People's Council"]},
            exactly={"Organization": set()},
        ),
        None,
    ),
    (
        # the text names its own province clearly: the text wins over the outlet
        Names(
            "Quang Tri province reviewed its plan. Quang Tri leaders met in Dong Ha. "
            "The Provincial People's Committee reported.",
            has={"Organization": ["Quang Tri Provincial People's Committee"]},
            lacks={"Organization": ["Nghe An Provincial People's Committee"]},
        ),
        "https://baonghean.vn/en/another-story.html",
    ),
]


@pytest.mark.parametrize(("case", "url"), OUTLET)
def test_rules_bodies_outlet_province(nlp, case: Names, url: str | None) -> None:  # type: ignore[no-untyped-def]
    check_names(extract(Article("t.txt", case.text, source="t.txt", url=url), nlp), case)


def test_rules_bodies_outlet_locates_bodies(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Tran Van Lam, Chairman of the Provincial People's Committee, visited the province."
    g = extract(Article("t.txt", text, source="t.txt", url="https://baonghean.vn/en/x"), nlp)
    rule = Rule(
        text,
        has=[
            ("Nghe An Provincial People's Committee", "locatedIn", "Nghe An"),
            ("Tran Van Lam", "headOf", "Nghe An Provincial People's Committee"),
        ],
    )
    check_rule(g, rule)


NAMES: list[Names] = []


@pytest.mark.parametrize("case", NAMES)
def test_rules_bodies_names(extract_text, case: Names) -> None:  # type: ignore[no-untyped-def]
    check_names(extract_text(case.text), case)


RULES: list[Rule] = []


@pytest.mark.parametrize("rule", RULES)
def test_rules_bodies_relations(extract_text, rule: Rule) -> None:  # type: ignore[no-untyped-def]
    check_rule(extract_text(rule.text), rule)
