"""Each relation rule on sentences written for these tests."""

import pytest

from tests.helpers import names, triples


def test_relations_title_before_name(extract_text) -> None:
    t = triples(extract_text("Minister of Health Dao Hong Lan attended the meeting."))
    assert ("Dao Hong Lan", "headOf", "Ministry of Health") in t
    assert ("Dao Hong Lan", "attended", "EVENT") in t


def test_relations_titles_after_name_until_the_verb(extract_text) -> None:
    t = triples(
        extract_text(
            "Lao Cai held a conference on May 3. Comrade Vu Xuan Cuong, Member of the Provincial "
            "Party Standing Committee, Vice Chairman of the Provincial People's Council, spoke at "
            "the conference."
        )
    )
    assert (
        "Vu Xuan Cuong",
        "memberOf",
        "Standing Committee of the Lao Cai Provincial Party Committee",
    ) in t
    assert ("Vu Xuan Cuong", "memberOf", "Lao Cai Provincial People's Council") in t
    assert ("Vu Xuan Cuong", "spokeAt", "EVENT") in t
    assert not any(p == "headOf" for s, p, o in t if s == "Vu Xuan Cuong")


def test_relations_group_header_applies_to_each_name(extract_text) -> None:
    t = triples(
        extract_text(
            "Also attending the meeting were Politburo members: Minister of Justice Le Thanh Tam, "
            "Head of the Central Inspection Commission Ha Minh Duc; Party Central Committee "
            "members: Minister of Construction Do Van Quy."
        )
    )
    assert ("Le Thanh Tam", "memberOf", "Politburo") in t
    assert ("Ha Minh Duc", "memberOf", "Politburo") in t
    assert ("Do Van Quy", "memberOf", "Party Central Committee") in t
    assert ("Do Van Quy", "memberOf", "Politburo") not in t
    assert {("Le Thanh Tam", "attended", "EVENT"), ("Do Van Quy", "attended", "EVENT")} <= t


def test_relations_plural_title_before_a_list(extract_text) -> None:
    t = triples(
        extract_text(
            "The meeting was attended by Deputy Prime Ministers Ho Duc Minh and Mai Van Chinh."
        )
    )
    assert ("Ho Duc Minh", "memberOf", "Government") in t
    assert ("Mai Van Chinh", "memberOf", "Government") in t
    assert ("Mai Van Chinh", "attended", "EVENT") in t


def test_relations_secretary_of_central_committee_sits_in_secretariat(extract_text) -> None:
    t = triples(
        extract_text(
            "Secretary of the Party Central Committee Tran Cam Tu attended the conference."
        )
    )
    assert ("Tran Cam Tu", "memberOf", "Secretariat of the Party Central Committee") in t
    assert ("Tran Cam Tu", "headOf", "Party Central Committee") not in t


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


def test_relations_earlier_statement_is_not_attendance(extract_text) -> None:
    t = triples(
        extract_text(
            "Comrade Lu Van Quang chaired the meeting. Comrade Doan Minh Tri had said in 2022 that "
            "the plan was late."
        )
    )
    assert not any(s == "Doan Minh Tri" for s, _, _ in t)


def test_relations_role_reference_resolves_to_the_title_holder(extract_text) -> None:
    t = triples(
        extract_text(
            "Kon Tum held a conference. Mr. Y Ngoc, Standing Vice Chairman of the Provincial "
            "People's Committee, attended. Speaking at the conference, the Standing Vice Chairman "
            "of the Provincial People's Committee praised the sectors."
        )
    )
    assert ("Y Ngoc", "spokeAt", "EVENT") in t


def test_relations_head_of_discussion_group_chairs(extract_text) -> None:
    t = triples(
        extract_text(
            "Comrade Pham Duc Long, Vice Chairman of the Provincial People's Council, head of "
            "discussion group No. 3, spoke at the conference in Nam Dinh."
        )
    )
    assert ("Pham Duc Long", "chaired", "EVENT") in t


def test_relations_received_guest_attended(extract_text) -> None:
    t = triples(
        extract_text(
            "Chairman of the Provincial People's Committee Lo Minh Hung received Ambassador "
            "Kim Soo Hyun at the reception in Dien Bien."
        )
    )
    assert ("Lo Minh Hung", "attended", "EVENT") in t


def test_relations_leader_of_a_working_group(extract_text) -> None:
    t = triples(
        extract_text(
            "Comrade Ha Quang Vinh leads the Central Working Group on a working visit to Yen Bai."
        )
    )
    assert ("Ha Quang Vinh", "headOf", "Central Working Group") in t


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


