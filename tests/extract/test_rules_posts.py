"""Posts: chains of titles, past posts, lists of holders and delegations (memberOf/headOf).

Each row is an invented text, the triples it must give and the patterns it must not give
(None is a wildcard); "EVENT" stands for the meeting.
"""

import pytest

from tests.helpers import Names, Rule, check_names, check_rule

RULES = {
    "chain_before_name_with_possessive_body": Rule(
        "Politburo member, Secretary of the Ha Nam Party Committee, and Head of Ha Nam's "
        "National Assembly delegation Dao Thi Lien attended the meeting.",
        has=[
            ("Dao Thi Lien", "memberOf", "Politburo"),
            ("Dao Thi Lien", "headOf", "Ha Nam Provincial Party Committee"),
            ("Dao Thi Lien", "headOf", "Ha Nam Provincial National Assembly Delegation"),
        ],
    ),
    "chain_after_name_ends_before_and_next_name": Rule(
        "Attending were comrade Lo Van Khanh, member of the Party Central Committee, "
        "Secretary of the Son La Provincial Party Committee and comrade Ha Thi Nga, Standing "
        "Deputy Secretary of the Son La Provincial Party Committee, Chairwoman of the Son La "
        "Provincial People's Council.",
        has=[
            ("Lo Van Khanh", "memberOf", "Party Central Committee"),
            ("Lo Van Khanh", "headOf", "Son La Provincial Party Committee"),
            ("Ha Thi Nga", "memberOf", "Son La Provincial Party Committee"),
            ("Ha Thi Nga", "headOf", "Son La Provincial People's Council"),
        ],
        lacks=[("Ha Thi Nga", "headOf", "Son La Provincial Party Committee")],
    ),
    "plural_title_after_a_list_of_names": Rule(
        "Mai Van Tien and Vi Thi Hoa, Deputy Secretaries of the Cao Bang Provincial Party "
        "Committee, attended the conference.",
        has=[
            ("Mai Van Tien", "memberOf", "Cao Bang Provincial Party Committee"),
            ("Vi Thi Hoa", "memberOf", "Cao Bang Provincial Party Committee"),
        ],
        lacks=[(None, "headOf", "Cao Bang Provincial Party Committee")],
    ),
    "plural_title_after_names_elected": Rule(
        "The conference ended on Monday. Comrades: Luong Van Tu, Ha Van Mon and Nong Thi "
        "Xuyen were elected as Deputy Secretaries of the Bac Kan Provincial Party Committee.",
        has=[
            ("Luong Van Tu", "memberOf", "Bac Kan Provincial Party Committee"),
            ("Ha Van Mon", "memberOf", "Bac Kan Provincial Party Committee"),
            ("Nong Thi Xuyen", "memberOf", "Bac Kan Provincial Party Committee"),
        ],
    ),
    "header_scope_goes_on_over_items_opening_with_a_name": Rule(
        "Attending the meeting were members of the Standing Committee of the Yen Bai "
        "Provincial Party Committee: Tran Van Khoa - Head of the Organisation Commission of "
        "the Yen Bai Provincial Party Committee; Lo Thi Mai - Head of the Inspection "
        "Commission of the Yen Bai Provincial Party Committee.",
        has=[
            (
                "Tran Van Khoa",
                "memberOf",
                "Standing Committee of the Yen Bai Provincial Party Committee",
            ),
            (
                "Lo Thi Mai",
                "memberOf",
                "Standing Committee of the Yen Bai Provincial Party Committee",
            ),
            (
                "Lo Thi Mai",
                "headOf",
                "Inspection Commission of the Yen Bai Provincial Party Committee",
            ),
        ],
    ),
    "header_scope_stops_at_an_item_opening_with_a_title": Rule(
        "Present were Politburo members: Tran Van Son, Le Thi Thu; Deputy Prime Minister "
        "Ngo Van Duc.",
        has=[
            ("Tran Van Son", "memberOf", "Politburo"),
            ("Le Thi Thu", "memberOf", "Politburo"),
            ("Ngo Van Duc", "memberOf", "Government"),
        ],
        lacks=[("Ngo Van Duc", "memberOf", "Politburo")],
    ),
    "plural_header_with_include": Rule(
        "The Vice Chairmen of the Dien Bien Provincial People's Council include Mr. Lo Van "
        "Pua; Mr. Vang A Chu; Ms. Lo Thi Hien.",
        has=[
            ("Lo Van Pua", "memberOf", "Dien Bien Provincial People's Council"),
            ("Vang A Chu", "memberOf", "Dien Bien Provincial People's Council"),
            ("Lo Thi Hien", "memberOf", "Dien Bien Provincial People's Council"),
        ],
        lacks=[(None, "headOf", "Dien Bien Provincial People's Council")],
    ),
    "vietnamese_prime_minister_in_a_chain": Rule(
        "Le Van Thanh, Member of the Politburo, Vietnamese Prime Minister and Head of the "
        "Politburo's Inspection Team No. 1207 presided over the conference.",
        has=[
            ("Le Van Thanh", "memberOf", "Politburo"),
            ("Le Van Thanh", "headOf", "Government"),
            ("Le Van Thanh", "headOf", "Inspection Team No. 1207"),
            ("Le Van Thanh", "chaired", "EVENT"),
        ],
        lacks=[("Le Van Thanh", "headOf", "Politburo")],
    ),
    "past_markers_give_no_post": Rule(
        "The former Minister of Health Le Van Anh, the late General Secretary Do Van Muoi, "
        "then-Secretary of the Ha Nam Provincial Party Committee Tran Van Binh and outgoing "
        "Chairman of the Ha Nam Provincial People's Council Pham Thi Lan attended the meeting.",
        lacks=[
            ("Le Van Anh", "headOf", None),
            ("Le Van Anh", "memberOf", None),
            ("Do Van Muoi", "headOf", None),
            ("Tran Van Binh", "headOf", None),
            ("Pham Thi Lan", "headOf", None),
        ],
        has=[("Le Van Anh", "attended", "EVENT"), ("Pham Thi Lan", "attended", "EVENT")],
    ),
    "past_marker_after_the_name": Rule(
        "Vu Duc Tam, former Secretary of the Hung Yen Provincial Party Committee, and Nguyen "
        "Van Phong, Secretary of the Hai Duong Provincial Party Committee, attended.",
        has=[("Nguyen Van Phong", "headOf", "Hai Duong Provincial Party Committee")],
        lacks=[("Vu Duc Tam", "headOf", None), ("Vu Duc Tam", "memberOf", None)],
    ),
    "current_markers_keep_the_post": Rule(
        "The newly appointed Chairman of the Ha Nam Provincial People's Committee Vu Thi Cuc "
        "and Acting Secretary of the Ha Nam Provincial Party Committee Dinh Van Hai met voters.",
        has=[
            ("Vu Thi Cuc", "headOf", "Ha Nam Provincial People's Committee"),
            ("Dinh Van Hai", "headOf", "Ha Nam Provincial Party Committee"),
        ],
    ),
    "numbered_team_and_its_head_named_later": Rule(
        "On May 4, Inspection Team No. 612 of the Politburo and the Secretariat worked with "
        "the Standing Committee of the Thai Binh Provincial Party Committee. Mr. Ngo Van Kien "
        "- Politburo member, Head of the inspection delegation chaired the conference. "
        "Mr. Lam Van Hoa, Deputy Head of the Inspection Team, spoke.",
        has=[
            ("Ngo Van Kien", "headOf", "Inspection Team No. 612"),
            ("Ngo Van Kien", "memberOf", "Politburo"),
            ("Lam Van Hoa", "memberOf", "Inspection Team No. 612"),
            ("Ngo Van Kien", "chaired", "EVENT"),
        ],
        lacks=[(None, None, "Inspection Team"), ("Ngo Van Kien", "headOf", "Politburo")],
    ),
    "numbered_team_led_by": Rule(
        "On June 2, the Politburo's Inspection Team No. 733 led by Mr. Dang Van Quy - "
        "Politburo member - worked with the Standing Committee of the Nam Dinh Provincial "
        "Party Committee.",
        has=[
            ("Dang Van Quy", "headOf", "Inspection Team No. 733"),
            ("Dang Van Quy", "memberOf", "Politburo"),
        ],
    ),
    "delegation_of_a_body_led_by": Rule(
        "Chairman of the Bac Ninh Provincial People's Council Ngo Van Sang received a "
        "delegation of the Ha Giang Provincial People's Council led by Mr. Thao Van Mua.",
        has=[("Thao Van Mua", "headOf", "Delegation of the Ha Giang Provincial People's Council")],
        lacks=[("Thao Van Mua", "headOf", "Ha Giang Provincial People's Council")],
    ),
    "possessed_body_we_cannot_name_keeps_the_chain": Rule(
        "Politburo member, Secretary of the Party Central Committee (PCC) and Head of the "
        "PCC's Commission for Culture and Education Dinh Van Hung held a meeting.",
        has=[
            ("Dinh Van Hung", "memberOf", "Politburo"),
            ("Dinh Van Hung", "memberOf", "Secretariat of the Party Central Committee"),
        ],
        lacks=[("Dinh Van Hung", "headOf", "Party Central Committee")],
    ),
    "body_of_the_party_and_abbreviation_in_a_chain": Rule(
        "General Pham Van Tien - Secretary of the Central Committee of Communist Party of "
        "Vietnam (CPVCC) and Director of the Vietnam People's Army (VPA)'s General "
        "Department of Politics - attended.",
        has=[
            ("Pham Van Tien", "memberOf", "Secretariat of the Party Central Committee"),
            (
                "Pham Van Tien",
                "headOf",
                "General Department of Politics of the Vietnam People's Army",
            ),
        ],
        lacks=[("Pham Van Tien", None, "Vietnam People's Army")],
    ),
    "cum_joins_two_posts": Rule(
        "Tran Van Lam - Deputy Secretary of the Ninh Thuan Provincial Party Committee-cum-"
        "Chairman of the Ninh Thuan Provincial People's Committee; attended.",
        has=[
            ("Tran Van Lam", "memberOf", "Ninh Thuan Provincial Party Committee"),
            ("Tran Van Lam", "headOf", "Ninh Thuan Provincial People's Committee"),
        ],
    ),
    "commissioner_of_the_central_committee_is_a_member": Rule(
        "Le Van Hoa, commissioner of the Central Party Committee, Secretary of the Phu Tho "
        "Provincial Party Committee, presided over the meeting.",
        has=[
            ("Le Van Hoa", "memberOf", "Party Central Committee"),
            ("Le Van Hoa", "headOf", "Phu Tho Provincial Party Committee"),
        ],
    ),
    "and_after_a_name_opens_the_next_item": Rule(
        "Present were Chairwoman of the Can Tho City People's Council Tran Thi Mai, and Vice "
        "Secretary of the Can Tho City Party Committee cum Chairman of the Vietnam Fatherland "
        "Front Committee of the city Lam Van Phuc.",
        has=[
            ("Tran Thi Mai", "headOf", "Can Tho People's Council"),
            ("Lam Van Phuc", "memberOf", "Can Tho Party Committee"),
            ("Lam Van Phuc", "headOf", "Can Tho Fatherland Front Committee"),
        ],
        lacks=[
            ("Tran Thi Mai", "memberOf", "Can Tho Party Committee"),
            ("Tran Thi Mai", "headOf", "Can Tho Fatherland Front Committee"),
        ],
    ),
}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_rules_posts(extract_text, rule: Rule) -> None:
    check_rule(extract_text(rule.text), rule)


NAMES = {
    "a_team_called_two_ways_is_one": Names(
        "Head of the Politburo's Investigation Team No. 805 Ly Van Binh opened the "
        "conference. Inspection Team No. 805 will report in June.",
        exactly={"Organization": {"Politburo", "Investigation Team No. 805"}},
    ),
}


@pytest.mark.parametrize("case", NAMES.values(), ids=NAMES.keys())
def test_rules_posts_names(extract_text, case: Names) -> None:
    check_names(extract_text(case.text), case)
