"""Access to the data files under ``kg/data`` with ``file:line: problem`` errors.

Input: a path relative to ``kg/data``; output: parsed YAML or JSONL records. Every
loader is cached, so a data file is read once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kg.errors import DataFileError

if TYPE_CHECKING:
    from rdflib import Graph


def data_path(relative: str) -> Path:
    """Return the filesystem path of a file under ``kg/data``."""
    return Path(str(resources.files("kg") / "data" / relative))


@cache
def load_yaml(relative: str) -> Any:
    """Parse a YAML data file.

    Raises:
        DataFileError: the file is missing or not valid YAML.
    """
    path = data_path(relative)
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except FileNotFoundError as err:
        raise DataFileError(str(path), None, "data file is missing") from err
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise DataFileError(str(path), None if line is None else line + 1, str(err)) from err


def load_turtle(relative: str, what: str) -> Graph:
    """Parse a Turtle data file under ``kg/data`` (the ontology, the SHACL shapes).

    Args:
        relative: the path under ``kg/data``.
        what: what the file is, for the error message ("ontology file").

    Raises:
        DataFileError: the file is missing or not valid Turtle.
    """
    from rdflib import Graph

    path = data_path(relative)
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as err:
        raise DataFileError(str(path), None, f"{what} is missing") from err
    except Exception as err:  # rdflib raises parser-specific exception types
        raise DataFileError(str(path), None, f"not valid Turtle: {err}") from err
    return graph


def read_jsonl(path: Path, required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Parse a JSONL file: one object per non-blank line, ``#`` lines are comments.

    Args:
        path: the file.
        required: keys every record must have.

    Raises:
        DataFileError: a line is not a JSON object or lacks a required key.
    """
    records: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise DataFileError(str(path), None, "data file is missing") from err
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataFileError(str(path), n, f"not JSON: {err.msg}") from err
        if not isinstance(obj, dict):
            raise DataFileError(str(path), n, "not a JSON object")
        for key in required:
            if key not in obj:
                raise DataFileError(str(path), n, f'"{key}" missing')
        records.append(obj)
    return records


@cache
def load_jsonl(relative: str, required: tuple[str, ...] = ()) -> tuple[dict[str, Any], ...]:
    """Parse a JSONL data file under ``kg/data`` (cached)."""
    return tuple(read_jsonl(data_path(relative), required))


def list_data(folder: str, suffix: str) -> list[str]:
    """Return the relative paths of the data files in ``folder`` with ``suffix``, sorted."""
    base = data_path(folder)
    return sorted(f"{folder}/{p.name}" for p in base.glob(f"*{suffix}"))


@cache
def _parsed_yaml(relative: str) -> Any:
    return load_yaml(relative)


def load_words(relative: str, key: str) -> tuple[str, ...]:
    """A list of words from a YAML data file; ``"section.key"`` reaches a nested list.

    The file is parsed once per process; every word list of the grammar is read this way.

    Raises:
        DataFileError: the file is missing, or the key is not a list of strings.
    """
    value: Any = _parsed_yaml(relative)
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise DataFileError(str(data_path(relative)), None, f"{key}: not a list of words")
    return tuple(value)
