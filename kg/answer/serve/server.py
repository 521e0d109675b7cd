"""The endpoint's process: the listening socket, one asyncio task per connection, signals.

Stage: answer (serve). Input: a store directory and :class:`ServeOptions`; output: a
running server until SIGTERM or Ctrl-C. The socket listens with a backlog sized for
bursts; connections are read by :mod:`kg.answer.serve.http` and answered by
:class:`kg.answer.serve.app.SparqlApp` over a :class:`~kg.answer.serve.pool.WorkerPool`.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import socket
from collections.abc import Callable
from http import HTTPStatus

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
from kg.answer.serve.pool import WorkerPool
from kg.errors import KgError

log = logging.getLogger(__name__)


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
    """The open connections' tasks, closed together at shutdown."""

    def __init__(self, app: App, limits: HttpLimits) -> None:
        self.app = app
        self.limits = limits
        self.writers: set[asyncio.StreamWriter] = set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection: requests one after another while it is kept alive."""
        if len(self.writers) >= self.limits.max_connections:
            busy = text_response(HTTPStatus.SERVICE_UNAVAILABLE, "too many connections")
            writer.write(encode(busy, False, False))
            writer.close()
            return
        self.writers.add(writer)
        try:
            while await self._exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read one request and write its answer; tell whether to keep the connection."""
        limits = self.limits
        try:
            async with asyncio.timeout(limits.idle_timeout):
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
            async with asyncio.timeout(limits.body_timeout):
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
        for writer in list(self.writers):
            writer.close()


async def _serve(
    sock: socket.socket,
    store: str,
    base: str,
    options: ServeOptions,
    ready: Callable[[int], None] | None,
    pages: Pages | None = None,
) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    pool = WorkerPool(
        store, base, options.workers, options.allow_update, options.burst, options.long_query
    )
    # the fast lane: queries that read no data, over an empty store (any mode)
    fast = WorkerPool(None, base, 1, False, burst=2) if options.fast_budget > 0 else None
    try:
        await pool.start()
        if fast is not None:
            await fast.start()
        host, port = sock.getsockname()[:2]
        hosts = allowed_hosts(str(host), options.allow_hosts)
        app = SparqlApp(pool, options, hosts, int(port), fast, pages)
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
        if fast is not None:
            await fast.close()
        await pool.close()


def serve(
    store: str,
    base: str,
    host: str = "127.0.0.1",
    port: int = 7878,
    options: ServeOptions | None = None,
    ready: Callable[[int], None] | None = None,
    pages: Pages | None = None,
) -> None:
    """Serve a store directory until SIGTERM or Ctrl-C.

    Args:
        store: the store directory (queries run in worker processes that open it).
        base: the base IRI of its graphs.
        host: interface to listen on; keep 127.0.0.1 unless a proxy guards it.
        port: TCP port (0 for any free one).
        options: see :class:`ServeOptions`.
        ready: called with the bound port once the server answers.
        pages: asked first for every GET (the browser's pages, :mod:`kg.answer.web`).

    Raises:
        KgError: the port is in use, the address cannot be bound or the store opened.
    """
    options = options or ServeOptions()
    sock = listen(host, port, options.backlog)
    try:
        asyncio.run(_serve(sock, store, base, options, ready, pages))
    finally:
        sock.close()
