"""Query library: the questions in ``queries/*.rq``, run on the store with bound parameters.

Input: ``.rq`` files whose comment header gives ``# title:``, ``# description:`` and
``# params:``, and ``key=value`` parameters (names are resolved to IRIs here, folding
diacritics); output: rows from :meth:`kg.graph.store.KgStore.query`, as a table, CSV or JSON.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, SKOS, XSD, Literal, URIRef
from rdflib.term import Node

from kg.answer.params import checked_iri, date_param
from kg.answer.runner import ENGINES, PAGE_PARAMS, execute, page_params
from kg.errors import QueryError
from kg.graph.store import KgStore, QueryResult
from kg.ids import entity_iri, entity_key
from kg.names import norm_key
from kg.settings import Settings
from kg.vocab import (
    DOCUMENT,
    ENTITY_TYPES,
    EVENT,
    KG,
    ORGANIZATION,
    PERSON,
    PLACE,
    relation_predicates,
)

log = logging.getLogger(__name__)

#: What a parameter named like this denotes, unless its header says ``?name:Kind``.
#: Entity classes are resolved from names; ``date`` values become xsd dates;
#: ``property`` values are kg: predicates; ``entity`` is any of the five classes.
PARAM_KINDS: dict[str, str] = {
    "person": PERSON,
    "other": PERSON,
    "official": PERSON,
    "body": ORGANIZATION,
    "org": ORGANIZATION,
    "issuer": ORGANIZATION,
    "document": DOCUMENT,
    "province": PLACE,
    "place": PLACE,
    "event": EVENT,
    "meeting": EVENT,
    "subject": "entity",
    "object": "entity",
    "predicate": "property",
    "date": "date",
    "from": "date",
    "to": "date",
    "minConfidence": "number",
}

#: Kinds that are not entity classes.
VALUE_KINDS = frozenset({"entity", "property", "date", "literal", "number"})

FORMATS = ("table", "csv", "json")

_HEADER = re.compile(r"#\s*(title|description|params|engine)\s*:\s*(.*)", re.IGNORECASE)
_PARAM = re.compile(r"(\[)?\?([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z|]+))?(\])?")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a query.

    Attributes:
        name: the SPARQL variable without ``?``.
        kinds: entity classes its value may name (``("Person",)``), or one of
            :data:`VALUE_KINDS`.
        optional: written ``[?name]`` in the header: the query runs without it.
    """

    name: str
    kinds: tuple[str, ...]
    optional: bool = False

    def __str__(self) -> str:
        text = f"?{self.name}:{'|'.join(self.kinds)}"
        return f"[{text}]" if self.optional else text


@dataclass(frozen=True, slots=True)
class Query:
    """A question of the library: one ``.rq`` file and its header.

    Attributes:
        name: the file name without ``.rq``.
        title: one line, from ``# title:``.
        description: from ``# description:`` and the comment lines continuing it.
        params: from ``# params:``.
        text: the whole SPARQL text, header included.
        path: where it was read from.
        engine: from ``# engine:``: ``sparql`` runs the text; a name of
            :data:`kg.answer.runner.ENGINES` answers instead (the text is for SPARQL tools).
    """

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    engine: str = "sparql"

    def param(self, name: str) -> Param:
        """Return the parameter called ``name``.

        Raises:
            QueryError: the query has no such parameter.
        """
        for p in self.params:
            if p.name == name:
                return p
        takes = " ".join(str(p) for p in self.params) or "no parameters"
        raise QueryError(f"{self.name}: unknown parameter {name!r}; it takes {takes}")


