"""Known queries answered in the server's own threads, without a worker's round trip.

Stage: answer (serve). Input: :class:`~kg.answer.serve.worker.Job` whose text a worker
has already answered cheaply; output: :class:`~kg.answer.serve.worker.Reply`, the same
bytes a worker sends. A read-only server's store does not change while it serves, so a
query text is evaluated the same way every time: once it has completed in a worker
within ``budget`` CPU seconds, that worker has shown it neither crashes Oxigraph nor runs
away, and the server evaluates it again in one of its own threads (Oxigraph evaluates
without Python's lock). That saves the pipe, the pickling and two process switches per
query, which cost about as much as a 1 ms query itself.

What could break that promise is kept out: a text whose cost may vary (``RAND()``,
``NOW()``, ``UUID()``, ``SERVICE``; :func:`kg.answer.serve.guard.varies`) is never
learned; the threads have a main thread's stack, so what parsed in a worker parses here;
and a known query still running at its request's deadline gets 503 like a worker's, its
text is forgotten and another thread takes its place while it finishes. Texts are
remembered by their keyed hash and length (with the answer formats and row limit
asked), the most recent ``kept`` of them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

from kg.answer.serve.guard import varies
from kg.answer.serve.pool import PoolBusyError
from kg.answer.serve.worker import Job, Reply
from kg.errors import KgError, QueryError
from kg.graph.store import QueryTimeoutError
from kg.vocab import PREFIXES

log = logging.getLogger(__name__)

#: Query texts remembered at most.
KEPT = 4096
#: Threads that may run beside the pool's own while overrunning queries finish.
EXTRA_THREADS = 4
#: Seconds between two looks for jobs past their deadline.
_SWEEP_EVERY = 0.1
#: Stack of each thread: a main thread's (Oxigraph's parser recurses per nesting level).
STACK_BYTES = 16 * 1024 * 1024
#: The key a job is remembered by: its text's hash and length, its formats, its row limit.
Key = tuple[int, int, tuple[str | None, str | None], int | None]


def job_key(job: Job) -> Key:
    """The key a job's text, formats and row limit are remembered by (the text is not kept).

    Python's string hash is keyed by a secret drawn when the process starts (SipHash;
    unless ``PYTHONHASHSEED`` fixes it), so a client cannot make an unknown text share a
    key with a known one; and even then the text would run here only until its deadline.
    The guard has already hashed the text, which the string keeps: the key is free.
    """
    return hash(job.sparql), len(job.sparql), job.formats, job.limit


class KnownQueryOverranError(QueryTimeoutError):
    """A known query was still running in its thread at its deadline (it cannot be stopped)."""


@dataclass(slots=True, eq=False)
class _Item:
    """A job waiting for (or running in) a thread."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[tuple[Reply, float]]
    job: Job
    deadline: float  # when the job gives up waiting for a thread (monotonic)
    started: bool = False
    abandoned: bool = False  # its request stopped waiting before a thread took it
    finished: bool = False
    replaced: bool = False  # it overran and a spare thread was started for it


