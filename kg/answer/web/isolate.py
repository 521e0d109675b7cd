"""Page builds in child processes, killed at the server's timeout like its query workers.

Stage: answer (web). Input: a page request (path, parameters, Accept) from
:class:`kg.answer.web.routes.Site`; output: the response built by a child process that
holds its own read-only :class:`~kg.answer.web.routes.Site`. Oxigraph cannot stop a
query once it runs, so a page past the timeout has its process killed (its CPU stops at
once) and replaced, and the client gets 503; the server's thread is never stuck.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from dataclasses import dataclass
from http import HTTPStatus
from multiprocessing.connection import Connection
from typing import Any

from kg.answer.serve.http import Response, text_response

log = logging.getLogger(__name__)

#: Seconds a new page process may take to start (imports) before the first page fails.
_START_TIMEOUT = 60.0


def run(conn: Connection, store: str, base: str, cwd: str) -> None:
    """Build pages sent over ``conn`` until it closes (a page process's main function)."""
    from kg.answer.web.routes import Site

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server, not the terminal, stops it
    os.chdir(cwd)  # the articles' paths in the store are relative to where kg build ran
    site = Site(store, base)
    conn.send("ready")
    while True:
        try:
            path, params, accept = conn.recv()
        except (EOFError, OSError):
            break
        r = site.respond(path, params, accept)
        conn.send((r.status, r.body, r.ctype, r.headers))
    site.close()


@dataclass(slots=True, eq=False)
class _Child:
    process: Any  # multiprocessing.Process of the spawn context
    conn: Connection
    ready: bool = False


class PageProcesses:
    """A few page processes over one store, used from the server's event loop.

    Args:
        store: the store directory.
        base: the base IRI of its graphs.
        timeout: seconds a page may take (waiting for a free process included).
        size: page processes at most.
    """

    def __init__(self, store: str, base: str, timeout: float, size: int = 2) -> None:
        self.store, self.base, self.timeout = store, base, timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Child] | None = None
        self._size = max(1, size)
        self.restarts = 0

    def _spawn(self) -> _Child:
        ours, theirs = self._ctx.Pipe()
        args = (theirs, self.store, self.base, os.getcwd())
        process = self._ctx.Process(target=run, args=args, daemon=True, name="kg-pages")
        process.start()
        theirs.close()
        return _Child(process, ours)

    @staticmethod
    def _kill(child: _Child) -> None:
        if child.process.is_alive():
            child.process.kill()
        child.process.join(5)
        child.conn.close()

    def _ask(self, child: _Child, request: tuple[str, dict[str, str], str | None]) -> Any:
        """Send a page request and wait for the answer (None: it did not come in time)."""
        if not child.ready:  # its first page waits for its imports and the store
            if not child.conn.poll(_START_TIMEOUT):
                return None
            child.conn.recv()
            child.ready = True
        child.conn.send(request)
        if not child.conn.poll(self.timeout):
            return None
        return child.conn.recv()

    async def respond(self, path: str, params: dict[str, str], accept: str | None) -> Response:
        """Build one page in a free process; 503 when it overruns the timeout."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self._size):
                self._idle.put_nowait(self._spawn())
        try:
            child = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            return text_response(HTTPStatus.SERVICE_UNAVAILABLE, "every page process is busy")
        try:
            answer = await asyncio.to_thread(self._ask, child, (path, params, accept))
        except (EOFError, OSError):
            answer = None
        if answer is None:
            self._kill(child)
            self.restarts += 1
            self._idle.put_nowait(self._spawn())
            log.warning("%s: page stopped after %g s", path, self.timeout)
            return text_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"{path}: the page took longer than {self.timeout:g} s and was stopped",
            )
        self._idle.put_nowait(child)
        status, body, ctype, headers = answer
        return Response(status, body, ctype, headers)

    def close(self) -> None:
        """Stop every idle page process."""
        while self._idle is not None and not self._idle.empty():
            self._kill(self._idle.get_nowait())