def test_relations_body_issued_an_action_program(extract_text) -> None:
    t = triples(
        extract_text("The Tuyen Quang Provincial Party Committee issued an Action Program.")
    )
    assert (
        "Action Program of the Tuyen Quang Provincial Party Committee",
        "issuedBy",
        "Tuyen Quang Provincial Party Committee",
    ) in t


def test_relations_implementer_is_the_clause_subject(extract_text) -> None:
    t = triples(
        extract_text(
            "Bac Kan province reviewed its work. The Provincial People's Committee continues to "
            "implement Resolution No. 22-NQ/TU. The province must strictly implement Directive "
            "No. 35-CT/TW."
        )
    )
    assert ("Bac Kan Provincial People's Committee", "implements", "Resolution No. 22-NQ/TU") in t
    assert ("Bac Kan", "implements", "Directive No. 35-CT/TW") in t


def test_relations_no_implementer_for_generic_actors(extract_text) -> None:
    t = triples(
        extract_text(
            "In Hanoi, the Prime Minister asked ministries and localities to implement Directive "
            "No. 12/CT-TTg."
        )
    )
    assert not any(p == "implements" for _, p, _ in t)


def test_relations_local_bodies_and_places(extract_text) -> None:
    t = triples(
        extract_text(
            "Comrade Lam Van Ha, Secretary of the Thai Nguyen City Party Committee, spoke at the "
            "conference of the Thai Nguyen Provincial Party Committee in Thai Nguyen city."
        )
    )
    assert ("Lam Van Ha", "headOf", "Thai Nguyen City Party Committee") in t
    assert ("Thai Nguyen City Party Committee", "locatedIn", "Thai Nguyen city") in t
    assert ("Thai Nguyen city", "locatedIn", "Thai Nguyen") in t
    assert ("Thai Nguyen Provincial Party Committee", "locatedIn", "Thai Nguyen") in t
    assert ("EVENT", "heldIn", "Thai Nguyen city") in t  # "in Thai Nguyen city"


def test_relations_carry_evidence_with_offsets(extract_text) -> None:
    text = "Quang Binh held a meeting. Comrade Vo Van Phong chaired the meeting."
    g = extract_text(text)
    rel = next(r for r in g.relations if r.predicate == "chaired")
    assert rel.evidence is not None
    assert text[rel.evidence.start : rel.evidence.end].strip() == rel.evidence.sentence
    assert "chaired" in rel.evidence.sentence
    assert rel.evidence.rule == "role-verb"


def test_relations_two_titles_joined_by_and_before_a_name(extract_text) -> None:
    t = triples(
        extract_text(
            "General Secretary of the Party Central Committee and State President Luu Quang Hoa "
            "held talks with the visiting delegation."
        )
    )
    assert ("Luu Quang Hoa", "headOf", "Party Central Committee") in t
    assert ("Luu Quang Hoa", "attended", "EVENT") in t


def test_relations_body_promulgated_a_document(extract_text) -> None:
    t = triples(
        extract_text(
            "Kon Tum reviewed the plan. The Provincial People's Committee promulgated Plan No. "
            "45/KH-UBND to carry it out."
        )
    )
    assert ("Plan No. 45/KH-UBND", "issuedBy", "Kon Tum Provincial People's Committee") in t


def test_relations_presenting_flowers_is_attending_not_speaking(extract_text) -> None:
    t = triples(
        extract_text(
            "At the ceremony, Colonel Ha Van Tuan presented flowers to the delegates. "
            "Comrade Lo Thi Mai presented the report at the ceremony."
        )
    )
    assert ("Ha Van Tuan", "attended", "EVENT") in t
    assert ("Ha Van Tuan", "spokeAt", "EVENT") not in t
    assert ("Lo Thi Mai", "spokeAt", "EVENT") in t


def test_relations_people_given_tasks_are_not_speakers(extract_text) -> None:
    t = triples(
        extract_text(
            "Prime Minister Dang Van Loc chaired the meeting. He assigned Deputy Prime "
            "Minister Tran Quoc Viet to direct the work."
        )
    )
    assert ("Tran Quoc Viet", "spokeAt", "EVENT") not in t


def test_relations_place_written_next_to_a_larger_one(extract_text) -> None:
    t = triples(extract_text("The team visited Ia Ko commune, Chu Se district, Gia Lai province."))
    assert ("Ia Ko", "locatedIn", "Chu Se") in t
    assert ("Chu Se", "locatedIn", "Gia Lai") in t


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


