import pytest

from kg.names import fold, honorifics, norm_key, slug


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Phú Trọng", "Nguyen Phu Trong"),
        ("Điện Biên Phủ", "Dien Bien Phu"),
        ("Quyết định số 12/QĐ-TTg", "Quyet dinh so 12/QD-TTg"),
        ("People’s Council", "People's Council"),
    ],
)
def test_names_fold_removes_diacritics_keeping_length(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_names_norm_key_matches_spellings_of_one_name() -> None:
    assert norm_key("The Provincial People’s Council") == norm_key("provincial peoples council")
    assert norm_key("Trần Quốc Cường") == norm_key("Tran Quoc Cuong")


def test_names_slug_is_ascii_and_stable() -> None:
    assert slug("Hà Nội People’s Committee") == "ha-noi-peoples-committee"


def test_names_honorifics_and_ranks_are_known() -> None:
    assert {"comrade", "mr", "mrs", "lieutenant", "general", "colonel"} <= honorifics()
