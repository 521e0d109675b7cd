"""Paper cuts of the command line: one-line errors, nothing created or lost by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.cli.base import STDIN_FORMATS
from kg.graph.build import ingest
from kg.graph.store import open_store
from kg.model import ArticleGraph
from kg.read.articles import STDIN_FORMATS as READ_STDIN_FORMATS

ARTICLE = "Comrade Lum Van Tai chaired the meeting of the Song Lam Provincial Party Committee."


def kg(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)


def one_line_error(result: Result) -> str:
    """The error of a failed command: exit 1, no traceback, one line."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    return line


@pytest.fixture
def built(tmp_path: Path, tiny_graph: ArticleGraph, second_graph: ArticleGraph) -> Path:
    """A store holding the two invented articles t001.txt and t002.txt."""
    path = tmp_path / "store"
    with open_store(path) as st:
        ingest([tiny_graph, second_graph], st)
    return path


@pytest.fixture
def fast_nlp(monkeypatch: pytest.MonkeyPatch, nlp):  # type: ignore[no-untyped-def]
    """kg build with the session's pipeline instead of loading the model again."""
    import kg.extract.nlp

    monkeypatch.setattr(kg.extract.nlp, "build_nlp", lambda settings=None: nlp)
    return nlp


def test_cli_stdin_formats_agree_with_the_reader() -> None:
    assert STDIN_FORMATS == READ_STDIN_FORMATS


# --------------------------------------------------------------------------- kg build


def test_cli_build_stdin_text_needs_a_doc_id(tmp_path: Path, fast_nlp: object) -> None:
    result = kg("build", "-", "--store", tmp_path / "s", "--no-progress", stdin=ARTICLE)
    assert result.exit_code == 1
    assert "--doc-id" in result.stderr
    result = kg("build", "-", "--doc-id", "lum.txt", "--store", tmp_path / "s", stdin=ARTICLE)
    assert result.exit_code == 0, result.output
    with open_store(tmp_path / "s", read_only=True) as st:
        assert st.articles() == ["lum.txt"]


def test_cli_build_says_replaced_and_no_replace_refuses(tmp_path: Path, fast_nlp: object) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "report.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two" / "report.txt").write_text(ARTICLE + " It met again.", encoding="utf-8")
    store = tmp_path / "s"
    assert kg("build", tmp_path / "one", "--store", store).exit_code == 0
    refused = kg("build", tmp_path / "two", "--store", store, "--no-replace")
    assert refused.exit_code == 1
    assert "report.txt" in refused.stderr and "--no-replace" in refused.stderr
    replaced = kg("build", tmp_path / "two", "--store", store)
    assert replaced.exit_code == 0, replaced.output
    assert "replaced" in replaced.stderr and "sha256" in replaced.stderr


def test_cli_build_input_errors_show_at_once_and_in_the_summary(
    tmp_path: Path, fast_nlp: object
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    result = kg("build", tmp_path / "in", "--store", tmp_path / "s", "--no-progress")
    assert result.exit_code == 1
    assert result.stderr.count("a_empty.txt: file is empty") == 2


# --------------------------------------------------------------------------- stores


def test_cli_remove_on_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    line = one_line_error(kg("remove", "a.txt", "--store", tmp_path / "nowhere"))
    assert "no store" in line
    assert not (tmp_path / "nowhere").exists()


def test_cli_remove_without_the_suffix_hints_at_the_stored_id(built: Path) -> None:
    result = kg("remove", "t001", "--store", built)
    assert result.exit_code == 1
    assert "did you mean 't001.txt'" in result.stderr


def test_cli_a_folder_of_user_files_is_not_used_as_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("buy rice", encoding="utf-8")
    for args in (["query", "co_attendees", "-p", "person=x"], ["remove", "x.txt"]):
        line = one_line_error(kg(*args, "--store", folder))
        assert "not a kg store" in line
    assert sorted(p.name for p in folder.iterdir()) == ["todo.txt"]


def test_cli_a_damaged_store_gives_one_line(built: Path) -> None:
    for manifest in built.glob("MANIFEST-*"):
        manifest.write_bytes(b"garbage")
    line = one_line_error(kg("export", "--store", built, "--format", "nquads"))
    assert str(built) in line and "damaged" in line


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("value", ["2023-13-01", "2023-02-30", "2023-00", "2023-1-5"])
def test_cli_query_impossible_dates_give_one_line(built: Path, value: str) -> None:
    line = one_line_error(kg("query", "meetings_in_range", "-p", f"from={value}", "--store", built))
    assert value in line and "from" in line


@pytest.mark.parametrize("value", ["http://x y/a", "<http://x/a>b>", "http://x/\x01"])
def test_cli_query_bad_iri_gives_one_line(built: Path, value: str) -> None:
    line = one_line_error(kg("query", "co_attendees", "-p", f"person={value}", "--store", built))
    assert "not a valid IRI" in line


def test_cli_query_good_date_still_filters(built: Path) -> None:
    result = kg("query", "meetings_in_range", "-p", "from=2024-03-01", "--store", built)
    assert result.exit_code == 0, result.output
    later = kg("query", "meetings_in_range", "-p", "from=2024-04-01", "--store", built)
    assert "0 row(s)" in later.stderr and "0 row(s)" not in result.stderr
