"""Each relation rule on sentences written for these tests.

Most rules are one row of ``RULES``: an invented text, the triples the rule must give, and
the patterns it must not give (None is a wildcard). Rules that check more than triples
(dates, evidence offsets, entity names) are tests of their own below.
"""

import pytest

from tests.helpers import Rule, check_rule, names, triples

RULES = {
    "title_before_name": Rule(
        "Minister of Health Dao Hong Lan attended the meeting.",
        has=[
            ("Dao Hong Lan", "headOf", "Ministry of Health"),
            ("Dao Hong Lan", "attended", "EVENT"),
        ],
    ),
    "group_header_applies_to_each_name": Rule(
        "Also attending the meeting were Politburo members: Minister of Justice Le Thanh Tam, "
        "Head of the Central Inspection Commission Ha Minh Duc; Party Central Committee "
        "members: Minister of Construction Do Van Quy.",
        has=[
            ("Le Thanh Tam", "memberOf", "Politburo"),
            ("Ha Minh Duc", "memberOf", "Politburo"),
            ("Do Van Quy", "memberOf", "Party Central Committee"),
            ("Le Thanh Tam", "attended", "EVENT"),
            ("Do Van Quy", "attended", "EVENT"),
        ],
        lacks=[
            ("Do Van Quy", "memberOf", "Politburo"),
        ],
    ),
    "plural_title_before_a_list": Rule(
        "The meeting was attended by Deputy Prime Ministers Ho Duc Minh and Mai Van Chinh.",
        has=[
            ("Ho Duc Minh", "memberOf", "Government"),
            ("Mai Van Chinh", "memberOf", "Government"),
            ("Mai Van Chinh", "attended", "EVENT"),
        ],
    ),
    "secretary_of_central_committee_sits_in_secretariat": Rule(
        "Secretary of the Party Central Committee Tran Cam Tu attended the conference.",
        has=[
            ("Tran Cam Tu", "memberOf", "Secretariat of the Party Central Committee"),
        ],
        lacks=[
            ("Tran Cam Tu", "headOf", "Party Central Committee"),
        ],
    ),
    "role_reference_resolves_to_the_title_holder": Rule(
        "Kon Tum held a conference. Mr. Y Ngoc, Standing Vice Chairman of the Provincial "
        "People's Committee, attended. Speaking at the conference, the Standing Vice Chairman "
        "of the Provincial People's Committee praised the sectors.",
        has=[
            ("Y Ngoc", "spokeAt", "EVENT"),
        ],
    ),
    "head_of_discussion_group_chairs": Rule(
        "Comrade Pham Duc Long, Vice Chairman of the Provincial People's Council, head of "
        "discussion group No. 3, spoke at the conference in Nam Dinh.",
        has=[
            ("Pham Duc Long", "chaired", "EVENT"),
        ],
    ),
    "received_guest_attended": Rule(
        "Chairman of the Provincial People's Committee Lo Minh Hung received Ambassador "
        "Kim Soo Hyun at the reception in Dien Bien.",
        has=[
            ("Lo Minh Hung", "attended", "EVENT"),
        ],
    ),
    "leader_of_a_working_group": Rule(
        "Comrade Ha Quang Vinh leads the Central Working Group on a working visit to Yen Bai.",
        has=[
            ("Ha Quang Vinh", "headOf", "Central Working Group"),
        ],
    ),
    "body_issued_an_action_program": Rule(
        "The Tuyen Quang Provincial Party Committee issued an Action Program.",
        has=[
            (
                "Action Program of the Tuyen Quang Provincial Party Committee",
                "issuedBy",
                "Tuyen Quang Provincial Party Committee",
            ),
        ],
    ),
    "implementer_is_the_clause_subject": Rule(
        "Bac Kan province reviewed its work. The Provincial People's Committee continues to "
        "implement Resolution No. 22-NQ/TU. The province must strictly implement Directive "
        "No. 35-CT/TW.",
        has=[
            ("Bac Kan Provincial People's Committee", "implements", "Resolution No. 22-NQ/TU"),
            ("Bac Kan", "implements", "Directive No. 35-CT/TW"),
        ],
    ),
    "local_bodies_and_places": Rule(
        "Comrade Lam Van Ha, Secretary of the Thai Nguyen City Party Committee, spoke at the "
        "conference of the Thai Nguyen Provincial Party Committee in Thai Nguyen city.",
        has=[
            ("Lam Van Ha", "headOf", "Thai Nguyen City Party Committee"),
            ("Thai Nguyen City Party Committee", "locatedIn", "Thai Nguyen city"),
            ("Thai Nguyen city", "locatedIn", "Thai Nguyen"),
            ("Thai Nguyen Provincial Party Committee", "locatedIn", "Thai Nguyen"),
            ("EVENT", "heldIn", "Thai Nguyen city"),
        ],
    ),
    "two_titles_joined_by_and_before_a_name": Rule(
        "General Secretary of the Party Central Committee and State President Luu Quang Hoa "
        "held talks with the visiting delegation.",
        has=[
            ("Luu Quang Hoa", "headOf", "Party Central Committee"),
            ("Luu Quang Hoa", "attended", "EVENT"),
        ],
    ),
    "body_promulgated_a_document": Rule(
        "Kon Tum reviewed the plan. The Provincial People's Committee promulgated Plan No. "
        "45/KH-UBND to carry it out.",
        has=[
            ("Plan No. 45/KH-UBND", "issuedBy", "Kon Tum Provincial People's Committee"),
        ],
    ),
    "presenting_flowers_is_attending_not_speaking": Rule(
        "At the ceremony, Colonel Ha Van Tuan presented flowers to the delegates. "
        "Comrade Lo Thi Mai presented the report at the ceremony.",
        has=[
            ("Ha Van Tuan", "attended", "EVENT"),
            ("Lo Thi Mai", "spokeAt", "EVENT"),
        ],
        lacks=[
            ("Ha Van Tuan", "spokeAt", "EVENT"),
        ],
    ),
    "people_given_tasks_are_not_speakers": Rule(
        "Prime Minister Dang Van Loc chaired the meeting. He assigned Deputy Prime "
        "Minister Tran Quoc Viet to direct the work.",
        lacks=[
            ("Tran Quoc Viet", "spokeAt", "EVENT"),
        ],
    ),
    "place_written_next_to_a_larger_one": Rule(
        "The team visited Ia Ko commune, Chu Se district, Gia Lai province.",
        has=[
            ("Ia Ko", "locatedIn", "Chu Se"),
            ("Chu Se", "locatedIn", "Gia Lai"),
        ],
    ),
    "elected_and_appointed_titles": Rule(
        "Ha Nam held its congress. Comrade Tran Van Hung was re-elected Secretary of the "
        "Provincial Party Committee. Comrade Le Thi Thu will continue to serve as "
        "Chairwoman of the Provincial People's Council.",
        has=[
            ("Tran Van Hung", "headOf", "Ha Nam Provincial Party Committee"),
            ("Le Thi Thu", "headOf", "Ha Nam Provincial People's Council"),
        ],
    ),
    "meeting_place_from_the_text_before_the_province": Rule(
        "Hanoi (VNA) - The Central Inspection Commission held its 40th session on May 6. "
        "Comrade Tran Cam Hai chaired the session. It reviewed officials of Binh Thuan "
        "province and the Binh Thuan Provincial Party Committee.",
        has=[
            ("EVENT", "heldIn", "Hanoi"),
        ],
        lacks=[
            ("EVENT", "heldIn", "Binh Thuan"),
        ],
    ),
    "issuer_from_the_document_code": Rule(
        "The Ca Mau Provincial People's Council held its session. Delegates passed "
        "Resolution No. 12/2024/NQ-HĐND on land prices.",
        has=[
            ("Resolution No. 12/2024/NQ-HDND", "issuedBy", "Ca Mau Provincial People's Council"),
        ],
    ),
    "literal_translation_dashes": Rule(
        "Cao Bang held a conference. Comrade Nong Van Lai – Deputy Secretary of Provincial "
        "Party Committee, Chairman of Provincial People's Committee attended the conference.",
        has=[
            ("Nong Van Lai", "headOf", "Cao Bang Provincial People's Committee"),
            ("Nong Van Lai", "attended", "EVENT"),
        ],
    ),
    "bodies_of_several_provinces_implement": Rule(
        "The Prime Minister asked the People's Committees of Bac Lieu and Soc Trang "
        "provinces to implement Directive No. 32/CT-TTg.",
        has=[
            ("Bac Lieu Provincial People's Committee", "implements", "Directive No. 32/CT-TTg"),
            ("Soc Trang Provincial People's Committee", "implements", "Directive No. 32/CT-TTg"),
        ],
    ),
    "deputy_minister_of_the_only_ministry": Rule(
        "The Ministry of Health held its annual review. Deputy Minister Tran Van Thuan "
        "presented the report at the conference.",
        has=[
            ("Tran Van Thuan", "memberOf", "Ministry of Health"),
            ("Tran Van Thuan", "spokeAt", "EVENT"),
        ],
    ),
    "the_ministry_and_possessive_issuers": Rule(
        "The Ministry of Justice held its annual review. The Deputy Prime Minister asked "
        "the ministry to carry out the Politburo's Conclusion No. 83-KL/TW.",
        has=[
            ("Ministry of Justice", "implements", "Conclusion No. 83-KL/TW"),
            ("Conclusion No. 83-KL/TW", "issuedBy", "Politburo"),
        ],
    ),
    "passive_co_chaired": Rule(
        "The forum opened in Hanoi, co-chaired by Minister of Health Le Van Khoa.",
        has=[
            ("Le Van Khoa", "chaired", "EVENT"),
        ],
    ),
    "body_that_issues_a_plan_implements": Rule(
        "Tay Ninh reviewed the year. The Provincial People's Committee issued a plan to "
        "implement Conclusion No. 14-KL/TW of the Politburo.",
        has=[
            ("Tay Ninh Provincial People's Committee", "implements", "Conclusion No. 14-KL/TW"),
        ],
        lacks=[
            ("Politburo", "implements", "Conclusion No. 14-KL/TW"),
        ],
    ),
    "given_name_as_subject": Rule(
        "Also present at the conference was Tran Quang Vinh, Deputy Head of the Central "
        "Economic Commission. Vinh said the province had done well.",
        has=[
            ("Tran Quang Vinh", "spokeAt", "EVENT"),
        ],
    ),
    "presidium_and_together_with": Rule(
        "The presidium, comprising Ngo Van Hieu, Secretary of the Tam Duong District Party "
        "Committee, and Bui Van Tuan, led the congress. Comrade Pham Quang Thieu chaired "
        "the conference, together with Vu Duc Hanh, Deputy Secretary of the City Party "
        "Committee.",
        has=[
            ("Ngo Van Hieu", "chaired", "EVENT"),
            ("Bui Van Tuan", "chaired", "EVENT"),
            ("Vu Duc Hanh", "chaired", "EVENT"),
        ],
    ),
    "title_ending_with_a_body_named_before": Rule(
        "Head of the Central Mass Mobilisation Commission Mai Van Toan and Deputy Head of "
        "the commission Phung Thi Le co-chaired the conference.",
        has=[
            ("Mai Van Toan", "chaired", "EVENT"),
            ("Phung Thi Le", "chaired", "EVENT"),
        ],
    ),
    "the_resolution_refers_to_the_last_one_named": Rule(
        "Lao Cai reviewed Resolution No. 11-NQ/TW of the Politburo. Concretising the "
        "resolution into action programmes, the Standing Committee of the Provincial Party "
        "Committee issued Action Programme No. 32-CTr/TU.",
        has=[
            (
                "Standing Committee of the Lao Cai Provincial Party Committee",
                "implements",
                "Resolution No. 11-NQ/TW",
            ),
        ],
    ),
    "implementer_after_a_participle_is_the_main_subject": Rule(
        "Gia Lai held a conference. Implementing Resolution No. 23-NQ/TW, with the support "
        "of the Government, the Provincial People's Committee has built 12 roads.",
        has=[
            ("Gia Lai Provincial People's Committee", "implements", "Resolution No. 23-NQ/TW"),
        ],
        lacks=[
            ("Government", "implements", "Resolution No. 23-NQ/TW"),
        ],
    ),
    "and_by_and_people_from_a_commune": Rule(
        "Thanh Hoa deputies met voters. The meeting, chaired by Comrade Le Van Xuan, was "
        "attended by Comrade Hoang Van Lam, and by Vice Chairmen of the Provincial People's "
        "Council Doan Van Phi and Huynh Thi Van. Voter Mai Van Thang of Nga Thanh commune "
        "asked about land certificates.",
        has=[
            ("Doan Van Phi", "attended", "EVENT"),
            ("Huynh Thi Van", "attended", "EVENT"),
            ("Mai Van Thang", "spokeAt", "EVENT"),
        ],
    ),
    "the_commission_is_the_one_just_named": Rule(
        "Head of the Central Inspection Commission Tran Van Son and Deputy Head of the "
        "commission Phung Thi Le co-chaired the conference.",
        has=[
            ("Phung Thi Le", "memberOf", "Central Inspection Commission"),
        ],
    ),
    "titles_after_name_until_the_verb": Rule(
        "Lao Cai held a conference on May 3. Comrade Vu Xuan Cuong, Member of the Provincial "
        "Party Standing Committee, Vice Chairman of the Provincial People's Council, spoke at "
        "the conference.",
        has=[
            (
                "Vu Xuan Cuong",
                "memberOf",
                "Standing Committee of the Lao Cai Provincial Party Committee",
            ),
            ("Vu Xuan Cuong", "memberOf", "Lao Cai Provincial People's Council"),
            ("Vu Xuan Cuong", "spokeAt", "EVENT"),
        ],
        lacks=[("Vu Xuan Cuong", "headOf", None)],
    ),
    "earlier_statement_is_not_attendance": Rule(
        "Comrade Lu Van Quang chaired the meeting. Comrade Doan Minh Tri had said in 2022 that "
        "the plan was late.",
        lacks=[("Doan Minh Tri", None, None)],
    ),
    "no_implementer_for_generic_actors": Rule(
        "In Hanoi, the Prime Minister asked ministries and localities to implement Directive "
        "No. 12/CT-TTg.",
        lacks=[(None, "implements", None)],
    ),
    "passive_implementation": Rule(
        "Bac Kan held a conference. Resolution No. 21-NQ/TU has been seriously implemented "
        "by the Provincial People's Committee. Conclusion No. 72-KL/TW has been drastically "
        "implemented. Directive No. 08-CT/TU has been implemented by Party committees at "
        "all levels.",
        has=[
            ("Bac Kan Provincial People's Committee", "implements", "Resolution No. 21-NQ/TU"),
            ("Bac Kan", "implements", "Conclusion No. 72-KL/TW"),
        ],
        lacks=[(None, "implements", "Directive No. 08-CT/TU")],
    ),
    "venue_city_is_not_the_article_province": Rule(
        "A press conference was held in Hanoi on May 2. The Ministry of Education and "
        "Training and the Ministry of Finance asked localities to implement Conclusion "
        "No. 51-KL/TW.",
        lacks=[("Hanoi", "implements", None)],
    ),
    "district_names_repeat_across_provinces": Rule(
        "Binh Dinh held a session. Teachers are short in the mountainous districts of An Lao, "
        "Van Canh and Vinh Thanh of Binh Dinh province.",
        has=[("An Lao", "locatedIn", "Binh Dinh"), ("Vinh Thanh", "locatedIn", "Binh Dinh")],
        lacks=[(None, "locatedIn", "Hai Phong"), (None, "locatedIn", "Can Tho")],
    ),
}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_relations_rule(extract_text, rule: Rule) -> None:
    check_rule(extract_text(rule.text), rule)


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Comrade Lu Van Quang chaired the meeting.", "chaired"),
        ("Comrade Lu Van Quang co-chaired the meeting.", "chaired"),
        ("Comrade Lu Van Quang delivered a speech at the meeting.", "spokeAt"),
        ("Speaking at the meeting, Comrade Lu Van Quang praised the results.", "spokeAt"),
        ("Concluding the meeting, Comrade Lu Van Quang asked for more effort.", "spokeAt"),
        ("The meeting was chaired by Comrade Lu Van Quang.", "chaired"),
        ("Attending the meeting was Comrade Lu Van Quang.", "attended"),
        ("Comrade Lu Van Quang on Monday attended the meeting.", "attended"),
    ],
)
def test_relations_event_roles(extract_text, sentence: str, role: str) -> None:
    assert ("Lu Van Quang", role, "EVENT") in triples(extract_text(sentence))


