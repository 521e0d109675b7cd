from __future__ import annotations

import io
import json
import logging
import os
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.model import Article
from kg.read import articles as ingest
from kg.read.articles import decode_bytes, furniture_spans, normalize_text, read_articles
from kg.resources import load_yaml

DATA = Path(__file__).parents[1] / "data" / "ingest"
VIETNAMESE = (DATA / "vietnamese_diacritics.txt").read_text(encoding="utf-8")


def read(*sources: str | Path, **kwargs: object) -> list[Article | InputError]:
    return list(read_articles([str(s) for s in sources], **kwargs))  # type: ignore[arg-type]


def only_article(*sources: str | Path, **kwargs: object) -> Article:
    items = read(*sources, **kwargs)
    assert len(items) == 1, items
    assert isinstance(items[0], Article), items[0]
    return items[0]


def only_error(*sources: str | Path, **kwargs: object) -> InputError:
    items = read(*sources, **kwargs)
    assert len(items) == 1, items
    assert isinstance(items[0], InputError), items[0]
    return items[0]


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as cp1258 does: a base letter it has plus combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):
            composed = unicodedata.normalize("NFC", base + mark)
            rest = "".join(marks[:i] + marks[i + 1 :])
            try:
                out += composed.encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def skipped_text(article: Article) -> list[str]:
    return [article.text[a:b] for a, b in article.skip]


def kept_lines(article: Article) -> list[str]:
    """The non-blank lines of the text outside the skip spans."""
    text = article.text
    for a, b in reversed(article.skip):
        text = text[:a] + "\n" + text[b:]
    return [line.strip() for line in text.split("\n") if line.strip()]


# --------------------------------------------------------------------------- formats


def test_ingest_txt_fields():
    path = DATA / "dong_lam_rice.txt"
    art = only_article(path)
    assert art.doc_id == "dong_lam_rice.txt"
    assert art.source == "dong_lam_rice.txt"  # the same on every machine
    assert art.text == path.read_text(encoding="utf-8")
    assert art.date == "2024-03-14"
    assert art.title is None and art.url is None


def test_ingest_txt_doc_id_is_the_base_name_of_a_relative_path(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.b.txt").write_text("The commune held a meeting.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    art = only_article("sub/a.b.txt")
    assert art.doc_id == "a.b.txt"
    assert art.source == "a.b.txt"


def test_ingest_txt_furniture_is_skipped_but_kept_in_text():
    art = only_article(DATA / "dong_lam_rice.txt")
    skipped = skipped_text(art)
    assert skipped[0] == "Lowland-daily.example.org - News of the river provinces"
    assert "14/03/2024 08:30" in skipped
    assert "Photo caption" in skipped
    tail = skipped[-1]
    assert tail.startswith("Photo: Hong Nhung\nAccording to Lowland Daily\nSource\nComment (0)")
    assert tail.endswith("Orchard farmers try drip irrigation")
    # the caption that describes the meeting stays, credit and all
    assert "Comrade Dao Minh Khoi speaks at the meeting. Photo: Hong Nhung" in kept_lines(art)
    for a, b in art.skip:
        assert art.text[a:b] == art.text[a:b].strip()


def test_ingest_html_main_text_without_menus():
    path = DATA / "dong_lam_rice.html"
    art = only_article(path)
    assert art.doc_id == "dong_lam_rice.html"
    assert art.source == art.url  # a page with a URL is known by it
    assert art.title == "Dong Lam Party Committee reviews rice export plan"
    assert art.url == "https://lowland-daily.example.org/politics/dong-lam-rice-plan-4521.html"
    assert art.date == "2024-03-14"
    assert "Comrade Dao Minh Khoi, Secretary of the Provincial Party Committee" in art.text
    assert "Comrade Dao Minh Khoi speaks at the meeting." in art.text  # figure caption
    for menu_item in (
        "Log in",
        "Subscribe",
        "Politics",
        "Culture and Heritage",
        "Sports Weekly",
        "Floating market festival",
        "Orchard farmers",
        "All rights reserved",
        "Editor-in-chief",
        "Tweet",
    ):
        assert menu_item not in art.text


def test_ingest_html_and_txt_give_the_same_article_text():
    html = only_article(DATA / "dong_lam_rice.html")
    txt = only_article(DATA / "dong_lam_rice.txt")
    assert kept_lines(html) == kept_lines(txt)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        "<html><head><title>Gallery</title></head><body><img src='a.jpg'></body></html>",
        "<html><body></body></html>",
    ],
)
def test_ingest_html_without_main_text_is_an_error(tmp_path, html):
    page = tmp_path / "menu_only.html"
    page.write_text(html, encoding="utf-8")
    err = only_error(page)
    assert err.path == str(page)
    assert err.problem == "no main text found in the HTML page"