class KnownQueries:
    """Answers, in threads of the server's process, queries a worker answered cheaply.

    Jobs wait for a thread first come, first served. At its request's deadline a job
    still waiting is answered :class:`PoolBusyError` (the thread that takes it drops it),
    and one still running :class:`KnownQueryOverranError`; one still waiting at its own
    ``wait_until`` is answered :class:`PoolBusyError` by the thread that takes it.

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
        self._known: collections.OrderedDict[Key, None] = collections.OrderedDict()
        self._kept = kept
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}
        self._jobs: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._alive = 0  # threads taking jobs
        self._wanted = self.threads  # threads that should take jobs: more while some overrun
        self._all: list[threading.Thread] = []
        self._seconds = 0.0  # a moving average of a job's seconds in a thread
        self.answered = 0
        self.overruns = 0
        # jobs submitted and not ended (waiting for a thread included): deadline, key
        self._due: dict[_Item, tuple[float, Key]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        for _ in range(self.threads):
            self._start_thread()

    def knows(self, key: Key) -> bool:
        """Whether a worker has answered this job cheaply (it is then answered here)."""
        if key not in self._known:
            return False
        self._known.move_to_end(key)
        return True

    def learn(self, key: Key, job: Job, reply: Reply) -> None:
        """Remember a job a worker has answered, if it did within the budget.

        A text whose cost may vary from one evaluation to the next is not remembered.
        """
        if reply.status != "ok" or reply.spent > self.budget or varies(job.sparql):
            return
        self._known[key] = None
        self._known.move_to_end(key)
        if len(self._known) > self._kept:
            self._known.popitem(last=False)

    def forget(self, key: Key) -> None:
        """Send a text to the workers again (it overran here)."""
        self._known.pop(key, None)

    def expected_wait(self) -> float:
        """Seconds a job submitted now would wait for a thread (the queue ahead of it)."""
        ahead = len(self._due) - self.threads + 1  # jobs submitted and not ended
        return max(0, ahead) * self._seconds / self.threads

    def _start_thread(self) -> None:
        previous = threading.stack_size()
        threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=self._serve, name="kg-known-query", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
        with self._lock:
            self._alive += 1
            self._all = [t for t in self._all if t.is_alive()] + [thread]

    def _answer(self, job: Job) -> Reply:
        try:
            kind, body, cut = self._db.answer(job.sparql, job.formats, job.limit, self._prefixes)
            return Reply("ok", kind, body, cut)
        except QueryError as err:
            return Reply("bad", message=str(err))
        except KgError as err:
            return Reply("error", message=str(err))
        except Exception as err:  # the thread must answer and live on
            log.exception("a known query failed in its thread")
            return Reply("error", message=f"query: {type(err).__name__}: {err}")

    def _serve(self) -> None:
        """A thread: answer jobs until ``None``, or until it is one too many after an overrun."""
        while (item := self._jobs.get()) is not None:
            start = time.monotonic()
            with self._lock:
                item.started = not item.abandoned and start <= item.deadline
            if item.started:
                result: Any = self._answer(item.job)
            else:
                result = PoolBusyError("every query thread stayed busy until the deadline")
            seconds = time.monotonic() - start
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                item.loop.call_soon_threadsafe(_settle, item.future, result, seconds)
            with self._lock:
                item.finished = True
                if item.replaced:
                    self._wanted -= 1
                if self._alive > self._wanted:  # a spare took its place while it overran
                    self._alive -= 1
                    return
        with self._lock:
            self._alive -= 1

    async def run(self, job: Job, key: Key, deadline: float, wait_until: float) -> Reply:
        """Answer a known job in a thread.

        Args:
            job: the query.
            key: its :func:`job_key`.
            deadline: when its answer is due (the request's timeout).
            wait_until: when it gives up waiting for a thread (at most ``deadline``).

        Raises:
            PoolBusyError: it was still waiting for a thread at ``wait_until`` (or at
                ``deadline``).
            KnownQueryOverranError: it was still running at ``deadline``: its text is
                forgotten, and another thread takes jobs while it finishes.
        """
        loop = asyncio.get_running_loop()
        item = _Item(loop, loop.create_future(), job, min(wait_until, deadline))
        if self._sweeper is None:
            self._sweeper = loop.create_task(self._sweep())
        self._due[item] = (deadline, key)  # swept, not timed: a timer per query costs more
        self._jobs.put(item)
        try:
            reply, seconds = await item.future
        finally:
            self._due.pop(item, None)
        self._seconds = seconds if not self.answered else 0.9 * self._seconds + 0.1 * seconds
        self.answered += 1
        return reply

    async def _sweep(self) -> None:
        """Every tenth of a second, end the waits of the jobs past their deadline."""
        while True:
            await asyncio.sleep(_SWEEP_EVERY)
            now = time.monotonic()
            for item, (deadline, key) in list(self._due.items()):
                if deadline < now and not item.future.done():
                    del self._due[item]
                    item.future.set_exception(self._late(item, key))

    def _late(self, item: _Item, key: Key) -> Exception:
        """Why a job's wait ends at its deadline: it never got a thread, or it overran."""
        with self._lock:
            item.abandoned = not item.started  # then the thread that takes it drops it
        if item.abandoned:
            return PoolBusyError("every query thread stayed busy until the deadline")
        self._overran(key, item)
        return KnownQueryOverranError("a known query overran")

    def _overran(self, key: Key, item: _Item) -> None:
        """A running job passed its request's deadline: forget its text; replace its thread."""
        self.forget(key)
        self.overruns += 1
        log.warning("a known query overran its deadline; it goes to the workers from now on")
        with self._lock:
            # a spare takes jobs until the overrunning one ends (then one of them stops)
            item.replaced = not item.finished and self._wanted < self.threads + EXTRA_THREADS
            if item.replaced:
                self._wanted += 1
        if item.replaced:
            self._start_thread()

    def close(self, wait: float = 2.0) -> None:
        """Stop the threads; a query still running after ``wait`` seconds is left to end.

        The store is closed only once every thread has stopped.
        """
        if self._sweeper is not None:
            self._sweeper.cancel()
        with self._lock:
            count = len(self._all)
        for _ in range(count):
            self._jobs.put(None)
        end = time.monotonic() + wait
        for thread in self._all:
            thread.join(max(0.0, end - time.monotonic()))
        if not any(t.is_alive() for t in self._all):
            self._db.close()


def _settle(future: asyncio.Future[tuple[Reply, float]], result: Any, seconds: float) -> None:
    """Hand a thread's answer (or PoolBusyError) to the waiting request, if it still waits."""
    if future.done():
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result((result, seconds))
