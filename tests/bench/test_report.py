"""kg bench's text tables: every section on a hand-made report, line for line."""

from __future__ import annotations

from typing import Any

from kg.bench.report import fmt
from kg.bench.suite import BenchReport, format_report

# invented figures; a lower-bound speedup, a row-count mismatch, errors and unknown values
REPORT: dict[str, Any] = {
    "machine": {"cpus": 2, "cpu": "Test CPU", "python": "3.11.7"},
    "extraction": {
        "articles": 4,
        "words": 1234,
        "runs": [
            {
                "pipeline": "bare",
                "workers": 1,
                "round": 0,
                "batch_size": 1,
                "seconds": 0.5,
                "words_per_s": 2468.0,
                "articles_per_s": 8.0,
                "cores_used": 1.01,
                "load_before": 0.5,
            },
            {
                "pipeline": "kg",
                "workers": 1,
                "round": 0,
                "batch_size": 1,
                "seconds": 1.0,
                "words_per_s": 1234.0,
                "articles_per_s": 4.0,
                "cores_used": 0.99,
                "load_before": 0.75,
            },
        ],
        "median_words_per_s": {"bare x1": 2468.0, "kg x1": 1234.0},
        "kg_vs_bare": {"1": 0.5},
        "speedup": {"kg": 1.0, "bare": 1.0, "workers": [1, 1]},
    },
    "memory": {
        "what": "peak RSS",
        "runs": [
            {
                "articles": 2,
                "words": 40,
                "seconds": 1.5,
                "baseline_mb": 300.0,
                "peak_mb": 310.0,
                "growth_mb": 10.0,
            },
            {
                "articles": 4,
                "words": 80,
                "seconds": 2.5,
                "baseline_mb": 300.0,
                "peak_mb": 312.0,
                "growth_mb": 12.0,
            },
        ],
        "peak_ratio": 1.0065,
        "growth_ratio": 1.2,
    },
    "build": {
        "what": "ingest",
        "articles": 8,
        "quads": 16000,
        "seconds": 2.0,
        "articles_per_s": 4.0,
        "quads_per_s": 8000.0,
        "store_quads": 16500,
        "disk_bytes": 3300000,
        "bytes_per_quad": 200.0,
        "disk_bytes_per_article": 412500.0,
    },
    "queries": {
        "quads": 3100,
        "articles": 2,
        "load_s": {"oxigraph": 0.1, "rdflib": 0.4},
        "disk_bytes": 2000000,
        "dedup_quads": 2900,
        "per_query": [
            {
                "query": "fast",
                "rows": 3,
                "oxigraph_p50_ms": 1.25,
                "oxigraph_p95_ms": 2.5,
                "oxigraph_runs": 5,
                "oxigraph_error": None,
                "typical_rows": 1,
                "typical_p50_ms": 0.5,
                "rows_rdflib": 4,
                "rdflib_p50_ms": 60.0,
                "rdflib_p95_ms": 70.0,
                "rdflib_runs": 3,
                "rdflib_error": None,
                "speedup": 48.0,
                "speedup_is_lower_bound": False,
                "dedup_p50_ms": 1.0,
                "vs_dedup": 1.25,
            },
            {
                "query": "slow",
                "rows": 0,
                "oxigraph_p50_ms": 100.0,
                "oxigraph_p95_ms": 120.0,
                "oxigraph_runs": 1,
                "oxigraph_error": "timed out after 95 s",
                "typical_rows": None,
                "typical_p50_ms": None,
                "rows_rdflib": None,
                "rdflib_p50_ms": None,
                "rdflib_p95_ms": None,
                "rdflib_runs": 0,
                "rdflib_error": "timed out after 20 s",
                "speedup": 200.0,
                "speedup_is_lower_bound": True,
                "dedup_p50_ms": None,
                "vs_dedup": None,
            },
        ],
    },
    "pages": {
        "what": "Site.respond",
        "per_page": [
            {
                "page": "person",
                "format": "html",
                "status": 200,
                "bytes": 12345,
                "first_ms": 80.0,
                "p50_ms": 20.5,
                "p95_ms": 30.25,
            },
            {"page": "body", "path": "/body/x", "error": "timed out after 80 s"},
        ],
    },
    "targets": [
        {
            "name": "kg pipeline vs bare model, 1 process(es)",
            "goal": ">= 0.7x",
            "value": 0.5,
            "met": False,
        },
        {"name": "slow vs rdflib (lower bound)", "goal": ">= 10x", "value": 200.0, "met": True},
        {"name": "unknown", "goal": ">= 1.7x", "value": None, "met": None},
    ],
    "seconds": 12.4,
}