def test_relations_elected_and_appointed_titles(extract_text) -> None:
    t = triples(
        extract_text(
            "Ha Nam held its congress. Comrade Tran Van Hung was re-elected Secretary of the "
            "Provincial Party Committee. Comrade Le Thi Thu will continue to serve as "
            "Chairwoman of the Provincial People's Council."
        )
    )
    assert ("Tran Van Hung", "headOf", "Ha Nam Provincial Party Committee") in t
    assert ("Le Thi Thu", "headOf", "Ha Nam Provincial People's Council") in t


def test_relations_meeting_place_from_the_text_before_the_province(extract_text) -> None:
    t = triples(
        extract_text(
            "Hanoi (VNA) - The Central Inspection Commission held its 40th session on May 6. "
            "Comrade Tran Cam Hai chaired the session. It reviewed officials of Binh Thuan "
            "province and the Binh Thuan Provincial Party Committee."
        )
    )
    assert ("EVENT", "heldIn", "Hanoi") in t
    assert ("EVENT", "heldIn", "Binh Thuan") not in t


def test_relations_issuer_from_the_document_code(extract_text) -> None:
    t = triples(
        extract_text(
            "The Ca Mau Provincial People's Council held its session. Delegates passed "
            "Resolution No. 12/2024/NQ-HĐND on land prices."
        )
    )
    assert ("Resolution No. 12/2024/NQ-HDND", "issuedBy", "Ca Mau Provincial People's Council") in t


def test_relations_literal_translation_dashes(extract_text) -> None:
    t = triples(
        extract_text(
            "Cao Bang held a conference. Comrade Nong Van Lai – Deputy Secretary of Provincial "
            "Party Committee, Chairman of Provincial People's Committee attended the conference."
        )
    )
    assert ("Nong Van Lai", "headOf", "Cao Bang Provincial People's Committee") in t
    assert ("Nong Van Lai", "attended", "EVENT") in t


def test_relations_bodies_of_several_provinces_implement(extract_text) -> None:
    t = triples(
        extract_text(
            "The Prime Minister asked the People's Committees of Bac Lieu and Soc Trang "
            "provinces to implement Directive No. 32/CT-TTg."
        )
    )
    assert ("Bac Lieu Provincial People's Committee", "implements", "Directive No. 32/CT-TTg") in t
    assert ("Soc Trang Provincial People's Committee", "implements", "Directive No. 32/CT-TTg") in t


def test_relations_deputy_minister_of_the_only_ministry(extract_text) -> None:
    t = triples(
        extract_text(
            "The Ministry of Health held its annual review. Deputy Minister Tran Van Thuan "
            "presented the report at the conference."
        )
    )
    assert ("Tran Van Thuan", "memberOf", "Ministry of Health") in t
    assert ("Tran Van Thuan", "spokeAt", "EVENT") in t


def test_relations_the_ministry_and_possessive_issuers(extract_text) -> None:
    t = triples(
        extract_text(
            "The Ministry of Justice held its annual review. The Deputy Prime Minister asked "
            "the ministry to carry out the Politburo's Conclusion No. 83-KL/TW."
        )
    )
    assert ("Ministry of Justice", "implements", "Conclusion No. 83-KL/TW") in t
    assert ("Conclusion No. 83-KL/TW", "issuedBy", "Politburo") in t


def test_relations_passive_co_chaired(extract_text) -> None:
    t = triples(
        extract_text("The forum opened in Hanoi, co-chaired by Minister of Health Le Van Khoa.")
    )
    assert ("Le Van Khoa", "chaired", "EVENT") in t


def test_relations_meeting_date_is_not_the_page_date(extract_text) -> None:
    g = extract_text(
        "Monday, 06/10/2024\n\nOn the morning of March 4, 2024, Comrade Le Van Tam chaired "
        "the conference on Resolution No. 05-NQ/TU dated May 2, 2021.",
        date="2024-06-10",
    )
    event = next(e for e in g.entities if e.type == "Event")
    assert event.date == "2024-03-04"


def test_relations_passive_implementation(extract_text) -> None:
    t = triples(
        extract_text(
            "Bac Kan held a conference. Resolution No. 21-NQ/TU has been seriously implemented "
            "by the Provincial People's Committee. Conclusion No. 72-KL/TW has been drastically "
            "implemented. Directive No. 08-CT/TU has been implemented by Party committees at "
            "all levels."
        )
    )
    assert ("Bac Kan Provincial People's Committee", "implements", "Resolution No. 21-NQ/TU") in t
    assert ("Bac Kan", "implements", "Conclusion No. 72-KL/TW") in t
    assert not any(p == "implements" and o == "Directive No. 08-CT/TU" for _, p, o in t)


