"""Relation rules on mentions built by hand, over a tokenised text without the model.

The parse-free rules (a local body in its place, a place in its gazetteer parent, a
document's issuer from its code) are checked here without loading the statistical model:
the text is only tokenised (``spacy.blank``) and the mentions are written out.
"""

import spacy

from kg.extract.lexicon import Place, lexicon
from kg.extract.mentions import ORG, PLACE, Mention
from kg.extract.mentions.scan import local_body_info
from kg.extract.relations import extract_relations
from kg.extract.resolve import resolve_mentions

LANG_SON = Place("lang-son", "Lang Son", "province")
CAO_LOC = Place("cao-loc", "Cao Loc", "district", parent="lang-son")


def _sentences(text: str):  # type: ignore[no-untyped-def]
    doc = spacy.blank("en")(text)
    for tok in doc:
        tok.is_sent_start = tok.i == 0 or doc[tok.i - 1].text == "."
    return doc


def _mention(doc, label: str, words: str, name: str, info: dict) -> Mention:  # type: ignore[no-untyped-def]
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words))
    assert span is not None, words
    sent = sum(1 for s in doc.sents if s.start <= span.start) - 1
    return Mention(
        label, span.start, span.end, span.start_char, span.end_char, sent, name, info=info
    )  # type: ignore[arg-type]


def _relations(doc, mentions: list[Mention], main: Place | None) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    res = resolve_mentions(mentions, doc.text)
    drafts, _ = extract_relations(doc, doc.text, mentions, res, main, lexicon(), None)
    return {(r.subject.name, r.predicate, r.object.name) for r in drafts}


def test_relations_by_hand_local_body_in_its_place_and_district_in_province() -> None:
    doc = _sentences("Cao Loc reported. The Cao Loc District People's Committee met.")
    mentions = [
        _mention(doc, PLACE, "Cao Loc", "Cao Loc", {"place": CAO_LOC}),
        _mention(
            doc,
            ORG,
            "Cao Loc District People's Committee",
            "Cao Loc District People's Committee",
            local_body_info("peoples-committee", "District", CAO_LOC, "Cao Loc"),
        ),
    ]
    found = _relations(doc, mentions, LANG_SON)
    assert ("Cao Loc District People's Committee", "locatedIn", "Cao Loc") in found
    assert ("Cao Loc", "locatedIn", "Lang Son") in found


def test_relations_by_hand_nothing_from_a_place_alone() -> None:
    doc = _sentences("Lang Son grew fast.")
    mentions = [_mention(doc, PLACE, "Lang Son", "Lang Son", {"place": LANG_SON})]
    assert _relations(doc, mentions, LANG_SON) == set()
