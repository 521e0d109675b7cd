"""The command line: the JSONL contract, messages on stderr, bad input, help texts."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.bench.evaluate import run_scorer
from kg.cli import cli
from kg.errors import KgError
from kg.graph.build import ingest
from kg.graph.store import KgStore
from kg.ids import entity_key
from kg.model import Article, ArticleGraph, Entity, Relation
from kg.vocab import ENTITY_TYPES, PREDICATES
from tests.read.test_articles import to_cp1258

ARTICLE = Path(__file__).parent / "data" / "articles" / "ninh_thuan_review.txt"


def test_cli_extract_prints_one_contract_line_per_article(tmp_path: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text("Comrade Ha Van Nam, Secretary of the Party Central Committee, spoke.")
    result = CliRunner().invoke(cli, ["extract", str(ARTICLE), str(second), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["doc"] for d in lines] == ["ninh_thuan_review.txt", "second.txt"]
    for d in lines:
        assert {e["type"] for e in d["entities"]} <= set(ENTITY_TYPES)
        assert {r["predicate"] for r in d["relations"]} <= set(PREDICATES)
        assert all("evidence" in r for r in d["relations"])


def test_cli_extract_table_is_readable() -> None:
    result = CliRunner().invoke(cli, ["extract", str(ARTICLE), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "Pham Van Hau" in result.stdout
    assert "chaired" in result.stdout


def test_cli_bad_input_is_named_and_the_rest_still_processed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00" * 20)
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(
        cli, ["extract", str(empty), str(ARTICLE), str(binary), str(missing), str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    docs = [json.loads(line)["doc"] for line in result.stdout.splitlines()]
    assert docs == ["ninh_thuan_review.txt"]
    for bad in (empty, binary, missing):
        assert str(bad) in result.stderr


def test_cli_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert command.help and len(command.help) > 20, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_cli_installed_command_runs() -> None:
    exe = Path(sys.executable).parent / "kg"
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "extract" in proc.stdout


def test_cli_eval_runs_the_given_scorer(tmp_path: Path) -> None:
    scorer = tmp_path / "score.py"
    scorer.write_text("import sys\nprint('scored', *sys.argv[1:])\n")
    out = run_scorer("g.jsonl", "p.jsonl", by_doc=True, scorer=str(scorer))
    assert out.strip() == "scored g.jsonl p.jsonl --by-doc"


def test_cli_eval_reports_a_missing_scorer(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="scorer not found"):
        run_scorer("g.jsonl", "p.jsonl", scorer=str(tmp_path / "nope.py"))
    result = CliRunner().invoke(
        cli, ["eval", str(ARTICLE), str(ARTICLE), "--scorer", str(tmp_path / "nope.py")]
    )
    assert result.exit_code != 0


def test_cli_directory_with_good_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a_good.txt").write_text(ARTICLE.read_text())
    (folder / "b_empty.txt").write_text("  \n")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    legacy = to_cp1258("Ông Trần Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị ở Đà Nẵng.")
    (folder / "d_cp1258.txt").write_bytes(legacy)
    result = CliRunner().invoke(cli, ["extract", str(folder)])
    assert result.exit_code == 1
    docs = [json.loads(line)["doc"] for line in result.stdout.splitlines()]
    assert docs == ["a_good.txt", "d_cp1258.txt"]
    assert "b_empty.txt" in result.stderr
    assert "c_binary.txt" in result.stderr


def _meeting_graphs() -> list[ArticleGraph]:
    """Invented officials: a meeting of six, and Xuan meeting three of them in pairs."""
    crowd = ["Ta Van An", "Ta Van Bao", "Ta Van Cam", "Ta Van Dao", "Ta Van Em", "Ta Van Gia"]
    pair = ["Lo Thi Xuan", "Ta Van An"]
    meetings = [crowd, pair, pair, ["Lo Thi Xuan", "Vu Van Yen"]]
    graphs = []
    for i, names in enumerate(meetings):
        people = tuple(
            Entity(f"p{j}", "Person", n, entity_key("Person", n)) for j, n in enumerate(names)
        )
        event = Entity(
            "ev", "Event", f"meeting {i}", f"event/2024-07-0{i + 1}/m{i}", date=f"2024-07-0{i + 1}"
        )
        rels = tuple(Relation(p.id, "attended", "ev") for p in people)
        graphs.append(
            ArticleGraph(Article(f"m{i}.txt", "", date=f"2024-07-0{i + 1}"), (*people, event), rels)
        )
    return graphs


def test_cli_analyze_ranks_by_newman_weights_and_shows_ties(store: KgStore) -> None:
    ingest(_meeting_graphs(), store)
    store_dir = str(store.path)
    store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", "--store", store_dir, "--top", "3"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "officials ranked by Newman-weighted degree (sum over shared meetings of 1/(n-1)" in out
    ranking = out.split("officials ranked by Newman")[1].splitlines()
    # Xuan went to three meetings, An to three (one with five others), the rest to one
    assert [row.split()[0] for row in ranking[3:6]] == ["1=", "1=", "3="]
    assert {" ".join(row.split()[1:4]) for row in ranking[3:5]} == {"Lo Thi Xuan", "Ta Van An"}
    assert ranking[6] == "  ... and 5 more official(s) tied at rank 3="
    by_degree = runner.invoke(cli, ["analyze", "--store", store_dir, "--rank-by", "degree"])
    assert "officials ranked by unweighted degree (distinct co-attendees):" in by_degree.stdout
    degree_rows = by_degree.stdout.split("unweighted degree")[1].splitlines()
    assert degree_rows[3].split()[:4] == ["1", "Ta", "Van", "An"]
    bad = runner.invoke(cli, ["analyze", "--store", store_dir, "--rank-by", "fame"])
    assert bad.exit_code == 2


def test_cli_analyze_path_prints_the_shortest_chains_by_name(store: KgStore) -> None:
    ingest(_meeting_graphs(), store)
    store_dir = str(store.path)
    store.close()
    args = ["analyze", "--store", store_dir, "--path", "Vu Van Yen", "ta van bao"]
    result = CliRunner().invoke(cli, [*args, "--chains", "1"])
    assert result.exit_code == 0, result.output
    head, chains = result.stdout.split("\n\n")[-1].split(":\n")
    assert head == "2 shortest chain(s) of 3 link(s) between Vu Van Yen and Ta Van Bao (1 shown)"
    # the first by name of two: through meeting 1 or meeting 2 of Xuan and An
    assert chains == (
        "  Vu Van Yen -[meeting 3, 2024-07-04]- Lo Thi Xuan -[meeting 1, 2024-07-02]- "
        "Ta Van An -[meeting 0, 2024-07-01]- Ta Van Bao\n"
    )