def test_ingest_html_declared_legacy_charset(tmp_path):
    page = tmp_path / "legacy.html"
    body = "<p>" + VIETNAMESE.replace("\n", "</p><p>") + "</p>"
    html = f'<html><head><meta charset="windows-1258"></head><body>{body}</body></html>'
    page.write_bytes(to_cp1258(html))
    art = only_article(page)
    assert "Đồng chí Nguyễn Thị Hằng" in art.text
    assert art.text == unicodedata.normalize("NFC", art.text)


def test_ingest_jsonl_records():
    path = DATA / "dong_lam_collection.jsonl"
    arts = read(path)
    assert all(isinstance(a, Article) for a in arts)
    first, second, third = arts
    assert isinstance(first, Article) and isinstance(second, Article)
    assert isinstance(third, Article)
    assert first.doc_id == "dl-2024-001"
    assert first.title == "Dong Lam People's Council opens its session"
    assert first.date == "2024-04-02"
    assert first.url == "https://lowland-daily.example.org/dl-2024-001.html"
    assert first.source == first.url
    assert second.source == "dong_lam_collection.jsonl:2"
    assert second.doc_id == "dong_lam_collection.jsonl:2"
    assert second.date == "2024-04-05"  # from the dateline
    assert skipped_text(second) == ["Photo: Minh Chau/VNA"]
    assert third.doc_id == "17"
    assert third.date == "2024-04-09"  # "April 9, 2024" parsed


