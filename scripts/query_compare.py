"""Compare the query library of this checkout with another revision's, and time both.

    scripts/query-compare compare STORE [--ref main] [--max N]
    scripts/query-compare bench STORE --entities FACTS.json [--runs 7] [--timeout 120]

``compare`` runs every library question (queries/*.rq and the pages' own
kg/answer/web/queries/*.rq) with its parameters bound to many entities of STORE (the
busiest by number of facts, then every k-th), the optional ones unbound and bound
(dates, a confidence), once as the reference revision wrote it (``git show REF:path``)
over the article graphs only (the default graph is every named graph but the fact graph,
as the reference saw its store) and once as this checkout writes it over the union;
then says, per question, how many bindings gave identical rows (as multisets, and the
same order of the ORDER BY columns) and prints every difference.

``bench`` times both versions on a read-only store with the busiest entities bound
(``popular`` of a kg bench facts.json), in child processes it kills at ``--timeout``.
Reads the store only; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.answer.queries import Query, parse_query
from kg.graph.store.common import bind_with, where_group
from kg.graph.store.local import term_text
from kg.ids import DEFAULT_BASE
from kg.vocab import FACTS_IRI

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("queries", "kg/answer/web/queries")
#: Questions other helpers rewrite: compared only when asked for by name.
SKIP = {"fact_evidence", "shortest_chain", "statements", "coattendance_evidence"}
KG = "https://kg.example.org/ontology#"
CLASS_OF_KIND = {
    "Person": "Person",
    "Organization": "Organization",
    "Document": "Document",
    "Place": "Place",
    "Event": "Event",
}
DATES = ["2019", "2021-06", "2023-06-30", "2024-01-10"]
CONFIDENCES = ["0.950", "0.990"]


def queries(ref: str | None, names: list[str]) -> dict[str, Query]:
    """The library's questions, from the working tree or from revision ``ref``."""
    out: dict[str, Query] = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).glob("*.rq")):
            name = path.stem
            if names and name not in names or not names and name in SKIP:
                continue
            rel = path.relative_to(ROOT).as_posix()
            if ref is None:
                text = path.read_text(encoding="utf-8")
            else:
                text = subprocess.run(
                    ["git", "show", f"{ref}:{rel}"], cwd=ROOT, capture_output=True, text=True
                ).stdout
            if text:
                out[name] = parse_query(text, name)
    return out


def top_bind(sparql: str, bindings: dict[str, Any]) -> str:
    """Bind as the reference revision did: one VALUES at the start of the WHERE clause."""
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(term_text(v) for v in bindings.values())
    at = where_group(sparql) + 1
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}{sparql[at:]}"


