"""Benchmark report as text: the tables ``kg bench`` prints without ``--json``.

Stage: bench. Input: a :class:`kg.bench.suite.BenchReport`; output: text, one section per
benchmark (extraction, memory, build, queries) and the targets. Reads no data file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.bench.suite import BenchReport, Target

_EXTRACTION_HEADER = [
    "pipeline",
    "processes",
    "round",
    "batch",
    "seconds",
    "words/s",
    "articles/s",
    "cores used",
    "load before",
]
_MEMORY_HEADER = ["articles", "words", "seconds", "baseline MB", "peak MB", "growth MB"]
_QUERY_HEADER = [
    "query",
    "rows",
    "p50 ms",
    "p95 ms",
    "typical p50",
    "dedup p50",
    "vs dedup",
    "rdflib p50 ms",
    "rdflib p95",
    "speedup",
]
_MET = {True: "yes", False: "NO", None: "-"}


def fmt(value: float | None, digits: int = 2) -> str:
    """Format a figure with thousands separators, ``-`` when unknown.

    Examples:
        >>> fmt(1234.5, 1), fmt(None), fmt(0.5)
        ('1,234.5', '-', '0.50')
    """
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _table(rows: Iterable[list[str]]) -> list[str]:
    """Align columns: the first left, the others right, two spaces apart."""
    rows = list(rows)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]


def format_report(report: BenchReport) -> str:
    """Render the report as text tables (what ``kg bench`` prints without ``--json``)."""
    m = report.machine
    lines = [
        f"kg bench on {m.get('cpus')} CPU(s), {m.get('cpu')}, Python {m.get('python')}, "
        f"{report.seconds:.0f} s"
    ]
    if report.extraction:
        lines += _extraction_lines(report.extraction)
    if report.memory:
        lines += _memory_lines(report.memory)
    if report.build:
        lines += _build_lines(report.build)
    if report.queries:
        lines += _query_lines(report.queries)
    if report.queries_large:
        lines += _query_lines(report.queries_large)
    if report.pages:
        lines += _page_lines(report.pages)
    if report.targets:
        lines += _target_lines(report.targets)
    return "\n".join(lines) + "\n"


def _extraction_lines(ex: dict[str, Any]) -> list[str]:
    """The extraction section: one row per run, then medians, ratios and speedups."""
    lines = ["", f"Extraction: {ex['articles']} generated articles, {ex['words']:,} words"]
    rows = [_EXTRACTION_HEADER]
    rows += [
        [
            r["pipeline"],
            str(r["workers"]),
            str(r.get("round", 0) + 1),
            str(r["batch_size"]),
            fmt(r["seconds"], 1),
            fmt(r["words_per_s"], 0),
            fmt(r["articles_per_s"], 1),
            fmt(r.get("cores_used"), 2),
            fmt(r.get("load_before"), 2),
        ]
        for r in ex["runs"]
    ]
    lines += _table(rows)
    medians = ", ".join(f"{k} {fmt(v, 0)}" for k, v in ex["median_words_per_s"].items())
    ratios = ", ".join(f"{w} proc {fmt(v)}x" for w, v in ex["kg_vs_bare"].items())
    lines.append(
        f"median words/s: {medians}\nkg / bare words/s: {ratios}; "
        f"speedup {ex['speedup']['workers'][1]} vs "
        f"{ex['speedup']['workers'][0]} processes: kg {fmt(ex['speedup']['kg'])}x, "
        f"bare {fmt(ex['speedup']['bare'])}x"
    )
    for key in ("stages", "stages_on"):
        st = ex.get(key)
        if not st:
            continue
        what = (
            "generated"
            if key == "stages"
            else f"{st['articles']} articles of {st['source']}, {st['words']:,} words"
        )
        for name in ("bare", "kg"):
            parts = ", ".join(f"{k} {fmt(v, 2)}" for k, v in st[name].items())
            lines.append(f"{name} stages on {what} (s, 1 process): {parts}")
        lines.append(
            f"slowest kg stage: {st['slowest']}; ceiling with the output unchanged "
            f"(bare / {' + '.join(st['needed'])}): {fmt(st['ceiling'])}x; "
            f"with kg's own stages ({fmt(st['kg_own'], 2)} s) and a parser that cost "
            f"nothing: {fmt(st['ceiling_free_parser'])}x; tokens in sentences with two "
            f"candidate mentions or more: {fmt(st.get('tokens_in_pair_sentences'))}"
        )
    return lines


def _memory_lines(mem: dict[str, Any]) -> list[str]:
    """The memory section: one row per run, then the peak and growth ratios."""
    lines = ["", "Memory of streaming extraction (" + mem["what"] + ")"]
    rows = [_MEMORY_HEADER]
    rows += [
        [
            str(r["articles"]),
            f"{r['words']:,}",
            fmt(r["seconds"], 1),
            fmt(r["baseline_mb"], 0),
            fmt(r["peak_mb"], 0),
            fmt(r["growth_mb"], 1),
        ]
        for r in mem["runs"]
    ]
    lines += _table(rows)
    lines.append(f"peak ratio {fmt(mem['peak_ratio'])}x, growth ratio {fmt(mem['growth_ratio'])}x")
    return lines


def _build_lines(b: dict[str, Any]) -> list[str]:
    """The build section: throughput and the store's size on disk."""
    return [
        "",
        f"Build into the embedded store ({b['what']})",
        f"{b['articles']} articles, {b['quads']:,} quads in {b['seconds']:.1f} s: "
        f"{fmt(b['articles_per_s'], 1)} articles/s, {fmt(b['quads_per_s'], 0)} quads/s;"
        f" store {b['disk_bytes'] / 1e6:.1f} MB on disk for {b['store_quads']:,} quads "
        f"({fmt(b['bytes_per_quad'], 0)} bytes/quad, "
        f"{fmt((b.get('disk_bytes_per_article') or 0) / 1000, 0)} KB/article)",
    ]


