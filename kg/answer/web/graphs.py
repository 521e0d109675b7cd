"""An entity's neighbourhood as a graph: for the graph view and its GEXF/GraphML downloads.

Stage: answer (web). Input: an open store and an entity key; output: the entity's
neighbourhood read from the fact graph (``queries/neighbours.rq``, one question per step
out: never the whole store) as Cytoscape.js elements, or GEXF/GraphML bytes written by
:mod:`kg.answer.export`.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from rdflib import URIRef

from kg.answer.export import write_gexf, write_graphml
from kg.answer.web.facts import web_queries, with_values
from kg.errors import QueryError
from kg.graph.store import KgStore
from kg.ids import entity_iri

#: Nodes shown at most: the entity and its neighbours with the heaviest links first.
MAX_NODES = 150


class Neighbourhoods:
    """Entity neighbourhoods read from the fact graph, one question per step out.

    Args:
        store: the open store (read-only).
    """

    def __init__(self, store: KgStore) -> None:
        self.store = store
        self.prefix = entity_iri("", store.base)

    def _step(self, nodes: list[str]) -> list[tuple[str, str, str, str, str, str]]:
        """The facts of the fact graph linking the nodes (keys) to other entities.

        Returns:
            (node, subject, predicate, object, other's label, other's class) as keys,
            the predicate and the class as local names.
        """
        if not nodes:
            return []
        iris = [[entity_iri(n, self.store.base)] for n in nodes]
        found = self.store.query(with_values(web_queries()["neighbours"].text, ["node"], iris))
        out = []
        for node, s, p, o, _other, label, cls in found.rows:
            out.append(
                (
                    self._key(node),
                    self._key(s),
                    str(p).rsplit("#", 1)[-1],
                    self._key(o),
                    str(label),
                    str(cls).rsplit("#", 1)[-1],
                )
            )
        return out

    def _key(self, term: object) -> str:
        text = str(term)
        return text[len(self.prefix) :] if text.startswith(self.prefix) else text

    def around(self, key: str, radius: int = 1) -> nx.MultiDiGraph:
        """The entity and the nodes within ``radius`` (1 or 2) links of it (at most MAX_NODES).

        Neighbours linked by more facts come first; at two steps, the nodes the kept
        neighbours link to, most linked first. Edges are the facts among the kept nodes
        that the steps read (weight 1 each: a fact, however many articles state it).

        Raises:
            QueryError: no node has that key.
        """
        props = self.store.query(_NODE, {"x": URIRef(entity_iri(key, self.store.base))})
        if not props.rows:
            raise QueryError(f"{key}: no such entity in the graph")
        label, cls = props.rows[0]
        nodes: dict[str, dict[str, Any]] = {
            key: {"label": str(label), "type": str(cls).rsplit("#", 1)[-1], "distance": 0}
        }
        edges: dict[tuple[str, str, str], None] = {}
        frontier = [key]
        for distance in range(1, max(1, min(radius, 2)) + 1):
            links: dict[str, int] = {}
            for _node, s, p, o, other_label, other_cls in self._step(frontier):
                other = o if s in frontier and o not in frontier else s
                edges[(s, o, p)] = None
                seen = nodes.setdefault(
                    other, {"label": other_label, "type": other_cls, "distance": distance}
                )
                if seen["distance"] == distance:  # a new node: count its links to the frontier
                    links[other] = links.get(other, 0) + 1
            room = MAX_NODES - sum(1 for n in nodes.values() if n["distance"] < distance)
            ranked = sorted(links, key=lambda n: (-links[n], n))
            for dropped in ranked[max(0, room) :]:
                del nodes[dropped]
            frontier = ranked[: max(0, room)]
        graph = nx.MultiDiGraph()
        for node, data in sorted(nodes.items()):
            graph.add_node(node, label=data["label"], type=data["type"])
        for s, o, p in sorted(edges):
            if s in nodes and o in nodes:
                graph.add_edge(s, o, key=p, predicate=p, label=p, weight=1)
        return graph


_PREFIXES = """PREFIX kg:   <https://kg.example.org/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: The name and class of one entity, from the fact graph.
_NODE = (
    _PREFIXES
    + """SELECT (MIN(?name) AS ?label) (MIN(?c) AS ?class) WHERE {
  GRAPH <https://kg.example.org/facts> { ?x rdfs:label ?name ; a ?c }
  FILTER(STRSTARTS(STR(?c), STR(kg:)))
}
HAVING (COUNT(*) > 0)"""
)


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
