"""Relations, shared room: the article context every rule reads and writes, and its words.

Input: the parsed Doc, its mentions and their resolution; output: :class:`RelDraft` records
with their evidence sentence. Reads ``kg/data/lexicons/relations.yaml`` (word lists) and
takes predicate and class names from :mod:`kg.vocab` (``kg/data/ontology/kg.ttl``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.errors import DataFileError
from kg.extract.lexicon import Lexicon, Place
from kg.extract.mentions import Mention, main_district
from kg.extract.nlp.components import EVENT, TITLE
from kg.ids import entity_key
from kg.model import Evidence
from kg.names import honorifics, norm_key
from kg.read.dates import find_dates
from kg.resources import data_path, load_yaml
from kg.vocab import ATTENDED, CHAIRED, ORGANIZATION, SPOKE_AT

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.extract.resolve import Draft, Resolution

#: the event roles, strongest first: a person who chaired also spoke and attended
ROLES = (CHAIRED, SPOKE_AT, ATTENDED)

_WORDS_FILE = "lexicons/relations.yaml"


@dataclass(frozen=True, slots=True)
class Words:
    """The word lists of ``kg/data/lexicons/relations.yaml`` (its comments say what each is)."""

    separators: tuple[str, ...]
    appointed: tuple[str, ...]
    meet_verbs: frozenset[str]
    visitor_gap: tuple[str, ...]
    fronted_openers: tuple[str, ...]
    inversion_verbs: tuple[str, ...]
    time_openers: tuple[str, ...]
    place_words: tuple[str, ...]
    led_bodies: tuple[str, ...]
    document_determiners: tuple[str, ...]
    occasion_heads: dict[str, tuple[str, ...]]
    place_prepositions: tuple[str, ...]
    implementer_list: tuple[str, ...]
    generic_joiners: tuple[str, ...]
    place_rank: dict[str, int]


@cache
def words() -> Words:
    """Read the relation rules' word lists once per process.

    Raises:
        DataFileError: the file lacks a list or a list holds something other than words.
    """
    data = load_yaml(_WORDS_FILE)

    def strings(value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise DataFileError(str(data_path(_WORDS_FILE)), None, f"{key}: not a list of words")
        return tuple(value)  # occasion_heads' lists are checked here, not by load_words

    def get(key: str) -> Any:
        if not isinstance(data, dict) or key not in data:
            raise DataFileError(str(data_path(_WORDS_FILE)), None, f'"{key}" missing')
        return data[key]

    lists = {
        k: strings(get(k), k)
        for k in Words.__dataclass_fields__
        if k not in ("meet_verbs", "occasion_heads", "place_rank")
    }
    return Words(
        meet_verbs=frozenset(strings(get("meet_verbs"), "meet_verbs")),
        occasion_heads={k: strings(v, k) for k, v in get("occasion_heads").items()},
        place_rank={str(k): int(v) for k, v in get("place_rank").items()},
        **lists,
    )


@dataclass(slots=True)
class RelDraft:
    """A relation between two drafts, with its evidence (``starts``: the post begins)."""

    subject: Draft
    predicate: str
    object: Draft
    evidence: Evidence
    title: str | None = None
    starts: bool = False


@dataclass(eq=False)
class Ctx:
    """Everything the rules of one article share: its inputs, and what earlier rules found."""

    doc: Doc
    text: str
    mentions: list[Mention]
    res: Resolution
    main: Place | None
    lex: Lexicon
    year: int | None
    sents: list[Span] = field(init=False)
    toks: list[Token] = field(init=False)  # one Token object per token, not one per access
    doc_text: str = field(init=False)  # the text the model read (Doc.text is not kept)
    by_sent: dict[int, list[Mention]] = field(init=False, default_factory=dict)
    out: list[RelDraft] = field(init=False, default_factory=list)
    _seen: set[tuple[str, str, str]] = field(init=False, default_factory=set)
    # filled by the title rules, read by the meeting and implementation rules:
    # id(person mention) -> its titles; -> the end of its titles after it; -> the start
    # of its titles before it; id(title mention) -> its holder
    attached: dict[int, list[Mention]] = field(init=False, default_factory=dict)
    chain_end: dict[int, int] = field(init=False, default_factory=dict)
    chain_start: dict[int, int] = field(init=False, default_factory=dict)
    person_of_title: dict[int, Draft] = field(init=False, default_factory=dict)
    group_chairs: list[tuple[Draft, int]] = field(init=False, default_factory=list)  # group heads
    issuer_mentions: set[int] = field(init=False, default_factory=set)  # id(body) of an issuer
    title_tokens: set[int] = field(init=False, default_factory=set)
    event_tokens: set[int] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self.sents = list(self.doc.sents)
        self.toks = list(self.doc)
        self.doc_text = "".join([t.text_with_ws for t in self.toks])  # = doc.text
        for m in self.mentions:
            self.by_sent.setdefault(m.sent, []).append(m)
        for m in self.mentions:
            if m.label == TITLE:
                self.title_tokens.update(range(m.start, m.end))
            elif m.label == EVENT:
                self.event_tokens.update(range(m.start, m.end))

    def evidence(self, sent: int, rule: str) -> Evidence:
        """Return the evidence of a relation found in sentence ``sent`` by ``rule``."""
        s = self.sents[sent]
        return Evidence(
            self.text[s.start_char : s.end_char].strip(), s.start_char, s.end_char, rule
        )

    def add(
        self,
        subj: Draft | None,
        pred: str,
        obj: Draft | None,
        sent: int,
        rule: str,
        title: str | None = None,
        starts: bool = False,
    ) -> None:
        """Record a relation once; one with a missing or identical end is dropped."""
        if subj is None or obj is None or subj is obj:
            return
        k = (subj.id, pred, obj.id)
        if k in self._seen:
            return
        self._seen.add(k)
        self.out.append(RelDraft(subj, pred, obj, self.evidence(sent, rule), title, starts))

    def province_draft(self) -> Draft | None:
        """Return the Place entity of the article's province, if it has one."""
        return self.res.place(self.main) if self.main is not None else None

    def gap_ok(
        self, a: int, b: int, allow_titles: bool = True, allow: tuple[str, ...] | None = None
    ) -> bool:
        """Tell whether tokens [a, b) are only separators, honorifics/ranks or title tokens."""
        if allow is None:
            allow = words().separators
        for i in range(a, b):
            t = self.doc[i]
            if t.is_space or t.text in allow or t.lower_ in allow:
                continue
            if allow_titles and i in self.title_tokens:
                continue
            if t.lower_.rstrip(".") in honorifics() or t.text == ".":
                continue
            return False
        return True