def test_relations_body_that_issues_a_plan_implements(extract_text) -> None:
    t = triples(
        extract_text(
            "Tay Ninh reviewed the year. The Provincial People's Committee issued a plan to "
            "implement Conclusion No. 14-KL/TW of the Politburo."
        )
    )
    assert ("Tay Ninh Provincial People's Committee", "implements", "Conclusion No. 14-KL/TW") in t
    assert ("Politburo", "implements", "Conclusion No. 14-KL/TW") not in t


def test_relations_venue_city_is_not_the_article_province(extract_text) -> None:
    t = triples(
        extract_text(
            "A press conference was held in Hanoi on May 2. The Ministry of Education and "
            "Training and the Ministry of Finance asked localities to implement Conclusion "
            "No. 51-KL/TW."
        )
    )
    assert not any(s == "Hanoi" and p == "implements" for s, p, _ in t)


def test_relations_given_name_as_subject(extract_text) -> None:
    t = triples(
        extract_text(
            "Also present at the conference was Tran Quang Vinh, Deputy Head of the Central "
            "Economic Commission. Vinh said the province had done well."
        )
    )
    assert ("Tran Quang Vinh", "spokeAt", "EVENT") in t


def test_relations_presidium_and_together_with(extract_text) -> None:
    t = triples(
        extract_text(
            "The presidium, comprising Ngo Van Hieu, Secretary of the Tam Duong District Party "
            "Committee, and Bui Van Tuan, led the congress. Comrade Pham Quang Thieu chaired "
            "the conference, together with Vu Duc Hanh, Deputy Secretary of the City Party "
            "Committee."
        )
    )
    assert ("Ngo Van Hieu", "chaired", "EVENT") in t
    assert ("Bui Van Tuan", "chaired", "EVENT") in t
    assert ("Vu Duc Hanh", "chaired", "EVENT") in t


def test_relations_title_ending_with_a_body_named_before(extract_text) -> None:
    t = triples(
        extract_text(
            "Head of the Central Mass Mobilisation Commission Mai Van Toan and Deputy Head of "
            "the commission Phung Thi Le co-chaired the conference."
        )
    )
    assert ("Mai Van Toan", "chaired", "EVENT") in t
    assert ("Phung Thi Le", "chaired", "EVENT") in t


def test_relations_the_resolution_refers_to_the_last_one_named(extract_text) -> None:
    t = triples(
        extract_text(
            "Lao Cai reviewed Resolution No. 11-NQ/TW of the Politburo. Concretising the "
            "resolution into action programmes, the Standing Committee of the Provincial Party "
            "Committee issued Action Programme No. 32-CTr/TU."
        )
    )
    assert (
        "Standing Committee of the Lao Cai Provincial Party Committee",
        "implements",
        "Resolution No. 11-NQ/TW",
    ) in t


def test_relations_implementer_after_a_participle_is_the_main_subject(extract_text) -> None:
    t = triples(
        extract_text(
            "Gia Lai held a conference. Implementing Resolution No. 23-NQ/TW, with the support "
            "of the Government, the Provincial People's Committee has built 12 roads."
        )
    )
    assert ("Gia Lai Provincial People's Committee", "implements", "Resolution No. 23-NQ/TW") in t
    assert ("Government", "implements", "Resolution No. 23-NQ/TW") not in t


def test_relations_and_by_and_people_from_a_commune(extract_text) -> None:
    t = triples(
        extract_text(
            "Thanh Hoa deputies met voters. The meeting, chaired by Comrade Le Van Xuan, was "
            "attended by Comrade Hoang Van Lam, and by Vice Chairmen of the Provincial People's "
            "Council Doan Van Phi and Huynh Thi Van. Voter Mai Van Thang of Nga Thanh commune "
            "asked about land certificates."
        )
    )
    assert ("Doan Van Phi", "attended", "EVENT") in t
    assert ("Huynh Thi Van", "attended", "EVENT") in t
    assert ("Mai Van Thang", "spokeAt", "EVENT") in t


def test_relations_district_names_repeat_across_provinces(extract_text) -> None:
    t = triples(
        extract_text(
            "Binh Dinh held a session. Teachers are short in the mountainous districts of An Lao, "
            "Van Canh and Vinh Thanh of Binh Dinh province."
        )
    )
    assert ("An Lao", "locatedIn", "Binh Dinh") in t
    assert ("Vinh Thanh", "locatedIn", "Binh Dinh") in t
    assert not any(o in ("Hai Phong", "Can Tho") for _, p, o in t if p == "locatedIn")


def test_relations_the_commission_is_the_one_just_named(extract_text) -> None:
    t = triples(
        extract_text(
            "Head of the Central Inspection Commission Tran Van Son and Deputy Head of the "
            "commission Phung Thi Le co-chaired the conference."
        )
    )
    assert ("Phung Thi Le", "memberOf", "Central Inspection Commission") in t
