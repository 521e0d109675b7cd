"""Checks a query passes before any parser sees it: size, nesting, chains, federation.

Stage: answer (serve). Input: SPARQL text; output: nothing, or :class:`QueryRefusedError`
with a one-line reason. Oxigraph's parser recurses per nesting level and per operator of
a chain, so a few thousand of either overflow its stack; SERVICE and LOAD make the
server fetch URLs. A lexical scan (strings, IRIs and comments skipped) finds both, tells
a query from an update and finds queries that read no data (``ASK {}``).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from kg.errors import QueryError


class QueryRefusedError(QueryError):
    """The query is refused before evaluation (too big, too deep, or federated)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What a query may contain.

    Attributes:
        max_bytes: size of the query text (UTF-8).
        max_depth: nesting of ``{ ( [`` brackets (real queries stay under 15).
        max_operators: operators and separators in the whole query; Oxigraph crashes
            near 10,000 in one chain (``1+1+...``), real queries use a few hundred.
        allow_federation: let ``SERVICE`` and ``LOAD`` through (outbound requests).
    """

    max_bytes: int = 100_000
    max_depth: int = 64
    max_operators: int = 2_000
    allow_federation: bool = False


# SPARQL's \u and \U escapes are decoded before parsing, anywhere in the query
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what is not code: long and short strings, IRIs, comments (the earliest match wins,
# as in a lexer)
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.S,
)
_NOT_BRACKETS = re.compile(r"[^{}()\[\]]+")
_STEP = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}
_OPERATORS = re.compile(r"[-+*/|&=!<>^.;,]|\b(?:UNION|OPTIONAL|MINUS)\b", re.I)
# a keyword, not part of a prefixed name (ex:service), variable (?load) or blank node
_FEDERATED = re.compile(r"(?<![\w:?$.-])(SERVICE|LOAD)(?![\w:-])", re.I)
# the prologue (PREFIX and BASE declarations, their IRIs already replaced by "_") and the
# keyword that opens the query or the first operation of the update
_FIRST_KEYWORD = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*_|BASE\s+_)\s*)*([A-Za-z]+)", re.I)
_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATE_FORMS = frozenset(
    {"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)
# a group with something inside: a triple pattern, a filter, a sub-query...
_FILLED_GROUP = re.compile(r"\{(?!\s*\})")
_DESCRIBE = re.compile(r"(?<![\w:?$.-])DESCRIBE(?![\w:-])", re.I)


def _decoded(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else "\ufffd"

    return _ESCAPE.sub(char, text) if "\\" in text else text


@functools.lru_cache(maxsize=64)  # a request asks two or three times; clients repeat queries
def _code(text: str, keep: str = " ") -> str:
    """The code of a SPARQL text: comments blanked, strings and IRIs replaced by ``keep``."""

    def blank(m: re.Match[str]) -> str:
        return " " if m.group().startswith("#") else keep

    return _NOT_CODE.sub(blank, _decoded(text))


def sparql_form(text: str) -> tuple[str, str]:
    r"""Tell a query from an update by its first keyword after the prologue.

    Returns:
        (``query``, ``update`` or ``""`` when neither, the keyword in capitals).

    Examples:
        >>> sparql_form("PREFIX ex: <http://x/#> INSERT DATA { ex:a ex:b ex:c }")
        ('update', 'INSERT')
        >>> sparql_form("# a comment\nBASE <http://x/> ask {}")
        ('query', 'ASK')
        >>> sparql_form("{ oops }")
        ('', '')
    """
    found = _FIRST_KEYWORD.match(_code(text, "_"))
    word = found.group(1).upper() if found else ""
    if word in _QUERY_FORMS:
        return "query", word
    if word in _UPDATE_FORMS:
        return "update", word
    return "", ""


def reads_no_data(text: str) -> bool:
    """Whether a query cannot read the store: every group in it is empty (``ASK {}``).

    A triple pattern, a sub-query, ``EXISTS`` or ``VALUES`` all need a group with
    something inside, and ``DESCRIBE <iri>`` reads data without one; so a query whose
    groups are all ``{}`` has the same answer over any store, an empty one included.

    Examples:
        >>> reads_no_data("ASK {}"), reads_no_data("SELECT (1 + 1 AS ?two) WHERE { }")
        (True, True)
        >>> reads_no_data("ASK { <x:s> <x:p> <x:o> }"), reads_no_data("DESCRIBE <x:s>")
        (False, False)
    """
    code = _code(text, "_")
    return "{" in code and not _FILLED_GROUP.search(code) and not _DESCRIBE.search(code)


# calls whose value, and so whose query's cost, changes from one evaluation to the next
_VARYING = re.compile(r"(?<![\w:?$.-])(RAND|NOW|UUID|STRUUID|SERVICE)(?![\w:-])", re.I)


def varies(text: str) -> bool:
    """Whether a query may cost differently each time on the same data.

    It calls ``RAND``, ``NOW``, ``UUID`` or ``STRUUID`` (a filter on a random number
    makes the same text cheap one time and endless the next), or waits on another
    server through ``SERVICE``.

    Examples:
        >>> varies("SELECT * { ?s ?p ?o FILTER(RAND() < 0.5) }"), varies("ASK { ?s ?p ?o }")
        (True, False)
        >>> varies('ASK { ?s <http://x/rand> "NOW()" }')  # an IRI and a string, not calls
        False
    """
    return _VARYING.search(_code(text)) is not None


def nesting_depth(code: str) -> int:
    """Return the deepest bracket nesting of SPARQL code (strings already removed).

    Examples:
        >>> nesting_depth("SELECT * WHERE { { ?s ?p ?o FILTER((1)) } }")
        4
    """
    steps = map(_STEP.__getitem__, _NOT_BRACKETS.sub("", code))
    return max(0, max(itertools.accumulate(steps), default=0))


def check_query(text: str, limits: Limits | None = None, what: str = "query") -> None:
    """Refuse a query (or update) that could crash the parser or reach out to the network.

    Args:
        text: the SPARQL query or update.
        limits: see :class:`Limits`.
        what: ``query``, ``update`` or a file name, to start the message with.

    Raises:
        QueryRefusedError: the reason, in one line.

    Examples:
        >>> check_query('ASK { ?s <http://x/service> "LOAD" }')  # no keyword here
        >>> try:
        ...     check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
        ... except QueryRefusedError as err:
        ...     print(str(err)[:40])
        query: SERVICE is refused: this endpoint
    """
    limits = limits or Limits()
    size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
    if size > limits.max_bytes:
        raise QueryRefusedError(
            f"{what}: {size:,} bytes; at most {limits.max_bytes:,} are accepted"
        )
    problem = _problem(text, limits)
    if problem is not None:
        raise QueryRefusedError(f"{what}: {problem}")


@functools.lru_cache(maxsize=64)  # clients repeat their queries (each under max_bytes)
def _problem(text: str, limits: Limits) -> str | None:
    """Why :func:`check_query` refuses a text of accepted size (None: it does not)."""
    code = _code(text)
    depth = nesting_depth(code)
    if depth > limits.max_depth:
        return f"brackets nest {depth} levels deep; at most {limits.max_depth} are accepted"
    operators = len(_OPERATORS.findall(code))
    if operators > limits.max_operators:
        return (
            f"{operators:,} operators and separators; at most {limits.max_operators:,} are accepted"
        )
    if not limits.allow_federation and (found := _FEDERATED.search(code)):
        keyword = found.group(1).upper()
        return (
            f"{keyword} is refused: this endpoint makes no outbound requests "
            "(start kg serve --allow-federation)"
        )
    return None
