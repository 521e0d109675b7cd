"""Notebooks: open the graph a notebook asks about, and choose what to ask about from it.

Input: the notebook parameters (``KG_STORE``: an existing store used as it is;
``KG_ARTICLES``: articles built into a temporary store; neither: the project's ``seeds/``);
output: a :class:`Workspace` (the open store, its graph) and :class:`Choice` s of the
officials, bodies and documents the data makes most interesting. Reads no data files.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg.answer.analysis import chain_graph, degree_ranking
from kg.errors import QueryError, StoreError
from kg.graph.layers import article_layer, require_facts
from kg.graph.nxview import coattendance, to_networkx
from kg.graph.rdf import from_rdf
from kg.graph.store import is_remote, open_store
from kg.ids import DEFAULT_BASE, entity_iri
from kg.settings import Settings
from kg.vocab import sub_properties

if TYPE_CHECKING:
    from kg.graph.build import BuildReport
    from kg.graph.store import KgStore
    from kg.model import ArticleGraph

log = logging.getLogger(__name__)

#: The articles a notebook reads when it is given neither a store nor articles.
SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


@dataclass
class Workspace:
    """The graph a notebook works on: an open store and the views read from it.

    Attributes:
        store: the open store (read-only).
        source: what it holds, in words (``store kg-store`` or ``articles seeds``).
        report: the build report when the notebook built a temporary store, else None.
        workdir: a temporary directory for files the notebook writes (removed by close).
    """

    store: KgStore
    source: str
    report: BuildReport | None = None
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kg-notebook-")))

    @cached_property
    def articles(self) -> list[ArticleGraph]:
        """The article extractions read back from the store (:func:`kg.graph.rdf.from_rdf`)."""
        return from_rdf(article_layer(self.store), self.store.base)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The merged graph, one node per entity key (as :func:`kg.answer.analysis.load_graph`)."""
        return to_networkx(self.articles, self.store.base)

    @cached_property
    def coattendance(self) -> nx.Graph:
        """The co-attendance projection of :attr:`graph`."""
        return coattendance(self.graph)

    def summary(self) -> str:
        """Return one line: where the graph comes from and how big it is."""
        built = f"; {self.report.summary()}" if self.report else ""
        return f"{self.source}: {len(self.store.articles())} article(s){built}"

    def close(self) -> None:
        """Close the store and remove the temporary files (the built store among them)."""
        self.store.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def open_workspace(
    articles: str | Path | Iterable[str | Path] | None = None,
    store: str | Path | None = None,
    settings: Settings | None = None,
) -> Workspace:
    """Open the graph a notebook is pointed at.

    ``store`` names an existing store (a directory or a SPARQL URL): it is opened
    read-only and used as it is, and ``articles`` is ignored. Otherwise the articles (a
    file or folder, several separated by the path separator; the project's ``seeds/``
    when empty) are built into a temporary store that :meth:`Workspace.close` removes.
    A relative path not found in the working directory is looked up in the project
    folder, since Jupyter runs a notebook in ``notebooks/``.

    Args:
        articles: what to build from when no store is given.
        store: an existing store; empty or None for a temporary one.
        settings: model and base IRI (defaults: :meth:`Settings.from_env`).

    Returns:
        The workspace.

    Raises:
        StoreError: ``store`` is not a store (nothing to rebuild it from is assumed), or
            one built before the fact layer (the message says how to upgrade it).
        InputError: the articles cannot be read.
    """
    settings = settings or Settings.from_env()
    if store:
        if not is_remote(store):
            store = _here_or_project(Path(store))
        if not is_remote(store) and not Path(store).is_dir():
            raise StoreError(f"{store}: no store here (build one with kg build ARTICLES --store)")
        opened = open_store(store, settings.base_iri, read_only=True)
        try:
            require_facts(opened)
        except StoreError:
            opened.close()
            raise
        if articles:
            log.warning("KG_STORE is given, so KG_ARTICLES (%s) is not read", articles)
        return Workspace(opened, f"store {store}")
    paths = [_here_or_project(p) for p in _paths(articles)] or [SEEDS]
    from kg.extract.nlp import build_nlp
    from kg.graph.build import build

    workdir = Path(tempfile.mkdtemp(prefix="kg-notebook-"))
    try:
        report = build(paths, workdir / "store", build_nlp(settings), base=settings.base_iri)
        built = open_store(workdir / "store", settings.base_iri, read_only=True)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    source = "articles " + ", ".join(str(p) for p in paths)
    return Workspace(built, source, report, workdir)


