"""Documents in real-article phrasings: bare numbers, code variants, issuers, implementers.

Every sentence is invented (no seed or gold text). Names are the canonical names of
SPEC §3; "EVENT" stands for the article's meeting.
"""

from __future__ import annotations

import pytest

from kg.extract.mentions.documents import doc_words, party_code
from tests.helpers import Names, Rule, check_names, check_rule, names

NAMES = {
    "bare_number_with_no": Names(
        "The district praised units for carrying out the Politburo's Directive No.7 on "
        "studying Ho Chi Minh's ideology.",
        has={"Document": ["Directive No. 7"]},
    ),
    "bare_number_dated_then_issuer": Names(
        "Delegates reviewed Resolution No. 64 dated March 3, 2023 of the Politburo.",
        exactly={"Document": {"Resolution No. 64"}},
    ),
    "bare_number_without_no": Names(
        "The city made progress in carrying out Resolution 31 on its development.",
        exactly={"Document": {"Resolution No. 31"}},
    ),
    "bare_number_any_type_with_no": Names(
        "The Steering Committee sent Official Letter No. 48 to the districts.",
        has={"Document": ["Official Letter No. 48"]},
    ),
    "year_like_numbers_are_not_documents": Names(
        "The province drew up its Plan 2025 and Strategy 2030 for tourism.",
        exactly={"Document": set()},
    ),
    "a_bare_number_is_the_coded_document_of_the_article": Names(
        "Bac Kan reviewed Resolution No. 26-NQ/TW of the Politburo. Resolution 26 helped "
        "the border districts.",
        exactly={"Document": {"Resolution No. 26-NQ/TW"}},
    ),
    "a_bare_number_is_the_issuer_named_document_of_the_article": Names(
        "Tay Ninh studied Resolution 7 of the 13th Party Central Committee. Resolution 7 "
        "set new goals.",
        exactly={"Document": {"Resolution 7 of the 13th Party Central Committee"}},
    ),
    "codes_in_variant_spellings": Names(
        "Cao Bang carried out Resolution No 27-NQ/TW and Directive 41/CT-TW.",
        has={"Document": ["Resolution No. 27-NQ/TW", "Directive No. 41-CT/TW"]},
    ),
    "several_codes_after_one_plural_type": Names(
        "Yen Bai reviewed Resolutions No. 36-NQ/TW, 37-NQ/TW and 39-NQ/TW of the Politburo.",
        exactly={
            "Document": {
                "Resolution No. 36-NQ/TW",
                "Resolution No. 37-NQ/TW",
                "Resolution No. 39-NQ/TW",
            }
        },
    ),
    "titled_document_of_a_central_body": Names(
        "The council announced the Resolution of the National Assembly Standing Committee "
        "on new communes.",
        exactly={"Document": {"Resolution of the National Assembly Standing Committee"}},
    ),
    "possessive_issuer": Names(
        "Mr. Lo Van Phong handed over the Politburo's decision to Mr. Ha Duc Minh.",
        exactly={"Document": {"Decision of the Politburo"}},
    ),
    "document_by_its_issuer": Names(
        "An official announced an approving decision by the Secretariat for Mr. Ha Duc Minh.",
        exactly={"Document": {"Decision of the Secretariat of the Party Central Committee"}},
    ),
    "resolution_adopted_by_a_congress": Names(
        "Dak Nong reviewed the resolution adopted by the 12th Dak Nong Provincial Party Congress.",
        exactly={"Document": {"Resolution of the 12th Dak Nong Provincial Party Congress"}},
    ),
    "congress_named_by_its_ordinal": Names(
        "Thanh Hoa province held a conference. The conference reviewed the Resolution of the "
        "XIX Party Congress.",
        exactly={"Document": {"Resolution of the 19th Thanh Hoa Provincial Party Congress"}},
    ),
    "congress_named_by_its_ordinal_possessive": Names(
        "Ha Nam province held a conference. The delegates assessed the 14th Congress's "
        "resolution for 2020-2025.",
        exactly={"Document": {"Resolution of the 14th Ha Nam Provincial Party Congress"}},
    ),
    "conclusions_and_notices_of_a_body": Names(
        "Quang Binh implemented the Conclusion of the Politburo on the economy and the "
        "Notice of the Secretariat on cadres.",
        exactly={
            "Document": {
                "Conclusion of the Politburo",
                "Notice of the Secretariat of the Party Central Committee",
            }
        },
    ),
    "modified_lower_case_types_are_other_papers": Names(
        "The Office reviewed the working programme of the 13th Party Central Committee.",
        exactly={"Document": set()},
    ),
    "lower_case_issuer_documents_need_an_occasion": Names(
        "Officials must follow the guidance of the Politburo and the plans of the Government.",
        exactly={"Document": set()},
    ),
}


