"""Commands that write the store: ``kg build``, ``kg remove``, ``kg load``, ``kg validate``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from kg.cli.base import (
    REMOTE_HELP,
    STORE_HELP,
    Run,
    cli,
    click_errors,
    exit_status,
    on_error_option,
    shown_option,
    stdin_format_option,
    stored,
)
from kg.errors import KgError

if TYPE_CHECKING:
    from kg.graph.store import KgStore


def upgrade(store: KgStore, where: object, progress: bool | None, force: bool = False) -> None:
    """Give a store built before the fact layer its fact graph, saying so on stderr.

    Args:
        store: the open, writable store.
        where: the store as the user named it.
        progress: the progress bar (see :class:`kg.progress.Progress`).
        force: rebuild the fact graph even when it is current (a repair).
    """
    from kg.graph.layers import FactState, fact_state, rebuild_facts
    from kg.progress import Progress

    state = fact_state(store)
    if state is FactState.CURRENT and not force:
        return
    why = {
        FactState.CURRENT: "rebuilding",
        FactState.MISSING: "built before the fact layer; adding",
        FactState.PARTIAL: "a rebuild of the facts did not finish; redoing",
    }[state]
    articles = len(store.articles())
    click.echo(f"{where}: {why} the fact graph from {articles} article(s)", err=True)
    with Progress(enabled=progress) as bar:
        total = rebuild_facts(store, on_article=lambda _: bar.advance())
    click.echo(f"{where}: the fact graph holds {total} triples", err=True)


@cli.command("build")
@click.argument("paths", nargs=-1)
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--date", help="Article date (YYYY-MM-DD) when the text does not state one.")
@shown_option("--workers", type=int, default=1, help="Processes for spaCy.")
@on_error_option("An article whose extraction")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.option(
    "--replace/--no-replace",
    default=True,
    help="An article whose id is stored with another text replaces it, saying so with both "
    "texts' SHA-256 (default), or is refused.",
)
@click.option("--doc-id", help="The id of the article read from stdin (-).")
@stdin_format_option
@click.pass_obj
def build_cmd(
    run: Run,
    paths: tuple[str, ...],
    store_dir: str | None,
    date: str | None,
    workers: int,
    on_error: str,
    progress: bool | None,
    replace: bool,
    doc_id: str | None,
    stdin_format: str,
) -> None:
    """Extract articles and store their graphs, one named graph per article.

    PATHS are article files, directories, or - for stdin (give its article an id with
    --doc-id, or an "id" per JSONL/CSV record). Re-building an article replaces its
    graph atomically; a failed article never loses what is stored. An unreadable input
    is named when it is met, and again in the summary. A store built before the fact
    layer gets its fact graph first. With no PATHS, kg build rebuilds the fact graph of
    the store from its article graphs (to upgrade or repair it) and stops.
    """
    from kg.extract.nlp import build_nlp
    from kg.graph.build import StdinOptions, build
    from kg.graph.store import open_store
    from kg.progress import Progress

    settings = run.settings.with_options(store=store_dir)
    where = settings.store
    if not paths:  # rebuild the fact graph: the upgrade (and repair) of a store
        with click_errors(), open_store(where, base=settings.base_iri, create=False) as store:
            upgrade(store, where, progress, force=True)
        return
    try:
        with open_store(where, base=settings.base_iri) as store:
            upgrade(store, where, progress)
        nlp = build_nlp(settings)
        with Progress(enabled=progress) as bar:
            report = build(
                paths,
                settings.store,
                nlp,
                date=date,
                workers=workers,
                base=settings.base_iri,
                on_error="stop" if on_error == "stop" else "skip",
                on_article=lambda graph, _: bar.advance(len(graph.article.text.split())),
                replace=replace,
                stdin=StdinOptions(stdin_format, doc_id),
                on_input_error=lambda err: click.echo(f"error: {err}", err=True),
            )
    except KgError as err:
        raise click.ClickException(str(err)) from err
    for message in report.warnings:
        click.echo(f"warning: {message}", err=True)
    stored(run, report, settings.store)


@cli.command("remove")
@click.argument("docs", nargs=-1, required=True)
@click.option("--store", "store_dir", help=STORE_HELP)
@click.pass_obj
def remove_cmd(run: Run, docs: tuple[str, ...], store_dir: str | None) -> None:
    """Remove articles by id (the input file's base name) and every fact they stated.

    The store must exist (none is created); an id that is not stored is named with
    the stored ids it may have meant (report -> report.txt).
    """
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    with click_errors(), open_store(settings.store, base=settings.base_iri, create=False) as store:
        upgrade(store, settings.store, None)
        for doc in docs:
            try:
                count = store.remove_article(doc)
            except KgError as err:
                run.report(err)
                continue
            click.echo(f"removed {doc} ({count} quads)", err=True)
        store.optimize()
    exit_status(run)


@cli.command("validate")
@click.option("--store", "store_dir", help=STORE_HELP)
@shown_option("--warnings/--no-warnings", default=True, help="List warnings.")
@click.pass_obj
def validate_cmd(run: Run, store_dir: str | None, warnings: bool) -> None:
    """Check every article graph in the store against the SHACL shapes.

    Prints one line per problem and exits 1 if there is any violation.
    """
    from kg.graph.store import open_store
    from kg.graph.validate import validate_store

    settings = run.settings.with_options(store=store_dir)
    with click_errors(), open_store(settings.store, base=settings.base_iri, read_only=True) as st:
        report = validate_store(st)
    for issue in report.issues:
        if warnings or issue.severity == "Violation":
            click.echo(str(issue))
    click.echo(report.text().splitlines()[-1], err=True)
    if not report.conforms:
        sys.exit(1)


@cli.command("load")
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", "store_dir", help=REMOTE_HELP)
@on_error_option("A record that")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.pass_obj
def load_cmd(
    run: Run, paths: tuple[str, ...], store_dir: str | None, on_error: str, progress: bool | None
) -> None:
    """Store extractions made elsewhere (kg extract --format jsonl output), without NLP.

    PATHS are JSONL files or - for stdin: the way a cluster run (kg extract --dask)
    reaches a store or a SPARQL server. Each article replaces its graph atomically.
    """
    from kg.extract.cluster import read_extractions
    from kg.graph.build import ingest
    from kg.graph.store import open_store
    from kg.model import ArticleGraph
    from kg.progress import Progress

    settings = run.settings.with_options(store=store_dir)

    def good() -> Iterator[ArticleGraph]:
        return run.good(read_extractions(paths))

    try:
        with open_store(settings.store, base=settings.base_iri) as store:
            upgrade(store, settings.store, progress)
            with Progress(enabled=progress) as bar:
                report = ingest(
                    good(),
                    store,
                    on_error="stop" if on_error == "stop" else "skip",
                    on_article=lambda graph, _: bar.advance(),
                )
            store.optimize()
    except KgError as err:
        raise click.ClickException(str(err)) from err
    stored(run, report, settings.store)
