"""Commands that answer from the store: ``kg query``, ``analyze``, ``export`` and ``serve``."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

import click

from kg.cli.base import (
    STORE_HELP,
    Run,
    cli,
    click_errors,
    min_confidence_option,
    shown_option,
)


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
@click.option("--store", "store_dir", help=STORE_HELP)
@shown_option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    help="How to print the rows.",
)
@click.option("--list", "list_only", is_flag=True, help="List the questions and their parameters.")
# the default is kg.answer.runner.DEFAULT_PAGE (a test holds them equal), written out so
# that the command line starts without importing the answer stage
@shown_option(
    "--limit",
    type=click.IntRange(0),
    default=100,
    help="Rows per page (0: every row); -p limit=N does the same.",
)
@shown_option(
    "--offset",
    type=click.IntRange(0),
    default=0,
    help="Rows skipped before the page (the next page of 100: --offset 100).",
)
@click.option("--all", "all_rows", is_flag=True, help="Every row, in one page (as --limit 0).")
@min_confidence_option(
    "Count only statements at least this likely to be right (the measured precision of "
    "their rule); for the questions with a ?minConfidence parameter."
)
@click.pass_obj
def query_cmd(
    run: Run,
    name: str | None,
    params: tuple[str, ...],
    store_dir: str | None,
    fmt: str,
    list_only: bool,
    min_confidence: float | None,
    limit: int,
    offset: int,
    all_rows: bool,
) -> None:
    """Answer a question of the library (queries/*.rq), or run a .rq file.

    NAME is a question from --list or the path of a .rq file. Names given as parameters
    are resolved to entities (case and diacritics do not matter) and bound as terms,
    never pasted into the query. Rows come a page at a time (--limit, --offset, --all);
    stderr says when more follow. Example:

        kg query co_attendees -p person="Nguyen Phu Trong" --store kg-store
    """
    from kg.answer.queries import describe, find_query, format_result, load_queries, run_query
    from kg.answer.runner import page_note, page_params
    from kg.answer.serve.guard import Limits, check_query
    from kg.graph.layers import require_facts
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
    with click_errors():
        if list_only:
            click.echo(describe(load_queries(settings.queries_dir)), nl=False)
            return
        query = find_query(name or "", settings.queries_dir)
        if min_confidence is not None:
            if not any(p.name == "minConfidence" for p in query.params):
                raise click.UsageError(f"{query.name} has no confidence filter (?minConfidence)")
            values["minConfidence"] = str(min_confidence)
        # a local file may federate; what would crash the parser is refused
        check_query(query.text, Limits(allow_federation=True), str(query.path or query.name))
        values, page, skip = page_params(values, None if all_rows else limit, offset)
        with open_store(settings.store, base=settings.base_iri, read_only=True) as store:
            require_facts(store)
            result = run_query(store, query, values, page, skip)
    click.echo(format_result(result, fmt, settings.base_iri), nl=False)
    click.echo(page_note(query.name, result, skip), err=True)


@cli.command("analyze")
@click.option("--store", "store_dir", help=STORE_HELP)
@shown_option("--top", type=int, default=10, help="Officials per ranking.")
@shown_option(
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
@shown_option("--chains", type=click.IntRange(1), default=10, help="Chains to list, at most.")
@min_confidence_option(
    "Leave out facts whose confidence (the measured precision of the rules that stated "
    "them, combined over the articles) is below this."
)
@click.pass_obj
def analyze_cmd(
    run: Run,
    /,
    store_dir: str | None,
    path: tuple[str, str] | None,
    min_confidence: float | None,
    **opts: Any,
) -> None:
    """Rank officials on the co-attendance graph and find communities, with NetworkX.

    Officials are ranked by Newman-weighted degree (a meeting of n officials gives each pair
    1/(n-1), so one large meeting does not outweigh the rest; --rank-by meetings or degree
    for the others) and by betweenness; equal scores share a rank (3=). Communities come
    from greedy modularity. --path "A" "B" adds the shortest chains linking two officials.
    """
    from kg.answer.analysis import load_graph, report
    from kg.graph.nxview import confident
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    with click_errors():
        with open_store(settings.store, base=settings.base_iri, read_only=True) as store:
            graph = load_graph(store)
        if min_confidence is not None:
            graph = confident(graph, min_confidence)
        click.echo(report(graph, path=path or None, **opts), nl=False)


@cli.command("export")
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "csv"]),
    required=True,
    help="RDF (turtle, trig, nquads, jsonld) or a graph for Gephi (graphml, gexf, csv).",
)
@shown_option(
    "--view",
    type=click.Choice(["full", "coattendance", "person-body", "body-document"]),
    default="full",
    help="Graph formats only: the whole graph or one projection.",
)
@shown_option(
    "-o",
    "--output",
    default="-",
    help="Output file (- for stdout); for csv, a directory that gets nodes.csv and edges.csv.",
)
@click.pass_obj
def export_cmd(run: Run, store_dir: str | None, fmt: str, view: str, output: str) -> None:
    """Export the stored knowledge graph as RDF, GraphML, GEXF or CSV."""
    from kg.answer.export import export_store
    from kg.graph.layers import require_facts
    from kg.graph.store import open_store

    settings = run.settings.with_options(store=store_dir)
    if output == "-" and fmt == "csv":
        raise click.UsageError("csv writes two files: give a directory with -o")
    with (
        click_errors(ValueError),
        open_store(settings.store, base=settings.base_iri, read_only=True) as store,
    ):
        require_facts(store)
        out = sys.stdout.buffer if output == "-" else output
        summary = export_store(store, fmt, out, view=view)
    click.echo(f"{output}: {summary}", err=True)


@cli.command("serve")
@click.option("--store", "store_dir", help=STORE_HELP)
@shown_option("--host", default="127.0.0.1", help="Interface to listen on.")
@shown_option("--port", type=int, default=7878, help="TCP port (0: any free port).")
@shown_option(
    "--timeout",
    type=float,
    default=30.0,
    help="Seconds a query may take; then the client gets 503 and its evaluation is killed.",
)
@shown_option(
    "--limit",
    type=int,
    default=10_000,
    help="Rows (or triples) returned at most; a cut result has X-KG-Truncated: true.",
)
@shown_option(
    "--workers",
    type=click.IntRange(1, 64),
    default=4,
    help="Query worker processes, shared among the --fronts (a writable server has one).",
)
@shown_option(
    "--burst",
    type=click.IntRange(1, 256),
    default=16,
    help="Query workers at most: a query that runs long gives its place among --workers to "
    "a spare worker (one is kept warm), up to this many in all.",
)
@shown_option(
    "--long-query",
    type=click.FloatRange(0.01),
    default=0.1,
    help="CPU seconds after which a running query counts as long (or 1 s of wall time): "
    "short queries then go to a spare worker instead of waiting behind it; past ten "
    "times this it is a runaway and is niced.",
)
@shown_option(
    "--queue-wait",
    type=click.FloatRange(0),
    default=2.5,
    help="Seconds a query may wait for a worker: one expected to wait longer gets 503 with "
    "Retry-After at once (over capacity), as does one still waiting then; 0: wait up to "
    "--timeout.",
)
@shown_option(
    "--fast-budget",
    type=click.FloatRange(0),
    default=0.5,
    help="Seconds a query that reads no data (ASK {}) may take in its own fast lane before "
    "it joins the other queries' queue; 0: no fast lane.",
)
@shown_option(
    "--fronts",
    type=click.IntRange(0, 64),
    default=0,
    help="HTTP processes sharing the port, each with its own share of --workers "
    "(0: one per core, up to four; a writable server has one).",
)
@shown_option(
    "--known-budget",
    type=click.FloatRange(0),
    default=0.05,
    help="CPU seconds within which a worker must have answered a query text for the "
    "server to answer that same text in its own threads from then on (read-only "
    "servers: the store does not change, so neither does its cost); 0: always in workers.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Accept SPARQL Update at /update (opens the store writable), so that "
    "kg build/load --store http://HOST:PORT can write to it.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host is NAME (besides the bound host; * for any). Repeatable.",
)
@click.option(
    "--allow-federation",
    is_flag=True,
    help="Let queries use SERVICE and updates LOAD (the server then fetches URLs).",
)
@shown_option(
    "--idle-timeout",
    type=click.FloatRange(0.1),
    default=15.0,
    help="Seconds a connection may stay idle (or take to send its request head).",
)
@click.option(
    "--articles",
    multiple=True,
    type=click.Path(exists=True),
    help="Where the stored articles were read from (the folder or file given to kg build), "
    "so the pages can show a fact's sentence in its article; repeatable ($KG_ARTICLES).",
)
@click.pass_obj
def serve_cmd(run: Run, /, store_dir: str | None, host: str, port: int, **opts: Any) -> None:
    """Serve the store over the SPARQL 1.1 Protocol, read-only unless --allow-update.

    Queries: GET or POST /query (also /sparql); the answer's format follows the Accept
    header (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML, JSON-LD for
    CONSTRUCT). The default graph is the union of all graphs: the article graphs
    (provenance) and the fact graph <https://kg.example.org/facts> (each fact once).
    Queries run in worker processes, killed at the timeout; SERVICE and LOAD are
    refused, and so are requests for another Host and updates from another Origin.
    Ctrl-C or SIGTERM stops. A read-only server also serves the browser's pages at /
    (search, a page per entity with the source of every fact, the SPARQL editor at
    /sparql, graph views). A store built before the fact layer is refused with the
    command that upgrades it.
    """
    from kg.answer.serve import HttpLimits, Limits, ServeOptions, serve
    from kg.answer.web import Site
    from kg.graph.layers import require_facts
    from kg.graph.store import is_remote, open_store

    settings = run.settings.with_options(store=store_dir)
    if is_remote(settings.store):
        raise click.UsageError(f"{settings.store}: kg serve serves a store directory")
    options = ServeOptions(
        timeout=opts["timeout"],
        limit=opts["limit"],
        allow_update=opts["allow_update"],
        workers=opts["workers"],
        burst=max(opts["burst"], opts["workers"]),
        long_query=opts["long_query"],
        queue_wait=opts["queue_wait"],
        fast_budget=opts["fast_budget"],
        known_budget=opts["known_budget"],
        fronts=opts["fronts"],
        allow_hosts=tuple(opts["allow_hosts"]),
        guard=Limits(allow_federation=opts["allow_federation"]),
        http=HttpLimits(idle_timeout=opts["idle_timeout"]),
    )

    def ready(bound: int) -> None:
        click.echo(f"serving {settings.store} at http://{host}:{bound}/query", err=True)
        if pages is not None:
            click.echo(f"browse it at http://{host}:{bound}/", err=True)

    if opts["articles"]:  # read by the page processes (kg.answer.web.pages.article_text)
        os.environ["KG_ARTICLES"] = os.pathsep.join(opts["articles"])
    # the browser's pages read the store in this process: only beside a read-only endpoint
    pages = None
    if not options.allow_update:  # pages are built in processes killed at --timeout
        # a writable server's clients (kg build --store URL) upgrade its store themselves
        with click_errors(), open_store(settings.store, settings.base_iri, read_only=True) as st:
            require_facts(st)
        pages = functools.partial(Site, str(settings.store), settings.base_iri, options.timeout)
    with click_errors():
        serve(str(settings.store), settings.base_iri, host, port, options, ready, pages)
