"""Mentions and canonical names (SPEC 3), on sentences written for these tests.

Most cases are one row of ``NAMES``: an invented text and the canonical names it must give
(``has``), must not give (``lacks``) or gives exactly (``exactly``), by entity type.
"""

import pytest

from tests.helpers import Names, check_names, names

# An article about one province: local bodies written without their place take it.
PROVINCIAL = (
    "Ha Giang province held its mid-year review on July 4. The Ha Giang Provincial Party "
    "Committee and the Provincial People's Committee reported to the delegates. {}"
)


@pytest.mark.parametrize(
    ("sentence", "etype", "expected"),
    [
        (
            "The Standing Committee of the Provincial Party Committee met.",
            "Organization",
            "Standing Committee of the Ha Giang Provincial Party Committee",
        ),
        (
            "The Provincial Party Standing Committee met.",
            "Organization",
            "Standing Committee of the Ha Giang Provincial Party Committee",
        ),
        (
            "The Department of Natural Resources and Environment reported.",
            "Organization",
            "Ha Giang Department of Natural Resources and Environment",
        ),
        (
            "The Provincial Party Committee's Organization Board reported.",
            "Organization",
            "Organization Board of the Ha Giang Provincial Party Committee",
        ),
        (
            "Leaders of the Provincial People's Council spoke.",
            "Organization",
            "Ha Giang Provincial People's Council",
        ),
        (
            "Meo Vac District Party Committee sent a report.",
            "Organization",
            "Meo Vac District Party Committee",
        ),
        (
            "The Party Committee of the Provincial Agencies Bloc sent a report.",
            "Organization",
            "Party Committee of the Ha Giang Provincial Agencies Bloc",
        ),
        (
            "The Provincial Steering Committee for Digital Transformation met.",
            "Organization",
            "Ha Giang Provincial Steering Committee for Digital Transformation",
        ),
        (
            "The Provincial Fatherland Front Committee took part.",
            "Organization",
            "Ha Giang Provincial Fatherland Front Committee",
        ),
        (
            "It follows the 18th Provincial Party Congress.",
            "Organization",
            "18th Ha Giang Provincial Party Congress",
        ),
    ],
)
def test_mentions_local_bodies_take_the_article_province(extract_text, sentence, etype, expected):
    g = extract_text(PROVINCIAL.format(sentence))
    assert expected in names(g, etype)
    assert "Ha Giang" in names(g, "Place")


def test_mentions_unqualifiable_local_body_is_dropped(extract_text) -> None:
    # no province dominates: "the Provincial Party Committee" cannot be named
    g = extract_text(
        "Delegates from Ca Mau, Bac Kan and Son La attended. The Provincial Party Committee "
        "must act, the Provincial People's Committee said."
    )
    assert not any("Provincial Party Committee" in n for n in names(g, "Organization"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They studied Resolution No. 27-NQ/TW.", "Resolution No. 27-NQ/TW"),
        ("They studied Resolution 27-NQ/TW.", "Resolution No. 27-NQ/TW"),
        ("They studied Regulation No. 114-QĐ/TW.", "Regulation No. 114-QD/TW"),
        ("They studied Conclusion No. 14 - KL/TW.", "Conclusion No. 14-KL/TW"),
        ("They applied Decision No. 1123/QD-TTg.", "Decision No. 1123/QD-TTg"),
        ("They applied Resolution No. 42/2023/UBTVQH15.", "Resolution No. 42/2023/UBTVQH15"),
        ("They applied Plan No. 212-KH/TU.", "Plan No. 212-KH/TU"),
        (
            "They applied the Resolution of the 13th National Party Congress.",
            "Resolution of the 13th National Party Congress",
        ),
        (
            "They applied the resolution of the 13th Party Congress.",
            "Resolution of the 13th National Party Congress",
        ),
        (
            "They applied Resolution 8 of the 11th Central Committee.",
            "Resolution 8 of the 11th Party Central Committee",
        ),
    ],
)
def test_mentions_documents(extract_text, text: str, expected: str) -> None:
    assert expected in names(extract_text(text), "Document")


