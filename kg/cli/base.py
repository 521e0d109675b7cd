"""The ``kg`` command group and what its commands share: run state, error and option helpers.

Data goes to stdout, messages and progress to stderr. A :class:`kg.errors.KgError`
becomes a one-line message and exit status 1; bad input articles are reported one by
one, the others are still processed, and the exit status is 1 at the end.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.errors import KgError
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.graph.build import BuildReport

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., object])


class Run:
    """Per-invocation state: settings and whether any input failed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.failed = 0

    def report(self, err: KgError) -> None:
        """Print one input error and remember that an input failed."""
        self.failed += 1
        click.echo(f"error: {err}", err=True)

    def good(self, items: Iterable[_T | KgError]) -> Iterator[_T]:
        """Pass items through; report the errors among them and remember that one failed."""
        for item in items:
            if isinstance(item, KgError):
                self.report(item)
            else:
                yield item


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-v info, -vv debug).")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """kg: knowledge graphs of party and state meetings from news articles."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Run(Settings.from_env())


def exit_status(run: Run) -> None:
    """Exit with status 1 when any input failed, saying so."""
    if run.failed:
        click.echo(f"{run.failed} input(s) failed; see the messages above.", err=True)
        sys.exit(1)


@contextmanager
def click_errors(*also: type[Exception]) -> Iterator[None]:
    """Turn a KgError (or one of ``also``) into a one-line message and exit status 1."""
    kinds: tuple[type[Exception], ...] = (KgError, *also)
    try:
        yield
    except kinds as err:
        raise click.ClickException(str(err)) from err


def shown_option(*decls: str, **attrs: Any) -> Callable[[_F], _F]:
    """A click option whose help shows its default."""
    return click.option(*decls, show_default=True, **attrs)


#: ``--stdin-format``: kg.read.articles.STDIN_FORMATS (a test holds the two equal), written
#: out so that the command line starts without importing the read stage.
STDIN_FORMATS = ("auto", "txt", "html", "jsonl", "csv")


def stdin_format_option(command: _F) -> _F:
    """The ``--stdin-format`` option of the commands that read articles (``-`` is stdin)."""
    return shown_option(
        "--stdin-format",
        type=click.Choice(STDIN_FORMATS),
        default="auto",
        help="What stdin holds; auto tells JSONL, CSV and HTML from text by the first line.",
    )(command)


def min_confidence_option(help_text: str) -> Callable[[_F], _F]:
    """The ``--min-confidence`` filter (a probability) of the commands that answer."""
    return click.option(
        "--min-confidence", type=click.FloatRange(0.0, 1.0), default=None, help=help_text
    )


def on_error_option(what: str) -> Callable[[_F], _F]:
    """The ``--on-error`` policy of the commands that store; ``what`` is what may fail."""
    return shown_option(
        "--on-error",
        type=click.Choice(["skip", "stop"]),
        default="skip",
        help=f"{what} cannot be stored: report it and go on, or stop.",
    )


def stored(run: Run, report: BuildReport, store: object) -> None:
    """Report the articles that failed and the summary of a build or load, then exit."""
    for message in report.failed:
        run.failed += 1
        click.echo(f"error: {message}", err=True)
    click.echo(f"{store}: {report.summary()}", err=True)
    exit_status(run)


STORE_HELP = "Store directory (default: $KG_STORE, else ./kg-store)."
REMOTE_HELP = "Store directory, or an http(s):// SPARQL 1.1 endpoint (default: $KG_STORE)."