def parse_params(spec: str, source: str = "<query>") -> tuple[Param, ...]:
    """Parse the value of a ``# params:`` line.

    ``?name`` is required, ``[?name]`` optional, ``?name:Kind`` or ``?name:A|B`` names the
    kind explicitly; otherwise it comes from :data:`PARAM_KINDS` (``literal`` if unknown).

    Raises:
        QueryError: the line holds something that is not a parameter.

    Examples:
        >>> [str(p) for p in parse_params("?person [?date]")]
        ['?person:Person', '[?date:date]']
        >>> parse_params("?body:Organization|Place")[0].kinds
        ('Organization', 'Place')
    """
    params = []
    for word in spec.split():
        m = _PARAM.fullmatch(word)
        if not m or bool(m[1]) != bool(m[4]) or m[2] in PAGE_PARAMS:
            raise QueryError(f"{source}: bad parameter {word!r} in '# params:'")
        kinds = tuple(m[3].split("|")) if m[3] else (PARAM_KINDS.get(m[2], "literal"),)
        for kind in kinds:
            if kind not in ENTITY_TYPES and kind not in VALUE_KINDS:
                raise QueryError(f"{source}: unknown kind {kind!r} for ?{m[2]}")
        params.append(Param(m[2], kinds, optional=bool(m[1])))
    return tuple(params)


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    r"""Read the header of a query's text.

    The header is the run of comment lines at the top; a comment line that does not
    start a new ``key:`` continues the description.

    Args:
        text: the SPARQL text.
        name: the query's name (its file name without ``.rq``).
        path: where the text came from, for messages.

    Returns:
        The query.

    Raises:
        QueryError: no ``# title:``, or a bad ``# params:`` line.

    Examples:
        >>> q = parse_query("# title: T\n# description: a\n#   b\n# params: ?person\n"
        ...                 "SELECT * WHERE { ?person ?p ?o }", "q")
        >>> q.title, q.description, [p.name for p in q.params]
        ('T', 'a b', ['person'])
    """
    source = str(path) if path else name
    fields: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.fullmatch(stripped)
        if m:
            last = m[1].lower()
            fields[last] = m[2].strip()
        elif last == "description":
            fields[last] += " " + stripped.lstrip("#").strip()
    if not fields.get("title"):
        raise QueryError(f"{source}: no '# title:' line in the header")
    engine = fields.get("engine", "sparql")
    if engine != "sparql" and engine not in ENGINES:
        raise QueryError(f"{source}: unknown engine {engine!r} in '# engine:'")
    return Query(
        name=name,
        title=fields["title"],
        description=fields.get("description", "").strip(),
        params=parse_params(fields.get("params", ""), source),
        text=text,
        path=path,
        engine=engine,
    )


