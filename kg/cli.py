"""Command line: each command parses options, calls one library function, reports errors.

Data goes to stdout, messages and progress to stderr. A :class:`kg.errors.KgError`
becomes a one-line message and exit status 1; bad input articles are reported one by
one, the others are still processed, and the exit status is 1 at the end.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import click

from kg.errors import InputError, KgError
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.model import Article

log = logging.getLogger(__name__)


class _Run:
    """Per-invocation state: settings and whether any input failed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.failed = 0

    def report(self, err: KgError) -> None:
        self.failed += 1
        click.echo(f"error: {err}", err=True)

    def good_articles(self, items: Iterable[Article | InputError]) -> Iterator[Article]:
        """Pass articles through; report input errors and remember that one failed."""
        for item in items:
            if isinstance(item, InputError):
                self.report(item)
            else:
                yield item


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-v info, -vv debug).")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """kg: knowledge graphs of party and state meetings from news articles."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = _Run(Settings.from_env())


def _exit_status(run: _Run) -> None:
    if run.failed:
        click.echo(f"{run.failed} input(s) failed; see the messages above.", err=True)
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl: the SPEC contract, one line per article; table: a readable summary.",
)
@click.option("--date", help="Article date (YYYY-MM-DD) when the text does not state one.")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes for spaCy.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.pass_obj
def extract(
    run: _Run, paths: tuple[str, ...], fmt: str, date: str | None, workers: int,
    progress: bool | None,
) -> None:
    """Extract officials, bodies, documents, places, meetings and relations.

    PATHS are article files (.txt, .html, .jsonl, .csv), directories, or - for stdin.
    """
    from kg.ingest import read_articles
    from kg.nlp import build_nlp
    from kg.pipeline import extract_all
    from kg.progress import Progress

    try:
        nlp = build_nlp(run.settings)
    except KgError as err:
        raise click.ClickException(str(err)) from err
    articles = run.good_articles(read_articles(paths, date=date))
    with Progress(enabled=progress) as bar:
        for graph in extract_all(articles, nlp, workers=workers):
            bar.advance(len(graph.article.text.split()))
            if fmt == "jsonl":
                click.echo(json.dumps(graph.to_dict(), ensure_ascii=False))
            else:
                from kg.export import format_table

                click.echo(format_table(graph))
    _exit_status(run)


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
def eval_(gold: str, pred: str, by_doc: bool, as_json: bool, scorer: str | None) -> None:
    """Score predictions (kg extract --format jsonl) against gold with the SPEC scorer."""
    from kg.evaluate import run_scorer

    try:
        out = run_scorer(gold, pred, by_doc=by_doc, as_json=as_json, scorer=scorer)
    except KgError as err:
        raise click.ClickException(str(err)) from err
    click.echo(out, nl=False)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
