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


# An article about one province: its bodies are written without their place.
HA_TINH = "Ha Tinh province held a conference on March 3. Ha Tinh leaders attended. {}"

NAMES: list[Names] = [
    # party committees inside other bodies are their own bodies
    Names(
        HA_TINH.format(
            "Mr. Tran Van Lam is Secretary of the Party Committee of the provincial "
            "People's Committee."
        ),
        has={"Organization": ["Party Committee of the Ha Tinh Provincial People's Committee"]},
    ),
    Names(
        HA_TINH.format("The Provincial People's Committee Party Committee has 40 members."),
        has={"Organization": ["Party Committee of the Ha Tinh Provincial People's Committee"]},
        lacks={"Organization": ["Ha Tinh Provincial Party Committee"]},
    ),
    Names(
        HA_TINH.format("The Party Committee of the provincial Party agencies was set up."),
        has={"Organization": ["Party Committee of Ha Tinh Provincial Party Agencies"]},
        lacks={"Organization": ["Ha Tinh Provincial Party Agencies"]},
    ),
    Names(
        "Secretary of the Party Committee of the Ha Tinh Provincial Party agencies Tran Van "
        "Lam spoke.",
        has={"Organization": ["Party Committee of Ha Tinh Provincial Party Agencies"]},
        lacks={"Organization": ["Ha Tinh Provincial Party Committee"]},
    ),
    Names(
        "Da Nang city held a conference. Da Nang leaders attended. The Party Committee of "
        "the Party agencies in the city was set up.",
        has={"Organization": ["Party Committee of Da Nang Party Agencies"]},
    ),
    Names(
        "The Ministry of Health Party Committee held a meeting in Hanoi.",
        has={"Organization": ["Party Committee of the Ministry of Health"]},
    ),
    # central commissions under their English names, one entity each
    Names(
        "Head of the PCC Commission for Organization Tran Van Lam spoke in Hanoi.",
        has={"Organization": ["Central Organization Commission"]},
        lacks={"Organization": ["Party Central Committee"]},
    ),
    Names(
        "Deputy Head of the Party Central Committee's Commission of Mass Mobilization Le "
        "Van Hai attended.",
        has={"Organization": ["Central Mass Mobilization Commission"]},
    ),
    Names(
        "The Commission for Communication and Education of the Party Central Committee "
        "held a meeting.",
        exactly={"Organization": {"Central Commission for Propaganda and Education"}},
    ),
    Names(
        "On Monday the Central Organization Department issued a document.",
        exactly={"Organization": {"Central Organization Commission"}},
    ),
    Names(
        "Tran Van Lam, Secretary of the Party Central Committee and head of its Organisation "
        "Commission, visited Ha Tinh.",
        has={"Organization": ["Central Organization Commission"]},
        lacks={"Organization": ["Organization Board of the Ha Tinh Provincial Party Committee"]},
    ),
    Names(
        # an abbreviation the article gives a local body is that body's
        HA_TINH.format(
            "The Provincial Party Committee (PCC) met. Secretary of the PCC Tran Van Lam spoke."
        ),
        lacks={"Organization": ["Party Central Committee"]},
    ),
    # congress ordinals: the article's province's unless the text makes it national
    Names(
        HA_TINH.format("They reviewed the Resolution of the XIX Party Congress."),
        has={
            "Organization": ["19th Ha Tinh Provincial Party Congress"],
            "Document": ["Resolution of the 19th Ha Tinh Provincial Party Congress"],
        },
    ),
    Names(
        HA_TINH.format("They discussed the draft documents of the 13th Party Congress."),
        has={"Organization": ["13th National Party Congress"]},
    ),
    Names(
        HA_TINH.format("They prepared the 14th Party Congress, term 2020-2025."),
        lacks={"Organization": ["14th National Party Congress"]},
    ),
    Names(
        "The Central Committee met in Hanoi. It reviewed the Resolution of the 11th Congress.",
        has={"Document": ["Resolution of the 11th National Party Congress"]},
    ),
    Names(
        HA_TINH.format("They will review the 17th Congress's resolution for 2020-2025."),
        has={"Organization": ["17th Ha Tinh Provincial Party Congress"]},
    ),
    # the congress the article reports is its meeting, not an Organization
    Names(
        HA_TINH.format("Tran Van Lam attended the 20th Provincial Party Congress, term 2020-2025."),
        lacks={"Organization": ["20th Ha Tinh Provincial Party Congress"]},
    ),
    Names(
        HA_TINH.format(
            "The 20th Provincial Party Congress opened. It met the targets set out by the 19th "
            "Provincial Party Congress."
        ),
        has={"Organization": ["19th Ha Tinh Provincial Party Congress"]},
        lacks={"Organization": ["20th Ha Tinh Provincial Party Congress"]},
    ),
    # one body per province of a plural head
    Names(
        "Inspectors met the Party Standing Committees of Hanoi, Hai Duong and Hung Yen.",
        has={
            "Organization": [
                "Standing Committee of the Hanoi Party Committee",
                "Standing Committee of the Hai Duong Provincial Party Committee",
                "Standing Committee of the Hung Yen Provincial Party Committee",
            ]
        },
    ),
    Names(
        "Leaders of Ha Nam and Nam Dinh met on the merger. The Standing Committees of the two "
        "provinces agreed on a plan.",
        has={
            "Organization": [
                "Standing Committee of the Ha Nam Provincial Party Committee",
                "Standing Committee of the Nam Dinh Provincial Party Committee",
            ]
        },
    ),
    Names(
        HA_TINH.format(
            "The session set up the Office of the National Assembly Delegation and the "
            "Provincial People's Council."
        ),
        has={
            "Organization": [
                "Office of the National Assembly Delegation and the Ha Tinh Provincial "
                "People's Council"
            ]
        },
        lacks={"Organization": ["Office of the National Assembly"]},
    ),
    # friendship associations of two countries, national or of a province
    Names(
        "The Vietnam-Laos Friendship Association in the northern province of Son La met. "
        "Tran Van Lam chairs the Vietnam - Laos Friendship Association.",
        exactly={"Organization": {"Vietnam - Laos Friendship Association in Son La"}},
    ),
    Names(
        "Tran Van Lam, Chairman of the Cuba - Vietnam Friendship Association, spoke.",
        exactly={"Organization": {"Cuba - Vietnam Friendship Association"}},
    ),
    # other countries' parties and fronts, named with their country
    Names(
        "Tran Van Lam met leaders of the Communist Party of China and the Cambodian People's "
        "Party, and Bounma Sith, member of the LPRP Central Committee.",
        exactly={
            "Organization": {
                "Communist Party of China",
                "Cambodian People's Party",
                "Lao People's Revolutionary Party Central Committee",
            }
        },
        lacks={"Place": ["China"]},
    ),
    Names(
        # a Lao province named often does not make the article about a Lao province
        "Quang Tri province received a delegation of the Lao Front for National Construction "
        "(LFNC) committee of Attapeu province. Attapeu and Quang Tri share a border; Attapeu "
        "leaders thanked the Provincial Party Committee.",
        has={
            "Organization": [
                "Lao Front for National Construction committee of Attapeu province",
                "Quang Tri Provincial Party Committee",
            ]
        },
        lacks={"Organization": ["Attapeu Provincial Party Committee"]},
    ),
    Names(
        # the party agencies alone are no body
        HA_TINH.format("Leaders of the provincial Party agencies attended."),
        lacks={"Organization": ["Ha Tinh Provincial Party Agencies"]},
    ),
]