@pytest.mark.parametrize("case", NAMES.values(), ids=NAMES.keys())
def test_rules_documents_names(extract_text, case: Names) -> None:
    check_names(extract_text(case.text), case)


def test_rules_documents_party_code_written_state_style() -> None:
    issuers = doc_words().party_issuers
    assert party_code("41/CT-TW", issuers) == "41-CT/TW"
    assert party_code("1260/QD-TTg", issuers) == "1260/QD-TTg"
    assert party_code("12-NQ/TU", issuers) == "12-NQ/TU"


def test_rules_documents_one_entity_for_every_spelling(extract_text) -> None:
    g = extract_text(
        "Son La implements Directive No.9 from the Politburo. The Politburo's Directive "
        "No. 9 guides the congresses. Directive 9 is being applied."
    )
    assert names(g, "Document") == {"Directive No. 9"}


RULES = {
    "issuer_after_a_comma_and_date": Rule(
        "Bac Giang reviewed Resolution No. 22-NQ/TW, dated May 3, 2019 of the Politburo.",
        has=[("Resolution No. 22-NQ/TW", "issuedBy", "Politburo")],
    ),
    "issuer_of_a_bare_number": Rule(
        "Delegates discussed Resolution No. 64 dated March 3, 2023 of the Politburo.",
        has=[("Resolution No. 64", "issuedBy", "Politburo")],
    ),
    "issuer_with_its_term": Rule(
        "Ninh Binh carried out Directive No. 44-CT/TW dated May 2, 2024 of the 13th Politburo.",
        has=[("Directive No. 44-CT/TW", "issuedBy", "Politburo")],
    ),
    "issuer_from": Rule(
        "Son La implements Directive No.9 from the Politburo.",
        has=[("Directive No. 9", "issuedBy", "Politburo")],
    ),
    "two_issuers": Rule(
        "The provinces applied Conclusion No. 171-KL/TW, dated May 6, 2025 of the Politburo "
        "and the Secretariat.",
        has=[
            ("Conclusion No. 171-KL/TW", "issuedBy", "Politburo"),
            ("Conclusion No. 171-KL/TW", "issuedBy", "Secretariat of the Party Central Committee"),
        ],
    ),
    "possessive_issuer_of_a_decision": Rule(
        "Mr. Lo Van Phong handed over the Politburo's decision to Mr. Ha Duc Minh.",
        has=[("Decision of the Politburo", "issuedBy", "Politburo")],
    ),
    "subject_that_has_just_issued": Rule(
        "The Dak Lak Provincial People's Committee has just issued Official Letter No. 31 "
        "on flood relief.",
        has=[("Official Letter No. 31", "issuedBy", "Dak Lak Provincial People's Committee")],
    ),
    "a_body_inside_the_subject_is_not_the_issuer": Rule(
        "The Steering Board of Ea Sup - Dak Lak Provincial Party Committee has just issued "
        "Official Letter No. 31 on flood relief.",
        lacks=[("Official Letter No. 31", "issuedBy", "Dak Lak Provincial Party Committee")],
    ),
    "implementation_runs_on_through_a_list": Rule(
        "The Standing Committee of the Yen Bai Provincial Party Committee has implemented "
        "the Politburo's Directive No. 44-CT/TW on congresses; the Politburo's Resolution "
        "No. 66-NQ/TW on law making; and Conclusion No. 130-KL/TW on the economy.",
        has=[
            (
                "Standing Committee of the Yen Bai Provincial Party Committee",
                "implements",
                "Directive No. 44-CT/TW",
            ),
            (
                "Standing Committee of the Yen Bai Provincial Party Committee",
                "implements",
                "Resolution No. 66-NQ/TW",
            ),
            (
                "Standing Committee of the Yen Bai Provincial Party Committee",
                "implements",
                "Conclusion No. 130-KL/TW",
            ),
        ],
    ),
    "a_new_clause_ends_the_list": Rule(
        "The Yen Bai Provincial Party Committee implemented Directive No. 44-CT/TW; "
        "the Government then issued Decree No. 12/2025/ND-CP.",
        has=[("Yen Bai Provincial Party Committee", "implements", "Directive No. 44-CT/TW")],
        lacks=[(None, "implements", "Decree No. 12/2025/ND-CP")],
    ),
    "summary_of_a_document": Rule(
        "The Standing Committee of the Phu Tho Provincial Party Committee held the summary "
        "of Resolution No. 18-NQ/TW.",
        has=[
            (
                "Standing Committee of the Phu Tho Provincial Party Committee",
                "implements",
                "Resolution No. 18-NQ/TW",
            )
        ],
    ),
    "acting_on_the_basis_of_a_document": Rule(
        "Based on Regulation No. 29-QD/TW of the Party Central Committee, the Tra Vinh "
        "Provincial Party Committee elected two new members.",
        has=[("Tra Vinh Provincial Party Committee", "implements", "Regulation No. 29-QD/TW")],
    ),
    "congress_resolution_reviewed_by_the_province": Rule(
        "Thai Nguyen province held a conference on Thai Nguyen's future. The tasks are: "
        "reviewing the implementation results of the Resolution of the XIX Party Congress.",
        has=[
            (
                "Thai Nguyen",
                "implements",
                "Resolution of the 19th Thai Nguyen Provincial Party Congress",
            )
        ],
    ),
    "conference_reviewing_years_of_implementation": Rule(
        "The Hau Giang Provincial Party Committee held a conference to review five years of "
        "implementing Resolution No. 36-NQ/TW.",
        has=[("Hau Giang Provincial Party Committee", "implements", "Resolution No. 36-NQ/TW")],
    ),
    "implementing_then_the_body_issues": Rule(
        "To implement Resolution No. 57-NQ/TW, the Lai Chau Provincial Party Committee issued "
        "a plan.",
        has=[("Lai Chau Provincial Party Committee", "implements", "Resolution No. 57-NQ/TW")],
    ),
    "the_owner_of_papers_is_not_the_implementer": Rule(
        "Quang Tri held a meeting on Quang Tri's future. The team announced the Politburo's "
        "decisions and plans, covering summarizing Resolution No. 18-NQ/TW.",
        has=[("Quang Tri", "implements", "Resolution No. 18-NQ/TW")],
        lacks=[("Politburo", "implements", None)],
    ),
    "a_document_another_one_issues_is_not_implemented": Rule(
        "Lam Dong implemented Resolution No. 26/NQ-CP of the Government promulgating the "
        "Government's Action Programme.",
        has=[("Lam Dong", "implements", "Resolution No. 26/NQ-CP")],
        lacks=[(None, "implements", "Action Programme of the Government")],
    ),
}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_rules_documents_relations(extract_text, rule: Rule) -> None:
    check_rule(extract_text(rule.text), rule)