def load_query(path: str | Path) -> Query:
    """Read one ``.rq`` file.

    Raises:
        QueryError: the file cannot be read or its header is malformed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise QueryError(f"{path}: cannot read the query ({err.strerror or err})") from err
    return parse_query(text, path.stem, path)


def load_queries(directory: str | Path | None = None) -> dict[str, Query]:
    """Read every ``.rq`` file of the query directory.

    Args:
        directory: the directory; by default ``Settings.queries_dir`` (``queries/``).

    Returns:
        Queries by name, sorted by name.

    Raises:
        QueryError: the directory is missing or a file is malformed.
    """
    folder = Path(directory) if directory is not None else Settings.from_env().queries_dir
    if not folder.is_dir():
        raise QueryError(f"{folder}: no query directory here")
    return {p.stem: load_query(p) for p in sorted(folder.glob("*.rq"))}


def find_query(name: str, directory: str | Path | None = None) -> Query:
    """Return a query of the library by name, or read a ``.rq`` file given by path.

    Raises:
        QueryError: no such query (the message lists the known ones).
    """
    if name.endswith(".rq") or Path(name).is_file():
        return load_query(name)
    queries = load_queries(directory)
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see kg query --list"
        raise QueryError(f"no query named {name!r}{hint}")
    return queries[name]


# ---------------------------------------------------------------- names -> IRIs

_EXACT = """
SELECT DISTINCT ?x ?p WHERE { ?x ?p ?text . ?x a ?class }
"""

_CANDIDATES = """
PREFIX kg:   <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?x ?p ?text WHERE {
  ?x a ?class .
  { ?x rdfs:label+ ?text . BIND(rdfs:label AS ?p) }
  UNION { ?x kg:code+ ?text . BIND(kg:code AS ?p) }
  UNION { ?x skos:altLabel+ ?text . BIND(skos:altLabel AS ?p) }
}
"""

_EXISTS = "ASK WHERE { ?x a ?class }"

#: How well a name matched, best first: the canonical name, a document code, an alias.
_RANK = {str(RDFS.label): 0, str(KG.code): 1, str(SKOS.altLabel): 2}

_KEY = re.compile(r"[a-z]+/[a-z0-9][a-z0-9/.-]*")
_CODE = re.compile(r"\d+[\w.]*(?:[-/][\w.]+)+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _is_iri(text: str) -> bool:
    return bool(re.match(r"<?[a-z][a-z0-9+.-]*://", text, re.IGNORECASE))


def _pick(text: str, classes: list[str], found: dict[URIRef, int]) -> URIRef:
    """Return the best-ranked entity, or raise if several share the best rank."""
    best = min(found.values())
    tied = sorted(x for x, rank in found.items() if rank == best)
    if len(tied) == 1:
        return tied[0]
    listed = ", ".join(f"<{iri}>" for iri in tied[:5])
    more = f" and {len(tied) - 5} more" if len(tied) > 5 else ""
    kinds = "/".join(classes)
    raise QueryError(f"{text!r} names several {kinds}s: {listed}{more}; pass one IRI")


def _document_keys(cls: str, text: str) -> list[str]:
    """The keys a document's written form gives: its code, with the year it names first.

    "Resolution No. 18-NQ/TW", "No. 18-NQ/TW" and "18-NQ/TW" give one code; "18-NQ/TW
    of 2017" picks that year's document where the code was reused in another term.

    Examples:
        >>> _document_keys("Document", "Resolution No. 18-NQ/TW of 2017")
        ['doc/18-nq-tw/2017', 'doc/18-nq-tw']
        >>> _document_keys("Person", "To Lam")
        []
    """
    code = _CODE.search(text) if cls == DOCUMENT else None
    if code is None:
        return []
    rest = text[: code.start()] + " " + text[code.end() :]
    years = [entity_key(DOCUMENT, text, code=code.group(), year=y) for y in _YEAR.findall(rest)]
    return [*years, entity_key(DOCUMENT, text, code=code.group())]


def resolve_name(store: KgStore, text: str, kinds: str | Sequence[str] = "entity") -> URIRef:
    """Return the IRI of the entity a name denotes.

    An IRI (optionally in ``<>``) is taken as it is. A name is tried, in order of cost:
    as an entity key (``person/to-lam``, as tables show them); as the deterministic key
    :mod:`kg.ids` would give it (diacritics and case do not matter); as an exact
    rdfs:label, kg:code or skos:altLabel; as a document code found in it ("resolution
    18-nq/tw"); and last against every label, code and alias of the entities of those
    kinds, compared without case, diacritics or punctuation. A canonical name beats a
    code, which beats an alias.

    Args:
        store: the store to look in.
        text: a name ("Nguyễn Phú Trọng", "lang son", "18-NQ/TW") or an IRI.
        kinds: an entity class, several, or ``"entity"`` for any of the five.

    Returns:
        The entity's IRI.

    Raises:
        QueryError: no entity of those kinds has the name, or several equally do.
    """
    if _is_iri(text.strip()):
        return checked_iri(text)
    text = " ".join(text.split())
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    classes = [c for c in wanted if c in ENTITY_TYPES] or list(ENTITY_TYPES)
    if not norm_key(text):
        raise QueryError(f"an empty name cannot name a {'/'.join(classes)}")

    for cls in classes:  # a key as tables show it, or the key the name would get
        keys = [text] if _KEY.fullmatch(text) else []
        for key in [*keys, *_document_keys(cls, text), entity_key(cls, text)]:
            iri = URIRef(entity_iri(key, store.base))
            if store.query(_EXISTS, {"x": iri, "class": KG[cls]}).boolean:
                return iri

    literals = [text]
    if DOCUMENT in classes and (code := _CODE.search(text)):
        literals.append(code.group().upper())
    found: dict[URIRef, int] = {}
    for cls in classes:  # exact labels, codes and aliases: index lookups by value
        for literal in literals:
            bindings = {"text": Literal(literal), "class": KG[cls]}
            for x, prop in store.query(_EXACT, bindings).rows:
                if isinstance(x, URIRef) and str(prop) in _RANK:
                    found[x] = min(found.get(x, 9), _RANK[str(prop)])
    if found:
        return _pick(text, classes, found)

    wanted_key = norm_key(text)
    seen: dict[str, str] = {}
    for cls in classes:  # the slow path: every name of every entity of these kinds
        for x, prop, value in store.query(_CANDIDATES, {"class": KG[cls]}).rows:
            if not isinstance(x, URIRef) or value is None:
                continue
            folded = norm_key(str(value))
            seen.setdefault(folded, str(value))
            if folded == wanted_key:
                found[x] = min(found.get(x, 9), _RANK[str(prop)])
    if found:
        return _pick(text, classes, found)
    close = difflib.get_close_matches(wanted_key, list(seen), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(seen[c]) for c in close)}?" if close else ""
    raise QueryError(f"no {'/'.join(classes)} named {text!r} in the store{hint}")


def _property(text: str) -> URIRef:
    if _is_iri(text):
        return checked_iri(text)
    local = text.removeprefix("kg:")
    folded = {p.lower(): p for p in relation_predicates()}
    key = re.sub(r"[^a-z]", "", local.lower())
    if key not in folded:
        raise QueryError(
            f"unknown predicate {text!r}; expected one of {', '.join(relation_predicates())}"
        )
    return KG[folded[key]]


def bind(store: KgStore, query: Query, values: Mapping[str, str]) -> dict[str, Node]:
    """Turn ``key=value`` parameters into RDF terms for the query's variables.

    Args:
        store: the store (entity names are resolved in it).
        query: the query.
        values: parameter name -> text as the user gave it.

    Returns:
        Variable name -> term, ready for :meth:`kg.graph.store.KgStore.query`.

    Raises:
        QueryError: an unknown or missing parameter, or a value that names nothing.
    """
    out: dict[str, Node] = {}
    for name, text in values.items():
        param = query.param(name.lstrip("?"))
        kind = param.kinds[0]
        if kind == "date":
            out[param.name] = date_param(query.name, param.name, text)
        elif kind == "property":
            out[param.name] = _property(text.strip())
        elif kind == "number":
            out[param.name] = _number(query.name, param.name, text)
        elif kind == "literal":
            out[param.name] = checked_iri(text) if _is_iri(text) else Literal(text)
        else:
            out[param.name] = resolve_name(store, text, param.kinds)
    missing = [f"?{p.name}" for p in query.params if not p.optional and p.name not in out]
    if missing:
        flags = " ".join(f"-p {m[1:]}=..." for m in missing)
        raise QueryError(f"{query.name}: missing {', '.join(missing)} (give {flags})")
    return out


def _number(query: str, name: str, text: str) -> Literal:
    try:
        value = float(text.strip())
    except ValueError:
        raise QueryError(f"{query}: ?{name} must be a number, not {text!r}") from None
    return Literal(f"{value:.3f}", datatype=XSD.decimal)


def run_query(
    store: KgStore,
    query: Query | str,
    params: Mapping[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> QueryResult:
    """Run a question of the library (or a ``.rq`` file) with its parameters bound.

    The parameters are resolved to RDF terms (:func:`bind`) and passed to the store as
    bindings, never pasted into the query text; the page becomes its LIMIT and OFFSET,
    or goes to the question's engine (:func:`kg.answer.runner.execute`).

    Args:
        store: an open store.
        query: a :class:`Query`, a query name, or a path to a ``.rq`` file.
        params: parameter name -> value as text (a name, an IRI, a date); ``limit``
            and ``offset`` here choose the page.
        limit: rows at most (None or 0: every row).
        offset: rows skipped first.

    Returns:
        One page of the answer; ``truncated`` when more rows follow it.

    Raises:
        QueryError: unknown query or parameter, a name that denotes nothing, bad SPARQL.
        StoreError: the store cannot be read.
    """
    if isinstance(query, str):
        query = find_query(query)
    values, limit, offset = page_params(params or {}, limit, offset)
    bindings = bind(store, query, values)
    log.debug("%s with %s, rows %d+%s", query.name, bindings, offset, limit)
    return execute(store, query.text, bindings, query.engine, limit, offset)


# ---------------------------------------------------------------- output


def term_text(term: Node | None, base: str | None = None) -> str:
    """Return a term as plain text; with ``base``, entity IRIs shorten to their key.

    Examples:
        >>> term_text(URIRef("https://kg.example.org/id/person/an"), "https://kg.example.org/")
        'person/an'
        >>> term_text(None), term_text(Literal(3))
        ('', '3')
    """
    if term is None:
        return ""
    text = str(term)
    if base and isinstance(term, URIRef) and text.startswith(entity_iri("", base)):
        return text[len(entity_iri("", base)) :]
    return text


def _json_value(term: Node | None) -> str | int | float | bool | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float) and term.datatype != XSD.string:
            return value
    return str(term)


def format_result(result: QueryResult, fmt: str = "table", base: str | None = None) -> str:
    r"""Render a query's answer as an aligned text table, CSV or JSON.

    Args:
        result: from :func:`run_query`.
        fmt: ``table`` (IRIs shortened under ``base``), ``csv`` or ``json`` (a list of
            objects, unbound variables omitted; full IRIs).
        base: the store's base IRI, to shorten entity IRIs in tables.

    Returns:
        The text, ending with a newline.

    Raises:
        ValueError: unknown format.

    Examples:
        >>> r = QueryResult("select", ("name", "n"), [(Literal("An"), Literal(2))])
        >>> print(format_result(r), end="")
        name  n
        ----  -
        An    2
        >>> format_result(r, "json")
        '[{"name": "An", "n": 2}]\n'
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "construct":
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in result.triples)
    if fmt == "json":
        rows = [
            {v: _json_value(t) for v, t in zip(result.vars, row, strict=True) if t is not None}
            for row in result.rows
        ]
        return json.dumps(rows, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.vars)
        writer.writerows([term_text(t) for t in row] for row in result.rows)
        return buf.getvalue()
    cells = [[term_text(t, base) for t in row] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.vars)]
    lines = [list(result.vars), ["-" * w for w in widths], *cells]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in lines
    )


def answer(
    store: KgStore,
    query: Query | str,
    params: Mapping[str, str] | None = None,
    fmt: str = "table",
) -> str:
    """Run a question and render its rows: :func:`run_query`, then :func:`format_result`.

    Args:
        store: an open store.
        query: a :class:`Query`, a query name, or a path to a ``.rq`` file.
        params: parameter name -> value as text.
        fmt: ``table``, ``csv`` or ``json``.

    Raises:
        QueryError: see :func:`run_query`.

    Examples:
        >>> from kg.graph.store import open_store
        >>> with open_store(None) as store:
        ...     print(answer(store, "meetings_in_range", {"from": "2024"}), end="")
        event  date  meeting  place  chairs  attendees
        -----  ----  -------  -----  ------  ---------
    """
    return format_result(run_query(store, query, params), fmt, store.base)


def describe(queries: Mapping[str, Query]) -> str:
    """Return the ``kg query --list`` text: each question's name, title and parameters."""
    lines = []
    for name, q in queries.items():
        params = " ".join(str(p) for p in q.params)
        lines.append(f"{name}  {params}".rstrip())
        lines.append(f"    {q.title}")
    return "\n".join(lines) + ("\n" if lines else "")