@pytest.mark.parametrize("case", NAMES)
def test_rules_bodies_names(extract_text, case: Names) -> None:  # type: ignore[no-untyped-def]
    check_names(extract_text(case.text), case)


RULES: list[Rule] = [
    Rule(
        HA_TINH.format(
            "Mr. Tran Van Lam, Secretary of the Party Committee of the Provincial People's "
            "Committee, spoke."
        ),
        has=[
            (
                "Tran Van Lam",
                "headOf",
                "Party Committee of the Ha Tinh Provincial People's Committee",
            ),
            (
                "Party Committee of the Ha Tinh Provincial People's Committee",
                "locatedIn",
                "Ha Tinh",
            ),
        ],
        lacks=[("Tran Van Lam", "headOf", "Ha Tinh Provincial Party Committee")],
    ),
    Rule(
        "Tran Van Lam, Chairman of the Vietnam-Cambodia Friendship Association of Tay Ninh "
        "province, spoke.",
        has=[
            ("Tran Van Lam", "headOf", "Vietnam - Cambodia Friendship Association in Tay Ninh"),
            ("Vietnam - Cambodia Friendship Association in Tay Ninh", "locatedIn", "Tay Ninh"),
        ],
    ),
    Rule(
        "Bounma Sith, Chairwoman of the LFNC Attapeu chapter, visited Kon Tum.",
        has=[
            (
                "Bounma Sith",
                "headOf",
                "Lao Front for National Construction committee of Attapeu province",
            ),
            (
                "Lao Front for National Construction committee of Attapeu province",
                "locatedIn",
                "Attapeu",
            ),
        ],
    ),
    # places inside places
    Rule(
        "A fair opened in the Central Highlands province of Gia Lai on Monday.",
        has=[("Gia Lai", "locatedIn", "Central Highlands")],
    ),
    Rule(
        "Tran Van Lam was born in Son Tinh district, the central province of Quang Ngai.",
        has=[("Son Tinh", "locatedIn", "Quang Ngai")],
    ),
    Rule(
        "Tay Ninh signed a deal with Cambodia's Svay Rieng and Prey Veng provinces.",
        has=[("Svay Rieng", "locatedIn", "Cambodia"), ("Prey Veng", "locatedIn", "Cambodia")],
    ),
    Rule(
        "Kon Tum received a delegation from Attapeu province. Laos and Vietnam share a border.",
        has=[("Attapeu", "locatedIn", "Laos")],
    ),
    Rule(
        "Soc Trang held a fair. Soc Trang leaders praised the Mekong Delta province's new port.",
        has=[("Soc Trang", "locatedIn", "Mekong Delta")],
    ),
    Rule(
        "Head of the PCC Commission for Organization Tran Van Lam spoke in Hanoi.",
        has=[("Tran Van Lam", "headOf", "Central Organization Commission")],
    ),
]


@pytest.mark.parametrize("rule", RULES)
def test_rules_bodies_relations(extract_text, rule: Rule) -> None:  # type: ignore[no-untyped-def]
    check_rule(extract_text(rule.text), rule)