def test_relations_issuer_dates_and_coordination(extract_text) -> None:
    g = extract_text(
        "The province carried out Resolution No. 10-NQ/TW and Resolution No. 11-NQ/TW dated "
        "June 3, 2017 of the 12th Party Central Committee and Directive No. 24-CT/TW of the "
        "Secretariat."
    )
    t = triples(g)
    assert ("Resolution No. 10-NQ/TW", "issuedBy", "12th Party Central Committee") in t
    assert ("Resolution No. 11-NQ/TW", "issuedBy", "12th Party Central Committee") in t
    assert ("Directive No. 24-CT/TW", "issuedBy", "Secretariat of the Party Central Committee") in t
    dates = {e.name: e.date for e in g.entities if e.type == "Document"}
    assert dates["Resolution No. 10-NQ/TW"] == "2017-06-03"


def test_relations_carry_evidence_with_offsets(extract_text) -> None:
    text = "Quang Binh held a meeting. Comrade Vo Van Phong chaired the meeting."
    g = extract_text(text)
    rel = next(r for r in g.relations if r.predicate == "chaired")
    assert rel.evidence is not None
    assert text[rel.evidence.start : rel.evidence.end].strip() == rel.evidence.sentence
    assert "chaired" in rel.evidence.sentence
    assert rel.evidence.rule == "role-verb"


def test_relations_foreign_leaders_and_their_governments(extract_text) -> None:
    g = extract_text(
        "General Secretary Vo Minh Tan received visiting Cambodian Prime Minister Chea Sokhom "
        "and Ambassador of Japan to Vietnam Tanaka Hiroshi at the reception in Hanoi."
    )
    t = triples(g)
    assert ("Chea Sokhom", "headOf", "Government of Cambodia") in t
    assert ("Chea Sokhom", "headOf", "Government") not in t
    assert ("Chea Sokhom", "attended", "EVENT") in t
    assert "Tanaka Hiroshi" in names(g, "Person")


def test_relations_meeting_date_is_not_the_page_date(extract_text) -> None:
    g = extract_text(
        "Monday, 06/10/2024\n\nOn the morning of March 4, 2024, Comrade Le Van Tam chaired "
        "the conference on Resolution No. 05-NQ/TU dated May 2, 2021.",
        date="2024-06-10",
    )
    event = next(e for e in g.entities if e.type == "Event")
    assert event.date == "2024-03-04"
