"""Start real server processes on loopback for tests, and stop them."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def venv_bin(name: str) -> str:
    """The path of a console script of this virtualenv (next to the running python)."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name}: not installed (pip install -e '.[dev]')")
    return found


def generated_store(path: Path, seed: int, articles: int = 3) -> Path:
    """A real store at ``path`` holding ``articles`` generated graphs (invented names)."""
    from kg.bench.corpus import synthetic_graph
    from kg.graph.rdf import to_quads
    from kg.graph.store import open_store

    with open_store(path) as store:
        for i in range(articles):
            g = synthetic_graph(i, seed=seed)
            store.replace_article(g.doc_id, to_quads(g))
    return path


def serve_args(store: Path, port: int, *extra: str) -> list[str]:
    """The command line of ``kg serve`` over ``store`` on ``port``."""
    return [venv_bin("kg"), "serve", "--store", str(store), "--port", str(port), *extra]


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Wait until ``url`` answers over HTTP (any status), or fail if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {out[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"{url}: no answer after {timeout} s")


@contextlib.contextmanager
def running(
    args: list[str], probe: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process until the block ends; ``probe`` is a URL it answers when up."""
    proc = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    try:
        wait_http(probe, proc)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def descendants(pid: int) -> dict[int, int]:
    """A process and all its descendants (Linux): pid -> depth below ``pid`` (0 for it).

    A server's tree: the supervisor, its forkserver (1), the fronts (2), each front's
    forkserver (3) and its query workers (4).
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = {}, [(pid, 0)]
    while todo:
        current, depth = todo.pop()
        found[current] = depth
        todo.extend((child, depth + 1) for child in children.get(current, []))
    return found


def _proc_field(pid: int, name: str, index: int) -> int:
    """A number of /proc/PID/stat (``index`` after the name) or status (``name``); 0: gone."""
    try:
        if name:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(name + ":"):
                    return int(line.split()[1])
            return 0
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[index])
    except (OSError, IndexError, ValueError):
        return 0


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants (Linux)."""
    ticks = sum(_proc_field(p, "", 11) + _proc_field(p, "", 12) for p in descendants(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def thread_count(pid: int) -> int:
    """Threads of a process and all its descendants (Linux): a server's fronts and workers."""
    if not Path(f"/proc/{pid}").exists():
        raise RuntimeError(f"{pid}: no such process")
    return sum(_proc_field(p, "Threads", 0) for p in descendants(pid))
