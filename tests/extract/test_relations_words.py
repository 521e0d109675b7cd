"""The relation rules' word lists (kg/data/lexicons/relations.yaml) load as words."""

from dataclasses import fields

from kg.extract.relations.common import words


def test_relations_words_every_list_holds_strings() -> None:
    w = words()
    for f in fields(w):
        value = getattr(w, f.name)
        items = value if not isinstance(value, dict) else list(value)
        assert items, f.name
        assert all(isinstance(x, str) for x in items), f.name


def test_relations_words_keep_yaml_keywords_as_words() -> None:
    # unquoted, YAML would read "on" as True and the time phrase "on April 3" would be missed
    assert "on" in words().time_openers
    assert words().place_rank["commune"] < words().place_rank["province"]