def _here_or_project(path: Path) -> Path:
    """A relative path that is not found here is looked for in the project folder.

    Jupyter runs a notebook in its own folder (``notebooks/``), so ``KG_STORE=kg-store``
    set in the project folder still finds ``kg-store`` there.
    """
    if path.is_absolute() or path.exists() or not (SEEDS.parent / path).exists():
        return path
    return SEEDS.parent / path


def _paths(articles: str | Path | Iterable[str | Path] | None) -> list[Path]:
    if not articles:
        return []
    if isinstance(articles, str):
        return [Path(p) for p in articles.split(os.pathsep) if p]
    if isinstance(articles, Path):
        return [articles]
    return [Path(p) for p in articles]


# ------------------------------------------------------------------ choosing from the data


@dataclass(frozen=True, slots=True)
class Choice:
    """An entity chosen from the data, and why.

    Attributes:
        key: the node key (``person/to-lam``).
        label: its name.
        iri: its IRI, to pass to a query as a parameter (it never needs resolving).
        score: the count it was chosen by.
        reason: the count in words (``met 12 other officials``).
    """

    key: str
    label: str
    iri: str
    score: float
    reason: str

    def __str__(self) -> str:
        return f"{self.label} ({self.reason})"


def _choice(graph: nx.Graph, node: str, score: float, reason: str) -> Choice:
    data = graph.nodes[node]
    return Choice(node, str(data.get("label", node)), str(data.get("iri", node)), score, reason)


def most_linked(
    graph: nx.MultiDiGraph,
    types: str | Collection[str],
    predicates: Collection[str] | None = None,
    incoming: bool | None = None,
    top: int = 1,
) -> list[tuple[str, int]]:
    """Rank nodes of some types by how many distinct nodes their edges reach.

    Args:
        graph: the merged graph (:attr:`Workspace.graph`).
        types: the node type(s) ranked (``"Document"``).
        predicates: count only edges of these predicates; None counts all.
        incoming: count only edges into the node (True), out of it (False), or both (None).
        top: how many to return.

    Returns:
        ``(key, count)``, highest count first, ties by label; nodes with no such edge left out.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> g.add_nodes_from([("o/a", {"type": "Organization", "label": "A"}),
        ...                   ("o/b", {"type": "Organization", "label": "B"}),
        ...                   ("d/1", {"type": "Document"}), ("d/2", {"type": "Document"})])
        >>> g.add_edges_from([("o/a", "d/1", "implements"), ("o/b", "d/1", "implements"),
        ...                   ("o/b", "d/2", "implements")])
        ['implements', 'implements', 'implements']
        >>> most_linked(g, "Document", {"implements"}, incoming=True)
        [('d/1', 2)]
        >>> most_linked(g, "Organization", top=2)
        [('o/b', 2), ('o/a', 1)]
    """
    wanted = {types} if isinstance(types, str) else set(types)
    reach: Counter[str] = Counter()
    for node, data in graph.nodes(data=True):
        if data.get("type") not in wanted:
            continue
        ends: set[str] = set()
        if incoming is not False:
            ends |= {s for s, _, p in graph.in_edges(node, keys=True) if _keep(p, predicates)}
        if incoming is not True:
            ends |= {o for _, o, p in graph.out_edges(node, keys=True) if _keep(p, predicates)}
        if ends:
            reach[node] = len(ends)
    order = sorted(reach, key=lambda n: (-reach[n], str(graph.nodes[n].get("label", n)), n))
    return [(n, reach[n]) for n in order[:top]]


def _keep(predicate: str, predicates: Collection[str] | None) -> bool:
    return predicates is None or predicate in predicates


def _first(
    graph: nx.MultiDiGraph,
    what: str,
    types: str | Collection[str],
    predicates: Collection[str] | None,
    incoming: bool | None,
    reason: str,
) -> Choice:
    found = most_linked(graph, types, predicates, incoming)
    if not found:
        raise QueryError(f"the graph has no {what}")
    node, count = found[0]
    return _choice(graph, node, count, reason.format(n=count))


def most_connected_official(co: nx.Graph, rank: int = 0) -> Choice:
    """Return the official who met the most others (highest degree in co-attendance).

    Args:
        co: the co-attendance graph (:attr:`Workspace.coattendance`).
        rank: 0 for the first, 1 for the runner-up, and so on.

    Raises:
        QueryError: the graph has fewer officials than that.
    """
    ranking = degree_ranking(co, top=rank + 1, weight=None)  # officials met
    if len(ranking) <= rank:
        raise QueryError(f"the co-attendance graph has {len(ranking)} official(s), not {rank + 1}")
    best = ranking[rank]
    return _choice(co, best.node, best.score, f"met {int(best.score)} other officials")


