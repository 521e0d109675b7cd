"""A pool of query worker processes, restarted when one crashes or overruns its deadline.

Stage: answer (serve). Input: :class:`~kg.answer.serve.worker.Job` from the HTTP side
(asyncio); output: :class:`~kg.answer.serve.worker.Reply`. A query past its deadline has
its worker killed (SIGKILL: its CPU stops at once) and replaced; a query that crashes
Oxigraph takes only its worker down. Workers fork from a clean preloaded process
(multiprocessing's forkserver), so they inherit no sockets and start in milliseconds.
"""

from __future__ import annotations

import asyncio
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
#: new workers get the CPU first, and retired once the query ends.
LONG_QUERY = 0.1


@dataclass(slots=True, eq=False)
class _Worker:
    process: Any  # multiprocessing.Process of the forkserver context
    conn: Connection
    niced: bool = False


class WorkerPool:
    """Worker processes over one store, used from an asyncio event loop.

    Args:
        store: the store directory.
        base: the base IRI of its graphs.
        size: worker processes started at once (1 when ``writable``: one process may
            hold a writable Oxigraph store).
        writable: open the store writable (updates allowed).
        burst: workers at most; when every worker is busy (slow or runaway queries)
            another is started, so a short query need not wait for a long one.
    """

    def __init__(self, store: str, base: str, size: int, writable: bool, burst: int = 16) -> None:
        self.store = store
        self.base = base
        self.writable = writable
        self.size = 1 if writable else max(1, size)
        self.burst = self.size if writable else max(self.size, burst)
        self._starting = 0
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["__main__", "kg.answer.serve.worker", "kg.graph.store"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._closing = False
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
        if not parent.poll(_START_TIMEOUT):
            proc.kill()
            raise StoreError(f"{self.store}: a query worker did not start")
        try:
            hello = parent.recv()
        except EOFError as err:
            raise StoreError(f"{self.store}: a query worker died while starting") from err
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
        self._idle.put_nowait(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker and start its replacement in the background."""
        self._all.discard(worker)
        worker.process.kill()
        worker.conn.close()
        self.restarts += 1
        if not self._closing:
            asyncio.get_running_loop().create_task(self._replace(worker))

    async def _replace(self, dead: _Worker | None) -> None:
        """Start a worker (after ``dead`` is reaped); ``_starting`` counts it meanwhile."""
        loop = asyncio.get_running_loop()
        if dead is not None:
            self._starting += 1
            await loop.run_in_executor(None, dead.process.join)
        try:
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

    async def run(self, job: Job, deadline: float) -> Reply:
        """Run a job on the next free worker before ``deadline`` (a monotonic time).

        Raises:
            PoolBusyError: no worker was free before the deadline.
            QueryTimeoutError: the job overran; its worker was killed and replaced.
            WorkerCrashedError: the worker died evaluating it; it was replaced.
        """
        self._keep_spare()
        try:
            worker = await asyncio.wait_for(self._idle.get(), deadline - time.monotonic())
        except TimeoutError as err:
            raise PoolBusyError("every query worker stayed busy until the deadline") from err
        self._keep_spare()
        if not worker.process.is_alive():
            self._discard(worker)
            raise WorkerCrashedError("a query worker had died; it is being restarted")
        try:
            worker.conn.send(job)
            long_at = time.monotonic() + LONG_QUERY
            if long_at < deadline and not self.writable:
                try:
                    await self._readable(worker.conn, long_at)
                except TimeoutError:
                    worker.niced = True
                    os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)
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
            self._idle.put_nowait(worker)
        return reply

    def _keep_spare(self) -> None:
        """Start a worker when none is idle or starting (up to ``burst``)."""
        if (
            self._idle.empty()
            and not self._starting
            and len(self._all) < self.burst
            and not self._closing
        ):
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