def _query_lines(q: dict[str, Any]) -> list[str]:
    """The query section: one row per query, then the errors and what the columns mean."""
    lines = [
        "",
        f"Queries on {q['quads']:,} quads ({q['articles']} synthetic articles; "
        f"load: oxigraph {q['load_s']['oxigraph']:.1f} s, rdflib "
        f"{fmt(q['load_s']['rdflib'], 1)} s; {q['disk_bytes'] / 1e6:.0f} MB on disk; "
        f"deduplicated copy {q.get('dedup_quads', 0):,} quads)"
        + (f"; each query's first page of {q['page']} rows" if q.get("page") else ""),
    ]
    notes = []
    for r in q["per_query"]:
        if r["rdflib_error"]:
            notes.append(f"{r['query']}: rdflib {r['rdflib_error']}")
        if r["oxigraph_error"]:
            notes.append(f"{r['query']}: oxigraph {r['oxigraph_error']}")
    lines += _table([_QUERY_HEADER] + [_query_cells(r) for r in q["per_query"]])
    lines += [f"  {n}" for n in notes]
    lines.append(
        "  parameters: the entity found in the most articles; typical: one at the median "
        "count among those in 2+ articles (rows in brackets)"
    )
    return lines


def _query_cells(r: dict[str, Any]) -> list[str]:
    """One query's row; rdflib's row count in brackets when it differs from Oxigraph's."""
    same = r["rows_rdflib"] is None or r["rows"] == r["rows_rdflib"]
    return [
        r["query"],
        str(r["rows"]) + ("" if same else f" (rdflib {r['rows_rdflib']})"),
        fmt(r["oxigraph_p50_ms"], 1),
        fmt(r["oxigraph_p95_ms"], 1),
        f"{fmt(r['typical_p50_ms'], 1)} ({r['typical_rows']})"
        if r["typical_rows"] is not None
        else "-",
        fmt(r.get("dedup_p50_ms"), 1),
        fmt(r.get("vs_dedup")) + "x" if r.get("vs_dedup") is not None else "-",
        fmt(r["rdflib_p50_ms"], 0) if r["rdflib_runs"] else "-",
        fmt(r["rdflib_p95_ms"], 0) if r["rdflib_runs"] else "-",
        (">= " if r["speedup_is_lower_bound"] else "")
        + (fmt(r["speedup"], 0) + "x" if r["speedup"] is not None else "-"),
    ]


def _page_lines(p: dict[str, Any]) -> list[str]:
    """The pages section: one row per page and format."""
    rows = [["page", "format", "status", "bytes", "first ms", "p50 ms", "p95 ms"]]
    notes = [f"  {r['page']}: {r['error']}" for r in p["per_page"] if "error" in r]
    for r in p["per_page"]:
        if "error" in r:
            rows.append([r["page"], "-", "-", "-", "-", "-", "-"])
            continue
        rows.append(
            [
                r["page"],
                r["format"],
                str(r["status"]),
                f"{r['bytes']:,}",
                fmt(r["first_ms"], 1),
                fmt(r["p50_ms"], 1),
                fmt(r["p95_ms"], 1),
            ]
        )
    return ["", f"Pages ({p['what']})", *_table(rows), *notes]


def _target_lines(targets: list[Target]) -> list[str]:
    """The targets: each goal, this run's value, and whether it was met."""
    rows = [["target", "goal", "value", "met"]]
    rows += [[t.name, t.goal, fmt(t.value), _MET[t.met]] for t in targets]
    return ["", "Targets", *_table(rows)]
