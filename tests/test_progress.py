"""--workers and the tqdm progress bar on stderr for kg extract and kg build (invented articles)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.progress import Progress

TEXTS = [
    "On April 2, 2024, Secretary Hoang Van Binh chaired a meeting of the Song Lam "
    "Provincial Party Committee in Thanh Hoa.\n",
    "On April 9, 2024, Deputy Secretary Trinh Thi Lan attended a conference in Nghe An.\n",
    "Chairman Dao Minh Tuan spoke at the working session in Quang Ninh on May 1, 2024.\n",
]


def _files(tmp_path: Path) -> list[str]:
    paths = []
    for i, text in enumerate(TEXTS):
        path = tmp_path / f"p{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def _last_line(stream: io.StringIO) -> str:
    # tqdm redraws in place with \r and ends the finished bar with a newline
    return stream.getvalue().rstrip("\n").split("\r")[-1].strip()


def test_progress_reports_articles_and_words_per_second() -> None:
    out = io.StringIO()
    with Progress(enabled=True, stream=out, every=0.0) as bar:
        bar.advance(120)
        bar.advance(80)
    last = _last_line(out)
    assert last.startswith("2 articles [") and "articles/s" in last and "words/s" in last


def test_progress_without_words_shows_articles_per_second_only() -> None:
    out = io.StringIO()
    with Progress(enabled=True, stream=out, every=0.0) as bar:
        bar.advance()
    last = _last_line(out)
    assert last.startswith("1 articles [") and "articles/s" in last and "words/s" not in last


@pytest.mark.parametrize("enabled", [None, False])
def test_progress_hidden_off_a_terminal_or_when_switched_off(enabled: bool | None) -> None:
    out = io.StringIO()  # not a terminal
    with Progress(enabled=enabled, stream=out, every=0.0) as bar:
        bar.advance(10)
    assert out.getvalue() == ""


def test_progress_extract_and_build_with_two_workers(tmp_path: Path) -> None:
    files = _files(tmp_path)
    runner = CliRunner()
    one = runner.invoke(cli, ["extract", "--no-progress", *files])
    two = runner.invoke(cli, ["extract", "--workers", "2", "--progress", *files])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    # stdout carries only the JSONL data, the bar goes to stderr
    assert [json.loads(x) for x in two.stdout.splitlines()] == [
        json.loads(x) for x in one.stdout.splitlines()
    ]
    assert "articles/s" not in two.stdout and "articles/s" not in one.stderr
    assert "3 articles [" in two.stderr and "articles/s" in two.stderr
    assert "words/s" in two.stderr

    store = tmp_path / "store"
    built = runner.invoke(
        cli, ["build", "--workers", "2", "--progress", "--store", str(store), *files]
    )
    assert built.exit_code == 0, built.output
    assert "articles/s" not in built.stdout
    assert "articles/s" in built.stderr and "stored 3 article(s)" in built.stderr
