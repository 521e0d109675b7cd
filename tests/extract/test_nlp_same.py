"""kg's faster stand-ins give every token what the components they replace gave."""

from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc

from kg.extract.nlp.attributes import _regions
from kg.resources import load_yaml

TEXTS = [
    "There is a plan. There were three delegates, and it is said they're gonna stay.\n",
    "Comrade Lo Van Tam hasn't signed Resolution No. 27-NQ/TW; y' all know it.\n\n",
    'Ms. Dao Thi Lan asked: "Did you visit Ca Mau?" The delegates did.  Then gon na go.',
    "Let 's meet at 8 a.m. on May 3, 2024 ... I ai n't sure. C'm on!  \n Xin chao",
]
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD]


def test_attributes_equal_the_model_ruler_and_lemmatizer(nlp) -> None:
    attributes = nlp.get_pipe("kg_attributes")
    before = ["tok2vec", "tagger", "kg_sentences", "parser"]
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe(TEXTS))
    multi = 0
    for doc in docs:
        expected = attributes.lemmatizer(attributes.ruler(doc.copy()))
        multi += bool(attributes.multi(doc, allow_missing=True))
        got = attributes(doc)
        assert (got.to_array(ATTRS) == expected.to_array(ATTRS)).all(), doc.text
    assert multi >= 2  # the texts reach the model's multi-token patterns


def test_attributes_table_answers_a_second_time_alike(nlp) -> None:
    first = [[(t.pos_, t.lemma_, str(t.morph)) for t in doc] for doc in nlp.pipe(TEXTS)]
    again = [[(t.pos_, t.lemma_, str(t.morph)) for t in doc] for doc in nlp.pipe(TEXTS)]
    assert first == again
    assert ("AUX", "be", "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin") in first[0]


def test_regions_merge_overlapping_matches() -> None:
    assert _regions([]) == []
    assert _regions([(1, 4, 6), (1, 0, 2), (2, 1, 3)]) == [(0, 3), (4, 6)]


def _sentences_token_by_token(doc: Doc) -> Doc:
    """The rule of kg_sentences, written through Token objects (as it was before)."""
    rules = load_yaml("lexicons/sentences.yaml")
    no_break, ends = set(rules["no_break_after"]), set(rules["end_punct"])
    for i in range(1, len(doc)):
        doc[i].is_sent_start = False
    for i, tok in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if tok.is_space and "\n" in tok.text:
            nxt.is_sent_start = True
        elif tok.text in ends and not nxt.is_space:
            if tok.text == "." and i > 0 and doc[i - 1].text in no_break:
                continue
            if nxt.is_lower or nxt.is_punct and nxt.text not in ('"', "'", "(", "[", "“"):
                continue
            nxt.is_sent_start = True
        elif tok.is_space and i > 0 and doc[i - 1].text in ends and not nxt.is_lower:
            nxt.is_sent_start = True
    return doc


def test_sentences_equal_setting_them_token_by_token(nlp) -> None:
    sentences = nlp.get_pipe("kg_sentences")
    for text in [*TEXTS, "", "A", "Hi.", "\n", "a . b", "No. 5 is. Then\n\nX. y", "Go! (x)"]:
        got = sentences(nlp.make_doc(text)).to_array([SENT_START]).tolist()
        expected = _sentences_token_by_token(nlp.make_doc(text)).to_array([SENT_START])
        assert got == expected.tolist(), text
