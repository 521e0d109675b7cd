"""Careless input loses nothing: stdin formats, legacy encodings, control bytes, odd files."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import sys
import threading
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.model import Article
from kg.read.articles import read_articles
from kg.read.decode import decode_bytes, normalize_text


def read(*sources: str | Path, **kwargs: object) -> list[Article | InputError]:
    return list(read_articles([str(s) for s in sources], **kwargs))  # type: ignore[arg-type]


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# --------------------------------------------------------------------------- stdin


def test_input_stdin_jsonl_with_a_bad_line_is_still_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    good = json.dumps({"id": "j1", "text": "Comrade Lum Van Tai chaired the meeting."})
    stdin(monkeypatch, f'{good}\n{{"id": "j2", "text": "cut off\n'.encode())
    items = read("-")
    assert [i.doc_id for i in items if isinstance(i, Article)] == ["j1"]
    (err,) = [i for i in items if isinstance(i, InputError)]
    assert err.path == "<stdin>:2" and "not valid JSON" in err.problem


def test_input_stdin_csv_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, b'id,text\nc1,"Comrade Lum Van Tai chaired the meeting."\n')
    (art,) = read("-")
    assert isinstance(art, Article)
    assert (art.doc_id, art.text) == ("c1", "Comrade Lum Van Tai chaired the meeting.")


def test_input_stdin_format_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"id": "j1", "text": "Comrade Lum Van Tai chaired the meeting."}\n'
    stdin(monkeypatch, data)
    (art,) = read("-", stdin_format="txt", stdin_id="raw.txt")
    assert isinstance(art, Article)
    assert (art.doc_id, art.text) == ("raw.txt", data.decode())


def test_input_stdin_text_without_an_id_is_refused_when_one_is_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdin(monkeypatch, b"Comrade Lum Van Tai chaired the meeting.\n")
    (err,) = read("-", stdin_id=None)
    assert isinstance(err, InputError)
    assert err.path == "<stdin>" and "--doc-id" in err.problem


def test_input_stdin_records_keep_their_own_ids_when_an_id_is_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = [{"id": "j1", "text": "The commune met."}, {"text": "The ward met."}]
    stdin(monkeypatch, "\n".join(json.dumps(x) for x in lines).encode())
    first, second = read("-", stdin_id=None)
    assert isinstance(first, Article) and first.doc_id == "j1"
    assert isinstance(second, InputError) and second.path == "<stdin>:2"
    assert '"id"' in second.problem


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "text",
    [
        "José Núñez",
        "José Núñez met the delegation.\n",
        "The delegation of José Núñez and Françoise Müller visited the province on Monday.",
        "Señor Ibáñez, naïve café owner, spoke at the Hội An meeting? no: at the Hoi An one.",
    ],
)
def test_input_latin1_is_never_read_as_a_rare_code_page(text: str) -> None:
    data = text.encode("latin-1", "replace")
    assert decode_bytes(data, "x.txt") == data.decode("latin-1")


def test_input_cp1252_quotes_are_read_as_cp1252() -> None:
    data = "\u201cJosé Núñez\u201d \u2013 the minister\u2019s guest".encode("cp1252")
    assert decode_bytes(data, "x.txt") == data.decode("cp1252")


def test_input_cp1252_gaps_fall_back_to_latin1_with_controls_cleaned() -> None:
    # 0x81 is unassigned in cp1252: the file is Latin-1 (a C1 control there)
    data = "José Núñez met Ana".encode("latin-1") + b"\x81 Lum."
    assert normalize_text(decode_bytes(data, "x.txt")) == "José Núñez met Ana  Lum."


# --------------------------------------------------------------------------- control bytes


def test_input_control_characters_become_spaces_keeping_offsets(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    rest = " It reviewed the plan of the province for the coming year.\n"
    path.write_bytes(("Comrade Lum\x02 Van\x0b Tai\x7f chaired\x85 the\tmeeting." + rest).encode())
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.text == "Comrade Lum  Van  Tai  chaired  the\tmeeting." + rest


def test_input_one_nul_byte_does_not_reject_the_article(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Comrade Lum Van Tai chaired\x00 the meeting in Song Lam.\n")
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.text == "Comrade Lum Van Tai chaired  the meeting in Song Lam.\n"


def test_input_record_fields_lose_their_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    record = {"id": "r1", "title": "A\u0002B", "text": "Ana\u0001 Lum spoke.\ud800"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (art,) = read(path)
    assert isinstance(art, Article)
    assert (art.title, art.text) == ("A B", "Ana  Lum spoke. ")


# --------------------------------------------------------------------------- odd files


def test_input_fifo_in_a_folder_is_skipped_with_a_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a.txt").write_text("The commune met.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    result: list[list[Article | InputError]] = []
    worker = threading.Thread(target=lambda: result.append(read(tmp_path)), daemon=True)
    with caplog.at_level(logging.WARNING):
        worker.start()
        worker.join(timeout=20)
    assert not worker.is_alive(), "reading a folder with a FIFO hung"
    assert [i.doc_id for i in result[0] if isinstance(i, Article)] == ["a.txt"]
    assert "pipe.txt" in caplog.text and "not a regular file" in caplog.text


def test_input_socket_in_a_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The commune met.", encoding="utf-8")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "s.txt"))
        assert [type(i) for i in read(tmp_path)] == [Article]


# --------------------------------------------------------------------------- kg:source


def test_input_source_is_relative_to_the_folder_given(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text("The commune met.", encoding="utf-8")
    (tmp_path / "in" / "b.jsonl").write_text(
        json.dumps({"id": "b1", "text": "The ward met."})
        + "\n"
        + json.dumps({"id": "b2", "text": "The ward met.", "url": "https://news.example/b2"})
        + "\n",
        encoding="utf-8",
    )
    items = read(tmp_path / "in")
    assert {a.doc_id: a.source for a in items if isinstance(a, Article)} == {
        "b1": "b.jsonl:1",
        "b2": "https://news.example/b2",
        "a.txt": "sub/a.txt",
    }


def test_input_source_of_a_file_is_its_name_wherever_it_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("The commune met.", encoding="utf-8")
    (absolute,) = read(tmp_path / "d" / "a.txt")
    monkeypatch.chdir(tmp_path)
    (relative,) = read("d/a.txt")
    assert isinstance(absolute, Article) and isinstance(relative, Article)
    assert absolute.source == relative.source == "a.txt"


def test_input_duplicate_id_names_both_paths(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text("The commune met.", encoding="utf-8")
    _, err = read(tmp_path / "one", tmp_path / "two")
    assert isinstance(err, InputError)
    assert err.path == str(tmp_path / "two" / "report.txt")
    assert str(tmp_path / "one" / "report.txt") in err.problem
