import pytest

from kg.names import fold, norm_key, slug, strip_honorifics


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


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Comrade Pham Thi Lan", "Pham Thi Lan"),
        ("Lieutenant General Vo Van Hai", "Vo Van Hai"),
        ("Mrs. Dao Thi Nga", "Dao Thi Nga"),
        ("Le Van Tam", "Le Van Tam"),
    ],
)
def test_names_strip_honorifics(written: str, name: str) -> None:
    assert strip_honorifics(written) == name


def test_names_slug_is_ascii_and_stable() -> None:
    assert slug("Hà Nội People’s Committee") == "ha-noi-peoples-committee"