def entities(store: ox.Store, cls: str, most: int) -> list[str]:
    """Entities of a class, busiest first (facts about them), then a spread of the rest."""
    q = f"""SELECT ?e (COUNT(*) AS ?n) WHERE {{ GRAPH <{FACTS_IRI}> {{ ?e a <{KG}{cls}> .
        {{ ?e ?p ?o }} UNION {{ ?s ?p ?e }} }} }} GROUP BY ?e ORDER BY DESC(?n) ?e"""
    found = [r[0].value for r in store.query(q)]
    if len(found) <= most:
        return found
    head = found[: most // 2]
    rest = found[most // 2 :]
    step = max(1, len(rest) // (most - len(head)))
    return head + rest[::step][: most - len(head)]


def values_for(store: ox.Store, query: Query, most: int) -> list[dict[str, Any]]:
    """Parameter sets for a question: required ones crossed, each optional one alone."""
    from rdflib import XSD, Literal, URIRef

    from kg.answer.params import date_param

    required: list[tuple[str, list[Any]]] = []
    optional: list[tuple[str, list[Any]]] = []
    for p in query.params:
        kind = p.kinds[0]
        if kind == "date":
            vals: list[Any] = [date_param(query.name, p.name, d) for d in DATES]
        elif kind == "number":
            vals = [Literal(c, datatype=XSD.decimal) for c in CONFIDENCES]
        elif kind == "literal":
            docs = store.query(
                f"SELECT DISTINCT ?d WHERE {{ ?a <{KG}docId> ?d }} ORDER BY ?d",
                use_default_graph_as_union=True,
            )
            vals = [Literal(r[0].value) for r in docs][:most]
        elif kind == "property":
            vals = [URIRef(KG + n) for n in ("attended", "headOf", "implements")]
        else:
            classes = [CLASS_OF_KIND[k] for k in p.kinds if k in CLASS_OF_KIND] or list(
                CLASS_OF_KIND
            )
            each = max(2, most // len(classes))
            vals = [URIRef(e) for c in classes for e in entities(store, c, each)]
        (optional if p.optional else required).append((p.name, vals))
    sets: list[dict[str, Any]] = [{}]
    for name, vals in required:
        sets = [s | {name: v} for s in sets for v in vals]
    out = list(sets)
    for name, vals in optional:
        out += [s | {name: v} for s in sets[: max(1, most // 4)] for v in vals]
    if len(optional) > 1:  # the optional ones together, once per required set
        out += [s | {n: vals[-1] for n, vals in optional} for s in sets[: max(1, most // 4)]]
    return out


def order_columns(query: Query) -> list[str]:
    """The projected variables the ORDER BY clause names (their sequence is fixed)."""
    m = re.search(r"ORDER\s+BY(.*?)(LIMIT|OFFSET|$)", query.text, re.S | re.I)
    if not m:
        return []
    return list(dict.fromkeys(re.findall(r"\?(\w+)", m.group(1))))


def concat_columns(query: Query) -> dict[str, str]:
    """Columns made by GROUP_CONCAT, and their separators (their order is not fixed).

    A separator of "" with ``REPLACE(..., "; $", "")`` (parts that end in "; ") is "; ".
    """
    out = {}
    for m in re.finditer(
        r'GROUP_CONCAT\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\)[^?]*?AS\s+\?(\w+)',
        query.text,
        re.S | re.I,
    ):
        out[m.group(2)] = m.group(1) or "; "
    return out


def normal(
    names: list[str], found: list[tuple[str, ...]], concat: dict[str, str]
) -> list[tuple[str, ...]]:
    """Rows with each GROUP_CONCAT value's parts sorted."""
    at = {names.index(c): sep for c, sep in concat.items() if c in names}
    out = []
    for row in found:
        cells = list(row)
        for i, sep in at.items():
            m = re.fullmatch(r'"(.*)"(\^\^<[^>]*>|@[\w-]+)?', cells[i], re.S)
            if m:
                parts = sorted(m.group(1).split(sep))
                cells[i] = '"' + sep.join(parts) + '"' + (m.group(2) or "")
        out.append(tuple(cells))
    return out


def rows(
    store: ox.Store, sparql: str, graphs: list[ox.NamedNode] | None
) -> tuple[list[str], list[tuple[str, ...]]]:
    """Run a query; rows as N-Triples text (unbound: '')."""
    if graphs is None:
        res = store.query(sparql, use_default_graph_as_union=True)
    else:
        res = store.query(sparql, default_graph=graphs)
    names = [v.value for v in res.variables]
    return names, [tuple("" if t is None else str(t) for t in row) for row in res]


def compare(args: argparse.Namespace) -> int:
    """The ``compare`` command: every question, old against new; print differences."""
    store = ox.Store.read_only(args.store)
    graphs = [g for g in store.named_graphs() if g.value != FACTS_IRI]
    old, new = queries(args.ref, args.names), queries(None, args.names)
    rng = random.Random(1)
    differing = 0
    for name, q in new.items():
        if name not in old:
            print(f"{name}: new question, nothing to compare")
            continue
        sets = values_for(store, q, args.max)
        rng.shuffle(sets)
        same = 0
        order = order_columns(q)
        concat = concat_columns(old[name]) | concat_columns(q)
        for bindings in sets:
            t0 = time.perf_counter()
            vo, ro = rows(store, top_bind(old[name].text, bindings), graphs)
            t1 = time.perf_counter()
            vn, rn = rows(store, bind_with(q.text, bindings, term_text), None)
            t2 = time.perf_counter()
            ro, rn = normal(vo, ro, concat), normal(vn, rn, concat)
            problem = ""
            if vo != vn:
                problem = f"columns {vo} -> {vn}"
            elif Counter(ro) != Counter(rn):
                problem = "rows differ"
            elif order and [[r[vo.index(c)] for c in order if c in vo] for r in ro] != [
                [r[vn.index(c)] for c in order if c in vn] for r in rn
            ]:
                problem = f"order of {order} differs"
            if not problem:
                same += 1
                continue
            differing += 1
            shown = {k: str(v) for k, v in bindings.items()}
            print(f"--- {name} {shown}: {problem} ({t1 - t0:.2f} s -> {t2 - t1:.2f} s)")
            if problem == "rows differ":
                only_old, only_new = Counter(ro) - Counter(rn), Counter(rn) - Counter(ro)
                for row in list(only_old)[: args.show]:
                    print("  old only:", dict(zip(vo, row, strict=True)))
                for row in list(only_new)[: args.show]:
                    print("  new only:", dict(zip(vn, row, strict=True)))
        print(f"{name}: {same}/{len(sets)} bindings identical")
    return 1 if differing else 0


def _probe(job: dict[str, Any], send: Any) -> None:
    """Child process: open the store, time the query ``runs`` times, send each time."""
    store = ox.Store.read_only(job["store"])
    for _ in range(job["runs"]):
        start = time.perf_counter()
        n = sum(1 for _ in store.query(job["sparql"], use_default_graph_as_union=True))
        send.send((time.perf_counter() - start, n))


def timed(store: str, sparql: str, runs: int, timeout: float) -> tuple[list[float], int | None]:
    """Times of ``runs`` runs (a warm-up first) in a child killed after ``timeout`` s."""
    ctx = multiprocessing.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_probe, args=({"store": store, "sparql": sparql, "runs": runs + 1}, send)
    )
    proc.start()
    send.close()
    times: list[float] = []
    n = None
    deadline = time.monotonic() + timeout
    while len(times) < runs + 1:
        left = deadline - time.monotonic()
        if left <= 0 or not recv.poll(left):
            break
        try:
            took, n = recv.recv()
        except EOFError:
            break
        times.append(took)
        if took > 5:  # a slow query's first run is its figure
            break
    proc.kill()
    proc.join()
    return (times[1:] or times), n


def bench(args: argparse.Namespace) -> int:
    """The ``bench`` command: p50 of old and new with the busiest entities bound."""
    from rdflib import URIRef

    from kg.bench.queries import parameter_values

    popular = json.loads(Path(args.entities).read_text())["popular"]
    old, new = queries(args.ref, args.names), queries(None, args.names)
    print("| query | rows old | p50 old ms | rows new | p50 new ms | speedup |")
    print("|---|---|---|---|---|---|")
    for name, q in new.items():
        values = parameter_values(q, popular, DEFAULT_BASE)
        bindings = {k: URIRef(v.strip("<>")) if v.startswith("<") else v for k, v in values.items()}
        bindings = {k: _literal(v) for k, v in bindings.items()}
        tn, nn = timed(args.store, bind_with(q.text, bindings, term_text), args.runs, args.timeout)
        if name in old and not args.new_only:
            to, no = timed(args.store, top_bind(old[name].text, bindings), args.runs, args.timeout)
        else:
            to, no = [], None
        po = 1000 * statistics.median(to) if to else None
        pn = 1000 * statistics.median(tn) if tn else None
        speed = f"{po / pn:.0f}x" if po and pn else ""
        po_text = f"{po:,.1f}" if po is not None else f"> {args.timeout * 1000:,.0f}"
        pn_text = f"{pn:,.1f}" if pn is not None else f"> {args.timeout * 1000:,.0f}"
        print(f"| {name} | {no} | {po_text} | {nn} | {pn_text} | {speed} |", flush=True)
    return 0


def _literal(v: Any) -> Any:
    from rdflib import XSD, Literal, URIRef

    from kg.answer.params import date_param

    if isinstance(v, URIRef) or not isinstance(v, str):
        return v
    if re.fullmatch(r"\d{4}(-\d\d){0,2}", v):
        return date_param("bench", "date", v)
    return Literal(v, datatype=XSD.string)


def main() -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare", help="old and new answers on a store")
    c.add_argument("store")
    c.add_argument("--max", type=int, default=12, help="entities per parameter")
    c.add_argument("--show", type=int, default=4, help="differing rows shown per binding")
    b = sub.add_parser("bench", help="p50 of old and new at the busiest entities")
    b.add_argument("store")
    b.add_argument("--entities", required=True, help="kg bench facts.json")
    b.add_argument("--runs", type=int, default=7)
    b.add_argument("--timeout", type=float, default=120.0)
    b.add_argument("--new-only", action="store_true", help="time this checkout's only")
    for p in (c, b):
        p.add_argument("--ref", default="main", help="the revision to compare with")
        p.add_argument("names", nargs="*", help="only these questions")
    args = parser.parse_args()
    return compare(args) if args.command == "compare" else bench(args)


if __name__ == "__main__":
    sys.exit(main())
