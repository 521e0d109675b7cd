"""Attendance rules (attended, chaired, spokeAt), meeting places and person names.

Each row is an invented text with the triples the rules must give and the patterns they
must not give (None is a wildcard; "EVENT" stands for the meeting), or the canonical
names a text must (not) give.
"""

import pytest

from tests.helpers import Names, Rule, check_names, check_rule

RULES = {
    "title_with_an_unnamed_body_before_the_verb": Rule(
        "Mr. Ha Quang Vinh - Politburo member, Head of the inspection delegation chaired the "
        "conference.",
        has=[("Ha Quang Vinh", "chaired", "EVENT")],
    ),
    "head_of_a_delegation_to_the_event_said": Rule(
        "Mr. Som Rithy, Vice Chairman of the Khmer Friendship Association, head of the visiting "
        "delegation to the event, said the meeting was useful.",
        has=[("Som Rithy", "spokeAt", "EVENT")],
    ),
    "aside_on_behalf_of_a_body": Rule(
        "Comrade Lo Van Sang - Secretary of the Provincial Party Committee, on behalf of the "
        "Presidium of the congress, presided over the election at the congress.",
        has=[("Lo Van Sang", "chaired", "EVENT")],
    ),
    "chaired_by_comrades_with_a_colon": Rule(
        "The Provincial People's Council held its 12th session chaired by comrades: Vu Thi "
        "Lan, Chairwoman of the Provincial People's Council; Dinh Van Khai, Vice Chairman "
        "of the Provincial People's Council.",
        has=[("Vu Thi Lan", "chaired", "EVENT"), ("Dinh Van Khai", "chaired", "EVENT")],
    ),
    "participle_inside_the_subject_with_included": Rule(
        "Provincial officials attending the working session included Kieu Van Dat, "
        "Secretary of the Provincial Party Committee; Luong Thi Nga, Chairwoman of the "
        "Provincial People's Council.",
        has=[("Kieu Van Dat", "attended", "EVENT"), ("Luong Thi Nga", "attended", "EVENT")],
    ),
    "those_in_attendance_included": Rule(
        "The conference opened on Monday. Those in attendance included Phung Van Tri, "
        "Chairman of the Provincial People's Committee, and Ma Thi Hoa.",
        has=[("Phung Van Tri", "attended", "EVENT"), ("Ma Thi Hoa", "attended", "EVENT")],
    ),
    "also_in_attendance_were_members_including": Rule(
        "The meeting took stock of the year. Also in attendance were members of the Standing "
        "Committee of the Provincial Party Committee, including Doan Van Hai, Head of the "
        "Provincial Party Committee's Organization Commission; and Trieu Thi Lien.",
        has=[("Doan Van Hai", "attended", "EVENT"), ("Trieu Thi Lien", "attended", "EVENT")],
    ),
    "working_with_the_delegation_were": Rule(
        "The Central Inspection Commission held a working session. Working with the "
        "delegation were Ms. Lam Thi Hue - Secretary of the City Party Committee; leaders of "
        "the city departments.",
        has=[("Lam Thi Hue", "attended", "EVENT")],
    ),
    "attended_by_a_list_after_semicolons": Rule(
        "The meeting was attended by Mr. Ton Duc Bao, Chairman of the People's Committee of "
        "the city; Mr. Khuc Van Hieu, Director of the Department of Construction; and Mr. "
        "Au Van Thinh, Chairman of the People's Council of Hoa Vang district.",
        has=[
            ("Ton Duc Bao", "attended", "EVENT"),
            ("Khuc Van Hieu", "attended", "EVENT"),
            ("Au Van Thinh", "attended", "EVENT"),
        ],
    ),
    "joined_by_a_list_with_as_well_as": Rule(
        "The Presidium held a meeting. They were joined by Chu Van Lam, Director of the "
        "Provincial Police; as well as Hua Thi Mai, Party Secretary of Tan Lap commune.",
        has=[("Chu Van Lam", "attended", "EVENT"), ("Hua Thi Mai", "attended", "EVENT")],
    ),
    "with_the_attendance_of": Rule(
        "Mr. Ly Quoc Khanh, Head of the Politburo's Inspection Team No. 12 presided over the "
        "conference with the attendance of Ngo Van Luan, Secretary of the Provincial Party "
        "Committee; and Kha Thi Yen, Chairwoman of the Provincial People's Council.",
        has=[
            ("Ly Quoc Khanh", "chaired", "EVENT"),
            ("Ngo Van Luan", "attended", "EVENT"),
            ("Kha Thi Yen", "attended", "EVENT"),
        ],
    ),
    "saw_the_presence_of": Rule(
        "The conference also saw the presence of Deputy Secretary of the City Party "
        "Committee Tang Van Quy, and Chairwoman of the City People's Council Mac Thi Lan.",
        has=[("Tang Van Quy", "attended", "EVENT"), ("Mac Thi Lan", "attended", "EVENT")],
    ),
    "there_were_names": Rule(
        "The congress opened in the morning. For the province's part, there were Mr. Vuong "
        "Van Duc - Secretary of the Provincial Party Committee; Mr. Giap Van Tien.",
        has=[("Vuong Van Duc", "attended", "EVENT"), ("Giap Van Tien", "attended", "EVENT")],
    ),
    "names_then_groups_then_the_verb": Rule(
        "Mr. Ninh Van Tuyen - Deputy Secretary of the City Party Committee; Mr. Khong Van "
        "Duc - Chairman of the City People's Council; Members of the City Party Committee; "
        "Leaders of the city's departments attended the conference.",
        has=[("Ninh Van Tuyen", "attended", "EVENT"), ("Khong Van Duc", "attended", "EVENT")],
    ),
    "name_and_comrades_of_a_body_presided": Rule(
        "Mr. Thach Van Hoa, Chairman of the Provincial People's Council and comrades of the "
        "Standing Board of the Council presided over the meeting.",
        has=[("Thach Van Hoa", "chaired", "EVENT")],
    ),
    "caption_positions_between_names": Rule(
        "Secretary of the City Party Committee Lai Van Quan (R) and Standing Deputy Secretary "
        "Ong Van Sinh (C) attend the conference.",
        has=[("Lai Van Quan", "attended", "EVENT"), ("Ong Van Sinh", "attended", "EVENT")],
    ),
    "photo_credits_are_not_attendees": Rule(
        "Photo Quach Van Tung\n\nAttending the working session were Comrade Lo Thi Hue.\n"
        "Photo: Quach Van Tung\nAnh: Bach Thi Hong\n",
        has=[("Lo Thi Hue", "attended", "EVENT")],
        lacks=[("Quach Van Tung", None, "EVENT"), ("Bach Thi Hong", None, "EVENT")],
    ),
    "a_byline_before_the_next_sentence_is_no_attendee": Rule(
        "Khong Thi Mai |\n\nAttending the ceremony were Comrade Vi Van Son.",
        has=[("Vi Van Son", "attended", "EVENT")],
        lacks=[("Khong Thi Mai", None, "EVENT")],
    ),
    "reception_told_by_its_verb_alone": Rule(
        "TAY NINH — Deputy Secretary of the Provincial Party Committee Ha Thi Lua received a "
        "delegation of the Svay Rieng provincial front on Friday. Mr. Sok Vanna, head of the "
        "delegation, congratulated the province on its achievements.",
        has=[("Ha Thi Lua", "attended", "EVENT"), ("Sok Vanna", "spokeAt", "EVENT")],
    ),
    "received_a_delegation_led_by": Rule(
        "Chairman of the Provincial People's Committee Dong Van Hai received a delegation led "
        "by Ambassador Kim Sung-ho at the reception.",
        has=[("Dong Van Hai", "attended", "EVENT"), ("Kim Sung-ho", "attended", "EVENT")],
    ),
    "paid_a_courtesy_call_on": Rule(
        "Ambassador Lee Min-jae paid a courtesy call on Secretary of the Provincial Party "
        "Committee Vuong Thi Hoa.",
        has=[("Lee Min-jae", "attended", "EVENT"), ("Vuong Thi Hoa", "attended", "EVENT")],
    ),
    "under_the_chair_of": Rule(
        "The session took place under the chair of Comrade Luu Van Tam, Chairman of the "
        "Provincial People's Council.",
        has=[("Luu Van Tam", "chaired", "EVENT")],
    ),
    "a_dash_glued_to_the_verb": Rule(
        "In the ceremony, Mai Van Luc – member of the Secretariat of the Party Central "
        "Committee –praised the achievements of the province.",
        has=[("Mai Van Luc", "spokeAt", "EVENT")],
    ),
    "presenting_a_draft_conclusion_is_speaking": Rule(
        "Also at the meeting, Mr. Khuat Van Tu - Deputy Head of the Central Inspection "
        "Commission - presented the draft inspection conclusion to the Standing Committee.",
        has=[("Khuat Van Tu", "spokeAt", "EVENT")],
    ),
    "a_list_after_an_unnamed_title_modifier": Rule(
        "The conference also saw the presence of Standing Vice Secretary of the City Party "
        "Committee Lam Van Hoi, Chairman of the People's Committee of the City Tieu Van Phu, "
        "and Chairwoman of the City People's Council Ninh Thi Tam.",
        has=[
            ("Lam Van Hoi", "attended", "EVENT"),
            ("Tieu Van Phu", "attended", "EVENT"),
            ("Ninh Thi Tam", "attended", "EVENT"),
        ],
    ),
    "held_in_the_province_of": Rule(
        "The Friendship Association in the Central Highlands province of Gia Lai on June 3 "
        "organised a gathering. Attending the event was Comrade Ksor Van Nam.",
        has=[("EVENT", "heldIn", "Gia Lai"), ("Ksor Van Nam", "attended", "EVENT")],
    ),
    "held_at_the_headquarters_of_a_local_body": Rule(
        "On March 3, at the headquarters of the Cao Bang Provincial Party Committee, the "
        "inspection team held a conference. Comrade Be Van Hung chaired the conference.",
        has=[("EVENT", "heldIn", "Cao Bang")],
    ),
    "a_province_holds_the_ceremony": Rule(
        "Ha Giang province yesterday held a ceremony to mark its anniversary. Comrade Vang "
        "Thi Mai attended the ceremony.",
        has=[("EVENT", "heldIn", "Ha Giang")],
    ),
    "a_peoples_council_session_sits_in_its_province": Rule(
        "On July 3, the People's Council of Tuyen Quang province held its first session. "
        "Comrade Nong Van Duc chaired the session.",
        has=[("EVENT", "heldIn", "Tuyen Quang")],
    ),
    "a_visit_goes_to_its_place": Rule(
        "On May 5, Prime Minister Dang Van Loc visited and worked with the Standing Committee "
        "of the Provincial Party Committee and key officials of Son La province. He chaired "
        "the working session.",
        has=[("EVENT", "heldIn", "Son La")],
    ),
    "opened_in_the_capital": Rule(
        "On January 5, the 9th Conference of the 12th Party Central Committee opened in the "
        "capital Hanoi. At the conference chaired by General Secretary Do Quang Vinh, the "
        "Committee discussed the drafts.",
        has=[("EVENT", "heldIn", "Hanoi"), ("Do Quang Vinh", "chaired", "EVENT")],
    ),
    "a_party_meeting_that_does_not_say_where_is_not_placed": Rule(
        "On June 30, the Vinh Phuc Provincial Party Committee held a ceremony to announce "
        "decisions on personnel. Comrade Duong Van An chaired the ceremony.",
        has=[("Duong Van An", "chaired", "EVENT")],
        lacks=[("EVENT", "heldIn", None)],
    ),
    "officials_merely_mentioned_did_not_attend": Rule(
        "Comrade Ta Van Hung chaired the meeting. Deputy Prime Minister Ha Van Son had said "
        "last year that the plan was urgent.",
        has=[("Ta Van Hung", "chaired", "EVENT")],
        lacks=[("Ha Van Son", None, "EVENT")],
    ),
}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_rules_attendance(extract_text, rule: Rule) -> None:
    check_rule(extract_text(rule.text), rule)


