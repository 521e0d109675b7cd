"""Command line: each command parses options, calls one library function, reports errors.

The commands live by stage: :mod:`.read` (extract, eval), :mod:`.store` (build, remove,
load, validate), :mod:`.answer` (query, analyze, export, serve), :mod:`.bench`; the group
and what they share in :mod:`.base`.
"""

from __future__ import annotations

# importing the command modules registers their commands on the group
from kg.cli import answer, bench, read, store  # noqa: F401
from kg.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
