"""The endpoint's processes: the listening socket, the fronts, one task per connection.

Stage: answer (serve). Input: a store directory and :class:`ServeOptions`; output: a
running server until SIGTERM or Ctrl-C. The socket listens with a backlog sized for
bursts. It is shared by ``fronts`` HTTP processes, started and restarted by this one (a
single front runs in this process); in each, connections are read by
:mod:`kg.answer.serve.http` and answered by :class:`kg.answer.serve.app.SparqlApp` over
its own :class:`~kg.answer.serve.pool.WorkerPool` and
:class:`~kg.answer.serve.inline.KnownQueries`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import time
from collections.abc import Callable, Coroutine
from http import HTTPStatus
from multiprocessing.connection import Connection
from typing import Any

from kg.answer.serve.app import ServeOptions, SparqlApp, allowed_hosts
from kg.answer.serve.http import (
    App,
    BadRequestError,
    HttpLimits,
    Pages,
    body_length,
    encode,
    parse_head,
    read_chunked,
    text_response,
)
from kg.answer.serve.inline import KnownQueries
from kg.answer.serve.pool import WorkerPool
from kg.errors import KgError

log = logging.getLogger(__name__)

#: HTTP processes at most when their number follows the cores.
_MAX_FRONTS = 4
#: Seconds between two sweeps for connections past their read deadline.
_SWEEP_EVERY = 0.25
#: Seconds a front must have run for another to replace it at once when it dies.
_RESTART_PAUSE = 1.0
#: Seconds a front may take to stop before it is killed.
_STOP_WAIT = 10.0


def listen(host: str, port: int, backlog: int) -> socket.socket:
    """Bind and listen on ``host:port``.

    Raises:
        KgError: the port is in use, or the address cannot be bound (one line).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise KgError(f"{host}: cannot listen there ({err.strerror})") from err
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise KgError(f"port {port} is in use") from err
        raise KgError(f"{host}:{port}: cannot listen ({err.strerror})") from err
    sock.setblocking(False)
    return sock


