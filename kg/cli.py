"""Command line: each command parses options, calls one library function, reports errors.

Data goes to stdout, messages and progress to stderr. A :class:`kg.errors.KgError`
becomes a one-line message and exit status 1; bad input articles are reported one by
one, the others are still processed, and the exit status is 1 at the end.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.errors import KgError
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.graph.build import BuildReport

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., object])


class _Run:
    """Per-invocation state: settings and whether any input failed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.failed = 0

    def report(self, err: KgError) -> None:
        self.failed += 1
        click.echo(f"error: {err}", err=True)

    def good(self, items: Iterable[_T | KgError]) -> Iterator[_T]:
        """Pass items through; report the errors among them and remember that one failed."""
        for item in items:
            if isinstance(item, KgError):
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


@contextmanager
def _click_errors(*also: type[Exception]) -> Iterator[None]:
    """Turn a KgError (or one of ``also``) into a one-line message and exit status 1."""
    kinds: tuple[type[Exception], ...] = (KgError, *also)
    try:
        yield
    except kinds as err:
        raise click.ClickException(str(err)) from err


def _shown_option(*decls: str, **attrs: Any) -> Callable[[_F], _F]:
    """A click option whose help shows its default."""
    return click.option(*decls, show_default=True, **attrs)


def _on_error_option(what: str) -> Callable[[_F], _F]:
    """The ``--on-error`` policy of the commands that store; ``what`` is what may fail."""
    return _shown_option(
        "--on-error",
        type=click.Choice(["skip", "stop"]),
        default="skip",
        help=f"{what} cannot be stored: report it and go on, or stop.",
    )


def _stored(run: _Run, report: BuildReport, store: object) -> None:
    """Report the articles that failed and the summary of a build or load, then exit."""
    for message in report.failed:
        run.failed += 1
        click.echo(f"error: {message}", err=True)
    click.echo(f"{store}: {report.summary()}", err=True)
    _exit_status(run)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_shown_option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    help="jsonl: the SPEC contract, one line per article; table: a readable summary.",
)
@click.option("--date", help="Article date (YYYY-MM-DD) when the text does not state one.")
@_shown_option("--workers", type=int, default=1, help="Processes for spaCy.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.option(
    "--dask",
    metavar="SCHEDULER",
    help="Extract on a dask.distributed cluster (tcp://host:8786, or local[:N] for N "
    "local worker processes); needs pip install 'kg[dask]'.",
)
@click.pass_obj
def extract(
    run: _Run,
    paths: tuple[str, ...],
    fmt: str,
    date: str | None,
    workers: int,
    progress: bool | None,
    dask: str | None,
) -> None:
    """Extract officials, bodies, documents, places, meetings and relations.

    PATHS are article files (.txt, .html, .jsonl, .csv), directories, or - for stdin.
    """
    from kg.extract.nlp import build_nlp
    from kg.extract.pipeline import extract_all
    from kg.progress import Progress
    from kg.read.articles import read_articles

    articles = run.good(read_articles(paths, date=date))
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
    from kg.bench.evaluate import run_scorer

    with _click_errors():
        out = run_scorer(gold, pred, by_doc=by_doc, as_json=as_json, scorer=scorer)
    click.echo(out, nl=False)


_STORE_HELP = "Store directory (default: $KG_STORE, else ./kg-store)."


@cli.command("build")
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", "store_dir", help=_STORE_HELP)
@click.option("--date", help="Article date (YYYY-MM-DD) when the text does not state one.")
@_shown_option("--workers", type=int, default=1, help="Processes for spaCy.")
@_on_error_option("An article whose extraction")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.pass_obj
def build_cmd(
    run: _Run,
    paths: tuple[str, ...],
    store_dir: str | None,
    date: str | None,
    workers: int,
    on_error: str,
    progress: bool | None,
) -> None:
    """Extract articles and store their graphs, one named graph per article.

    PATHS are article files, directories, or - for stdin. Re-building an article
    replaces its graph atomically; a failed article never loses what is stored.
    """
    from kg.extract.nlp import build_nlp
    from kg.graph.build import build
    from kg.progress import Progress

    settings = run.settings.with_options(store=store_dir)
    try:
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
            )
    except KgError as err:
        raise click.ClickException(str(err)) from err
    for message in report.warnings:
        click.echo(f"warning: {message}", err=True)
    _stored(run, report, settings.store)


@cli.command("remove")
@click.argument("docs", nargs=-1, required=True)
@click.option("--store", "store_dir", help=_STORE_HELP)
@click.pass_obj
def remove_cmd(run: _Run, docs: tuple[str, ...], store_dir: str | None) -> None:
    """Remove articles by id (the input file's base name) and every fact they stated."""
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    with _click_errors(), open_store(settings.store, base=settings.base_iri) as store:
        for doc in docs:
            try:
                count = store.remove_article(doc)
            except KgError as err:
                run.report(err)
                continue
            click.echo(f"removed {doc} ({count} quads)", err=True)
    _exit_status(run)


