"""A query worker: a child process that holds the store and evaluates one query at a time.

Stage: answer (serve). Input: jobs from :mod:`kg.answer.serve.pool` over a pipe (a query
with its answer formats and row limit, or an update); output: serialised answers. The
process is the unit of isolation: the pool kills it when its query overruns or lets it
die when Oxigraph crashes, and starts another. Reads the store directory only.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from kg.errors import KgError, QueryError
from kg.vocab import PREFIXES


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker is asked to do.

    Attributes:
        sparql: the query or update text.
        update: run it as SPARQL Update (the worker's store must be writable).
        formats: answer formats for a SELECT/ASK and a CONSTRUCT/DESCRIBE (None: not
            acceptable to the client), as named in ``kg.graph.store.local``.
        limit: rows or triples sent at most.
    """

    sparql: str
    update: bool = False
    formats: tuple[str | None, str | None] = ("json", "turtle")
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """A worker's answer.

    Attributes:
        status: ``ok``, ``bad`` (the client's query is wrong) or ``error`` (the store).
        kind: ``select``, ``ask``, ``construct`` or ``update``.
        body: the serialised answer (None when its format was not acceptable).
        truncated: the limit cut the answer.
        message: why it failed.
        cpu: the worker's CPU seconds once it had answered (the pool tells a long
            query by the CPU seconds its worker spends on it).
        spent: the CPU seconds the worker spent on this job (set by the pool).
    """

    status: str
    kind: str = ""
    body: bytes | None = None
    truncated: bool = False
    message: str = ""
    cpu: float = 0.0
    spent: float = 0.0


def run(conn: Connection, store: str | None, base: str, writable: bool) -> None:
    """Serve jobs from ``conn`` until the pool closes it (the worker's main function).

    The first message sent is the worker's CPU seconds once the store is open, or a
    :class:`Reply` with status ``error`` if it cannot be opened. A ``store`` of None is
    an empty store in memory: the fast lane's, for queries that read no data.
    """
    from kg.graph.store import LocalStore

    # Ctrl-C reaches the whole process group; the pool, not the terminal, stops workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        db = LocalStore(store, base=base, read_only=not writable)
    except KgError as err:
        conn.send(Reply("error", message=str(err)))
        return
    conn.send(time.process_time())
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            break
        try:
            if job.update:
                db.update(job.sparql)
                reply = Reply("ok", "update")
            else:
                kind, body, cut = db.answer(job.sparql, job.formats, job.limit, prefixes)
                reply = Reply("ok", kind, body, cut)
        except QueryError as err:
            reply = Reply("bad", message=str(err))
        except KgError as err:
            reply = Reply("error", message=str(err))
        conn.send(replace(reply, cpu=time.process_time()))
    db.close()
