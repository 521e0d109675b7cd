"""Benchmark of the browser: the time of each page of ``kg serve`` for the busiest entities.

Stage: bench. Input: the query store of :func:`kg.bench.storebench.build_query_stores`
and its most popular entities; output: the ``pages`` section of the report. Pages are
built by :class:`kg.answer.web.routes.Site` (what ``kg serve`` runs for a page request,
without the HTTP hop) in a child process (``python -m kg.bench.suite pages``), killed when
a page overruns.
"""

from __future__ import annotations

import json
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kg.bench.measure import percentile, time_runs
from kg.ids import DEFAULT_BASE

if TYPE_CHECKING:
    from kg.bench.measure import Step
    from kg.bench.suite import BenchConfig

#: Entity type -> the page that shows it.
PAGE_OF_TYPE = {
    "Person": "person",
    "Organization": "body",
    "Document": "document",
    "Event": "meeting",
    "Place": "place",
}
#: The target of issue 14: every page within this many ms for the busiest entity.
PAGE_TARGET_MS = 300.0


def page_paths(popular: dict[str, list[str]]) -> dict[str, str]:
    """The pages to time: each kind's page of its busiest entity, its graph, a search.

    Examples:
        >>> page_paths({"Person": ["person/an-lum"], "Place": ["place/ha-noi"]})["person"]
        '/person/an-lum'
    """
    paths: dict[str, str] = {}
    for etype, page in PAGE_OF_TYPE.items():
        keys = popular.get(etype) or []
        if keys:
            rest = keys[0].split("/", 1)[1]
            paths[page] = f"/{page}/{quote(rest)}"
    people = popular.get("Person") or []
    if people:
        paths["graph"] = f"/graph/{quote(people[0])}"
        words = people[0].split("/", 1)[1].split("-")
        paths["search"] = f"/search?q={quote(words[-1])}"
    return paths


def pages_probe(job: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Time pages in this process (the child the parent can kill).

    Args:
        job: ``store``, ``base``, ``pages`` (name -> path with query), ``runs``, ``budget``.

    Yields:
        One result per page: the first (cold) time, the warm run times, status, size, and
        the CPU time of this process (``time.process_time``: steadier than the wall clock
        on a loaded machine) of the first run and of a warm run on average.
    """
    from urllib.parse import parse_qsl, urlsplit

    from kg.answer.web.routes import Site

    site = Site(job["store"], job.get("base", DEFAULT_BASE))
    try:
        for name, target in job["pages"].items():
            url = urlsplit(target)
            params = dict(parse_qsl(url.query))
            for fmt, accept in (("html", "text/html"), ("json", "application/json")):
                status = size = 0

                def run(
                    path: str = url.path, accept: str = accept, params: dict[str, str] = params
                ) -> int:
                    nonlocal status, size
                    response = site.respond(path, dict(params), accept)
                    status, size = response.status, len(response.body)
                    return size

                start, cpu = time.perf_counter(), time.process_time()
                run()
                first = time.perf_counter() - start
                first_cpu = time.process_time() - cpu
                cpu = time.process_time()
                times, _ = time_runs(run, job["runs"], job["budget"])
                cpu_each = (time.process_time() - cpu) / max(1, len(times))
                yield {
                    "page": name,
                    "format": fmt,
                    "path": target,
                    "status": int(status),
                    "bytes": size,
                    "first_ms": 1000 * first,
                    "first_cpu_ms": 1000 * first_cpu,
                    "cpu_ms": 1000 * cpu_each,
                    "times": times,
                }
    finally:
        site.close()


def bench_pages(
    store: Path, popular: dict[str, list[str]], config: BenchConfig, step: Step
) -> dict[str, Any]:
    """Each page's p50 (warm) and first-request time for the busiest entities.

    A page whose child does not answer within ``config.page_timeout`` seconds is
    recorded as timed out and the child is killed; a new one carries on.
    """
    pages = page_paths(popular)
    results: list[dict[str, Any]] = []
    remaining = dict(pages)
    while remaining:
        job = {"store": str(store), "pages": remaining, "runs": config.query_runs, "budget": 5.0}
        for result in _child(job, config.page_timeout + 20):
            if "error" in result:
                name = next(iter(remaining))
                results.append({"page": name, "path": remaining.pop(name), **result})
                step(f"pages: {name}: {result['error']}")
                break
            row = _page_row(result)
            results.append(row)
            if result["format"] == "json":
                remaining.pop(result["page"], None)
            step(
                f"pages: {row['page']} ({row['format']}): p50 {row['p50_ms']:.1f} ms "
                f"(CPU {row['cpu_ms']:.1f}), first {row['first_ms']:.1f} ms "
                f"(CPU {row['first_cpu_ms']:.1f}), {row['bytes']:,} bytes"
            )
        else:
            remaining.clear()
    return {
        "what": "Site.respond (a page of kg serve without the HTTP hop), busiest entities",
        "store": str(store),
        "target_ms": PAGE_TARGET_MS,
        "per_page": results,
    }


def _page_row(result: dict[str, Any]) -> dict[str, Any]:
    times = result.pop("times")
    return {
        **result,
        "runs": len(times),
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * percentile(times, 0.95),
    }


def _child(job: dict[str, Any], timeout: float) -> Iterator[dict[str, Any]]:
    """Run :func:`pages_probe` in a child process; an ``error`` result when it overruns."""
    cmd = [sys.executable, "-m", "kg.bench.suite", "pages", json.dumps(job)]
    with tempfile.TemporaryFile(mode="w+") as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert proc.stdout is not None
        try:
            while True:
                ready, _, _ = select.select([proc.stdout], [], [], timeout)
                line = proc.stdout.readline() if ready else ""
                if line:
                    yield json.loads(line)
                    continue
                if not ready:
                    yield {"error": f"timed out after {timeout:g} s"}
                elif proc.wait() != 0:
                    errors.seek(0)
                    yield {"error": f"page process failed: {errors.read()[-500:]}"}
                return
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
