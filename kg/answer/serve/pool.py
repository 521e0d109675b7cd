"""A pool of query worker processes, restarted when one crashes or overruns its deadline.

Stage: answer (serve). Input: :class:`~kg.answer.serve.worker.Job` from the HTTP side
(asyncio); output: :class:`~kg.answer.serve.worker.Reply`. A query past its deadline has
its worker killed (SIGKILL: its CPU stops at once) and replaced; a query that crashes
Oxigraph takes only its worker down; a query that has used ``long_query`` CPU seconds
(read from ``/proc``) is niced and a spare worker takes the short queries meanwhile.
Workers fork from a clean preloaded process (multiprocessing's forkserver), so they
inherit no sockets and start in milliseconds.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import multiprocessing
import os
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from kg.answer.serve.worker import Job, Reply, run
from kg.errors import KgError, StoreError
from kg.graph.store import QueryTimeoutError

log = logging.getLogger(__name__)

#: Seconds a new worker may take to open the store.
_START_TIMEOUT = 60.0


class WorkerCrashedError(KgError):
    """The query's worker died while evaluating it (and was replaced)."""


class PoolBusyError(QueryTimeoutError):
    """No worker became free before the query's deadline."""


#: CPU seconds after which a running query counts as long: its worker leaves the places
#: kept for short queries and a spare worker (kept warm) takes its place. CPU time, not
#: wall time: under load a 50 ms query can take a few hundred ms of wall time on a
#: shared core.
LONG_QUERY = 0.1
#: Wall seconds after which a query counts as long whatever its CPU time (one waiting on
#: the disk, or any query where the CPU time of a process cannot be read).
LONG_WALL = 1.0
#: A long query that has used this many times ``long_query`` CPU seconds (or five times
#: LONG_WALL) is a runaway: its worker is niced, so that short queries and new workers
#: get the CPU first, and retired once the query ends (an unprivileged process cannot
#: lower its nice value again).
RUNAWAY = 10
#: Seconds a worker beyond the pool's needs may stay idle before it is stopped.
_IDLE_RETIRE = 5.0
#: Seconds between two looks at the running queries' CPU time.
_WATCH_EVERY = 0.05
#: Seconds of recent completions from which the pool's throughput is measured.
_RATE_WINDOW = 3.0
#: Completions, and seconds of every worker being busy, before the pool's rate is trusted
#: (the first moments of a burst are slower: connections accepted, caches cold).
_RATE_MIN = (10, 0.5)
_CLOCK_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used (None: not readable here).

    Read from ``/proc/PID/stat`` (Linux); elsewhere None, and only wall time counts.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICK


@dataclass(slots=True, eq=False)
class _Worker:
    process: Any  # multiprocessing.Process of the forkserver context
    conn: Connection
    cpu: float = 0.0  # its CPU seconds when it last answered (or started)
    sent: float = 0.0  # when its current job was sent (monotonic)
    long: bool = False  # its current job is long: it holds none of the short places
    niced: bool = False  # its current job is a runaway; retired when it ends
    idle_since: float = 0.0