class _Connections:
    """The open connections' tasks, their read deadlines, closed together at shutdown.

    A connection waiting for a request head (or body) past its deadline is closed by a
    sweep every :data:`_SWEEP_EVERY` seconds, which costs a request nothing but setting
    a number (a timer per read would be set and cancelled twice per request).
    """

    def __init__(self, app: App, limits: HttpLimits) -> None:
        self.app = app
        self.limits = limits
        self.writers: dict[asyncio.StreamWriter, float] = {}  # -> read deadline (monotonic)
        self._sweeper: asyncio.Task[None] | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection: requests one after another while it is kept alive."""
        if len(self.writers) >= self.limits.max_connections:
            busy = text_response(HTTPStatus.SERVICE_UNAVAILABLE, "too many connections")
            writer.write(encode(busy, False, False))
            writer.close()
            return
        self.writers[writer] = math.inf
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())
        try:
            while await self._exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.writers.pop(writer, None)
            writer.close()

    async def _sweep(self) -> None:
        """Close the connections whose read deadline has passed, every few tenths of a second."""
        while True:
            await asyncio.sleep(_SWEEP_EVERY)
            now = time.monotonic()
            for writer in [w for w, deadline in self.writers.items() if deadline < now]:
                del self.writers[writer]
                writer.transport.abort()  # the pending read ends with ConnectionError

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read one request and write its answer; tell whether to keep the connection."""
        limits = self.limits
        self.writers[writer] = time.monotonic() + limits.idle_timeout
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            await self._refuse(writer, BadRequestError(431, "request head too large"))
            return False
        except asyncio.IncompleteReadError:
            return False
        try:
            request = parse_head(head)
            length = body_length(request.headers, limits.body_bytes)
            if request.headers.get("expect", "").lower() == "100-continue":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.writers[writer] = time.monotonic() + limits.body_timeout
            body = (
                await read_chunked(reader, limits.body_bytes)
                if length is None
                else await reader.readexactly(length)
            )
        except BadRequestError as err:
            await self._refuse(writer, err)
            return False
        except asyncio.LimitOverrunError:
            await self._refuse(writer, BadRequestError(400, "malformed chunk"))
            return False
        if writer not in self.writers:  # swept while the last bytes arrived
            return False
        self.writers[writer] = math.inf  # the app has its own deadlines
        request.body = body
        response = await self.app(request)
        # a 503 with Retry-After is the queue saying "later", not a broken connection
        keep = request.keep_alive and (response.status < 500 or "Retry-After" in response.headers)
        writer.write(encode(response, keep, request.method == "HEAD"))
        await writer.drain()
        return keep

    @staticmethod
    async def _refuse(writer: asyncio.StreamWriter, err: BadRequestError) -> None:
        writer.write(encode(text_response(err.status, str(err)), False, False))
        await writer.drain()

    def close_all(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        for writer in list(self.writers):
            writer.close()


async def _serve(
    sock: socket.socket,
    store: str,
    base: str,
    options: ServeOptions,
    ready: Callable[[int], None] | None,
    pages: Pages | None = None,
    parent: Connection | None = None,
) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if parent is not None:  # the supervisor never writes: readable means it is gone

        def orphaned() -> None:
            loop.remove_reader(parent.fileno())
            stop.set()

        loop.add_reader(parent.fileno(), orphaned)
    pool = WorkerPool(
        store, base, options.workers, options.allow_update, options.burst, options.long_query
    )
    # the fast lane: queries that read no data, over an empty store (any mode)
    fast = WorkerPool(None, base, 1, False, burst=2) if options.fast_budget > 0 else None
    known = None
    try:
        await pool.start()
        if fast is not None:
            await fast.start()
        if options.known_budget > 0 and not options.allow_update:
            threads = max(1, (os.cpu_count() or 1) // options.fronts)
            known = KnownQueries(store, base, threads, options.known_budget)
        host, port = sock.getsockname()[:2]
        hosts = allowed_hosts(str(host), options.allow_hosts)
        app = SparqlApp(pool, options, hosts, int(port), fast, pages, known)
        connections = _Connections(app, options.http)
        server = await asyncio.start_server(
            connections.handle, sock=sock, backlog=options.backlog, limit=options.http.head_bytes
        )
        if ready is not None:
            ready(int(port))
        await stop.wait()
        server.close()
        connections.close_all()
    finally:
        if known is not None:
            known.close()
        if fast is not None:
            await fast.close()
        await pool.close()


def fronts_for(options: ServeOptions) -> int:
    """HTTP processes a server runs: ``options.fronts``, or one per core (0), one if writable.

    Examples:
        >>> fronts_for(ServeOptions(fronts=3)), fronts_for(ServeOptions(allow_update=True))
        (3, 1)
    """
    if options.allow_update:
        return 1  # one process may hold a writable store
    return options.fronts or max(1, min(os.cpu_count() or 1, _MAX_FRONTS))


def _front(
    sock: socket.socket,
    store: str,
    base: str,
    options: ServeOptions,
    ready: Callable[[int], None] | None,
    pages: Callable[[], Pages] | None,
    parent: Connection | None = None,
) -> None:
    """Run one HTTP process's event loop (uvloop's where installed) until it is stopped."""
    site = pages() if pages is not None else None
    main = _serve(sock, store, base, options, ready, site, parent)
    try:
        _run_loop(main)
    finally:
        close = getattr(site, "close", None)
        if close is not None:
            close()


def _run_loop(main: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on uvloop's event loop where it is installed, else asyncio's."""
    try:
        import uvloop
    except ImportError:  # not on Windows
        asyncio.run(main)
        return
    uvloop.run(main)


def _front_process(
    conn: Connection,
    sock: socket.socket,
    store: str,
    base: str,
    options: ServeOptions,
    pages: Callable[[], Pages] | None,
) -> None:
    """A front process's main function: tells the supervisor it serves, or why it cannot."""
    # until its event loop handles SIGTERM and SIGINT itself (Ctrl-C reaches every
    # process of the group), a starting front leaves stopping to the supervisor
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _front(sock, store, base, options, lambda port: conn.send(("ready", port)), pages, conn)
    except KgError as err:
        conn.send(("error", str(err)))


class _StopRequestedError(Exception):
    """SIGTERM or SIGINT reached the supervisor."""


_STOPPING: list[int] = []  # the signals the supervisor has received


def _stopped(signum: int, frame: object) -> None:
    if not _STOPPING:  # a second signal must not interrupt the stopping itself
        _STOPPING.append(signum)
        raise _StopRequestedError


def _supervise(
    sock: socket.socket,
    store: str,
    base: str,
    options: ServeOptions,
    ready: Callable[[int], None] | None,
    pages: Callable[[], Pages] | None,
    fronts: int,
) -> None:
    """Run ``fronts`` HTTP processes on one listening socket until SIGTERM or Ctrl-C.

    Each front accepts connections from the shared socket and has its own query workers
    and threads, so no one Python process (and its interpreter lock) limits the
    throughput. A front that dies is replaced; one that cannot start stops them all.

    Raises:
        KgError: a front could not start (the store cannot be opened, ...).
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.answer.serve.server", "kg.answer.web"])
    share = dataclasses.replace(
        options,
        workers=-(-options.workers // fronts),
        burst=-(-options.burst // fronts),
        fronts=fronts,
    )
    running: dict[Any, Connection] = {}  # front process -> its connection
    started: dict[Any, float] = {}  # front process -> when it was started (monotonic)

    def start() -> None:
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(
            target=_front_process, args=(theirs, sock, store, base, share, pages), daemon=False
        )
        proc.start()
        theirs.close()
        running[proc] = mine
        started[proc] = time.monotonic()

    previous = {s: signal.signal(s, _stopped) for s in (signal.SIGTERM, signal.SIGINT)}
    announced = False
    try:
        for _ in range(fronts):
            start()
        while True:
            by_sentinel = {proc.sentinel: proc for proc in running}
            for item in multiprocessing.connection.wait([*running.values(), *by_sentinel]):
                if isinstance(item, int):  # a front has exited
                    proc = by_sentinel[item]
                    proc.join()
                    running.pop(proc).close()
                    if not announced:
                        raise KgError(f"a server process exited with {proc.exitcode} on start")
                    log.warning("a server process exited with %s; another starts", proc.exitcode)
                    if time.monotonic() - started.pop(proc) < _RESTART_PAUSE:
                        time.sleep(_RESTART_PAUSE)  # one that keeps dying does not spin
                    start()
                    continue
                assert isinstance(item, Connection)
                try:
                    what, value = item.recv()
                except (EOFError, OSError):
                    continue  # its exit is seen by its sentinel
                if what == "error" and not announced:
                    raise KgError(str(value))
                if what == "error":  # a replacement failed: the others serve; it is retried
                    log.error("a server process could not start: %s", value)
                    continue
                if not announced and ready is not None:
                    ready(int(value))
                announced = True
    except _StopRequestedError:
        pass
    finally:
        for s in previous:
            signal.signal(s, signal.SIG_IGN)
        for proc in running:
            if proc.is_alive():
                proc.terminate()
        end = time.monotonic() + _STOP_WAIT  # one wait for all of them
        for proc, conn in running.items():
            proc.join(max(0.0, end - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
            conn.close()
        _STOPPING.clear()
        for s, handler in previous.items():
            signal.signal(s, handler)


def serve(
    store: str,
    base: str,
    host: str = "127.0.0.1",
    port: int = 7878,
    options: ServeOptions | None = None,
    ready: Callable[[int], None] | None = None,
    pages: Callable[[], Pages] | None = None,
) -> None:
    """Serve a store directory until SIGTERM or Ctrl-C.

    Args:
        store: the store directory (queries run in worker processes that open it).
        base: the base IRI of its graphs.
        host: interface to listen on; keep 127.0.0.1 unless a proxy guards it.
        port: TCP port (0 for any free one).
        options: see :class:`ServeOptions`; ``fronts`` HTTP processes share the socket.
        ready: called with the bound port once the server answers.
        pages: makes, in each HTTP process, what is asked first for every GET (the
            browser's pages, :class:`kg.answer.web.Site`); picklable when there are
            several.

    Raises:
        KgError: the port is in use, the address cannot be bound or the store opened.
    """
    options = options or ServeOptions()
    sock = listen(host, port, options.backlog)
    fronts = fronts_for(options)
    try:
        if fronts == 1:
            _front(sock, store, base, dataclasses.replace(options, fronts=1), ready, pages)
        else:
            _supervise(sock, store, base, options, ready, pages, fronts)
    finally:
        sock.close()
