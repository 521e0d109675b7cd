"""Stage 4, answer: questions over the stored graph.

SPARQL questions from ``queries/`` (:mod:`.queries`), network analysis (:mod:`.analysis`),
exports for RDF tools and Gephi (:mod:`.export`) and the SPARQL endpoint (:mod:`.serve`).
"""