class WorkerPool:
    """Worker processes over one store, used from an asyncio event loop.

    Jobs get workers in the order they asked (first come, first served, whatever their
    connection). At most ``size`` workers run short jobs at once; a job whose worker has
    used ``long_query`` CPU seconds is long and frees its place, which an idle worker
    (one spare is kept warm) takes for the next short job, so short queries do not wait
    behind long ones. The pool measures the rate jobs end at, so that the server can
    tell how long a new job would wait.

    Args:
        store: the store directory (None: an empty store in memory, for queries that read
            no data).
        base: the base IRI of its graphs.
        size: short jobs run at once (1 when ``writable``: one process may hold a
            writable Oxigraph store).
        writable: open the store writable (updates allowed).
        burst: workers at most, long jobs' included; above ``size``, one spare is kept.
        long_query: CPU seconds after which a running job is long (see
            :data:`LONG_QUERY`).
    """

    def __init__(
        self,
        store: str | None,
        base: str,
        size: int,
        writable: bool,
        burst: int = 16,
        long_query: float = LONG_QUERY,
    ) -> None:
        self.store = store
        self.base = base
        self.writable = writable
        self.size = 1 if writable else max(1, size)
        self.burst = self.size if writable else max(self.size, burst)
        self.long_query = long_query
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["__main__", "kg.answer.serve.worker", "kg.graph.store"])
        self._all: set[_Worker] = set()
        self._idle: list[_Worker] = []  # the last released is used first (warm caches)
        self._busy: set[_Worker] = set()
        self._short_busy = 0  # busy workers whose job is not long
        self._starting = 0  # workers being started, or reaped before a restart
        self._waiters: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._watcher: asyncio.Task[None] | None = None
        self._closing = False
        # completions since every short place became busy (over _RATE_WINDOW at most)
        self._done: collections.deque[float] = collections.deque()
        self._busy_since = 0.0
        self.restarts = 0
        self.long_queries = 0  # jobs found long so far

    # ------------------------------------------------------------------ lifecycle

    def _spawn(self) -> _Worker:
        """Start one worker and wait until its store is open (blocking; run in a thread).

        Raises:
            StoreError: the worker cannot open the store.
        """
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=run, args=(child, self.store, self.base, self.writable), daemon=True
        )
        proc.start()
        child.close()
        where = self.store or "(memory)"
        if not parent.poll(_START_TIMEOUT):
            proc.kill()
            raise StoreError(f"{where}: a query worker did not start")
        try:
            hello = parent.recv()
        except EOFError as err:
            raise StoreError(f"{where}: a query worker died while starting") from err
        if isinstance(hello, Reply):
            proc.join()
            raise StoreError(hello.message)
        return _Worker(proc, parent, cpu=hello)

    async def start(self) -> None:
        """Start the workers (the first one alone, so a bad store fails fast).

        Raises:
            StoreError: the store cannot be opened.
        """
        loop = asyncio.get_running_loop()
        first = await loop.run_in_executor(None, self._spawn)
        self._add(first)
        rest = [loop.run_in_executor(None, self._spawn) for _ in range(self.size - 1)]
        for worker in await asyncio.gather(*rest):
            self._add(worker)
        self._top_up()  # the spare, in the background

    def _target(self) -> int:
        """Workers the pool wants: the short places, and one spare or one per long job."""
        spare = 1 if self.burst > self.size else 0
        return min(self.burst, self.size + max(spare, len(self._busy) - self._short_busy))

    def _top_up(self) -> None:
        """Start workers in the background until the pool has (or is starting) its target."""
        if self._closing:
            return
        for _ in range(self._target() - len(self._all) - self._starting):
            self._starting += 1
            asyncio.get_running_loop().create_task(self._start_one(None))

    def _add(self, worker: _Worker) -> None:
        self._all.add(worker)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        """Keep a free worker idle, hand idle workers to waiting jobs, stop extra ones."""
        worker.idle_since = time.monotonic()
        self._idle.append(worker)
        self._dispatch()
        if len(self._all) > self._target() and self._idle:
            oldest = self._idle[0]
            if oldest.idle_since < worker.idle_since - _IDLE_RETIRE:
                self._idle.remove(oldest)
                self._all.discard(oldest)
                oldest.process.kill()
                oldest.conn.close()

    def _dispatch(self) -> None:
        """Hand idle workers to the jobs that have waited longest, while places are free."""
        while self._waiters and self._idle and self._short_busy < self.size:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._short_busy += 1
                waiter.set_result(self._idle.pop())

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker (not busy any more); reap it, then start another if needed."""
        self._all.discard(worker)
        worker.process.kill()
        worker.conn.close()
        self.restarts += 1
        if not self._closing:
            self._starting += 1  # holds its place until it is reaped
            asyncio.get_running_loop().create_task(self._start_one(worker))

    async def _start_one(self, dead: _Worker | None) -> None:
        """Start a worker (after ``dead`` is reaped, and only if still needed then)."""
        loop = asyncio.get_running_loop()
        try:
            if dead is not None:
                # a writable store's lock is free only once its process is gone
                await loop.run_in_executor(None, dead.process.join)
                if len(self._all) + self._starting > self._target():
                    return
            while not self._closing:
                try:
                    worker = await loop.run_in_executor(None, self._spawn)
                except StoreError as err:
                    log.error("cannot restart a query worker: %s", err)
                    await asyncio.sleep(1.0)
                    continue
                if self._closing:
                    worker.process.kill()
                    return
                self._add(worker)
                return
        finally:
            self._starting -= 1

    async def close(self) -> None:
        """Stop every worker (running queries are abandoned)."""
        self._closing = True
        log.info(
            "%s: %d long queries, %d workers restarted",
            self.store or "(memory)",
            self.long_queries,
            self.restarts,
        )
        if self._watcher is not None:
            self._watcher.cancel()
        for worker in list(self._all):
            worker.process.kill()
            worker.conn.close()
        loop = asyncio.get_running_loop()
        for worker in list(self._all):
            await loop.run_in_executor(None, worker.process.join, 2.0)
        self._all.clear()

    # ------------------------------------------------------------------ work

    def expected_wait(self) -> float:
        """Seconds a job asking now would wait for a worker (0: not known yet).

        The jobs already waiting are served first, at the rate jobs have ended since
        every short place became busy (over the last few seconds at most): by Little's
        law that is the throughput the queue gets, other programs' use of the CPU and
        the hand-over between jobs included. Until the pool has been busy long enough
        to measure it, the wait is taken as 0 (a job admitted then still waits no
        longer than its ``wait_until``).
        """
        ahead = len(self._waiters)  # a cancelled waiter leaves it at once
        if not ahead and self._idle and self._short_busy < self.size:
            return 0.0
        now = time.monotonic()
        since = max(self._busy_since, now - _RATE_WINDOW)
        while self._done and self._done[0] < since:
            self._done.popleft()
        count, least = _RATE_MIN
        if len(self._done) < count or now - since < least:
            return 0.0
        return (ahead + 1) * (now - since) / len(self._done)

    async def _acquire(self, deadline: float) -> _Worker:
        """The next free worker, in the order jobs asked for one (it counts as short).

        Raises:
            PoolBusyError: none was free before ``deadline``.
        """
        if not self._waiters and self._idle and self._short_busy < self.size:
            self._short_busy += 1
            return self._idle.pop()
        if not self._waiters:  # every place busy: the rate measured from now on is the pool's
            self._done.clear()
            self._busy_since = time.monotonic()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout_at(deadline):
                return await waiter
        except BaseException as err:
            if waiter.done() and not waiter.cancelled():  # handed a worker as time ran out
                self._short_busy -= 1
                self._release(waiter.result())
            else:
                waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if isinstance(err, TimeoutError):
                raise PoolBusyError("every query worker stayed busy until the deadline") from err
            raise

    async def run(self, job: Job, deadline: float, wait_until: float | None = None) -> Reply:
        """Run a job on the next free worker before ``deadline`` (a monotonic time).

        Args:
            job: what to run.
            deadline: when its answer is due; past it, the job is stopped.
            wait_until: when the job gives up waiting for a worker (default: ``deadline``).

        Raises:
            PoolBusyError: no worker was free before ``wait_until`` (or the deadline).
            QueryTimeoutError: the job overran; its worker was killed and replaced.
            WorkerCrashedError: the worker died evaluating it; it was replaced.
        """
        worker = await self._acquire(deadline if wait_until is None else min(deadline, wait_until))
        self._busy.add(worker)
        try:
            if not worker.process.is_alive():
                raise EOFError
            worker.conn.send(job)
            worker.sent = time.monotonic()
            if not self.writable:  # watched: a long job gives its place to a spare
                self._watch()
            await self._readable(worker.conn, deadline)
            reply: Reply = worker.conn.recv()
        except TimeoutError as err:
            self._finish(worker, keep=False)
            raise QueryTimeoutError("timed out; its evaluation was stopped") from err
        except (EOFError, OSError) as err:
            code = worker.process.exitcode
            self._finish(worker, keep=False)
            raise WorkerCrashedError(f"the query crashed its worker (exit {code})") from err
        except BaseException:  # cancelled: the worker's state is unknown, replace it
            self._finish(worker, keep=False)
            raise
        spent = reply.cpu - worker.cpu
        worker.cpu = reply.cpu
        self._done.append(time.monotonic())
        self._finish(worker, keep=not worker.niced)
        return replace(reply, spent=spent)

    def _finish(self, worker: _Worker, keep: bool) -> None:
        """A job has ended: free its place; keep its worker, or kill it (and replace it)."""
        self._busy.discard(worker)
        if worker.long:
            worker.long = worker.niced = False
        else:
            self._short_busy -= 1
        if keep:
            self._release(worker)
        else:
            self._discard(worker)
        self._top_up()

    def _watch(self) -> None:
        """Make sure the watcher of running jobs runs (one task for all workers)."""
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.get_running_loop().create_task(self._watch_running())

    async def _watch_running(self) -> None:
        """Every few ms while jobs run, find those that have become long or runaways."""
        while self._busy and not self._closing:
            await asyncio.sleep(_WATCH_EVERY)
            now = time.monotonic()
            for worker in list(self._busy):
                if worker.niced or worker not in self._all:
                    continue
                spent = cpu_seconds(worker.process.pid)
                used = 0.0 if spent is None else spent - worker.cpu
                wall = now - worker.sent
                if not worker.long and (used >= self.long_query or wall >= LONG_WALL):
                    self._mark_long(worker)
                if used >= RUNAWAY * self.long_query or wall >= 5 * LONG_WALL:
                    self._nice(worker)

    def _mark_long(self, worker: _Worker) -> None:
        """Mark a worker's job long: its place goes to an idle worker, a spare is started."""
        worker.long = True
        self._short_busy -= 1
        self.long_queries += 1
        self._dispatch()
        self._top_up()

    def _nice(self, worker: _Worker) -> None:
        """Lower a runaway job's priority (its worker is retired when the job ends)."""
        worker.niced = True
        with contextlib.suppress(ProcessLookupError):
            os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)

    @staticmethod
    async def _readable(conn: Connection, deadline: float) -> None:
        """Wait until ``conn`` has data (or its peer closed it), or raise TimeoutError."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        def late() -> None:
            if not ready.done():
                ready.set_exception(TimeoutError())

        loop.add_reader(fd, wake)
        timer = loop.call_at(deadline, late)  # the loop's clock is time.monotonic
        try:
            await ready
        finally:
            timer.cancel()
            loop.remove_reader(fd)
            # uvloop leaves the pipe non-blocking: recv would stop inside a large answer
            if not conn.closed:  # closed (and its number maybe reused) when the pool stops
                os.set_blocking(fd, True)
