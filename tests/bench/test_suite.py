"""kg bench on tiny sizes: the structure of the report, never the timings."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.answer.queries import parse_query
from kg.bench.suite import BenchConfig, BenchReport, fit_batch_size, format_report, parameter_values
from kg.cli import cli


def test_bench_cli_json_has_every_figure(tmp_path: Path) -> None:
    args = [
        "bench",
        "--json",
        "--articles",
        "4",
        "--rounds",
        "1",
        "--memory-sizes",
        "2,4",
        "--triples",
        "3000",
        "--large-triples",
        "5000",
        "--query-runs",
        "1",
        "--rdflib-timeout",
        "20",
        "--stages-on",
        "seeds",
        "--workdir",
        str(tmp_path / "work"),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)

    ex = data["extraction"]
    assert ex["articles"] == 4 and ex["words"] > 0
    assert {(r["pipeline"], r["workers"]) for r in ex["runs"]} == {
        ("bare", 1),
        ("kg", 1),
        ("bare", 2),
        ("kg", 2),
    }
    assert set(ex["kg_vs_bare"]) == {"1", "2"} and ex["speedup"]["kg"] > 0
    # each stage of both pipelines, on the generated articles and on the given ones
    for stages in (ex["stages"], ex["stages_on"]):
        assert {"tokenizer", "tok2vec", "parser", "ner", "attribute_ruler"} <= set(stages["bare"])
        assert {"parser", "kg_attributes", "build_graph"} <= set(stages["kg"])
        assert "attribute_ruler" not in stages["kg"]  # disabled: kg_attributes answers it
        assert all(v >= 0 for v in [*stages["bare"].values(), *stages["kg"].values()])
        assert stages["slowest"] in stages["kg"]
        # the parser and the attribute ruler are outside the stages kg needs everywhere
        assert stages["ceiling"] > stages["ceiling_free_parser"] > 0
        assert 0 < stages["tokens_in_pair_sentences"] <= 1
    assert ex["stages_on"]["articles"] == 5 and ex["stages_on"]["source"] == "seeds"

    mem = data["memory"]
    assert [r["articles"] for r in mem["runs"]] == [2, 4]
    assert all(r["peak_mb"] >= r["baseline_mb"] > 0 for r in mem["runs"])
    assert mem["peak_ratio"] > 0

    build = data["build"]
    assert build["articles"] >= 4 and build["quads"] > 0 and build["disk_bytes"] > 0

    q = data["queries"]
    assert q["quads"] >= 3000
    names = {p.stem for p in Path("queries").glob("*.rq")}
    assert {r["query"] for r in q["per_query"]} == names
    for r in q["per_query"]:
        assert r["oxigraph_runs"] >= 1 and r["oxigraph_p50_ms"] is not None, r
        assert r["rows"] is not None
        # the same query on the deduplicated copy of the data, in the same run
        assert r["dedup_p50_ms"] is not None and r["vs_dedup"] > 0, r
    assert 0 < q["dedup_quads"] < q["quads"]
    large = data["queries_large"]
    assert large["quads"] >= 5000 and len(large["per_query"]) == len(q["per_query"])

    pages = {(p["page"], p["format"]): p for p in data["pages"]["per_page"]}
    for kind in ("person", "body", "document", "place", "meeting", "graph", "search"):
        for fmt in ("html", "json"):
            page = pages[kind, fmt]
            assert page["status"] == 200 and page["bytes"] > 0 and page["p50_ms"] > 0, page

    names_of_targets = [t["name"] for t in data["targets"]]
    assert "kg pipeline, 2 processes vs 1" in names_of_targets
    assert "peak memory, large vs small run" in names_of_targets
    assert data["machine"]["cpus"] >= 1

    table = format_report(BenchReport.from_dict(data))
    headings = (
        "Extraction:",
        "Memory of streaming",
        "Build into",
        "Queries on",
        "Pages",
        "Targets",
    )
    for heading in headings:
        assert heading in table


def test_bench_batch_size_gives_every_process_work() -> None:
    for n in (1, 5, 16, 120, 10_000):
        for workers in (1, 2):
            size = fit_batch_size(n, workers)
            assert 1 <= size <= 32
            if n >= 16 * workers:
                assert n / size >= 2 * workers


def test_bench_parameter_values_bind_distinct_people() -> None:
    text = "# title: t\n# params: ?person ?other [?date] [?from]\n"
    query = parse_query(text + "SELECT * WHERE { ?person ?p ?other }", "t")
    values = parameter_values(query, {"Person": ["person/a", "person/b"]}, "https://x/")
    assert values == {
        "person": "<https://x/id/person/a>",
        "other": "<https://x/id/person/b>",
        "from": "2023-01-01",
    }


def test_bench_config_defaults_are_the_issue_sizes() -> None:
    config = BenchConfig()
    assert config.memory_sizes == (1000, 10000) and config.triples == 1_000_000
    assert config.workers == (1, 2)
