"""kg: knowledge graphs of party and state meetings from English-language news.

Stages, in data-flow order: ingest -> nlp -> mentions -> resolve -> relations ->
pipeline -> rdf | nxview -> store -> queries | export -> cli. Nothing heavy is
imported here; the spaCy model loads only in :func:`kg.extract.nlp.build_nlp`.
"""

from __future__ import annotations

from kg.model import Article, ArticleGraph, Entity, Evidence, Relation

__version__ = "0.1.0"

__all__ = ["Article", "ArticleGraph", "Entity", "Evidence", "Relation", "__version__"]
