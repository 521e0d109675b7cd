"""A pool of query worker processes, restarted when one crashes or overruns its deadline.

Stage: answer (serve). Input: :class:`~kg.answer.serve.worker.Job` from the HTTP side
(asyncio); output: :class:`~kg.answer.serve.worker.Reply`. A query past its deadline has
its worker killed (SIGKILL: its CPU stops at once) and replaced; a query that crashes
Oxigraph takes only its worker down. Workers fork from a clean preloaded process
(multiprocessing's forkserver), so they inherit no sockets and start in milliseconds.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import multiprocessing
import os
import time
from dataclasses import dataclass
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


#: Seconds after which a query counts as long: its worker is niced, so short queries and
#: new workers get the CPU first, a spare worker takes its place in the pool, and it is
#: retired once the query ends. Under load a 50 ms query can take a few hundred ms of wall
#: time on a shared core, and retiring its worker would waste a restart.
LONG_QUERY = 0.5
#: Weight of the latest job in the running mean of service times.
_SERVICE_WEIGHT = 0.05
#: Seconds of recent completions from which the pool's throughput is measured.
_RATE_WINDOW = 3.0


@dataclass(slots=True, eq=False)
class _Worker:
    process: Any  # multiprocessing.Process of the forkserver context
    conn: Connection
    niced: bool = False


class WorkerPool:
    """Worker processes over one store, used from an asyncio event loop.

    Jobs get workers in the order they asked (first come, first served, whatever their
    connection), and the pool keeps a running mean of service times so that the server can
    tell how long a new job would wait.

    Args:
        store: the store directory (None: an empty store in memory, for queries that read
            no data).
        base: the base IRI of its graphs.
        size: worker processes kept for short queries (1 when ``writable``: one process
            may hold a writable Oxigraph store).
        writable: open the store writable (updates allowed).
        burst: workers at most; a worker whose query runs long is niced and a spare
            started in its place, so short queries need not wait for long ones.
    """

    def __init__(
        self, store: str | None, base: str, size: int, writable: bool, burst: int = 16
    ) -> None:
        self.store = store
        self.base = base
        self.writable = writable
        self.size = 1 if writable else max(1, size)
        self.burst = self.size if writable else max(self.size, burst)
        self._starting = 0  # workers being started (or reaped before a restart)
        self._long = 0  # workers running a long (niced) query
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["__main__", "kg.answer.serve.worker", "kg.graph.store"])
        self._idle: list[_Worker] = []
        self._waiters: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._all: set[_Worker] = set()
        self._closing = False
        self._service = 0.0  # running mean of seconds a short job holds a worker
        self._done: collections.deque[float] = collections.deque()  # recent completions
        self.restarts = 0

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
        return _Worker(proc, parent)

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

    def _add(self, worker: _Worker) -> None:
        self._all.add(worker)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        """Hand a free worker to the job that has waited longest, or keep it idle."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker; reap it and start a replacement if the pool is short of one."""
        self._all.discard(worker)
        if worker.niced:
            self._long -= 1
        worker.process.kill()
        worker.conn.close()
        self.restarts += 1
        if not self._closing:
            self._starting += 1  # holds its place until it is reaped
            asyncio.get_running_loop().create_task(self._replace(worker))

    def _short_of_workers(self, placeholders: int = 0) -> bool:
        """Fewer than ``size`` workers free for short queries (started or starting)."""
        starting = self._starting - placeholders
        ready = len(self._all) - self._long + starting
        return ready < self.size and len(self._all) + starting < self.burst

    async def _replace(self, dead: _Worker | None) -> None:
        """Start a worker (after ``dead`` is reaped, and only if still needed then)."""
        loop = asyncio.get_running_loop()
        try:
            if dead is not None:
                # a writable store's lock is free only once its process is gone
                await loop.run_in_executor(None, dead.process.join)
                if not self._short_of_workers(placeholders=1):
                    return  # a niced worker's spare already took its place
            await self._start_one(loop)
        finally:
            self._starting -= 1

    async def _start_one(self, loop: asyncio.AbstractEventLoop) -> None:
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

    async def close(self) -> None:
        """Stop every worker (running queries are abandoned)."""
        self._closing = True
        for worker in list(self._all):
            worker.process.kill()
            worker.conn.close()
        loop = asyncio.get_running_loop()
        for worker in list(self._all):
            await loop.run_in_executor(None, worker.process.join, 2.0)
        self._all.clear()

    # ------------------------------------------------------------------ work

    def expected_wait(self) -> float:
        """Seconds a job asking now would wait for a worker (from the mean service time).

        The jobs already waiting are served first, by the workers free for short
        queries, each taking the running mean of service times; or at the rate jobs
        ended over the last seconds, which also counts the CPU other programs took and
        the hand-over between jobs. The larger of the two is kept.
        """
        ahead = sum(1 for waiter in self._waiters if not waiter.done())
        if self._idle and not ahead:
            return 0.0
        workers = max(1, len(self._all) - self._long)
        wait = (ahead + 1) * self._service / workers
        now = time.monotonic()
        while self._done and self._done[0] < now - _RATE_WINDOW:
            self._done.popleft()
        if len(self._done) >= 10:  # enough completions to measure a rate
            span = max(0.25, now - self._done[0])
            wait = max(wait, (ahead + 1) * span / len(self._done))
        return wait

    async def _acquire(self, deadline: float) -> _Worker:
        """The next free worker, in the order jobs asked for one.

        Raises:
            PoolBusyError: none was free before ``deadline``.
        """
        if self._idle and not self._waiters:
            return self._idle.pop()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, deadline - time.monotonic())
        except BaseException as err:
            if waiter.done() and not waiter.cancelled():  # handed a worker as time ran out
                self._release(waiter.result())
            else:
                waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if isinstance(err, TimeoutError):
                raise PoolBusyError("every query worker stayed busy until the deadline") from err
            raise

    async def run(self, job: Job, deadline: float) -> Reply:
        """Run a job on the next free worker before ``deadline`` (a monotonic time).

        Raises:
            PoolBusyError: no worker was free before the deadline.
            QueryTimeoutError: the job overran; its worker was killed and replaced.
            WorkerCrashedError: the worker died evaluating it; it was replaced.
        """
        worker = await self._acquire(deadline)
        if not worker.process.is_alive():
            self._discard(worker)
            raise WorkerCrashedError("a query worker had died; it is being restarted")
        try:
            worker.conn.send(job)
            sent = time.monotonic()
            long_at = sent + LONG_QUERY
            if long_at < deadline and not self.writable:
                try:
                    await self._readable(worker.conn, long_at)
                except TimeoutError:
                    self._nice(worker)
                    await self._readable(worker.conn, deadline)
            else:
                await self._readable(worker.conn, deadline)
            reply: Reply = worker.conn.recv()
        except TimeoutError as err:
            self._discard(worker)
            raise QueryTimeoutError("timed out; its evaluation was stopped") from err
        except (EOFError, OSError) as err:
            code = worker.process.exitcode
            self._discard(worker)
            raise WorkerCrashedError(f"the query crashed its worker (exit {code})") from err
        except BaseException:  # cancelled: the worker's state is unknown, replace it
            self._discard(worker)
            raise
        if worker.niced:  # an unprivileged process cannot lower its nice value again
            self._discard(worker)
        else:
            took = time.monotonic() - sent
            weight = _SERVICE_WEIGHT if self._service else 1.0
            self._service += weight * (took - self._service)
            self._done.append(sent + took)
            self._release(worker)
        return reply

    def _nice(self, worker: _Worker) -> None:
        """Mark a worker's query long: lower its priority and start a spare in its place."""
        worker.niced = True
        self._long += 1
        with contextlib.suppress(ProcessLookupError):
            os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)
        if not self._closing and self._short_of_workers():
            self._starting += 1
            asyncio.get_running_loop().create_task(self._replace(None))

    @staticmethod
    async def _readable(conn: Connection, deadline: float) -> None:
        """Wait until ``conn`` has data (or its peer closed it), or raise TimeoutError."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await asyncio.wait_for(ready, max(0.0, deadline - time.monotonic()))
        finally:
            loop.remove_reader(fd)
