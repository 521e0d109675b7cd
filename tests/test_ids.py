from kg.ids import entity_iri, entity_key, graph_iri


def test_ids_person_key_ignores_diacritics() -> None:
    assert entity_key("Person", "Trần Quốc Cường") == entity_key("Person", "Tran Quoc Cuong")


def test_ids_documents_keyed_on_code_and_year() -> None:
    a = entity_key("Document", "Resolution No. 18-NQ/TW", code="18-NQ/TW", year="2017")
    b = entity_key("Document", "Resolution 18-NQ/TW", code="18-NQ/TW", year="2017")
    c = entity_key("Document", "Resolution No. 18-NQ/TW", code="18-NQ/TW", year="2022")
    assert a == b
    assert a != c


def test_ids_events_keyed_on_date_and_place() -> None:
    a = entity_key("Event", "working session", date="2024-05-02", place="Ha Giang")
    b = entity_key("Event", "meeting with provincial leaders", date="2024-05-02", place="Ha Giang")
    assert a == b


def test_ids_iris_under_a_configurable_base() -> None:
    assert entity_iri("place/ha-giang", "http://example.org/kg/") == (
        "http://example.org/kg/id/place/ha-giang"
    )
    assert graph_iri("a.txt", "http://example.org/kg/").startswith("http://example.org/kg/graph/")
