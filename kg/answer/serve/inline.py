"""Known queries answered in the server's own threads, without a worker's round trip.

Stage: answer (serve). Input: :class:`~kg.answer.serve.worker.Job` whose text a worker
has already answered cheaply; output: :class:`~kg.answer.serve.worker.Reply`, the same
bytes a worker sends. A read-only server's store does not change while it serves, so a
query text is evaluated the same way every time: once it has completed in a worker
within ``budget`` CPU seconds, that worker has shown it neither crashes Oxigraph nor runs
away, and the server evaluates it again in one of its own threads (Oxigraph evaluates
without Python's lock). That saves the pipe, the pickling and two process switches per
query, which cost about as much as a 1 ms query itself. Texts are remembered by a keyed hash
(with the answer formats and row limit asked), the most recent ``kept`` of them.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import queue
import threading
import time
from typing import Any

from kg.answer.serve.pool import PoolBusyError
from kg.answer.serve.worker import Job, Reply
from kg.errors import KgError, QueryError
from kg.vocab import PREFIXES

log = logging.getLogger(__name__)

#: Query texts remembered at most.
KEPT = 4096


def job_key(job: Job) -> int:
    """The key a job's text, formats and row limit are remembered by.

    Python's string hash is keyed by a secret drawn when the process starts (SipHash),
    so a client cannot make an unknown text collide with a known one; and the text is
    not kept.
    """
    return hash((job.sparql, job.formats, job.limit))


class KnownQueries:
    """Answers, in threads of the server's process, queries a worker answered cheaply.

    Jobs wait for a thread first come, first served; one still waiting at its deadline
    is answered :class:`PoolBusyError` when its turn comes (the queries ahead of it are
    known to be short).

    Args:
        store: the store directory, opened read-only here too.
        base: the base IRI of its graphs.
        threads: queries evaluated at once (one per core keeps them all busy).
        budget: CPU seconds a worker may have spent on a text for it to be answered here.
        kept: texts remembered at most.

    Raises:
        StoreError: the store cannot be opened.
    """

    def __init__(
        self, store: str, base: str, threads: int, budget: float, kept: int = KEPT
    ) -> None:
        from kg.graph.store import LocalStore

        self.budget = budget
        self.threads = max(1, threads)
        self._db = LocalStore(store, base=base, read_only=True)
        self._known: collections.OrderedDict[int, None] = collections.OrderedDict()
        self._kept = kept
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._running = 0  # jobs submitted and not ended (waiting for a thread included)
        self._seconds = 0.0  # a moving average of a job's seconds in a thread
        self.answered = 0
        self._threads = [
            threading.Thread(target=self._serve, name="kg-known-query", daemon=True)
            for _ in range(self.threads)
        ]
        for thread in self._threads:
            thread.start()

    def knows(self, key: int) -> bool:
        """Whether a worker has answered this job cheaply (it is then answered here)."""
        if key not in self._known:
            return False
        self._known.move_to_end(key)
        return True

    def learn(self, key: int, reply: Reply) -> None:
        """Remember a job a worker has answered, if it did within the budget."""
        if reply.status != "ok" or reply.spent > self.budget:
            return
        self._known[key] = None
        self._known.move_to_end(key)
        if len(self._known) > self._kept:
            self._known.popitem(last=False)

    def expected_wait(self) -> float:
        """Seconds a job submitted now would wait for a thread (the queue ahead of it)."""
        ahead = self._running - self.threads + 1
        return max(0, ahead) * self._seconds / self.threads

    def _answer(self, job: Job) -> Reply:
        try:
            kind, body, cut = self._db.answer(job.sparql, job.formats, job.limit, self._prefixes)
            return Reply("ok", kind, body, cut)
        except QueryError as err:
            return Reply("bad", message=str(err))
        except KgError as err:
            return Reply("error", message=str(err))
        except Exception as err:  # noqa: BLE001 - the thread must answer and live on
            log.exception("a known query failed in its thread")
            return Reply("error", message=f"query: {type(err).__name__}: {err}")

    def _serve(self) -> None:
        """A thread: answer jobs until the ``None`` that closes it."""
        while (item := self._jobs.get()) is not None:
            loop, future, job, deadline = item
            start = time.monotonic()
            if start > deadline:
                result: Any = PoolBusyError("every query thread stayed busy until the deadline")
            else:
                result = self._answer(job)
            loop.call_soon_threadsafe(_settle, future, result, time.monotonic() - start)

    async def run(self, job: Job, deadline: float) -> Reply:
        """Answer a known job in a thread.

        Raises:
            PoolBusyError: it was still waiting for a thread at ``deadline`` (a job
                that has started runs to its end: it is short).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[Reply, float]] = loop.create_future()
        self._running += 1
        self._jobs.put((loop, future, job, deadline))
        try:
            reply, seconds = await future
        finally:
            self._running -= 1
        self._seconds = seconds if not self.answered else 0.9 * self._seconds + 0.1 * seconds
        self.answered += 1
        return reply

    def close(self) -> None:
        """Stop the threads (a running query ends first) and close the store."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()
        self._db.close()


def _settle(future: asyncio.Future[tuple[Reply, float]], result: Any, seconds: float) -> None:
    """Hand a thread's answer (or PoolBusyError) to the waiting request, if it still waits."""
    if future.done():
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result((result, seconds))
