"""Second-pass rules for bodies and posts on real-article phrasings, on invented sentences.

The tables: ``OUTLET`` (new outlet domains), ``NAMES`` (canonical names of bodies and
places) and ``RULES`` (memberOf, headOf, locatedIn). Every name and sentence is invented.
"""

from __future__ import annotations

import pytest

from kg.extract.pipeline import extract
from kg.model import Article
from tests.helpers import Names, Rule, check_names, check_rule

# (url, the province's People's Council named from the outlet)
OUTLET = [
    ("https://haiphongnews.gov.vn/news/a-story-ct12.html", "Hai Phong People's Council"),
    ("https://phuyennews.vn/a-story.html", "Phu Yen Provincial People's Council"),
]


@pytest.mark.parametrize(("url", "body"), OUTLET)
def test_rules_second_outlet_province(nlp, url: str, body: str) -> None:  # type: ignore[no-untyped-def]
    text = "Tran Van Lam, Chairman of the People's Council, opened the session."
    g = extract(Article("t.txt", text, source="t.txt", url=url), nlp)
    check_rule(g, Rule(text, has=[("Tran Van Lam", "headOf", body)]))


# An article about one province: its bodies are written without their place.
CA_MAU = "The Ca Mau Provincial Party Committee met on May 5 in Ca Mau. {}"

NAMES: dict[str, Names] = {
    "ward_named_like_a_province_keeps_its_kind": Names(
        CA_MAU.format(
            "Le Thi Mai, Party Secretary and People's Council Chairwoman of Bac Lieu Ward, spoke."
        ),
        has={
            "Place": ["Bac Lieu Ward"],
            "Organization": ["Bac Lieu Ward Party Committee", "Bac Lieu Ward People's Council"],
        },
        lacks={"Organization": ["Ca Mau Provincial People's Council"]},
    ),
    "party_commission_written_committee": Names(
        CA_MAU.format(
            "Vo Minh Tri - Head of the Provincial Party Internal Affairs Committee; "
            "Tran Thi Hoa - Head of the Provincial Party Propaganda and Mass Mobilization "
            "Committee."
        ),
        has={
            "Organization": [
                "Internal Affairs Committee of the Ca Mau Provincial Party Committee",
                "Propaganda and Mass Mobilization Committee of the Ca Mau Provincial Party "
                "Committee",
            ]
        },
        lacks={
            "Organization": [
                "Party Internal Affairs Committee of the Ca Mau Provincial Party Committee"
            ]
        },
    ),
    "council_committees_listed_after_the_council": Names(
        "The Quang Tri Provincial People's Council met on Monday. It set up 3 Committees of "
        "the Provincial People's Council including the Economic - Budget Committee, the Legal "
        "Committee and the Ethnic Committee.",
        has={
            "Organization": [
                "Economic - Budget Committee of the Quang Tri Provincial People's Council",
                "Legal Committee of the Quang Tri Provincial People's Council",
                "Ethnic Committee of the Quang Tri Provincial People's Council",
            ]
        },
        lacks={"Organization": ["Law Committee"]},
    ),
    "council_committee_without_list_needs_its_council": Names(
        "The Quang Tri Provincial People's Council met on Monday. The Ethnic Committee "
        "reported on its work.",
        lacks={"Organization": ["Ethnic Committee of the Quang Tri Provincial People's Council"]},
    ),
}


@pytest.mark.parametrize("case", NAMES.values(), ids=NAMES.keys())
def test_rules_second_names(extract_text, case: Names) -> None:  # type: ignore[no-untyped-def]
    check_names(extract_text(case.text), case)


RULES: dict[str, Rule] = {
    "commune_bodies_through_titles": Rule(
        CA_MAU.format(
            "Attending were Le Van Hai, Party Secretary and People's Council Chairman of Phu "
            "Tan Commune, and Tran Thi Mai, Party Secretary and People's Council Chairwoman of "
            "An Xuyen Ward."
        ),
        has=[
            ("Le Van Hai", "headOf", "Phu Tan Commune Party Committee"),
            ("Le Van Hai", "headOf", "Phu Tan Commune People's Council"),
            ("Tran Thi Mai", "headOf", "An Xuyen Ward Party Committee"),
            ("Tran Thi Mai", "headOf", "An Xuyen Ward People's Council"),
            ("Phu Tan Commune People's Council", "locatedIn", "Phu Tan"),
        ],
        lacks=[
            (None, None, "Ca Mau Provincial People's Council"),
            ("Tran Thi Mai", None, "Phu Tan Commune People's Council"),
        ],
    ),
    "title_of_a_commune_without_a_body_before_it": Rule(
        CA_MAU.format("Le Van Hai, Chairman of Phu Tan Commune, spoke."),
        lacks=[("Le Van Hai", "headOf", None)],
    ),
    "doubled_article_before_a_possessive_commission": Rule(
        CA_MAU.format(
            "Also present was Dinh Van Lam, Head of the the Provincial Party Committee's "
            "Inspection Commission."
        ),
        has=[
            (
                "Dinh Van Lam",
                "headOf",
                "Inspection Commission of the Ca Mau Provincial Party Committee",
            )
        ],
    ),
    "list_under_a_standing_committee_header": Rule(
        CA_MAU.format(
            "Attending were members of the Provincial Party Standing Committee: Le Van Son - "
            "Head of the Provincial Party Organization Committee."
        ),
        has=[
            ("Le Van Son", "headOf", "Organization Board of the Ca Mau Provincial Party Committee"),
            (
                "Le Van Son",
                "memberOf",
                "Standing Committee of the Ca Mau Provincial Party Committee",
            ),
        ],
    ),
    "provincial_body_in_a_centrally_run_city_article": Rule(
        "The Ho Chi Minh City Party Committee held a conference on Monday. Attending were Le "
        "Van Thanh, Secretary of Binh Duong Provincial Party Committee, Chairman of the "
        "Provincial People's Council, and Vo Van Binh, Deputy Secretary of the Ho Chi Minh City "
        "Party Committee.",
        has=[
            ("Le Van Thanh", "headOf", "Binh Duong Provincial People's Council"),
            ("Vo Van Binh", "memberOf", "Ho Chi Minh City Party Committee"),
        ],
        lacks=[("Le Van Thanh", None, "Ho Chi Minh City People's Council")],
    ),
    "council_legal_committee_is_not_the_national_assemblys": Rule(
        "The Quang Tri Provincial People's Council met on Monday. Tran Van Son, Head of the "
        "Legal Committee of the Quang Tri Provincial People's Council, and Le Thi Hoa, Deputy "
        "Head of the Culture and Social Committee of Quang Tri Provincial People's Council, "
        "spoke.",
        has=[
            (
                "Tran Van Son",
                "headOf",
                "Legal Committee of the Quang Tri Provincial People's Council",
            ),
            (
                "Le Thi Hoa",
                "memberOf",
                "Culture and Social Committee of the Quang Tri Provincial People's Council",
            ),
        ],
        lacks=[("Tran Van Son", None, "Law Committee")],
    ),
    "national_assemblys_law_committee_stays_national": Rule(
        "Nguyen Van Tu, Chairman of the National Assembly's Law Committee, attended.",
        has=[("Nguyen Van Tu", "headOf", "Law Committee")],
    ),
}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_rules_second(extract_text, rule: Rule) -> None:  # type: ignore[no-untyped-def]
    check_rule(extract_text(rule.text), rule)
