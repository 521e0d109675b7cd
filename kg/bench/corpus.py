"""Benchmark corpus: many realistic articles and article graphs, made up deterministically.

Stage: bench. Input: sentences of real articles (``seeds/*.txt`` by default), the cast of
:mod:`kg.bench.casting` and ``lexicons/corpus.yaml``; output: :class:`kg.model.Article`
objects with names, codes and dates swapped, and synthetic :class:`kg.model.ArticleGraph`.

The graphs are shaped like kg's extractions, for the store and query benchmarks. For
benchmarks only: generated text is never a test of extraction quality.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

from kg.bench.casting import Cast, cast, corpus_words
from kg.ids import entity_key
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation
from kg.vocab import (
    ATTENDED,
    CHAIRED,
    DOCUMENT,
    EVENT,
    HEAD_OF,
    HELD_IN,
    IMPLEMENTS,
    ISSUED_BY,
    LOCATED_IN,
    MEMBER_OF,
    ORGANIZATION,
    PERSON,
    PLACE,
    SPOKE_AT,
)

# the cast lives in kg.bench.casting; callers import it from here too
__all__ = [
    "DEFAULT_SOURCES",
    "MONTHS",
    "Cast",
    "cast",
    "generate_articles",
    "load_sentences",
    "split_sentences",
    "synthetic_graph",
    "synthetic_graphs",
]

#: Where the sentences come from when no source is given: the project's seed articles.
DEFAULT_SOURCES = (str(Path(__file__).resolve().parents[2] / "seeds"),)

MONTHS = (
    "January February March April May June July August September October November December"
).split()

_MONTH_DAY = re.compile(
    r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,\s*(\d{4})\b)?"
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_NAME_SYLLABLE = re.compile(r"[A-Z][a-z]{0,6}")


@cache
def _sentence_end() -> re.Pattern[str]:
    # "." ends a sentence unless it closes one of the abbreviations ("Resolution No. 18")
    abbreviations = "".join(
        rf"(?<!\b{re.escape(a)})" for a in corpus_words("sentence_abbreviations")
    )
    return re.compile(abbreviations + r"(?<=[.!?])\s+(?=[A-Z\"“])")


@cache
def _not_name() -> frozenset[str]:
    # words that follow a family name in these texts but are not name syllables
    return frozenset(corpus_words("not_name"))


def split_sentences(text: str) -> list[str]:
    r"""Split text into sentences: every line break, and ``. ! ?`` before a capital.

    Examples:
        >>> split_sentences("Resolution No. 5 was issued. It is new.\nA caption")
        ['Resolution No. 5 was issued.', 'It is new.', 'A caption']
    """
    out: list[str] = []
    for line in text.splitlines():
        out.extend(s.strip() for s in _sentence_end().split(line) if s.strip())
    return out


def load_sentences(sources: Iterable[str] = DEFAULT_SOURCES, min_words: int = 6) -> list[str]:
    """Return the distinct sentences of real articles, page furniture left out.

    Args:
        sources: article files or directories (anything :func:`kg.read.articles.read_articles`
            takes).
        min_words: shorter lines (captions, credits, headings) are dropped.

    Returns:
        Sentences in reading order, each once.

    Raises:
        ValueError: the sources hold no usable sentence.
    """
    from kg.read.articles import read_articles

    seen: dict[str, None] = {}
    for item in read_articles(list(sources)):
        if not isinstance(item, Article):
            continue
        text = list(item.text)
        for start, end in item.skip:
            text[start:end] = [" " if c != "\n" else c for c in text[start:end]]
        for sentence in split_sentences("".join(text)):
            if len(sentence.split()) >= min_words and "http" not in sentence:
                seen.setdefault(sentence, None)
    if not seen:
        raise ValueError(f"no sentences of {min_words}+ words in {', '.join(sources)}")
    return list(seen)


# ------------------------------------------------------------------ articles


class _Recaster:
    """Swap the names of one generated article, consistently within the article."""

    def __init__(self, c: Cast, rng: random.Random, date: str) -> None:
        self.c = c
        self.rng = rng
        self.date = date
        self.province = c.provinces.draw(rng)
        self.swapped: dict[str, str] = {}
        self.provinces_seen = 0

    def _place(self, text: str) -> str:
        c, rng = self.c, self.rng
        kind = c.place_kind[c.place_id[text]]
        if kind == "province":
            self.provinces_seen += 1
            pid = self.province if self.provinces_seen == 1 else c.provinces.draw(rng)
        else:  # a district or city: one of the article's province when there is one
            local = c.places_in.get(self.province) or c.towns
            pid = rng.choice(local)
        return c.place_name[pid]

    def _body(self, text: str) -> str:
        same = self.c.bodies.get(self.c.body_kind[text], (text,))
        return self.rng.choice(same)

    def _person(self, text: str) -> str | None:
        words = text.split()
        if any(w in _not_name() or not _NAME_SYLLABLE.fullmatch(w) for w in words[1:]):
            return None
        return str(self.c.people.draw(self.rng))

    def _code(self, text: str) -> str:
        rng = self.rng
        out = re.sub(r"^\d+", lambda m: str(rng.randint(1, 99)), text)
        return re.sub(r"/\d{4}/", lambda m: f"/{rng.randint(2011, 2025)}/", out)

    def _month_day(self, m: re.Match[str], first: bool) -> str:
        y, mo, d = (int(x) for x in self.date.split("-"))
        if not first:
            mo, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
        text = f"{MONTHS[mo - 1]} {d}"
        return text + (f", {y if first else y - self.rng.randint(0, 3)}" if m[3] else "")

    def recast(self, sentence: str, lead: bool = False) -> str:
        """Return the sentence with its names, codes and dates swapped."""
        spans: list[tuple[int, int, str]] = []
        taken = [False] * len(sentence)

        def claim(start: int, end: int, new: str | None) -> None:
            if new is None or any(taken[start:end]):
                return
            taken[start:end] = [True] * (end - start)
            spans.append((start, end, new))

        first_date = lead
        for m in _MONTH_DAY.finditer(sentence):
            claim(m.start(), m.end(), self._month_day(m, first_date))
            first_date = False
        for m in _NUMERIC_DATE.finditer(sentence):
            mo, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
            claim(m.start(), m.end(), f"{d:02d}/{mo:02d}/{m[3]}")
        for pattern, swap in (
            (self.c.code_re, self._code),
            (self.c.place_re, self._place),
            (self.c.body_re, self._body),
            (self.c.person_re, self._person),
        ):
            for m in pattern.finditer(sentence):
                if any(taken[m.start() : m.end()]):
                    continue
                old = m.group()
                new = self.swapped.get(old)
                if new is None:
                    new = swap(old)
                    if new is not None:
                        self.swapped[old] = new
                claim(m.start(), m.end(), new)
        out, at = [], 0
        for start, end, new in sorted(spans):
            out.append(sentence[at:start])
            out.append(new)
            at = end
        out.append(sentence[at:])
        return "".join(out)


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate_articles(
    n: int,
    seed: int = 0,
    *,
    sentences: tuple[int, int] = (8, 24),
    sources: Iterable[str] | None = None,
    prefix: str = "bench",
    max_sentence_words: int | None = None,
) -> Iterator[Article]:
    """Yield ``n`` made-up articles, lazily (memory does not grow with ``n``).

    Each article is a lead sentence that dates a meeting followed by sentences of real
    articles in paragraphs of one to three, with officials, provinces, districts,
    central bodies, document codes and dates swapped from the gazetteers; a name is
    swapped the same way throughout one article. Article ``i`` depends only on ``seed``
    and ``i``.

    Args:
        n: how many articles.
        seed: the random seed.
        sentences: the range of sentences per article.
        sources: where the sentences come from (default: the seed articles).
        prefix: doc ids are ``<prefix>-<seed>-<i>.txt``.
        max_sentence_words: use only sentences this short (news briefs).

    Yields:
        Articles with ``date`` set.

    Examples:
        >>> a, b = generate_articles(2, seed=1, sentences=(2, 3))
        >>> a.doc_id, a.date == next(generate_articles(1, seed=1)).date
        ('bench-1-000000.txt', True)
    """
    pool: Sequence[str] = _sentences(tuple(sources) if sources is not None else DEFAULT_SOURCES)
    if max_sentence_words is not None:
        pool = [s for s in pool if len(s.split()) <= max_sentence_words] or pool
    leads = [s for s in pool if _MONTH_DAY.search(s) and len(s.split()) < 80] or pool
    c = cast(seed)
    lo, hi = sentences
    for i in range(n):
        rng = random.Random(f"kg.bench.corpus:{seed}:{i}")
        date = _date(rng)
        recaster = _Recaster(c, rng, date)
        body = [recaster.recast(rng.choice(leads), lead=True)]
        body += [recaster.recast(rng.choice(pool)) for _ in range(rng.randint(lo, hi) - 1)]
        paragraphs, k = [], 0
        while k < len(body):
            step = rng.randint(1, 3)
            paragraphs.append(" ".join(body[k : k + step]))
            k += step
        yield Article(
            doc_id=f"{prefix}-{seed}-{i:06d}.txt",
            text="\n".join(paragraphs) + "\n",
            source="kg.corpus",
            date=date,
        )


@cache
def _sentences(sources: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(load_sentences(sources))


# ------------------------------------------------------------------ article graphs


def _span(rng: random.Random) -> tuple[int, int]:
    start = rng.randint(0, 20_000)
    return start, start + rng.randint(4, 60)


class _GraphBuilder:
    """Collect the entities and relations of one synthetic graph (one random stream)."""

    def __init__(self, rng: random.Random, pool: Sequence[str]) -> None:
        self.rng = rng
        self.pool = pool
        self.entities: list[Entity] = []
        self.keys: dict[str, str] = {}
        self.relations: list[Relation] = []

    def add(
        self,
        etype: str,
        name: str,
        key: str | None = None,
        date: str | None = None,
        attrs: dict[str, str] | None = None,
    ) -> str:
        """Add an entity once per key, with made-up mentions and spans; return its local id."""
        key = key or entity_key(etype, name)
        if key in self.keys:
            return self.keys[key]
        local = f"e{len(self.entities) + 1}"
        self.keys[key] = local
        rng = self.rng
        mentions = (name,) if rng.random() < 0.85 else (name, name.split()[-1])
        spans = tuple(_span(rng) for _ in range(rng.randint(1, 8)))
        attributes = tuple(sorted((attrs or {}).items()))
        self.entities.append(Entity(local, etype, name, key, mentions, spans, date, attributes))
        return local

    def rel(self, s: str, p: str, o: str, title: str | None = None) -> None:
        """Add a relation whose evidence is a random sentence of the pool."""
        sentence = self.rng.choice(self.pool)
        start = self.rng.randint(0, 20_000)
        ev = Evidence(sentence, start, start + len(sentence), f"synthetic.{p}.v1")
        self.relations.append(Relation(s, p, o, ev, title))


def synthetic_graph(i: int, seed: int = 0) -> ArticleGraph:
    """Return one made-up ArticleGraph shaped like kg's extraction of a news article.

    Counts follow what the pipeline finds in real articles: one meeting, 3-30 officials
    (most attend, some speak or chair, most hold a post), 6-30 bodies, 2-12 places,
    2-12 documents, with evidence sentences taken from :func:`generate_articles` text.
    Popular officials, provinces, bodies and documents recur across graphs.

    Args:
        i: the graph's number (its doc id is ``synthetic-<seed>-<i>.txt``).
        seed: the random seed.

    Returns:
        The graph; :func:`kg.graph.rdf.to_quads` turns it into about 1,700 quads on average.
    """
    c = cast(seed)
    rng = random.Random(f"kg.bench.corpus.graph:{seed}:{i}")
    doc = f"synthetic-{seed}-{i:06d}.txt"
    date = _date(rng)
    g = _GraphBuilder(rng, _sentences(DEFAULT_SOURCES))
    province = c.provinces.draw(rng)
    pname = c.place_name[province]
    noun = rng.choice(c.events)
    event = g.add(EVENT, noun, entity_key(EVENT, noun, date=date, place=pname), date=date)
    where = g.add(PLACE, pname)
    g.rel(event, HELD_IN, where)
    local_places = c.places_in.get(province, ())
    for pid in rng.sample(local_places, min(len(local_places), rng.randint(1, 11))):
        if pid in c.place_name:
            g.rel(g.add(PLACE, c.place_name[pid]), LOCATED_IN, where)
    bodies = _add_bodies(g, c, pname, where)
    _add_documents(g, c, bodies)
    _add_officials(g, c, bodies, event)
    article = Article(doc, "", source="kg.bench.corpus/synthetic", date=date, title=f"Meeting {i}")
    return ArticleGraph(article, tuple(g.entities), tuple(g.relations))


def _add_bodies(g: _GraphBuilder, c: Cast, pname: str, where: str) -> list[str]:
    """Add bodies of the province (located in it) and central ones; return their ids."""
    local_bodies = [b.format(place=pname) for b in corpus_words("local_bodies")]
    bodies = []
    for name in local_bodies[: g.rng.randint(2, len(local_bodies))]:
        b = g.add(ORGANIZATION, name)
        bodies.append(b)
        g.rel(b, LOCATED_IN, where)
    for _ in range(g.rng.randint(4, 23)):
        bodies.append(g.add(ORGANIZATION, c.central.draw(g.rng)))
    return bodies


def _add_documents(g: _GraphBuilder, c: Cast, bodies: list[str]) -> None:
    """Add documents, each issued by one body and implemented by another."""
    types = corpus_words("document_types")
    for _ in range(g.rng.randint(2, 12)):
        code, year = c.documents.draw(g.rng)
        dtype = types[code.split("-")[1][:2]]
        name = f"{dtype} No. {code}"
        key = entity_key(DOCUMENT, name, code=code, year=year)
        d = g.add(DOCUMENT, name, key, date=year, attrs={"code": code, "doc_type": dtype})
        g.rel(d, ISSUED_BY, g.rng.choice(bodies))
        g.rel(g.rng.choice(bodies), IMPLEMENTS, d)


def _add_officials(g: _GraphBuilder, c: Cast, bodies: list[str], event: str) -> None:
    """Add officials: the first chairs the meeting, most attend, most hold a post."""
    rng = g.rng
    officials = [g.add(PERSON, str(c.people.draw(rng))) for _ in range(rng.randint(3, 30))]
    for n, person in enumerate(officials):
        if n == 0 or rng.random() < 0.05:
            g.rel(person, CHAIRED, event)
        elif rng.random() < 0.3:
            g.rel(person, SPOKE_AT, event)
        elif rng.random() < 0.85:
            g.rel(person, ATTENDED, event)
        if rng.random() < 0.8:
            title = rng.choice(c.titles)
            pred = HEAD_OF if rng.random() < 0.4 else MEMBER_OF
            g.rel(person, pred, rng.choice(bodies), title)


def synthetic_graphs(n: int, seed: int = 0, start: int = 0) -> Iterator[ArticleGraph]:
    """Yield ``n`` graphs of :func:`synthetic_graph`, numbered from ``start``."""
    for i in range(start, start + n):
        yield synthetic_graph(i, seed)
