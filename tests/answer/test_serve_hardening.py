"""kg serve under attack: real server processes on loopback, one test per issue-11 item."""

from __future__ import annotations

import concurrent.futures
import http.client
import signal
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import (
    free_port,
    generated_store,
    running,
    serve_args,
    thread_count,
    tree_cpu_seconds,
    venv_bin,
)

ASK = "/query?query=" + urllib.parse.quote("ASK {}")
NESTED = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_store(tmp_path_factory.mktemp("hardening") / "store", seed=11)


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A read-only `kg serve` with a short timeout and idle timeout."""
    port = free_port()
    args = serve_args(store_dir, port, "--timeout", "1", "--idle-timeout", "1")
    with running(args, f"http://127.0.0.1:{port}/") as proc:
        yield port, proc


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A `kg serve --allow-update` over a store holding one triple."""
    path = tmp_path_factory.mktemp("writable") / "store"
    port = free_port()
    with running(serve_args(path, port, "--allow-update"), f"http://127.0.0.1:{port}/"):
        status, _ = _request(port, "POST", "/update", b"INSERT DATA { <x:a> <x:b> <x:c> }")
        assert status == 204
        yield port


def _request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        ctype = "application/sparql-update" if path == "/update" else "application/sparql-query"
        conn.request(method, path, body=body, headers={"Content-Type": ctype, **(headers or {})})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _ask_ms(port: int) -> float:
    start = time.perf_counter()
    status, body = _request(port, "GET", ASK)
    assert status == 200 and b"true" in body
    return 1000 * (time.perf_counter() - start)