NAMES = {
    "weekday_datelines_are_not_people": Names(
        "Thứ Ba, 12/03/2024 08:00\n\nComrade Lo Van Tam spoke. Chủ Nhật, 17/03/2024.",
        exactly={"Person": {"Lo Van Tam"}},
    ),
    "venues_are_not_people": Names(
        "The delegation visited Thong Nhat Hall, Ba Dinh Guest House, Quan Ngua Stadium, "
        "the Vi Xuyen Martyrs Memorial, Kim Lien Hotel and the Army Club.",
        exactly={"Person": set()},
    ),
    "streets_are_not_people": Names(
        "The school is at 34 Ho Nghinh street and 12 Tran Phu Street.",
        exactly={"Person": set()},
    ),
    "product_labels_are_not_people": Names(
        "The province has 120 One Commune One Product (OCOP) products, among them Tra Linh "
        "Tea and Ngoc Linh Ginseng.",
        exactly={"Person": set()},
    ),
    "a_body_after_a_title_is_not_a_person": Names(
        "Mr. Som Rithy, Vice Chairman of the Khmer Friendship Association, said. Deputy Head "
        "of Inspection Team No. 1910 Le Van Tam spoke.",
        exactly={"Person": {"Som Rithy", "Le Van Tam"}},
    ),
    "names_glued_to_a_dash": Names(
        "Chairman Nguyen Manh Hung- Member of the Party Central Committee; Comrade Y Ngoc- "
        "Member of the Standing Board attended.",
        exactly={"Person": {"Nguyen Manh Hung", "Y Ngoc"}},
    ),
    "a_spaced_dash_ends_a_name": Names(
        "Vo Van Thuong – standing member of the Secretariat –praised the work.",
        exactly={"Person": {"Vo Van Thuong"}},
    ),
    "a_joined_hyphen_stays_in_a_name": Names(
        "Mr. Kang Min-seok met the delegation.",
        has={"Person": ["Kang Min-seok"]},
    ),
    "people_of_a_commune_keep_their_names": Names(
        "Delegates of Tan Phu commune and voters in Hoa An ward met Mr. Lo Van Tien.",
        exactly={"Person": {"Lo Van Tien"}},
    ),
}


@pytest.mark.parametrize("case", NAMES.values(), ids=NAMES.keys())
def test_rules_attendance_names(extract_text, case: Names) -> None:
    check_names(extract_text(case.text), case)
