"""Stage 3, graph: article graphs become RDF in a store, and NetworkX views.

Input: :class:`kg.model.ArticleGraph`; output: one named graph per article in the
Oxigraph store (or a remote SPARQL server), SHACL validation, NetworkX projections.
"""
