"""The mention record and the scan state every room of the mention grammar shares.

Stage: mentions. Input: a parsed article (spaCy Doc with its ``kg_raw`` ruler spans) and
the :class:`~kg.extract.lexicon.Lexicon`; output: the :class:`Mention` type, its labels,
and :class:`Scan`, the token state (taken tokens, bodies by position) the rooms extend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from spacy.util import filter_spans

from kg.extract.lexicon import Lexicon, Place
from kg.extract.mentions.words import Words, words
from kg.extract.nlp.components import BODY_HEAD, NBODY, SPANS_KEY

# the span labels the rooms share, re-exported with the mention labels defined here
from kg.extract.nlp.components import EVENT as EVENT
from kg.extract.nlp.components import PLACE as PLACE
from kg.extract.nlp.components import TITLE as TITLE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


PERSON = "PERSON"
ORG = "ORG"
DOC = "DOC"
PROVREF = "PROVREF"
SHORTREF = "SHORTREF"

_ORD = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.I)

# ethnic-minority syllables with an apostrophe ("Cu M'gar", "H'Mong")
_APOSTROPHE_NAME = re.compile(r"^[A-Z][a-z]*['’][A-Za-z][a-z]*$")


class MentionInfo(TypedDict, total=False):
    """The facts a mention carries besides its span and name; which keys depends on the label.

    Bodies (ORG): ``local``, ``head`` (a head id of ``bodies.yaml``, "national", "plenum"
    or "foreign"), ``level``, ``place``/``place_name`` (as written), ``ordinal``, ``tail``
    ("Department of <tail>"), ``written`` (the head as written), ``kind``, ``issuer_like``,
    ``sub``/``parent`` (sub-bodies), ``virtual`` (only an entity when a title is someone's),
    and, set by naming, ``localities`` and ``resolved_place``/``resolved_place_name``.
    Titles: ``written``, ``plural``, ``body``, ``group``, ``title_start``, ``title_end``.
    Documents: ``type``, ``code``, ``number``, ``issuer_code``, ``issuer``, ``named_issuer``,
    ``issued_here``, ``reference``, ``place`` (plannings). Places: ``place``, ``kind``.
    """

    local: bool
    head: str
    level: str | None
    place: Place | None
    place_name: str | None
    ordinal: str | None
    tail: str | None
    written: str
    kind: str
    issuer_like: bool
    sub: bool
    parent: Mention | None
    virtual: bool
    localities: dict[str, str | None]
    resolved_place: Place | None
    resolved_place_name: str | None
    plural: bool
    body: Mention | None
    group: bool
    title_start: int
    title_end: int
    type: str
    code: str
    number: str
    issuer_code: str
    issuer: Mention
    named_issuer: bool
    issued_here: bool
    reference: bool


def local_body_info(
    head: str,
    level: str | None,
    place: Place | None,
    place_name: str | None,
    ordinal: str | None = None,
    tail: str | None = None,
    written: str = "",
    local: bool = True,
) -> MentionInfo:
    """The facts of a local body: "[ordinal] [place] [level] <head> [tail]"."""
    return {
        "local": local,
        "head": head,
        "level": level,
        "place": place,
        "place_name": place_name,
        "ordinal": ordinal,
        "tail": tail,
        "written": written,
    }


@dataclass(slots=True)
class Mention:
    """One typed mention.

    Attributes:
        label: PERSON, ORG, PLACE, DOC, TITLE, EVENT, PROVREF or SHORTREF.
        start: first token index; end: one past the last token.
        start_char, end_char: character offsets in the article text.
        sent: index of the sentence.
        name: canonical name (entities), title id (TITLE), noun (EVENT).
        key: place id, central-body name, head id or title id.
        info: label-specific facts (:class:`MentionInfo`).
    """

    label: str
    start: int
    end: int
    start_char: int
    end_char: int
    sent: int
    name: str = ""
    key: str = ""
    info: MentionInfo = field(default_factory=lambda: MentionInfo())


def ordinal(text: str) -> str | None:
    """Normalise an ordinal token ("13th", "Fourth") to digits+suffix, else None.

    Examples:
        >>> ordinal("13th"), ordinal("Fourth"), ordinal("Lang")
        ('13th', '4th', None)
    """
    m = _ORD.match(text)
    if m:
        return text.lower()
    n = words().ordinals.get(text.lower())
    if n is None:
        return None
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def as_written(text: str) -> str:
    """A body head as written, in title case ("economic zone management board").

    Examples:
        >>> as_written("economic zone management board")
        'Economic Zone Management Board'
        >>> as_written("Propaganda and Education Board")
        'Propaganda and Education Board'
    """
    small = {"and", "of", "for", "on", "the"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in text.split())


class Scan:
    """The state of one article's scan, shared by the rooms (one mixin per kind of thing).

    Every room reads the tokens and ruler spans, marks the tokens it uses as ``taken``
    (so later rooms leave them alone) and appends to ``out``; bodies are also indexed by
    where they start and end, so titles and documents find the body they name.
    """

    doc: Doc
    toks: list[Token]
    text: str
    lex: Lexicon
    w: Words
    sent_of: list[int]
    raw: list[Span]
    raw_at: dict[int, Span]
    raw_end: dict[int, Span]
    raw_cover: dict[int, list[Span]]
    ents: list[Span]
    doc_text: str
    lowers: list[str]
    taken: set[int]
    out: list[Mention]
    org_at: dict[int, Mention]
    org_end: dict[int, Mention]

    def __init__(self, doc: Doc, text: str, lex: Lexicon) -> None:
        self.doc = doc
        self.toks = list(doc)  # one Token object per token, not one per access
        self.text = text
        # the folded text (Doc.text makes every Token again on each access)
        self.doc_text = "".join([t.text_with_ws for t in self.toks])
        self.lowers = [t.lower_ for t in self.toks]  # read for most tokens, often twice
        self.lex = lex
        self.w = words()
        self.sent_of = [0] * len(doc)
        for si, sent in enumerate(doc.sents):
            for t in range(sent.start, sent.end):
                self.sent_of[t] = si
        self.raw = self._filter_raw(list(doc.spans[SPANS_KEY]))
        self.raw_at = {s.start: s for s in self.raw}
        self.raw_end = {s.end: s for s in self.raw}
        self.raw_cover = {}  # token -> the raw spans over it
        for s in self.raw:
            for i in range(s.start, s.end):
                self.raw_cover.setdefault(i, []).append(s)
        self.ents = list(doc.ents)  # doc.ents is rebuilt on every access
        self.taken = set()
        self.out = []
        self.org_at = {}
        self.org_end = {}

    def _filter_raw(self, spans: list[Span]) -> list[Span]:
        # A central body and a local head of the same words ("Vietnam Fatherland Front"):
        # with a level word or place before it, it is the local body.
        keep = []
        for s in spans:
            if s.label_ == NBODY and any(
                o.label_ == BODY_HEAD and o.start == s.start and o.end == s.end for o in spans
            ):
                prev = self.toks[s.start - 1] if s.start > 0 else None
                if prev is not None and (prev.lower_ in self.lex.levels or prev.is_title):
                    continue
            if s.label_ == BODY_HEAD and any(
                o.label_ == NBODY and o.start == s.start and o.end == s.end for o in spans
            ):
                prev = self.toks[s.start - 1] if s.start > 0 else None
                if prev is None or not (prev.lower_ in self.lex.levels or prev.is_title):
                    continue
            keep.append(s)
        return sorted(filter_spans(keep), key=lambda s: s.start)

    # ---- making mentions ---------------------------------------------------------
    def mention(
        self,
        label: str,
        start: int,
        end: int,
        name: str = "",
        key: str = "",
        info: MentionInfo | None = None,
    ) -> Mention:
        """Make a mention over tokens [start, end)."""
        toks = self.doc[start:end]
        return Mention(
            label,
            start,
            end,
            toks.start_char,
            toks.end_char,
            self.sent_of[start],
            name=name,
            key=key,
            info=MentionInfo() if info is None else info,
        )

    def central(self, start: int, end: int, name: str, virtual: bool = False) -> Mention:
        """A central (non-local) body mention named ``name``."""
        info: MentionInfo = {"local": False, "head": "national"}
        if virtual:
            info["virtual"] = True
        return self.mention(ORG, start, end, name=name, key=name, info=info)

    def _add_org(self, m: Mention) -> None:
        self.out.append(m)
        self.org_at[m.start] = m
        self.org_at.setdefault(self.skip_the(m.start), m)
        self.org_end[m.end] = m
        self.taken.update(range(m.start, m.end))

    def _hide_org(self, m: Mention) -> None:
        """Keep a body named inside another's name as an entity only.

        Titles and documents attach to the outer name ("Standing Committee of the Lang Son
        Provincial Party Committee"), not to the inner one.
        """
        self.org_at = {k: v for k, v in self.org_at.items() if v is not m}
        self.org_end = {k: v for k, v in self.org_end.items() if v is not m}

    def _remove_org(self, m: Mention) -> None:
        self.out.remove(m)
        self.org_at = {k: v for k, v in self.org_at.items() if v is not m}
        self.org_end = {k: v for k, v in self.org_end.items() if v is not m}
        self.taken.difference_update(range(m.start, m.end))

    # ---- reading tokens ----------------------------------------------------------
    def tok(self, i: int) -> Token | None:
        """The token at ``i``, or None outside the article."""
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def lower(self, i: int) -> str:
        """The lower-case text of the token at ``i`` ("" outside the article)."""
        return self.lowers[i] if 0 <= i < len(self.lowers) else ""

    def skip_the(self, i: int) -> int:
        """The index after "the" at ``i``, else ``i``."""
        return i + 1 if self.lower(i) == "the" else i

    def is_ordinal(self, i: int) -> str | None:
        """The normalised ordinal at token ``i`` ("13th"), else None."""
        t = self.tok(i)
        return ordinal(t.text) if t is not None else None

    def place_span_ending(self, end: int) -> Span | None:
        """The ruler's place span ending at ``end``, if any."""
        s = self.raw_end.get(end)
        return s if s is not None and s.label_ == PLACE else None

    def gazetteer_place(self, span: Span) -> Place | None:
        """The gazetteer place a ruler span names."""
        return self.lex.place(span.id_)

    def _raw_near(self, i: int) -> list[Span]:
        return self.raw_cover.get(i, [])

    def _namey(self, i: int) -> bool:
        """A capitalised name word ("Binh", "M'gar"), not one of the stop words."""
        t = self.toks[i]
        return (
            (t.is_alpha and t.is_title) or bool(_APOSTROPHE_NAME.match(t.text))
        ) and t.text not in self.w.stop_name

    def _name_at(self, i: int) -> bool:
        t1 = self.tok(i + 1)
        return t1 is not None and t1.is_title and t1.is_alpha

    def cap_run_before(self, end: int, max_len: int = 3) -> int:
        """Start index of a run of capitalised name words ending at ``end`` (or ``end``)."""
        i = end - 1
        while i >= 0 and end - i <= max_len:
            t = self.toks[i]
            if not self._namey(i) or t.is_sent_start:
                if self._namey(i) and t.is_sent_start:
                    i -= 1
                break
            if i in self.taken or any(
                # a one-word place may start a longer name: "Vinh Linh", "Vinh Chau"
                not (s.label_ == PLACE and len(s) == 1)
                for s in self._raw_near(i)
            ):
                break
            i -= 1
        return i + 1
