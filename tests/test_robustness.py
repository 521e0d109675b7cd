"""Arbitrary text, unicode noise included, never crashes extraction (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.vocab import ENTITY_TYPES, PREDICATES

# words that trigger every rule, mixed with noise, so the rules meet odd neighbours
WORDS = [
    "Comrade",
    "Nguyen",
    "Văn",
    "Thị",
    "Lâm",
    "Secretary",
    "of",
    "the",
    "Provincial",
    "Party",
    "Committee",
    "People's",
    "Council",
    "Chairman",
    "Deputy",
    "Minister",
    "Resolution",
    "No.",
    "18-NQ/TW",
    "21- KL/TW",
    "dated",
    "May",
    "5,",
    "2023",
    "Politburo",
    "Standing",
    "chaired",
    "spoke",
    "at",
    "conference",
    "attended",
    "Lang",
    "Son",
    "Hà",
    "Nội",
    "district",
    "communes",
    "and",
    ",",
    ";",
    ":",
    ".",
    "\n",
    "Law",
    "on",
    "Department",
    "Ho",
    "Chi",
    "Minh",
    "City",
    "13th",
    "Congress",
    "implement",
    "issued",
    "(",
    ")",
    "’s",
    "Đ",
    "QĐ/TW",
    "-",
]
text_strategy = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=6)), max_size=60
).map(" ".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=text_strategy)
def test_robustness_any_text_gives_a_valid_contract(extract_text, text: str) -> None:
    g = extract_text(text)
    d = g.to_dict()
    ids = {e["id"] for e in d["entities"]}
    assert len(ids) == len(d["entities"])
    for e in d["entities"]:
        assert e["type"] in ENTITY_TYPES
        assert e["name"].strip()
        for a, b in e.get("spans", []):
            assert 0 <= a < b <= len(text)
    for r in d["relations"]:
        assert r["predicate"] in PREDICATES
        assert r["subject"] in ids and r["object"] in ids
        prov = r["provenance"]
        assert text[prov["start"] : prov["end"]].strip() == prov["sentence"]
