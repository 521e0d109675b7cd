"""Answer stage, parameters: the checks a ``-p key=value`` passes before it is bound.

Input: the text a user gave for an IRI or a date parameter; output: the rdflib term, or a
one-line :class:`kg.errors.QueryError` (a date no calendar has, an IRI with a space or a
control character). Reads no data files.
"""

from __future__ import annotations

import datetime
import re

from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.graph.rdf import date_literal

# What an IRI may not hold (SPARQL's IRIREF): spaces and controls, and <>"{}|^`\
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def checked_iri(text: str) -> URIRef:
    """Return the IRI a parameter gives (optionally in ``<>``), checked.

    Raises:
        QueryError: the IRI holds a character no IRI may hold.

    Examples:
        >>> checked_iri("<http://x/a>")
        rdflib.term.URIRef('http://x/a')
        >>> checked_iri("http://x y")
        Traceback (most recent call last):
        kg.errors.QueryError: 'http://x y' is not a valid IRI: it holds ' '
    """
    inner = text.strip()
    if inner.startswith("<") and inner.endswith(">"):
        inner = inner[1:-1]
    bad = _IRI_BAD.search(inner)
    if bad:
        raise QueryError(f"{text!r} is not a valid IRI: it holds {bad.group()!r}")
    return URIRef(inner)


def date_param(query: str, name: str, text: str) -> Literal:
    """Return a date parameter as an xsd date literal, refusing a date no calendar has.

    An impossible date must not reach the store: there it is an invalid literal that
    every comparison drops, so the filter would silently let nothing or everything by.

    Args:
        query: the question's name, for messages.
        name: the parameter's name.
        text: the value as given: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Raises:
        QueryError: another shape, or no such month or day.

    Examples:
        >>> str(date_param("q", "from", "2024-02-29"))
        '2024-02-29'
        >>> date_param("q", "from", "2023-02-30")
        Traceback (most recent call last):
        kg.errors.QueryError: q: ?from is not a real date: '2023-02-30' (day is out of range for month)
    """  # noqa: E501
    value = text.strip()
    if not _DATE.fullmatch(value):
        raise QueryError(f"{query}: ?{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    try:
        datetime.date.fromisoformat(value if len(value) == 10 else f"{value}-01-01"[:10])
    except ValueError as err:
        raise QueryError(f"{query}: ?{name} is not a real date: {text!r} ({err})") from None
    return date_literal(value)