def test_ingest_jsonl_malformed_lines_are_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "The commune People's Council met."}),
        '{"id": "broken", "text": "no closing brace"',
        "[1, 2, 3]",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "bad-text", "text": 42}),
        json.dumps({"id": "blank-text", "text": "   "}),
        json.dumps({"id": "bad-title", "title": ["x"], "text": "Some text."}),
        "",
        json.dumps({"text": "The district Party Committee met."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    got = [(i.doc_id if isinstance(i, Article) else None, getattr(i, "path", None)) for i in items]
    assert got == [
        ("ok1", None),
        (None, f"{path}:2"),
        (None, f"{path}:3"),
        (None, f"{path}:4"),
        (None, f"{path}:5"),
        (None, f"{path}:6"),
        (None, f"{path}:7"),
        ("mixed.jsonl:9", None),
    ]
    problems = [i.problem for i in items if isinstance(i, InputError)]
    assert problems[0].startswith("not valid JSON")
    assert problems[1:] == [
        "not a JSON object",
        '"text" is missing',
        '"text" is not a string',
        '"text" is empty',
        '"title" is not a string',
    ]


def test_ingest_jsonl_unparseable_record_date_falls_back_to_the_text(tmp_path, caplog):
    path = tmp_path / "d.jsonl"
    record = {"date": "sometime", "text": "HANOI, May 2, 2024 (VNA) - The committee met."}
    path.write_text(json.dumps(record), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        art = only_article(path)
    assert art.date == "2024-05-02"
    assert "sometime" in caplog.text


def test_ingest_csv_records():
    path = DATA / "dong_lam_collection.csv"
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.doc_id == "dl-2024-101"
    assert first.title == "Youth Union congress"
    assert first.date == "2024-05-20"
    assert first.text.endswith("elected Secretary of the Provincial Youth Union.")
    assert "\n" in first.text  # the quoted field keeps its line break
    assert first.source == first.url
    assert second.doc_id == "dong_lam_collection.csv:4"
    assert second.title == "Trade fair"
    assert second.date == "2024-06-03"
    assert second.url is None


def test_ingest_csv_malformed_lines_are_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,text\n"
        "a1,The commune held a meeting.\n"
        "a2,too,many,fields\n"
        'a3,"bad"quote\n'
        "a4,\n"
        "a5,The district held a meeting.\n",
        encoding="utf-8",
    )
    items = read(path)
    assert [i.doc_id for i in items if isinstance(i, Article)] == ["a1", "a5"]
    errors = [(e.path, e.problem) for e in items if isinstance(e, InputError)]
    assert errors[0] == (f"{path}:3", "expected 2 fields, found 4")
    assert errors[1][0] == f"{path}:4" and errors[1][1].startswith("not valid CSV")
    assert errors[2] == (f"{path}:5", '"text" is missing')


def test_ingest_csv_without_text_column(tmp_path):
    path = tmp_path / "notext.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    err = only_error(path)
    assert err.path == str(path)
    assert err.problem.startswith('no "text" column')


def test_ingest_stdin_text(monkeypatch):
    data = "HANOI, June 1, 2024 (VNA) - The Provincial Party Committee met.\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    art = only_article("-")
    assert art.doc_id == "stdin"
    assert art.source == "<stdin>"
    assert art.text == "HANOI, June 1, 2024 (VNA) - The Provincial Party Committee met.\n"
    assert art.date == "2024-06-01"


def test_ingest_stdin_jsonl(monkeypatch):
    data = (
        json.dumps({"id": "x1", "text": "The commune met."})
        + "\n\n"
        + json.dumps({"text": "The ward met."})
        + "\n"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    assert [a.doc_id for a in read("-") if isinstance(a, Article)] == ["x1", "stdin:3"]


def test_ingest_explicit_unknown_extension_is_read_as_text(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("The ward People's Committee met.", encoding="utf-8")
    assert only_article(path).doc_id == "notes.md"


# --------------------------------------------------------------------------- dates


def test_ingest_date_argument_is_used_when_the_text_states_none(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("On August 25, the delegation visited the province.", encoding="utf-8")
    assert only_article(path).date is None
    assert only_article(path, date="2023-08-25").date == "2023-08-25"


def test_ingest_text_date_wins_over_the_date_argument():
    assert only_article(DATA / "dong_lam_rice.txt", date="2020-01-01").date == "2024-03-14"


def test_ingest_bad_date_argument_is_reported_once(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("The delegation visited the province.", encoding="utf-8")
    err, art = read(path, date="soon")
    assert isinstance(err, InputError) and err.path == "--date"
    assert isinstance(art, Article) and art.date is None


# --------------------------------------------------------------------------- text


def test_ingest_nfc_line_endings_and_bom(tmp_path):
    path = tmp_path / "nfd.txt"
    nfd = unicodedata.normalize("NFD", VIETNAMESE).replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + nfd.encode("utf-8"))
    art = only_article(path)
    assert art.text == unicodedata.normalize("NFC", VIETNAMESE)
    assert "Nguyễn Thị Hằng" in art.text
    assert "\r" not in art.text and not art.text.startswith("\ufeff")
    assert art.date == "2024-03-12"


def test_ingest_normalize_text_old_mac_line_endings():
    assert normalize_text("a\rb\r\nc") == "a\nb\nc"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_ingest_utf16_and_utf32(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes(VIETNAMESE.encode(encoding))
    assert only_article(path).text == VIETNAMESE


def test_ingest_cp1258_is_decoded_to_nfc_vietnamese(tmp_path, caplog):
    path = tmp_path / "legacy.txt"
    data = to_cp1258(VIETNAMESE)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path.write_bytes(data)
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        art = only_article(path)
    assert art.text == VIETNAMESE
    assert "Đồng chí Nguyễn Thị Hằng" in art.text and "Kim Sơn" in art.text
    assert "cp1258" in caplog.text and str(path) in caplog.text


def test_ingest_latin1_is_decoded(tmp_path, caplog):
    path = tmp_path / "latin.txt"
    text = "The Café Society of Dong Lam hosted a naïve résumé of the meeting on Monday."
    path.write_bytes(text.encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        art = only_article(path)
    assert art.text == text
    assert "not UTF-8" in caplog.text


def test_ingest_cp1252_punctuation_is_decoded(tmp_path):
    path = tmp_path / "quotes.txt"
    text = "The Secretary said “the plan is clear” – and the delegates agreed…"
    path.write_bytes(text.encode("cp1252"))
    assert only_article(path).text == text


def test_ingest_decode_bytes_utf8():
    assert decode_bytes("Điện Biên".encode(), "x.txt") == "Điện Biên"


# --------------------------------------------------------------------------- bad input


def test_ingest_missing_path(tmp_path):
    missing = tmp_path / "nope.txt"
    err = only_error(missing)
    assert (err.path, err.problem) == (str(missing), "no such file or directory")
    assert str(err) == f"{missing}: no such file or directory"


def test_ingest_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "picture.png").write_bytes(b"\x89PNG")
    err = only_error(tmp_path / "empty")
    assert (err.path, err.problem) == (str(tmp_path / "empty"), "no articles found in directory")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff \n".encode()])
def test_ingest_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    err = only_error(path)
    assert (err.path, err.problem) == (str(path), "file is empty")


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",  # NUL bytes
        bytes(range(1, 9)) * 20 + b"some text",  # control characters, no NUL
    ],
)
def test_ingest_binary_file(tmp_path, content):
    path = tmp_path / "image.txt"
    path.write_bytes(content)
    err = only_error(path)
    assert (err.path, err.problem) == (str(path), "binary file, not text")


def test_ingest_file_over_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("The committee met. " * 10, encoding="utf-8")
    err = only_error(path, max_bytes=100)
    assert (err.path, err.problem) == (str(path), "file is 190 bytes, over the limit of 100")


def test_ingest_undeterminable_encoding(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 2)
    err = only_error(path)
    assert (err.path, err.problem) == (
        str(path),
        "not UTF-8 and the encoding could not be determined",
    )


def test_ingest_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("The committee met.", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    # Root reads any file, so the refusal is simulated where kg.read.articles opens files.
    monkeypatch.setattr(ingest, "open", refuse, raising=False)
    err = only_error(path)
    assert (err.path, err.problem) == (str(path), "permission denied")


def test_ingest_duplicate_ids_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text("The commune met.", encoding="utf-8")
    (tmp_path / "b" / "same.txt").write_text("The ward met.", encoding="utf-8")
    first, second = read(tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt")
    assert isinstance(first, Article)
    assert isinstance(second, InputError)
    assert second.path == str(tmp_path / "b" / "same.txt")
    assert 'id "same.txt" is already used by' in second.problem


def test_ingest_same_file_twice_is_read_once(tmp_path):
    path = tmp_path / "once.txt"
    path.write_text("The commune met.", encoding="utf-8")
    assert [type(i) for i in read(path, tmp_path)] == [Article]


def test_ingest_directory_mixing_good_and_bad_files(tmp_path):
    root = tmp_path / "inbox"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(DATA / "dong_lam_rice.txt", root / "b_rice.txt")
    shutil.copy(DATA / "dong_lam_rice.html", root / "sub" / "rice.HTML")
    shutil.copy(DATA / "dong_lam_collection.jsonl", root / "c.jsonl")
    shutil.copy(DATA / "dong_lam_collection.csv", root / "d.csv")
    (root / "a_empty.txt").write_bytes(b"")
    (root / "e_binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 8)
    (root / "f_legacy.txt").write_bytes(to_cp1258(VIETNAMESE))
    (root / "g_noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 2)
    (root / "notes.md").write_text("not an article", encoding="utf-8")
    (root / ".hidden" / "x.txt").write_text("hidden", encoding="utf-8")

    items = read(root)
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [a.doc_id for a in articles] == [
        "b_rice.txt",
        "dl-2024-001",
        "c.jsonl:2",
        "17",
        "dl-2024-101",
        "d.csv:4",
        "f_legacy.txt",
        "rice.HTML",
    ]
    assert [(e.path, e.problem) for e in errors] == [
        (str(root / "a_empty.txt"), "file is empty"),
        (str(root / "e_binary.txt"), "binary file, not text"),
        (str(root / "g_noise.txt"), "not UTF-8 and the encoding could not be determined"),
    ]
    legacy = next(a for a in articles if a.doc_id == "f_legacy.txt")
    assert legacy.text == VIETNAMESE
    # the same run twice gives the same ids
    assert [getattr(i, "doc_id", None) for i in read(root)] == [
        getattr(i, "doc_id", None) for i in items
    ]


# --------------------------------------------------------------------------- furniture


def test_ingest_furniture_related_list_ends_at_prose():
    text = (
        "The Standing Committee met on Monday.\n"
        "Read more\n"
        "Farmers harvest early\n"
        "New bridge opens\n"
        "Comrade Ha Van Tho, Deputy Secretary of the Provincial Party Committee, "
        "also asked the districts to report on the progress of the new rural programme "
        "before the end of the month.\n"
        "Read more: Ferry route extended to the islands\n"
        "The meeting closed at noon.\n"
    )
    assert [text[a:b] for a, b in furniture_spans(text)] == [
        "Read more\nFarmers harvest early\nNew bridge opens",
        "Read more: Ferry route extended to the islands",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Comrade Vu Thi Lan speaks at the conference. Photo: Hong Nhung/VNA",
        "According to the report, the province grew by 7 percent last year.",
        "Source of growth: the province relied on exports of rice and fruit, the Secretary said.",
        "By 2025, the commune aims to finish the road.",
        "Delegates attend the conference.",
        "The share of services in the economy rose.",
    ],
)
def test_ingest_furniture_keeps_content_lines(line):
    assert furniture_spans(f"The committee met.\n{line}\n") == ()


@pytest.mark.parametrize(
    "line",
    [
        "Source",
        "Source: Lowland Daily",
        "Comment (0)",
        "Photo: Minh Chau/VNA",
        "Video: council_session_0405.mp4?_t=",
        "News: Thu Ha",
        "Photo caption",
        "No data",
        "Friday, 09/20/2024",
        "9:23:37 AM | 9/2/2023",
        "Example.vn - Tin tức mới",
    ],
)
def test_ingest_furniture_skips_boilerplate_lines(line):
    text = f"The committee met.\n{line}\nThe meeting closed.\n"
    assert [text[a:b] for a, b in furniture_spans(text)] == [line]


def furniture_examples() -> list[tuple[str, str, str]]:
    data = load_yaml("lexicons/furniture.yaml")
    return [
        (section, entry["pattern"], entry["example"])
        for section in ("lines", "list_headings", "single_links")
        for entry in data[section]
    ]


@pytest.mark.parametrize(("section", "pattern", "example"), furniture_examples())
def test_ingest_furniture_examples_match(section, pattern, example):
    text = f"The committee met on Monday and reviewed the plan.\n{example}\n"
    spans = furniture_spans(text)
    assert spans, f"{section}: {pattern!r} does not match its example {example!r}"
    assert text[spans[0][0] : spans[0][1]] == example


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.text(max_size=200).map(lambda s: s.encode("utf-16", "surrogatepass")),
    ),
    suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv", ".dat"]),
)
def test_ingest_arbitrary_bytes_never_raise(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "input" + suffix)
        with open(path, "wb") as f:
            f.write(data)
        items = list(read_articles([path]))
    assert items
    for item in items:
        assert isinstance(item, (Article, InputError))
        if isinstance(item, InputError):
            assert item.path.startswith(path) and item.problem
        else:
            assert item.text.strip()
            assert "\r" not in item.text
            assert unicodedata.is_normalized("NFC", item.text)
            assert all(0 <= a < b <= len(item.text) for a, b in item.skip)


def test_ingest_directory_symlink_loop_is_walked_once(tmp_path):
    root = tmp_path / "loop"
    root.mkdir()
    (root / "a.txt").write_text("The commune met.", encoding="utf-8")
    (root / "back").symlink_to(root, target_is_directory=True)
    assert [i.doc_id for i in read(root) if isinstance(i, Article)] == ["a.txt"]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_ingest_csv_other_delimiters(tmp_path, delimiter):
    path = tmp_path / "other.csv"
    path.write_text(
        f"id{delimiter}text\nk1{delimiter}The ward People's Council met, and agreed.\n",
        encoding="utf-8",
    )
    art = only_article(path)
    assert (art.doc_id, art.text) == ("k1", "The ward People's Council met, and agreed.")
