"""A small HTTP/1.1 server on asyncio: strict parsing, keep-alive, idle timeouts, bounded bodies.

Stage: answer (serve). Input: bytes on TCP connections; output: :class:`Request` objects
handed to an application coroutine, and its :class:`Response` written back. One task per
connection and no thread: idle sockets cost memory only. Malformed requests get 400,
oversized ones 413/414/431, and the connection is closed after any of them.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus

log = logging.getLogger(__name__)

_REQUEST_LINE = re.compile(r"([A-Z]{1,20}) (\S{1,100000}) HTTP/(\d)\.(\d)")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_DIGITS = re.compile(r"\d{1,15}")


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Bounds of one connection.

    Attributes:
        head_bytes: request line and headers together (431 or 414 beyond).
        body_bytes: a request body (413 beyond).
        idle_timeout: seconds a connection may wait for (the whole head of) a request.
        body_timeout: seconds the body of a request may take to arrive.
        max_connections: open connections at most; more are answered 503 and closed.
    """

    head_bytes: int = 65_536
    body_bytes: int = 1_000_000
    idle_timeout: float = 15.0
    body_timeout: float = 30.0
    max_connections: int = 10_000


@dataclass(slots=True)
class Request:
    """One parsed HTTP request.

    Attributes:
        method: ``GET``, ``POST``, ...
        target: the request target (path and query).
        headers: lower-cased names -> value (repeated names joined with ``, ``).
        body: the request body.
        keep_alive: the client wants the connection kept open.
    """

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""
    keep_alive: bool = True


@dataclass(slots=True)
class Response:
    """An answer: status, body, content type, extra headers."""

    status: int
    body: bytes = b""
    ctype: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class BadRequestError(Exception):
    """The request breaks HTTP/1.1; answered with ``status`` and the connection closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


App = Callable[[Request], Awaitable[Response]]
#: Pages served beside the endpoint: a response, or None to leave the request to it.
Pages = Callable[[Request], Awaitable[Response | None]]


def text_response(status: int, message: str) -> Response:
    """A one-line plain-text answer."""
    return Response(status, (message.rstrip() + "\n").encode("utf-8"))


def parse_head(head: bytes) -> Request:
    r"""Parse a request line and its headers (the bytes before the blank line).

    Raises:
        BadRequestError: anything HTTP/1.1 does not allow.

    Examples:
        >>> parse_head(b"GET /q HTTP/1.1\r\nHost: a\r\nAccept: x\r\n\r\n").headers
        {'host': 'a', 'accept': 'x'}
    """
    lines = head.decode("latin-1").split("\r\n")
    matched = _REQUEST_LINE.fullmatch(lines[0])
    if not matched:
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed request line")
    method, target, major, minor = matched.groups()
    if (major, minor) not in (("1", "1"), ("1", "0")):
        raise BadRequestError(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.1 or 1.0 only")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not _TOKEN.fullmatch(name):
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed header line")
        value = value.strip(" \t")
        if _BAD_VALUE.search(value):
            raise BadRequestError(HTTPStatus.BAD_REQUEST, f"control character in header {name}")
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    if minor == "1" and "host" not in headers:
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "HTTP/1.1 request without Host")
    connection = headers.get("connection", "").lower()
    keep = "close" not in connection if minor == "1" else "keep-alive" in connection
    return Request(method, target, headers, keep_alive=keep)


def body_length(headers: dict[str, str], limit: int) -> int | None:
    """The Content-Length of a request (None: chunked), checked.

    Raises:
        BadRequestError: 400 for a malformed or conflicting length, 413 beyond ``limit``,
            501 for a transfer coding other than chunked.
    """
    coding = headers.get("transfer-encoding")
    if coding is not None:
        if "content-length" in headers:
            raise BadRequestError(
                HTTPStatus.BAD_REQUEST, "both Transfer-Encoding and Content-Length"
            )
        if coding.strip().lower() != "chunked":
            raise BadRequestError(HTTPStatus.NOT_IMPLEMENTED, f"transfer coding {coding!r}")
        return None
    values = {v.strip() for v in headers.get("content-length", "0").split(",")}
    if len(values) != 1:
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "conflicting Content-Length headers")
    value = values.pop()
    if not _DIGITS.fullmatch(value):
        raise BadRequestError(HTTPStatus.BAD_REQUEST, f"bad Content-Length {value[:40]!r}")
    if int(value) > limit:
        raise BadRequestError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {limit:,} bytes"
        )
    return int(value)


async def read_chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    """Read a chunked body (trailers dropped).

    Raises:
        BadRequestError: a malformed chunk size or a body over ``limit``.
    """
    parts: list[bytes] = []
    total = 0
    while True:
        line = (await reader.readuntil(b"\r\n"))[:-2].split(b";")[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", line):
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed chunk size")
        size = int(line, 16)
        total += size
        if total > limit:
            raise BadRequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {limit:,} bytes"
            )
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return b"".join(parts)
        chunk = await reader.readexactly(size + 2)
        if chunk[-2:] != b"\r\n":
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed chunk")
        parts.append(chunk[:-2])


def encode(response: Response, keep_alive: bool, head_only: bool) -> bytes:
    """The bytes of a response (status line, headers, body)."""
    reason = HTTPStatus(response.status).phrase
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        f"Content-Type: {response.ctype}",
        f"Content-Length: {len(response.body)}",
        "Connection: keep-alive" if keep_alive else "Connection: close",
        *(f"{k}: {v}" for k, v in response.headers.items()),
    ]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + response.body