def _raw(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes; return what the server answers before it closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        got = b""
        try:
            while chunk := sock.recv(65536):
                got += chunk
                if b"\r\n\r\n" in got:
                    break
        except TimeoutError:
            pass
        return got


def _stored(port: int) -> bool:
    q = urllib.parse.quote("ASK { <x:a> <x:b> <x:c> }")
    return b"true" in _request(port, "GET", "/query?query=" + q)[1]


# ---------------------------------------------------------------- 7: nesting


def test_serve_refuses_deeply_nested_query(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, proc = server
    status, body = _request(port, "GET", "/query?query=" + urllib.parse.quote(NESTED))
    assert status == 400 and b"nest" in body and body.count(b"\n") == 1
    status, body = _request(port, "POST", "/query", NESTED.encode())
    assert status == 400
    assert proc.poll() is None and _ask_ms(port) < 100


def test_query_command_refuses_deeply_nested_file(tmp_path: Path, store_dir: Path) -> None:
    path = tmp_path / "deep.rq"
    path.write_text("# title: deep\n" + NESTED)
    done = subprocess.run(
        [venv_bin("kg"), "query", str(path), "--store", str(store_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "nest" in done.stderr and len(done.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- 8: federation


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o # comment\n service   SILENT <http://127.0.0.1:{port}/> {} }",
    ],
)
def test_serve_refuses_service(server: tuple[int, subprocess.Popen[bytes]], query: str) -> None:
    port = server[0]
    with socket.socket() as trap:  # a listener that would see the server's outbound request
        trap.bind(("127.0.0.1", 0))
        trap.listen(1)
        trap.settimeout(0.3)
        text = query.replace("{port}", str(trap.getsockname()[1]))
        status, body = _request(port, "POST", "/query", text.encode())
        assert status == 400 and b"SERVICE" in body and b"--allow-federation" in body
        with pytest.raises(TimeoutError):
            trap.accept()


def test_serve_refuses_load_even_when_writable(writable: int) -> None:
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(1)
        trap.settimeout(0.3)
        update = f"LOAD <http://127.0.0.1:{trap.getsockname()[1]}/x.ttl>".encode()
        status, body = _request(writable, "POST", "/update", update)
        assert status == 400 and b"LOAD" in body
        with pytest.raises(TimeoutError):
            trap.accept()
    # the words inside strings and IRIs are not keywords
    fine = b'ASK { ?s <http://x/service> "LOAD SERVICE" }'
    assert _request(writable, "POST", "/query", fine)[0] == 200


# ---------------------------------------------------------------- 9: timeouts


def test_serve_kills_timed_out_queries(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, proc = server
    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # four took today's server down
        runs = [pool.submit(_request, port, "POST", "/query", RUNAWAY.encode()) for _ in range(4)]
        time.sleep(0.4)
        assert _ask_ms(port) < 100  # while four runaways hold the server
        answers = [run.result() for run in runs]
    assert all(status == 503 and b"timed out" in body for status, body in answers)
    time.sleep(0.3)
    before = tree_cpu_seconds(proc.pid)
    time.sleep(1.0)
    assert tree_cpu_seconds(proc.pid) - before < 0.3  # the runaways no longer run
    assert _ask_ms(port) < 100


def test_serve_stops_promptly_on_sigterm(store_dir: Path) -> None:
    port = free_port()
    args = serve_args(store_dir, port, "--timeout", "20")
    with running(args, f"http://127.0.0.1:{port}/") as proc:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            pending = pool.submit(_request, port, "POST", "/query", RUNAWAY.encode())
            time.sleep(0.5)
            start = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=5)
            assert time.monotonic() - start < 2
            with pytest.raises((ConnectionError, http.client.HTTPException)):
                pending.result()
        assert proc.returncode == 0


# ---------------------------------------------------------------- 10: Host / Origin


def test_serve_refuses_updates_from_a_foreign_origin_or_host(writable: int) -> None:
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    ctype = {"Content-Type": "application/x-www-form-urlencoded"}
    foreign_origin = {**ctype, "Origin": "http://evil.example"}
    status, body = _request(writable, "POST", "/update", form, foreign_origin)
    assert status == 403 and b"Origin" in body
    status, body = _request(writable, "POST", "/update", form, {**ctype, "Host": "evil.example"})
    assert status == 403 and b"Host" in body
    status, _ = _request(writable, "GET", ASK, headers={"Host": "evil.example"})
    assert status == 403
    assert _stored(writable)
    same = {**ctype, "Origin": f"http://localhost:{writable}", "Host": f"localhost:{writable}"}
    status, _ = _request(writable, "POST", "/update", b"update=CLEAR%20DEFAULT", same)
    assert status == 204


def test_serve_allow_host_adds_a_name(store_dir: Path) -> None:
    port = free_port()
    args = serve_args(store_dir, port, "--allow-host", "kg.internal")
    with running(args, f"http://127.0.0.1:{port}/"):
        assert _request(port, "GET", ASK, headers={"Host": f"kg.internal:{port}"})[0] == 200
        assert _request(port, "GET", ASK, headers={"Host": "other.internal"})[0] == 403


# ---------------------------------------------------------------- 11: HTTP


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n", b"400"),
        (b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n", b"400"),
        (
            b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
            b"Content-Length: 5\r\n\r\nASK{}",
            b"400",
        ),
        (b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\n", b"413"),
        (b"GET /query HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n", b"400"),
        (b"GET /query HTTP/1.1\r\n Host: folded\r\n\r\n", b"400"),
        (b"BREW\r\n\r\n", b"400"),
    ],
)
def test_serve_answers_malformed_requests_with_4xx(
    server: tuple[int, subprocess.Popen[bytes]], head: bytes, status: bytes
) -> None:
    port, proc = server
    answer = _raw(port, head)
    assert answer.split(b" ")[1] == status, answer
    assert proc.poll() is None and _ask_ms(port) < 100


def test_serve_holds_idle_sockets_without_threads(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, proc = server
    threads = thread_count(proc.pid)
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]
    try:
        time.sleep(0.2)
        assert thread_count(proc.pid) <= threads + 2
        assert _ask_ms(port) < 100
        idle[0].settimeout(3)
        assert idle[0].recv(1) == b""  # closed by the server after --idle-timeout 1
    finally:
        for sock in idle:
            sock.close()


def test_serve_keeps_connections_alive(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server[0], timeout=5)
    try:
        for _ in range(3):
            conn.request("GET", ASK)
            resp = conn.getresponse()
            assert resp.status == 200 and b"true" in resp.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- 12: busy port


def test_serve_on_a_busy_port_says_so(store_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run(
            serve_args(store_dir, port), capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"Error: port {port} is in use"]