@cli.command("export")
@click.option("--store", "store_dir", help=_STORE_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "csv"]),
    required=True,
    help="RDF (turtle, trig, nquads, jsonld) or a graph for Gephi (graphml, gexf, csv).",
)
@_shown_option(
    "--view",
    type=click.Choice(["full", "coattendance", "person-body", "body-document"]),
    default="full",
    help="Graph formats only: the whole graph or one projection.",
)
@_shown_option(
    "-o",
    "--output",
    default="-",
    help="Output file (- for stdout); for csv, a directory that gets nodes.csv and edges.csv.",
)
@click.pass_obj
def export_cmd(run: _Run, store_dir: str | None, fmt: str, view: str, output: str) -> None:
    """Export the stored knowledge graph as RDF, GraphML, GEXF or CSV."""
    from kg.answer.export import export_store
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    if output == "-" and fmt == "csv":
        raise click.UsageError("csv writes two files: give a directory with -o")
    with (
        _click_errors(ValueError),
        open_store(settings.store, base=settings.base_iri, read_only=True) as store,
    ):
        out = sys.stdout.buffer if output == "-" else output
        summary = export_store(store, fmt, out, view=view)
    click.echo(f"{output}: {summary}", err=True)


@cli.command("validate")
@click.option("--store", "store_dir", help=_STORE_HELP)
@_shown_option("--warnings/--no-warnings", default=True, help="List warnings.")
@click.pass_obj
def validate_cmd(run: _Run, store_dir: str | None, warnings: bool) -> None:
    """Check every article graph in the store against the SHACL shapes.

    Prints one line per problem and exits 1 if there is any violation.
    """
    from kg.graph.store import open_store
    from kg.graph.validate import validate_store

    settings = run.settings.with_options(store=store_dir)
    with _click_errors(), open_store(settings.store, base=settings.base_iri, read_only=True) as st:
        report = validate_store(st)
    for issue in report.issues:
        if warnings or issue.severity == "Violation":
            click.echo(str(issue))
    click.echo(report.text().splitlines()[-1], err=True)
    if not report.conforms:
        sys.exit(1)


_REMOTE_HELP = "Store directory, or an http(s):// SPARQL 1.1 endpoint (default: $KG_STORE)."


