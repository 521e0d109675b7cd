"""Error hierarchy: every user-facing error names the file (and line) and the problem.

The CLI turns any :class:`KgError` into a one-line message and a non-zero exit;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of the errors kg reports to users."""


class InputError(KgError):
    """An input article cannot be read or is not usable text.

    Args:
        path: the file (or ``path:line`` of a record) that failed.
        problem: what is wrong with it, in plain words.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class DataFileError(KgError):
    """A data file shipped under ``kg/data`` (pattern, lexicon, gazetteer) is malformed."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class ModelMissingError(KgError):
    """The statistical spaCy model is not installed."""


class StoreError(KgError):
    """The RDF store cannot be opened, read or written."""


class QueryError(KgError):
    """A SPARQL query file is missing, malformed or got bad parameters."""
