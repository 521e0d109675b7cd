"""Within-article resolution: one entity per real-world thing."""

from tests.helpers import names


def test_resolve_short_reference_joins_full_name(extract_text) -> None:
    g = extract_text(
        "General Secretary Ha Van Loc visited Cao Bang on May 2. "
        "General Secretary Loc spoke at the meeting. Comrade Loc thanked the province."
    )
    persons = [e for e in g.entities if e.type == "Person"]
    assert [p.name for p in persons] == ["Ha Van Loc"]
    assert len(persons[0].spans) == 3


def test_resolve_ambiguous_short_reference_is_left_alone(extract_text) -> None:
    g = extract_text("Comrade Le Van Hai and Comrade Tran Minh Hai met. Comrade Hai spoke.")
    assert names(g, "Person") == {"Le Van Hai", "Tran Minh Hai"}


def test_resolve_diacritics_and_plain_spellings_are_one_person(extract_text) -> None:
    g = extract_text("Ông Trần Văn Bình spoke. Later Tran Van Binh signed the plan.")
    persons = [e for e in g.entities if e.type == "Person"]
    assert len(persons) == 1


def test_resolve_body_written_three_ways_is_one_entity(extract_text) -> None:
    g = extract_text(
        "The Lai Chau Provincial Party Committee met on May 2. The Party Committee of Lai Chau "
        "province issued a plan. The Provincial Party Committee will report."
    )
    orgs = [e for e in g.entities if e.type == "Organization"]
    assert [o.name for o in orgs] == ["Lai Chau Provincial Party Committee"]
    assert len(orgs[0].mentions) == 3


def test_resolve_same_document_with_and_without_number_word(extract_text) -> None:
    g = extract_text("Resolution No. 57-NQ/TW matters. Resolution 57-NQ/TW was praised.")
    assert len([e for e in g.entities if e.type == "Document"]) == 1


def test_resolve_keys_are_article_independent(extract_text) -> None:
    a = extract_text("Comrade Nguyễn Thị Hoa chaired the meeting in Ca Mau.", doc_id="a.txt")
    b = extract_text("Comrade Nguyen Thi Hoa spoke in Ca Mau province.", doc_id="b.txt")
    key_a = {e.name: e.key for e in a.entities}
    key_b = {e.name: e.key for e in b.entities}
    assert key_a["Ca Mau"] == key_b["Ca Mau"]
    assert key_a["Nguyen Thi Hoa"] == key_b["Nguyen Thi Hoa"]  # names come out folded