def test_mentions_document_parts_are_parsed(extract_text) -> None:
    g = extract_text("The Politburo issued Directive No. 05-CT/TW dated May 15, 2016.")
    doc = next(e for e in g.entities if e.type == "Document")
    assert doc.attr("doc_type") == "Directive"
    assert doc.attr("number") == "05"
    assert doc.attr("issuer_code") == "TW"
    assert doc.date == "2016-05-15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Hanoi People's Committee met.", "Hanoi People's Committee"),
        ("The Party Committee of Hanoi met.", "Hanoi Party Committee"),
        ("The Quang Tri Party Committee met.", "Quang Tri Provincial Party Committee"),
        ("The Party Committee of Quang Tri province met.", "Quang Tri Provincial Party Committee"),
        ("The Ministry of Public Security met.", "Ministry of Public Security"),
        ("The Political Bureau met.", "Politburo"),
        ("The 12th Party Central Committee met.", "12th Party Central Committee"),
    ],
)
def test_mentions_body_names(extract_text, text: str, expected: str) -> None:
    assert expected in names(extract_text(text), "Organization")


def test_mentions_foreign_bodies_are_not_vietnamese_ones(extract_text) -> None:
    g = extract_text(
        "The delegation met the Lao National Assembly and the Lao People's Revolutionary "
        "Party Central Committee before visiting the National Assembly of Vietnam."
    )
    orgs = names(g, "Organization")
    assert "Party Central Committee" not in orgs
    # foreign states' bodies are bodies too (SPEC 2), named with their country
    assert orgs == {
        "National Assembly of Laos",
        "Lao People's Revolutionary Party Central Committee",
        "National Assembly",
    }


def test_mentions_foreign_and_ministry_departments_are_not_local(extract_text) -> None:
    g = extract_text(
        "Hanoi hosted the forum. The Australian Department of Foreign Affairs and Trade and "
        "the Department of Planning and Finance of the Ministry of Education and Training "
        "took part with the Hanoi Department of Finance."
    )
    orgs = names(g, "Organization")
    assert "Australian Department of Foreign Affairs and Trade" in orgs
    assert "Department of Planning and Finance of the Ministry of Education and Training" in orgs
    assert "Hanoi Department of Finance" in orgs
    assert not any(o.startswith("Hanoi Department of Foreign") for o in orgs)


def test_mentions_institutions_and_orders_are_not_people(extract_text) -> None:
    g = extract_text(
        "Commander of the Bo Y International Border Gate Border Guard Station Lo Van Tien "
        "received the First-class Labour Order. Ambassador Kang Min-seok attended."
    )
    persons = names(g, "Person")
    assert "Lo Van Tien" in persons
    assert "Kang Min-seok" in persons
    assert not any("Border" in p or "Order" in p for p in persons)


def test_mentions_only_termed_bodies_take_ordinals(extract_text) -> None:
    orgs = names(
        extract_text("On the 1st Politburo meeting of 2024 the 15th National Assembly met."),
        "Organization",
    )
    assert "Politburo" in orgs and "15th National Assembly" in orgs
    assert "1st Politburo" not in orgs


