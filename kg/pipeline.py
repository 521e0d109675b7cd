"""Pipeline: Article -> ArticleGraph, the only place the extraction stages are chained.

Stage: pipeline. ``extract(article, nlp)`` runs nlp -> mentions -> resolve -> relations
on one article; ``extract_all`` streams many through ``nlp.pipe`` (optionally in several
processes) and yields one ArticleGraph per article, in input order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.lexicon import lexicon
from kg.mentions import extract_mentions
from kg.model import Article, ArticleGraph, Entity, Relation
from kg.names import fold
from kg.relations import extract_relations
from kg.resolve import resolve_mentions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


def prepare_text(article: Article) -> str:
    r"""The text the model reads: diacritics folded, page furniture blanked.

    Both keep every character offset, so evidence points into ``article.text``.

    Examples:
        >>> prepare_text(Article("a", "Ông Trần Văn An.\nComment (0)", skip=((17, 28),)))
        'Ong Tran Van An.\n           '
    """
    chars = list(fold(article.text))
    for start, end in article.skip:
        for i in range(max(start, 0), min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def build_graph(article: Article, doc: Doc) -> ArticleGraph:
    """Turn one parsed article into its ArticleGraph.

    Args:
        article: the article (its ``text`` is what offsets refer to).
        doc: ``nlp(prepare_text(article))``.

    Returns:
        Entities (one per real-world thing) and relations with evidence.
    """
    mentions, main = extract_mentions(doc, article.text)
    res = resolve_mentions(mentions, article.text)
    rels, _event = extract_relations(
        doc, article.text, mentions, res, main, lexicon(), article.date
    )
    entities = tuple(
        Entity(
            id=d.id,
            type=d.type,
            name=d.name,
            key=d.key,
            mentions=tuple(d.mentions),
            spans=tuple(d.spans),
            date=d.date,
            attrs=tuple(sorted(d.attrs.items())),
        )
        for d in res.drafts
    )
    relations = tuple(
        Relation(r.subject.id, r.predicate, r.object.id, r.evidence, r.title) for r in rels
    )
    return ArticleGraph(article, entities, relations)


def extract(article: Article, nlp: Language) -> ArticleGraph:
    """Extract one article.

    Args:
        article: the input article.
        nlp: the pipeline from :func:`kg.nlp.build_nlp`.

    Returns:
        Its ArticleGraph.
    """
    return build_graph(article, nlp(prepare_text(article)))


def extract_all(
    articles: Iterable[Article], nlp: Language, workers: int = 1, batch_size: int = 8
) -> Iterator[ArticleGraph]:
    """Extract many articles, streaming: one ArticleGraph per article, in order.

    Args:
        articles: any iterable (it is consumed lazily, so memory stays flat).
        nlp: the pipeline from :func:`kg.nlp.build_nlp`.
        workers: processes for spaCy (``n_process``).
        batch_size: articles per batch sent to a process.

    Yields:
        ArticleGraph per article.
    """
    pairs = ((prepare_text(a), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=workers, batch_size=batch_size):
        yield build_graph(article, doc)
