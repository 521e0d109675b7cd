"""The word lists of the mention grammar (kg/data/lexicons/mentions.yaml)."""

from kg.extract.mentions import ordinal
from kg.extract.mentions.words import words
from kg.resources import load_yaml


def test_mention_words_place_kinds_come_from_body_levels() -> None:
    levels = load_yaml("lexicons/bodies.yaml")["levels"]
    w = words()
    assert w.place_kinds == {v for v in levels.values() if v != "country"}
    assert w.plural_kinds["cities"] == "city"
    assert w.plural_kinds["districts"] == "district"
    assert {"township", "provinces", "commune"} <= w.place_kind_words


def test_mention_words_are_strings() -> None:
    # YAML reads a bare On or Of as a boolean: the stop words must stay words
    w = words()
    assert {"On", "Of", "The"} <= w.stop_name
    assert all(isinstance(x, str) for x in w.stop_name | w.institution | w.own_qualifiers)


def test_mention_words_ordinals_in_order() -> None:
    assert ordinal("Twentieth") == "20th"
    assert ordinal("eleventh") == "11th"
    assert ordinal("Second") == "2nd"
