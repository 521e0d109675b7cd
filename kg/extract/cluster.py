"""Past one machine: extraction on a dask.distributed cluster, and loading its output.

Stage: pipeline, scaled out. Extraction is a pure map from article to ArticleGraph, so
:func:`extract_dask` ships batches of articles to the workers (each builds the nlp
pipeline once) and yields the graphs back in input order; :func:`read_extractions`
reads the gathered JSONL (``kg extract --format jsonl``) back as ArticleGraphs, so they
can be stored anywhere, including a SPARQL server (``kg load --store http://...``).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.model import Article, ArticleGraph
from kg.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

_local = threading.local()


def worker_nlp(settings: Settings) -> Language:
    """Return this worker thread's pipeline, building it on first use.

    One pipeline per thread: a dask worker may run tasks on several threads, and a
    spaCy pipeline is not meant to be shared between threads.
    """
    cache: dict[Settings, Language] = getattr(_local, "nlp", None) or {}
    _local.nlp = cache
    if settings not in cache:
        from kg.extract.nlp import build_nlp

        cache[settings] = build_nlp(settings)
    return cache[settings]


def extract_batch(articles: list[Article], settings: Settings) -> list[ArticleGraph]:
    """Extract a batch of articles on a worker (the task :func:`extract_dask` submits)."""
    from kg.extract.pipeline import extract_all

    return list(extract_all(articles, worker_nlp(settings), batch_size=len(articles) or 1))


def connect(scheduler: str) -> Any:
    """Return a dask.distributed Client for a scheduler address.

    ``local`` or ``local:N`` starts a LocalCluster of N (default 2) single-threaded
    worker processes on this machine instead.

    Raises:
        ImportError: dask.distributed is not installed (``pip install 'kg[dask]'``).
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise ImportError(
            "kg extract --dask needs dask.distributed: pip install 'kg[dask]'"
        ) from err
    if scheduler == "local" or scheduler.startswith("local:"):
        n = int(scheduler.partition(":")[2] or 2)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, dashboard_address=None)
        client: Any = Client(cluster)
        client._kg_cluster = cluster  # closed with the client (see extract_dask)
        return client
    return Client(scheduler)


def extract_dask(
    articles: Iterable[Article],
    scheduler: str | Any,
    settings: Settings | None = None,
    batch_size: int = 8,
    in_flight: int | None = None,
) -> Iterator[ArticleGraph]:
    """Extract articles on a dask.distributed cluster, yielding graphs in input order.

    Articles are read lazily and at most ``in_flight`` batches are out at a time, so
    memory stays flat however many articles there are. Workers need kg installed (the
    same version) and build the pipeline once per worker thread.

    Args:
        articles: the articles (any iterable, consumed lazily).
        scheduler: a scheduler address (``tcp://host:8786``), ``local[:N]``, or a
            ``dask.distributed.Client``.
        settings: model name and the like, sent to the workers.
        batch_size: articles per task.
        in_flight: tasks submitted ahead (default: twice the number of workers).

    Yields:
        One ArticleGraph per article, in input order.

    Raises:
        Exception: a task's exception, re-raised here with the worker's traceback.
    """
    settings = settings or Settings.from_env()
    own = isinstance(scheduler, str)
    client: Any = connect(scheduler) if isinstance(scheduler, str) else scheduler
    try:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        ahead = in_flight or 2 * workers
        pending: deque[Any] = deque()
        it = iter(articles)
        while batch := list(islice(it, batch_size)):
            pending.append(client.submit(extract_batch, batch, settings, pure=False))
            while len(pending) >= ahead:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if own:
            cluster = getattr(client, "_kg_cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def read_extractions(sources: Iterable[str]) -> Iterator[ArticleGraph | InputError]:
    """Read ``kg extract --format jsonl`` output back as ArticleGraphs.

    The records hold no article text, which storing does not need: the evidence
    sentences and offsets travel in each relation's ``provenance``.

    Args:
        sources: JSONL files, or ``-`` for stdin.

    Yields:
        One ArticleGraph per line, or an InputError naming ``file:line`` for a line
        that is not a valid record.
    """
    import sys

    for source in sources:
        try:
            handle = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
        except OSError as err:
            yield InputError(source, f"cannot read ({err.strerror or err})")
            continue
        with handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield ArticleGraph.from_dict(json.loads(line))
                except (ValueError, KeyError, TypeError) as err:
                    yield InputError(f"{source}:{n}", f"not an extraction record ({err})")