# what format_report printed for REPORT before it was split into one helper per section
EXPECTED_LINES = [
    "kg bench on 2 CPU(s), Test CPU, Python 3.11.7, 12 s",
    "",
    "Extraction: 4 generated articles, 1,234 words",
    "pipeline  processes  round  batch  seconds  words/s  articles/s  cores used  load before",
    "bare              1      1      1      0.5    2,468         8.0        1.01         0.50",
    "kg                1      1      1      1.0    1,234         4.0        0.99         0.75",
    "median words/s: bare x1 2,468, kg x1 1,234",
    "kg / bare words/s: 1 proc 0.50x; speedup 1 vs 1 processes: kg 1.00x, bare 1.00x",
    "",
    "Memory of streaming extraction (peak RSS)",
    "articles  words  seconds  baseline MB  peak MB  growth MB",
    "2            40      1.5          300      310       10.0",
    "4            80      2.5          300      312       12.0",
    "peak ratio 1.01x, growth ratio 1.20x",
    "",
    "Build into the embedded store (ingest)",
    "8 articles, 16,000 quads in 2.0 s: 4.0 articles/s, 8,000 quads/s; store 3.3 MB "
    "on disk for 16,500 quads (200 bytes/quad, 412 KB/article)",
    "",
    "Queries on 3,100 quads (2 synthetic articles; load: oxigraph 0.1 s, rdflib 0.4 "
    "s; 2 MB on disk; deduplicated copy 2,900 quads)",
    "query          rows  p50 ms  p95 ms  typical p50  dedup p50  vs dedup  rdflib p50 ms  "
    "rdflib p95  speedup",
    "fast   3 (rdflib 4)     1.2     2.5      0.5 (1)        1.0     1.25x             60  "
    "        70      48x",
    "slow              0   100.0   120.0            -          -         -              -  "
    "         -  >= 200x",
    "  slow: rdflib timed out after 20 s",
    "  slow: oxigraph timed out after 95 s",
    "  parameters: the entity found in the most articles; typical: one at the median "
    "count among those in 2+ articles (rows in brackets)",
    "",
    "Pages (Site.respond)",
    "page    format  status   bytes  first ms  p50 ms  p95 ms",
    "person    html     200  12,345      80.0    20.5    30.2",
    "body         -       -       -         -       -       -",
    "  body: timed out after 80 s",
    "",
    "Targets",
    "target                                       goal   value  met",
    "kg pipeline vs bare model, 1 process(es)  >= 0.7x    0.50   NO",
    "slow vs rdflib (lower bound)               >= 10x  200.00  yes",
    "unknown                                   >= 1.7x       -    -",
]


def test_report_format_prints_every_section_line_for_line() -> None:
    assert format_report(BenchReport.from_dict(REPORT)) == "\n".join(EXPECTED_LINES) + "\n"


def test_report_format_leaves_out_sections_not_run() -> None:
    text = format_report(BenchReport.from_dict({**REPORT, "memory": {}, "queries": {}}))
    assert "Extraction:" in text and "Build into" in text and "Targets" in text
    assert "Memory of streaming" not in text and "Queries on" not in text


def test_report_fmt_marks_unknown_figures() -> None:
    assert (fmt(None), fmt(1234.567), fmt(2.0, 0)) == ("-", "1,234.57", "2")
