"""The analyst's browser: entity pages with their evidence, a SPARQL editor, a graph view.

Stage: answer (web). Input: a store directory; output: HTML pages and their JSON twins,
served by ``kg serve`` beside the SPARQL endpoint (:class:`~kg.answer.web.routes.Site` is
its page hook). :mod:`.facts` and :mod:`.pages` ask the library's questions,
:mod:`.graphs` cuts neighbourhoods; templates/ and static/ (vendored YASGUI and
Cytoscape.js) ship in the package.
"""

from __future__ import annotations

from kg.answer.web.routes import Site

__all__ = ["Site"]
