"""Within-article resolution: one entity per real-world thing."""

from kg.extract.lexicon import Place
from kg.extract.mentions import DOC, ORG, PERSON, PLACE, SHORTREF, Mention
from kg.extract.resolve import resolve_mentions
from kg.ids import entity_key
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


# ---- resolution alone, on mentions built by hand (no model) ---------------------------


def _mentions(text: str, *specs: tuple[str, str, str, dict[str, object]]) -> list[Mention]:
    """Mentions of ``text``: (label, surface, name, info) each, at the surface's first place."""
    out, seen = [], 0
    for i, (label, surface, name, info) in enumerate(specs):
        start = text.index(surface, seen)
        seen = start + len(surface)
        out.append(Mention(label, i, i + 1, start, seen, 0, name=name, info=dict(info)))  # type: ignore[arg-type]
    return out


def test_resolve_partial_name_joins_the_unique_longer_name() -> None:
    text = "Nguyen Van Hai spoke. Van Hai thanked the delegates."
    res = resolve_mentions(
        _mentions(
            text,
            (PERSON, "Nguyen Van Hai", "Nguyen Van Hai", {}),
            (PERSON, "Van Hai", "Van Hai", {}),
        ),
        text,
    )
    assert [(d.type, d.name, d.mentions) for d in res.drafts] == [
        ("Person", "Nguyen Van Hai", ["Nguyen Van Hai", "Van Hai"])
    ]


def test_resolve_short_reference_needs_exactly_one_holder() -> None:
    text = "Le Van Hai, Tran Minh Hai and Do Thi Lan met. Comrade Lan spoke. Comrade Hai left."
    ms = _mentions(
        text,
        (PERSON, "Le Van Hai", "Le Van Hai", {}),
        (PERSON, "Tran Minh Hai", "Tran Minh Hai", {}),
        (PERSON, "Do Thi Lan", "Do Thi Lan", {}),
        (SHORTREF, "Lan", "Lan", {}),
        (SHORTREF, "Hai", "Hai", {}),
    )
    res = resolve_mentions(ms, text)
    assert res.entity_of(ms[3]) is res.entity_of(ms[2])
    assert res.entity_of(ms[4]) is None  # two people are called Hai


def test_resolve_documents_are_one_entity_per_code() -> None:
    text = "Resolution No. 18-NQ/TW was praised. Resolution 18-nq/tw is in force."
    ms = _mentions(
        text,
        (DOC, "Resolution No. 18-NQ/TW", "Resolution No. 18-NQ/TW", {"code": "18-NQ/TW"}),
        (DOC, "Resolution 18-nq/tw", "Resolution No. 18-nq/tw", {"code": "18-nq/tw"}),
    )
    res = resolve_mentions(ms, text)
    assert len(res.drafts) == 1
    assert res.drafts[0].attrs == {"code": "18-NQ/TW"}
    assert res.drafts[0].key == entity_key("Document", "", code="18-NQ/TW")


def test_resolve_places_from_the_gazetteer_and_virtual_mentions() -> None:
    text = "Lang Son met Cao Loc."
    lang_son = Place("lang-son", "Lang Son", "province")
    ms = _mentions(
        text,
        (PLACE, "Lang Son", "Lang Son", {"place": lang_son}),
        (ORG, "Cao Loc", "Cao Loc District Party Committee", {"virtual": True}),
    )
    res = resolve_mentions(ms, text)
    assert [(d.type, d.name, d.key) for d in res.drafts] == [
        ("Place", "Lang Son", "place/lang-son")
    ]
    assert res.entity_of(ms[1]) is None
