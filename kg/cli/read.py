"""Commands that read articles: ``kg extract`` (the SPEC JSONL) and ``kg eval`` (its score)."""

from __future__ import annotations

import json

import click

from kg.cli.base import (
    Run,
    cli,
    click_errors,
    exit_status,
    shown_option,
    stdin_format_option,
)
from kg.errors import KgError


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@shown_option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    help="jsonl: the SPEC contract, one line per article; table: a readable summary.",
)
@click.option("--date", help="Article date (YYYY-MM-DD) when the text does not state one.")
@shown_option("--workers", type=int, default=1, help="Processes for spaCy.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.option(
    "--dask",
    metavar="SCHEDULER",
    help="Extract on a dask.distributed cluster (tcp://host:8786, or local[:N] for N "
    "local worker processes); needs pip install 'kg[dask]'.",
)
@shown_option("--doc-id", default="stdin", help="The id of the article read from stdin (-).")
@stdin_format_option
@click.pass_obj
def extract(
    run: Run,
    paths: tuple[str, ...],
    fmt: str,
    date: str | None,
    workers: int,
    progress: bool | None,
    dask: str | None,
    doc_id: str,
    stdin_format: str,
) -> None:
    """Extract officials, bodies, documents, places, meetings and relations.

    PATHS are article files (.txt, .html, .jsonl, .csv), directories, or - for stdin.
    """
    from kg.extract.nlp import build_nlp
    from kg.extract.pipeline import extract_all
    from kg.progress import Progress
    from kg.read.articles import read_articles

    read = read_articles(paths, date=date, stdin_format=stdin_format, stdin_id=doc_id)
    articles = run.good(read)
    if dask:
        from kg.extract.cluster import extract_dask

        graphs = extract_dask(articles, dask, run.settings)
    else:
        try:
            nlp = build_nlp(run.settings)
        except KgError as err:
            raise click.ClickException(str(err)) from err
        graphs = extract_all(articles, nlp, workers=workers)
    with Progress(enabled=progress) as bar:
        for graph in graphs:
            bar.advance(len(graph.article.text.split()))
            if fmt == "jsonl":
                click.echo(json.dumps(graph.to_dict(), ensure_ascii=False))
            else:
                from kg.answer.export import format_table

                click.echo(format_table(graph))
    exit_status(run)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("pred", type=click.Path(exists=True, dir_okay=False))
@click.option("--by-doc", is_flag=True, help="Per-article figures, misses and false positives.")
@click.option("--json", "as_json", is_flag=True, help="Print the totals as JSON.")
@click.option(
    "--scorer",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The scorer script (default: ../shared/eval/score.py beside the project).",
)
@click.option(
    "--rule-precision",
    "rule_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write each rule's measured precision (per predicate) to this JSONL: the "
    "confidence data file kg/data/confidence/rules.jsonl is made this way.",
)
def eval_(
    gold: str, pred: str, by_doc: bool, as_json: bool, scorer: str | None, rule_file: str | None
) -> None:
    """Score predictions (kg extract --format jsonl) against gold with the SPEC scorer."""
    from kg.bench.confidence import rule_precision, write_rule_precision
    from kg.bench.evaluate import run_scorer

    with click_errors():
        out = run_scorer(gold, pred, by_doc=by_doc, as_json=as_json, scorer=scorer)
        if rule_file:
            records = rule_precision(gold, pred, scorer)
            write_rule_precision(records, rule_file)
            click.echo(f"{rule_file}: precision of {len(records)} (rule, predicate)", err=True)
    click.echo(out, nl=False)