NAMES = {
    "generic_documents_are_not_entities": Names(
        "Party committees must implement resolutions and directives of the Party.",
        exactly={"Document": set()},
    ),
    "plenum_names": Names(
        "Conclusion No. 30-KL/TW of the 11th Central Committee's 6th Conference was reviewed. "
        "So was Resolution No. 19-NQ/TW of the 5th Central Party Plenary (12th term).",
        has={
            "Organization": [
                "6th Conference of the 11th Party Central Committee",
                "5th Conference of the 12th Party Central Committee",
            ]
        },
    ),
    "places": Names(
        "Ben Tre, Ba Ria - Vung Tau and Ho Chi Minh City met partners from Laos and Japan "
        "in the Mekong Delta. Ben Tre city hosted them.",
        has={
            "Place": [
                "Ben Tre",
                "Ba Ria - Vung Tau",
                "Ho Chi Minh City",
                "Laos",
                "Japan",
                "Mekong Delta",
                "Ben Tre city",
            ]
        },
    ),
    "persons_without_titles": Names(
        "Comrade Lo Van Hung, Lieutenant General Vi Quoc Tuan and Mrs. Dinh Thi Mai met "
        "Secretary of the Party Central Committee Truong Quang Nghia.",
        has={"Person": ["Lo Van Hung", "Vi Quoc Tuan", "Dinh Thi Mai", "Truong Quang Nghia"]},
    ),
    "person_names_containing_place_words": Names(
        "Comrade Bui Van Vinh and Comrade Tran Thi Nam spoke in Son La.",
        has={"Person": ["Bui Van Vinh", "Tran Thi Nam"], "Place": ["Son La"]},
    ),
    "name_holding_a_district_name": Names(
        "Comrade Dong Van Thanh, Chairman of the Dong Van District People's Committee, spoke.",
        has={
            "Person": ["Dong Van Thanh"],
            "Organization": ["Dong Van District People's Committee"],
        },
    ),
    "places_in_lists_are_not_people": Names(
        "Storms hit the districts of Ky Anh and Huong Son, while Phu Gia, Son Kim and Son Tay "
        "communes were flooded.",
        has={"Place": ["Ky Anh", "Huong Son", "Phu Gia", "Son Kim", "Son Tay"]},
        exactly={"Person": set()},
    ),
    "two_syllable_name_needs_a_title_or_honorific": Names(
        "General Secretary Ha Minh met Comrade Vu Thang. Can Loc grew fast.",
        exactly={"Person": {"Ha Minh", "Vu Thang"}},
    ),
    "district_article_qualifies_district_bodies": Names(
        "The Tam Dao District Party Committee held its congress in Tam Dao district. The "
        "Standing Committee of the District Party Committee and the District People's "
        "Committee reported. Secretary of the Party Committee of Dai Dinh commune spoke.",
        has={
            "Organization": [
                "Standing Committee of the Tam Dao District Party Committee",
                "Tam Dao District People's Committee",
                "Dai Dinh Commune Party Committee",
            ]
        },
    ),
    "centrally_run_city_bodies": Names(
        "Da Nang held a meeting. The City People's Council and the Da Nang Party Committee "
        "met the Da Nang City People's Committee.",
        has={
            "Organization": [
                "Da Nang People's Council",
                "Da Nang Party Committee",
                "Da Nang People's Committee",
            ]
        },
    ),
    "named_laws": Names(
        "Deputies discussed the draft Law on Roads and the Housing Law.",
        has={"Document": ["Law on Roads", "Housing Law"]},
    ),
    "british_spellings": Names(
        "Dien Bien reviewed the year. The Provincial Party Committee's Mass Mobilisation "
        "Commission and the Ministry of National Defence took part.",
        has={
            "Organization": [
                "Mass Mobilisation Commission of the Dien Bien Provincial Party Committee",
                "Ministry of National Defense",
            ]
        },
    ),
    "numbered_urban_districts": Names(
        "Voters in District 3 and Ward 7 of Ho Chi Minh City met deputies.",
        has={"Place": ["District 3", "Ward 7", "Ho Chi Minh City"]},
    ),
    "abbreviations_defined_in_brackets": Names(
        "In the morning, Provincial People's Committee (PPC) of Lai Chau held a meeting with "
        "District People's Committees (DPC). Chairman of PPC Vang A Chinh and Chairman of "
        "Sin Ho DPC Lo Van Pao spoke.",
        has={
            "Organization": [
                "Lai Chau Provincial People's Committee",
                "Sin Ho District People's Committee",
            ]
        },
        lacks={"Person": ["Sin Ho"]},
    ),
    "commune_article_qualifies_commune_bodies": Names(
        "The festival was held in Ia Mo commune, Chu Prong district. Comrade Rah Lan Chung, "
        "Chairman of the Commune People's Council, and Comrade Siu Thi Bloi, Chairwoman of "
        "the commune's Fatherland Front Committee, spoke at the festival in Ia Mo commune.",
        has={
            "Organization": [
                "Ia Mo Commune People's Council",
                "Ia Mo Commune Fatherland Front Committee",
            ]
        },
    ),
    "person_called_by_a_place_syllable": Names(
        "Minister of Health Dao Quang Vinh spoke. Minister Vinh said the plan works.",
        lacks={"Place": ["Vinh"]},
    ),
    "the_as_a_middle_name_and_names_after_titled_bodies": Names(
        "Kon Tum held a session, attended by Lai The Nguyen, Secretary of the Provincial Party "
        "Committee, and by Secretary of the Kon Tum Provincial Party Committee A Pot.",
        has={"Person": ["Lai The Nguyen", "A Pot"]},
    ),
    "municipal_bodies_and_directorates": Names(
        "Hai Phong held a meeting. Secretary of the municipal Party Committee Le Van Thanh and "
        "Head of the Directorate of Fisheries Vu Duyen Hai spoke.",
        has={"Organization": ["Hai Phong Party Committee", "Directorate of Fisheries"]},
    ),
    "body_named_inside_another_is_an_entity_too": Names(
        "Lo Thi Hoa, member of the Provincial Party Standing Committee and Head of the Mass "
        "Mobilisation Commission of the Dien Bien Provincial Party Committee, spoke. Ha Tinh "
        "and Quang Binh also spoke.",
        has={
            "Organization": [
                "Dien Bien Provincial Party Committee",
                "Standing Committee of the Dien Bien Provincial Party Committee",
            ]
        },
    ),
}


@pytest.mark.parametrize("case", NAMES.values(), ids=NAMES.keys())
def test_mentions_names(extract_text, case: Names) -> None:
    check_names(extract_text(case.text), case)
