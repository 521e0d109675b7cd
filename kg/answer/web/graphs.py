"""An entity's neighbourhood as a graph: for the graph view and its GEXF/GraphML downloads.

Stage: answer (web). Input: the store's NetworkX view (:func:`kg.answer.analysis.load_graph`,
read once per server) and an entity key; output: Cytoscape.js elements, or GEXF/GraphML
bytes written by :mod:`kg.answer.export`.
"""

from __future__ import annotations

import io
import threading
from typing import Any

import networkx as nx

from kg.answer.analysis import load_graph
from kg.answer.export import write_gexf, write_graphml
from kg.errors import QueryError
from kg.graph.store import KgStore

#: Nodes shown at most: the entity and its neighbours with the heaviest links first.
MAX_NODES = 150


class Neighbourhoods:
    """The stored graph, loaded on first use, cut into neighbourhoods.

    Args:
        store: the open store (read-only: the graph is read once).
    """

    def __init__(self, store: KgStore) -> None:
        self.store = store
        self._graph: nx.MultiDiGraph | None = None
        self._lock = threading.Lock()

    def graph(self) -> nx.MultiDiGraph:
        """The whole stored graph (read on first call)."""
        with self._lock:
            if self._graph is None:
                self._graph = load_graph(self.store)
            return self._graph

    def around(self, key: str, radius: int = 1) -> nx.MultiDiGraph:
        """The entity and the nodes within ``radius`` links of it (at most MAX_NODES).

        Raises:
            QueryError: no node has that key.
        """
        graph = self.graph()
        if key not in graph:
            raise QueryError(f"{key}: no such entity in the graph")
        near = nx.ego_graph(graph.to_undirected(as_view=True), key, radius=max(1, radius))
        weight = {
            n: sum(int(d.get("weight", 1)) for *_, d in near.edges(n, data=True)) for n in near
        }
        keep = sorted(near, key=lambda n: (n != key, -weight[n], n))[:MAX_NODES]
        return graph.subgraph(keep).copy()


def elements(graph: nx.MultiDiGraph, center: str, href: Any) -> dict[str, Any]:
    """Cytoscape.js elements of a neighbourhood: nodes with label, type and page link.

    Args:
        graph: from :meth:`Neighbourhoods.around`.
        center: the entity's key.
        href: a function from an entity key to its page link.
    """
    nodes = [
        {
            "data": {
                "id": key,
                "label": str(data.get("label", key)),
                "type": str(data.get("type", "")),
                "href": href(key),
                "center": key == center,
            }
        }
        for key, data in graph.nodes(data=True)
    ]
    edges = [
        {
            "data": {
                "id": f"{s}|{pred}|{o}",
                "source": s,
                "target": o,
                "label": pred,
                "weight": int(data.get("weight", 1)),
            }
        }
        for s, o, pred, data in graph.edges(keys=True, data=True)
    ]
    return {"center": center, "nodes": nodes, "edges": edges}


def download(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """A neighbourhood as GEXF or GraphML bytes, for Gephi.

    Raises:
        QueryError: another format.
    """
    buf = io.BytesIO()
    if fmt == "gexf":
        write_gexf(graph, buf)
    elif fmt == "graphml":
        write_graphml(graph, buf)
    else:
        raise QueryError(f"no graph format {fmt!r}; gexf or graphml")
    return buf.getvalue()