def most_implemented_document(graph: nx.MultiDiGraph) -> Choice:
    """Return the document the most bodies and places implement."""
    return _first(
        graph, "implemented document", "Document", {"implements"}, True, "implemented by {n}"
    )


def top_implementer(graph: nx.MultiDiGraph) -> Choice:
    """Return the body or place that implements the most documents."""
    return _first(
        graph,
        "body implementing a document",
        ("Organization", "Place"),
        {"implements"},
        False,
        "implements {n} document(s)",
    )


def top_issuer(graph: nx.MultiDiGraph) -> Choice:
    """Return the body that issued the most documents."""
    return _first(
        graph, "issuing body", "Organization", {"issuedBy"}, True, "issued {n} document(s)"
    )


def busiest_body(graph: nx.MultiDiGraph) -> Choice:
    """Return the body with the most members (or heads)."""
    member = sub_properties("memberOf")
    return _first(graph, "body with members", "Organization", member, True, "{n} member(s)")


def busiest_place(graph: nx.MultiDiGraph) -> Choice:
    """Return the place linked to the most bodies, places, meetings and documents."""
    return _first(graph, "place", "Place", None, None, "linked to {n} entities")


def longest_career(articles: Iterable[ArticleGraph], base: str = DEFAULT_BASE) -> Choice:
    """Return the official whose posts are stated on the most article dates.

    Ties go to the one with more posts (body and title), then by name.

    Raises:
        QueryError: no article states a post.
    """
    member = sub_properties("memberOf")
    dates: dict[str, set[str]] = defaultdict(set)
    held: dict[str, set[tuple[str, str]]] = defaultdict(set)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for ag in articles:
        for rel in ag.relations:
            if rel.predicate not in member:
                continue
            person = ag.entity(rel.subject)
            held[person.key].add((ag.entity(rel.object).key, rel.title or ""))
            names[person.key][person.name] += 1
            if ag.article.date:
                dates[person.key].add(ag.article.date)
    if not held:
        raise QueryError("no article in the graph states a post")
    best = min(
        held, key=lambda k: (-len(dates[k]), -len(held[k]), names[k].most_common(1)[0][0], k)
    )
    reason = f"{len(held[best])} post(s) stated on {len(dates[best])} date(s)"
    return Choice(
        best, names[best].most_common(1)[0][0], entity_iri(best, base), len(dates[best]), reason
    )


def farthest_official(graph: nx.MultiDiGraph, start: str) -> Choice:
    """Return the official farthest from ``start`` through shared meetings and bodies.

    Args:
        graph: the merged graph.
        start: an official's node key.

    Raises:
        QueryError: no other official is linked to ``start`` at all.
    """
    chains = chain_graph(graph)
    if start not in chains:
        raise QueryError(f"{start} shares no meeting or body with anyone")
    hops = nx.single_source_shortest_path_length(chains, start)
    people = [n for n in hops if n != start and chains.nodes[n].get("type") == "Person"]
    if not people:
        raise QueryError(f"{start} shares no meeting or body with another official")
    far = max(people, key=lambda n: (hops[n], str(chains.nodes[n].get("label", n))))
    return _choice(graph, far, hops[far] // 2, f"{hops[far] // 2} link(s) away")


def richest_article(articles: Iterable[ArticleGraph]) -> ArticleGraph:
    """Return the article that states the most relations (ties: the first by id).

    Raises:
        QueryError: there are no articles.
    """
    ordered = sorted(articles, key=lambda a: (-len(a.relations), a.doc_id))
    if not ordered:
        raise QueryError("the store holds no articles")
    return ordered[0]


def busiest_months(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """Return the first and last month of the year with the most dated meetings.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> for i, d in enumerate(["2023-03-01", "2024-02-09", "2024-07", "2024"]):
        ...     g.add_node(f"e/{i}", type="Event", date=d)
        >>> busiest_months(g)
        ('2024-01', '2024-12')

    Raises:
        QueryError: no meeting has a date.
    """
    years = Counter(
        str(d["date"])[:4]
        for _, d in graph.nodes(data=True)
        if d.get("type") == "Event" and d.get("date")
    )
    if not years:
        raise QueryError("no meeting in the graph has a date")
    year = min(years, key=lambda y: (-years[y], y))
    return f"{year}-01", f"{year}-12"
