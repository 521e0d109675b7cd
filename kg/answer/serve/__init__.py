"""SPARQL endpoint: a store directory served over the SPARQL 1.1 Protocol, hardened.

Stage: answer. Input: a store directory; output: HTTP answers. Queries at ``/query`` (and
``/sparql``), updates at ``/update`` when started writable. Queries run in worker
processes (:mod:`.pool`) that are killed at the timeout or replaced when they crash;
a text a worker has answered cheaply is answered again in the server's threads
(:mod:`.inline`); :mod:`.guard` refuses what would crash the parser or reach the network;
:mod:`.http` is an asyncio HTTP/1.1 server; :mod:`.app` speaks the protocol;
:mod:`.server` runs it all in one or more HTTP processes.
"""

from __future__ import annotations

from kg.answer.serve.app import GRAPH_TYPES, RESULT_TYPES, ServeOptions, negotiate
from kg.answer.serve.guard import Limits, QueryRefusedError, check_query
from kg.answer.serve.http import HttpLimits
from kg.answer.serve.server import serve

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "HttpLimits",
    "Limits",
    "QueryRefusedError",
    "ServeOptions",
    "check_query",
    "negotiate",
    "serve",
]
