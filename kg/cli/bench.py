"""``kg bench``: speed against baselines measured in the same run."""

from __future__ import annotations

import json
from typing import Any

import click

from kg.cli.base import (
    Run,
    cli,
    click_errors,
    shown_option,
)


@cli.command("bench")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON on stdout.")
@shown_option(
    "--articles", type=int, default=80, help="Generated articles for the words/s comparison."
)
@shown_option(
    "--rounds",
    type=int,
    default=2,
    help="Times each extraction configuration runs, in turns (figures are medians).",
)
@shown_option(
    "--memory-sizes",
    default="1000,10000",
    help="Article counts of the two streaming-memory runs (small,large).",
)
@shown_option(
    "--triples",
    type=int,
    default=1_000_000,
    help="Size of the store the query library is timed on.",
)
@shown_option(
    "--large-triples",
    type=int,
    default=0,
    help="Also time the queries on a second store of this size (0: none; 10000000 for "
    "the 10M figures; rdflib is not run above 2M quads).",
)
@shown_option(
    "--sections",
    default="extract,memory,build,query,pages",
    help="Which measurements to run (comma-separated).",
)
@shown_option("--query-runs", type=int, default=15, help="Timed runs per query.")
@shown_option(
    "--query-page",
    type=int,
    default=100,
    help="Rows each query is timed for, as kg query answers a page (0: every row).",
)
@shown_option(
    "--rdflib-timeout",
    type=float,
    default=15.0,
    help="Seconds before a query on rdflib is stopped (its speedup is then a lower bound).",
)
@shown_option("--seed", type=int, default=0, help="Corpus random seed.")
@click.option(
    "--stages-on",
    type=click.Path(exists=True),
    help="Also time each extraction stage on these articles (real news, e.g. "
    "tests/data/real/dev/articles), beside the generated ones.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Build the stores here and keep them (default: a temporary directory).",
)
@click.pass_obj
def bench_cmd(
    run: Run,
    as_json: bool,
    articles: int,
    rounds: int,
    memory_sizes: str,
    triples: int,
    large_triples: int,
    sections: str,
    query_runs: int,
    query_page: int,
    rdflib_timeout: float,
    seed: int,
    stages_on: str | None,
    workdir: str | None,
) -> None:
    """Measure speed against a baseline in the same run, and check the targets.

    Extraction words/s of the kg pipeline vs the bare spaCy model (1 and 2 processes),
    peak memory of streaming extraction at two sizes, build throughput into the
    embedded store, each library query's p50/p95 on ~1M quads against the same query on a
    deduplicated copy and on rdflib in memory (optionally also at --large-triples), and
    the time of each page of kg serve for the busiest entities. Each extraction stage
    of both pipelines is also timed (with --stages-on, on those articles too), giving
    kg's slowest stage and the most it could reach with its output unchanged.
    Progress goes to stderr; the table (or --json) to stdout.
    """
    from kg.bench.suite import BenchConfig, format_report, iter_sections, run_bench

    try:
        small, large = (int(n) for n in memory_sizes.split(","))
        config = BenchConfig(
            articles=articles,
            rounds=rounds,
            memory_sizes=(small, large),
            triples=triples,
            large_triples=large_triples,
            sections=tuple(iter_sections(sections)),
            query_runs=query_runs,
            query_page=query_page,
            rdflib_timeout=rdflib_timeout,
            seed=seed,
            stages_on=stages_on,
            workdir=workdir,
        )
    except ValueError as err:
        raise click.UsageError(str(err)) from err
    with click_errors():
        report = run_bench(config, run.settings, step=lambda m: click.echo(m, err=True))
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report), nl=False)


@cli.command("loadtest")
@shown_option("--clients", type=click.IntRange(1, 2000), default=200, help="Concurrent clients.")
@shown_option("--seconds", type=click.FloatRange(1), default=20.0, help="Length of each run.")
@shown_option(
    "--quads", type=click.IntRange(1000), default=120_000, help="Size of the generated store."
)
@shown_option("--workers", type=click.IntRange(1, 64), default=4, help="kg serve --workers.")
@shown_option("--seed", type=int, default=0, help="Corpus random seed.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON on stdout.")
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Build the store here and keep it (default: a temporary directory).",
)
@click.option(
    "--store",
    type=click.Path(exists=True, file_okay=False),
    help="Run against this existing store (e.g. one kg build made) instead of building one; "
    "the questions ask about its typical entities. --quads and --seed are then unused.",
)
@click.pass_obj
def loadtest_cmd(run: Run, /, as_json: bool, **opts: Any) -> None:
    """Load-test kg serve on loopback: N clients for a fixed time vs the engine in-process.

    Builds a generated store (or takes --store), runs the library's questions (bound to
    typical entities of that store) in one process per core for --seconds, then starts
    kg serve and lets --clients clients send query after query for --seconds, with an
    ASK {} probe beside them.
    Prints throughput, p50/p95/p99/max latency, errors and the served/in-process ratio.
    """
    from kg.bench.loadtest import LoadConfig, format_loadtest, run_loadtest

    config = LoadConfig(**opts)
    with click_errors():
        report = run_loadtest(config, run.settings, step=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(report, indent=2) if as_json else format_loadtest(report), nl=False)