def org_draft(ctx: Ctx, name: str) -> Draft:
    """Return the Organization entity of this name, created if the article has none yet."""
    return ctx.res.get_or_add(ORGANIZATION, name, norm_key(name), entity_key(ORGANIZATION, name))


def sent_at(ctx: Ctx, char: int) -> int:
    """Return the index of the sentence holding a character offset (0 if none does)."""
    for i, s in enumerate(ctx.sents):
        if s.start_char <= char < s.end_char:
            return i
    return 0


def article_year(text: str, article_date: str | None) -> int | None:
    """Return the article's year: its date's, else the latest year it mentions."""
    if article_date:
        return int(article_date[:4])
    years = [int(iso[:4]) for _, _, iso in find_dates(text) if len(iso) >= 4]
    return max(years) if years else None


def main_ministry(ctx: Ctx) -> Draft | None:
    """The ministry an article is about: the only one it names."""
    ministries = [
        d for d in ctx.res.drafts if d.type == ORGANIZATION and d.name.startswith("Ministry of")
    ]
    return ministries[0] if len(ministries) == 1 else None


def district_draft(ctx: Ctx) -> Draft | None:
    """The Place entity of the district the article is about, if it names one."""
    district = main_district(ctx.mentions)
    return ctx.res.place(None, district) if district else None