@cli.command("load")
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", "store_dir", help=_REMOTE_HELP)
@_on_error_option("A record that")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.pass_obj
def load_cmd(
    run: _Run, paths: tuple[str, ...], store_dir: str | None, on_error: str, progress: bool | None
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
        with (
            open_store(settings.store, base=settings.base_iri) as store,
            Progress(enabled=progress) as bar,
        ):
            report = ingest(
                good(),
                store,
                on_error="stop" if on_error == "stop" else "skip",
                on_article=lambda graph, _: bar.advance(),
            )
    except KgError as err:
        raise click.ClickException(str(err)) from err
    _stored(run, report, settings.store)


@cli.command("serve")
@click.option("--store", "store_dir", help=_STORE_HELP)
@_shown_option("--host", default="127.0.0.1", help="Interface to listen on.")
@_shown_option("--port", type=int, default=7878, help="TCP port (0: any free port).")
@_shown_option(
    "--timeout",
    type=float,
    default=30.0,
    help="Seconds a query may run before the client gets 503.",
)
@_shown_option(
    "--limit",
    type=int,
    default=10_000,
    help="Rows (or triples) returned at most; a cut result has X-KG-Truncated: true.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Accept SPARQL Update at /update (opens the store writable), so that "
    "kg build/load --store http://HOST:PORT can write to it.",
)
@click.pass_obj
def serve_cmd(
    run: _Run,
    store_dir: str | None,
    host: str,
    port: int,
    timeout: float,
    limit: int,
    allow_update: bool,
) -> None:
    """Serve the store over the SPARQL 1.1 Protocol, read-only unless --allow-update.

    Queries: GET or POST /query (also /sparql); the answer's format follows the Accept
    header (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML, JSON-LD for
    CONSTRUCT). The default graph is the union of all article graphs. Ctrl-C stops.
    """
    from kg.answer.serve import ServeOptions, SparqlServer, serve
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    options = ServeOptions(timeout=timeout, limit=limit, allow_update=allow_update)

    def ready(server: SparqlServer) -> None:
        bound = server.server_address[1]
        click.echo(f"serving {settings.store} at http://{host}:{bound}/query", err=True)

    try:
        with open_store(settings.store, base=settings.base_iri, read_only=not allow_update) as st:
            serve(st, host, port, options, ready=ready)
    except KgError as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:
        raise click.ClickException(f"{host}:{port}: cannot listen ({err.strerror})") from err


@cli.command("bench")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON on stdout.")
@_shown_option(
    "--articles", type=int, default=80, help="Generated articles for the words/s comparison."
)
@_shown_option(
    "--rounds",
    type=int,
    default=2,
    help="Times each extraction configuration runs, in turns (figures are medians).",
)
@_shown_option(
    "--memory-sizes",
    default="1000,10000",
    help="Article counts of the two streaming-memory runs (small,large).",
)
@_shown_option(
    "--triples",
    type=int,
    default=1_000_000,
    help="Size of the store the query library is timed on.",
)
@_shown_option(
    "--sections",
    default="extract,memory,build,query",
    help="Which measurements to run (comma-separated).",
)
@_shown_option("--query-runs", type=int, default=15, help="Timed runs per query.")
@_shown_option(
    "--rdflib-timeout",
    type=float,
    default=15.0,
    help="Seconds before a query on rdflib is stopped (its speedup is then a lower bound).",
)
@_shown_option("--seed", type=int, default=0, help="Corpus random seed.")
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Build the stores here and keep them (default: a temporary directory).",
)
@click.pass_obj
def bench_cmd(
    run: _Run,
    as_json: bool,
    articles: int,
    rounds: int,
    memory_sizes: str,
    triples: int,
    sections: str,
    query_runs: int,
    rdflib_timeout: float,
    seed: int,
    workdir: str | None,
) -> None:
    """Measure speed against a baseline in the same run, and check the targets.

    Extraction words/s of the kg pipeline vs the bare spaCy model (1 and 2 processes),
    peak memory of streaming extraction at two sizes, build throughput into the
    embedded store, and each library query's p50/p95 on ~1M triples vs rdflib in memory.
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
            sections=tuple(iter_sections(sections)),
            query_runs=query_runs,
            rdflib_timeout=rdflib_timeout,
            seed=seed,
            workdir=workdir,
        )
    except ValueError as err:
        raise click.UsageError(str(err)) from err
    with _click_errors():
        report = run_bench(config, run.settings, step=lambda m: click.echo(m, err=True))
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report), nl=False)


@cli.command("query")
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter: a name, an IRI, a key (person/to-lam) or a date. Repeatable.",
)
@click.option("--store", "store_dir", help=_STORE_HELP)
@_shown_option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    help="How to print the rows.",
)
@click.option("--list", "list_only", is_flag=True, help="List the questions and their parameters.")
@click.pass_obj
def query_cmd(
    run: _Run,
    name: str | None,
    params: tuple[str, ...],
    store_dir: str | None,
    fmt: str,
    list_only: bool,
) -> None:
    """Answer a question of the library (queries/*.rq), or run a .rq file.

    NAME is a question from --list or the path of a .rq file. Names given as parameters
    are resolved to entities (case and diacritics do not matter) and bound as terms,
    never pasted into the query. Example:

        kg query co_attendees -p person="Nguyen Phu Trong" --store kg-store
    """
    from kg.answer.queries import describe, find_query, format_result, load_queries, run_query
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    if not list_only and name is None:
        raise click.UsageError("give a question NAME (see kg query --list)")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"-p {item!r}: expected KEY=VALUE")
        values[key.strip()] = value
    with _click_errors():
        if list_only:
            click.echo(describe(load_queries(settings.queries_dir)), nl=False)
            return
        query = find_query(name or "", settings.queries_dir)
        with open_store(settings.store, base=settings.base_iri, read_only=True) as store:
            result = run_query(store, query, values)
    click.echo(format_result(result, fmt, settings.base_iri), nl=False)
    click.echo(f"{query.name}: {len(result.rows)} row(s)", err=True)


@cli.command("analyze")
@click.option("--store", "store_dir", help=_STORE_HELP)
@_shown_option("--top", type=int, default=10, help="Officials per ranking.")
@_shown_option(
    "--rank-by",
    type=click.Choice(["newman", "meetings", "degree"]),
    default="newman",
    help="Weighting of the degree ranking: newman (each shared meeting of n officials counts "
    "1/(n-1)), meetings (each shared meeting counts 1) or degree (officials met).",
)
@click.option(
    "--path",
    nargs=2,
    metavar="A B",
    help="Also the shortest chains of shared meetings or bodies between two officials.",
)
@_shown_option("--chains", type=click.IntRange(1), default=10, help="Chains to list, at most.")
@click.pass_obj
def analyze_cmd(
    run: _Run, /, store_dir: str | None, path: tuple[str, str] | None, **opts: Any
) -> None:
    """Rank officials on the co-attendance graph and find communities, with NetworkX.

    Officials are ranked by Newman-weighted degree (a meeting of n officials gives each pair
    1/(n-1), so one large meeting does not outweigh the rest; --rank-by meetings or degree
    for the others) and by betweenness; equal scores share a rank (3=). Communities come
    from greedy modularity. --path "A" "B" adds the shortest chains linking two officials.
    """
    from kg.answer.analysis import load_graph, report
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    with _click_errors():
        with open_store(settings.store, base=settings.base_iri, read_only=True) as store:
            graph = load_graph(store)
        click.echo(report(graph, path=path or None, **opts), nl=False)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
