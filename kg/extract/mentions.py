"""Mentions: a parsed article (spaCy Doc) -> list of typed, canonicalised mentions.

Stage: mentions. Input: the Doc made by :func:`kg.extract.nlp.build_nlp` (its ``kg_raw`` spans
mark places, central bodies, body heads, titles, document types and meeting nouns).
Output: :class:`Mention` objects for officials, bodies, documents, places, titles,
meetings and "the province" references, composed by the grammar of ``lexicons/*.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.util import filter_spans

from kg.extract.lexicon import Lexicon, Place, lexicon
from kg.extract.nlp.components import BODY_HEAD, DOCTYPE, EVENT, NBODY, PLACE, SPANS_KEY, TITLE
from kg.names import honorifics, norm_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON = "PERSON"
ORG = "ORG"
DOC = "DOC"
PROVREF = "PROVREF"
SHORTREF = "SHORTREF"

_ORD = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.I)
_ORD_WORDS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split()
    )
}
_PLENUM_NOUNS = r"(?:Conference|Plenum|Plenary Session|Plenary Meeting|Plenary|Meeting)"
_ORD_TXT = r"(?:\d{1,2}(?:st|nd|rd|th)|[A-Z][a-z]+(?:st|nd|rd|th))"
_PLENUM_A = re.compile(
    rf"(?P<n>{_ORD_TXT})\s+(?:(?:Central\s+(?:Party\s+)?)|(?:Party\s+Central\s+Committee\s+)|"
    rf"(?:Central\s+Committee\s+))?(?P<noun>{_PLENUM_NOUNS})"
    rf"(?:\s+of\s+the\s+(?P<m>{_ORD_TXT})(?:[- ](?:term|tenure))?"
    rf"\s+(?:Party\s+)?Central\s+Committee"
    rf"|\s*\(\s*(?P<m2>{_ORD_TXT})\s+(?:term|tenure)\s*\))?",
    re.I,
)
_PLENUM_B = re.compile(
    rf"(?P<m>{_ORD_TXT})(?:[- ](?:term|tenure))?\s+(?:Party\s+)?Central\s+Committee(?:'s|’s)?\s+"
    rf"(?P<n>{_ORD_TXT})\s+(?P<noun>{_PLENUM_NOUNS})",
    re.I,
)
_STOP_NAME = {
    "The",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "Of",
    "And",
    "For",
    "With",
    "Party",
    "Province",
    "Provincial",
    "City",
    "District",
    "Commune",
    "Ward",
    "Town",
    "Committee",
    "Council",
    "Department",
    "Ministry",
    "Office",
    "Board",
    "Union",
    "Front",
    "Resolution",
    "Conclusion",
    "Directive",
    "Regulation",
    "Decision",
    "Plan",
    "Program",
    "Photo",
    "Source",
    "News",
    "Video",
    "Comment",
    "Conference",
    "Congress",
    "Delta",
    "Region",
    "Secretary",
    "Chairman",
    "Chairwoman",
    "Director",
    "Minister",
    "Head",
    "Chief",
    "Member",
    "Members",
    "Deputy",
    "Vice",
    "Standing",
    "Permanent",
    "General",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Vietnam",
    "State",
    "Government",
    "National",
    "Assembly",
    "People",
    "Central",
    "Mr",
    "Mrs",
    "Ms",
    "Comrade",
    "Economic",
    "Zone",
    "Industrial",
    "Park",
    "Agencies",
    "Bloc",
    "Group",
    "Military",
    "Army",
}


# Ede and Jarai women's names open with "H'" fused to the given name ("H'Rin Mlo")
_ETHNIC_FIRST = re.compile(r"^H['’][A-Z][a-z]+$")

# ethnic-minority syllables with an apostrophe ("Cu M'gar", "H'Mong")
_APOSTROPHE_NAME = re.compile(r"^[A-Z][a-z]*['’][A-Za-z][a-z]*$")

# an abbreviation defined in brackets: "(PPC)", "(DOLISA)", "(MoIT)"
_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z]{1,7}$")

# plural heads that distribute over a list of places
_PLURAL_HEADS = {
    "people's committees": "peoples-committee",
    "people's councils": "peoples-council",
    "party committees": "party-committee",
}

# "of the <noun>" after a title refers back to a body named earlier
_GENERIC_BODY_NOUNS = {
    "commission",
    "ministry",
    "committee",
    "department",
    "council",
    "board",
    "union",
    "front",
    "office",
    "delegation",
    "agency",
    "court",
    "procuracy",
    "association",
    "federation",
    "bank",
    "province",
    "city",
    "district",
    "commune",
}

# heads of party committees (their "Standing Board" is their "Standing Committee")
_PARTY_HEADS = {"party-committee", "party-office", "party-standing-committee"}

# heads whose ordinal is part of the name ("17th Provincial Party Congress")
_ORDINAL_HEADS = {"party-congress", "national-party-congress"}

# prepositions before place names
_LOCATIVES = ("in", "at", "of", "from", "to", "across")

# words after a place name that say what kind of place it is
_PLACE_KIND_WORDS = {
    "city",
    "province",
    "district",
    "commune",
    "ward",
    "town",
    "township",
    "districts",
    "communes",
    "wards",
    "towns",
    "provinces",
    "cities",
}
_SINGULAR_KINDS = {"district", "commune", "ward", "town", "province", "city"}
_PLURAL_KINDS = {
    "districts": "district",
    "communes": "commune",
    "wards": "ward",
    "towns": "town",
    "provinces": "province",
    "cities": "city",
}

# capitalised words that may stand before a central body's name without making it
# another country's ("Vietnamese National Assembly", "Communist Party of Vietnam ...")
_OWN_QUALIFIERS = {"Vietnam", "Vietnamese", "Viet", "Nam", "Communist", "CPV", "VN", "The", "Our"}

# central bodies elected for a numbered term
_TERMED_BODIES = {"Party Central Committee", "National Assembly"}

# words that make a capitalised phrase an institution, not a person ("Inspection Committees")
_INSTITUTION_WORDS = {
    "border",
    "gate",
    "station",
    "international",
    "company",
    "corporation",
    "bank",
    "school",
    "university",
    "hospital",
    "institute",
    "academy",
    "centre",
    "center",
    "port",
    "order",
    "medal",
    "prize",
    "award",
    "committee",
    "committees",
    "commission",
    "commissions",
    "council",
    "councils",
    "department",
    "departments",
    "union",
    "unions",
    "association",
    "associations",
    "office",
    "offices",
    "board",
    "boards",
    "party",
    "province",
    "city",
    "ministry",
    "agency",
    "agencies",
    "group",
    "delegation",
    "front",
    "bloc",
    "zone",
    "park",
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
        info: label-specific facts (see the builders below).
    """

    label: str
    start: int
    end: int
    start_char: int
    end_char: int
    sent: int
    name: str = ""
    key: str = ""
    info: dict[str, Any] = field(default_factory=dict)


def ordinal(text: str) -> str | None:
    """Normalise an ordinal token ("13th", "Fourth") to digits+suffix, else None.

    Examples:
        >>> ordinal("13th"), ordinal("Fourth"), ordinal("Lang")
        ('13th', '4th', None)
    """
    m = _ORD.match(text)
    if m:
        return text.lower()
    n = _ORD_WORDS.get(text.lower())
    if n is None:
        return None
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Builder:
    """Composes mentions for one Doc (one article)."""

    def __init__(self, doc: Doc, text: str, lex: Lexicon) -> None:
        self.doc = doc
        self.toks = list(doc)  # one Token object per token, not one per access
        self.text = text
        self.lex = lex
        self.sent_of = [0] * len(doc)
        for si, sent in enumerate(doc.sents):
            for t in range(sent.start, sent.end):
                self.sent_of[t] = si
        self.raw = self._filter_raw(list(doc.spans[SPANS_KEY]))
        self.raw_at = {s.start: s for s in self.raw}
        self.raw_end = {s.end: s for s in self.raw}
        self.raw_cover: dict[int, list[Span]] = {}  # token -> the raw spans over it
        for s in self.raw:
            for i in range(s.start, s.end):
                self.raw_cover.setdefault(i, []).append(s)
        self.ents = list(doc.ents)  # doc.ents is rebuilt on every access
        self.taken: set[int] = set()
        self.out: list[Mention] = []
        self.org_at: dict[int, Mention] = {}
        self.org_end: dict[int, Mention] = {}

    # ---- helpers -----------------------------------------------------------------
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

    def mention(self, label: str, start: int, end: int, **kw: Any) -> Mention:
        """Make a mention over tokens [start, end)."""
        toks = self.doc[start:end]
        return Mention(label, start, end, toks.start_char, toks.end_char, self.sent_of[start], **kw)

    def central(self, start: int, end: int, name: str, **info: Any) -> Mention:
        """A central (non-local) body mention named ``name``."""
        return self.mention(
            ORG, start, end, name=name, key=name, info={"local": False, "head": "national", **info}
        )

    def tok(self, i: int) -> Token | None:
        return self.toks[i] if 0 <= i < len(self.doc) else None

    def lower(self, i: int) -> str:
        t = self.tok(i)
        return t.lower_ if t is not None else ""

    def skip_the(self, i: int) -> int:
        return i + 1 if self.lower(i) == "the" else i

    def place_span_ending(self, end: int) -> Span | None:
        s = self.raw_end.get(end)
        return s if s is not None and s.label_ == PLACE else None

    def _namey(self, i: int) -> bool:
        """A capitalised name word ("Binh", "M'gar"), not one of the stop words."""
        t = self.toks[i]
        return (
            (t.is_alpha and t.is_title) or bool(_APOSTROPHE_NAME.match(t.text))
        ) and t.text not in _STOP_NAME

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

    def _raw_near(self, i: int) -> list[Span]:
        return self.raw_cover.get(i, [])

    def is_ordinal(self, i: int) -> str | None:
        t = self.tok(i)
        return ordinal(t.text) if t is not None else None

    # ---- places ----------------------------------------------------------------
    def gazetteer_place(self, span: Span) -> Place | None:
        return self.lex.place(span.id_)

    # ---- bodies ----------------------------------------------------------------
    def local_bodies(self) -> None:
        """Compose local bodies around each BODY_HEAD span (first pass, no parents)."""
        for s in self.raw:
            if s.label_ != BODY_HEAD:
                continue
            spec = self.lex.heads[s.id_]
            if spec.get("parent") and s.id_ != "party-standing-committee":
                continue  # sub-bodies: second pass
            m = self._local_body(s, spec)
            if m is not None:
                self._add_org(m)
        self._plural_bodies()

    def _plural_bodies(self) -> None:
        """Find one body per place in "the People's Committees of Kien Giang and Ca Mau".

        The bodies share their tokens with the place names, which stay places too.
        """
        toks = self.toks
        for k, t in enumerate(toks):
            head = _PLURAL_HEADS.get(t.lower_ if k == 0 else f"{toks[k - 1].lower_} {t.lower_}")
            if head is None and k > 1:
                head = _PLURAL_HEADS.get(f"{toks[k - 2].lower_}{toks[k - 1].lower_} {t.lower_}")
            if head is None or self.lower(k + 1) != "of":
                continue
            i = self.skip_the(k + 2)
            while i in self.raw_at and self.raw_at[i].label_ == PLACE:
                span = self.raw_at[i]
                place = self.gazetteer_place(span)
                if place is not None and place.kind in ("province", "city", "district"):
                    m = self.mention(
                        ORG,
                        span.start,
                        span.end,
                        key=head,
                        info={
                            "local": True,
                            "head": head,
                            "level": None,
                            "place": place,
                            "place_name": None,
                            "ordinal": None,
                            "tail": None,
                            "written": "",
                        },
                    )
                    self.out.append(m)
                i = span.end
                if self.lower(i) in ("province", "provinces", "city", "district"):
                    i += 1
                if self.lower(i) in (",", "and"):
                    i += 1
                    if self.lower(i) == "and":
                        i += 1
                else:
                    break

    def _prefix(self, start: int) -> tuple[int, str | None, Place | None, str | None, str | None]:
        """Read "[ordinal] [place] [level]" leftwards from ``start``.

        Returns:
            (new start, level word, gazetteer place, other place name, ordinal).
        """
        level = None
        place: Place | None = None
        place_name: str | None = None
        pl = self.place_span_ending(start)
        if pl is not None and self.toks[pl.end - 1].lower_ in self.lex.levels:
            level = self.toks[pl.end - 1].text.capitalize()  # "Quynh Phu District"
        lv = self.tok(start - 1)
        if lv is not None and lv.text in ("'s", "’s") and self.lower(start - 2) in self.lex.levels:
            start -= 1  # "the commune's Fatherland Front Committee"
            lv = self.tok(start - 1)
        if pl is None and lv is not None and lv.lower_ in self.lex.levels and lv.is_alpha:
            level = lv.text.capitalize()
            start -= 1
            pl = self.place_span_ending(start)
        if pl is not None:
            place = self.gazetteer_place(pl)
            start = pl.start
            if level == "City" and place is not None and place.kind == "province":
                cap = self.lex.place(place.capital)
                if cap is not None and cap.same_name_as_province:
                    place = cap
        elif level in ("District", "Commune", "Ward", "Town", "City"):
            run = self.cap_run_before(start)
            if run < start:
                place_name = self.doc[run:start].text
                start = run
        ordn = self.is_ordinal(start - 1)
        if ordn:
            start -= 1
        elif self.lower(start - 1) in ("th", "st", "nd", "rd") and self.is_ordinal(start - 2):
            ordn = self.is_ordinal(start - 2)
            start -= 2
        return start, level, place, place_name, ordn

    def _local_body(self, s: Span, spec: dict[str, Any]) -> Mention | None:
        start, level, place, place_name, ordn = self._prefix(s.start)
        end = s.end
        tail = None
        if spec.get("tail"):
            tail, end = self._tail(end, opener_needed=not s.text.lower().endswith(" of"))
            if not tail:
                return None
        demonym = self.toks[start - 1].text if start > 0 else ""
        if self.lex.demonyms.get(demonym, "Vietnam") != "Vietnam" and place is None:
            # "the Australian Department of Foreign Affairs and Trade": another country's
            name = self.doc[start - 1 : end].text
            return self.mention(
                ORG, start - 1, end, name=name, key=name, info={"local": False, "head": "foreign"}
            )
        if self.lower(end) == "of" and place is None and place_name is None:
            owner = self.raw_at.get(self.skip_the(end + 1))
            if owner is not None and owner.label_ == NBODY:
                # "Department of Planning and Finance of the Ministry of Education and ..."
                written = _as_written(s.text) + (f" {tail}" if tail else "")
                name = f"{written} of the {owner.id_}"
                return self.central(start, owner.end, name)
        # "Party Committee of Lang Son province", "Department of Finance of Thai Binh"
        if place is None and place_name is None and self.lower(end) == "of":
            j = self.skip_the(end + 1)
            pl2 = self.raw_at.get(j)
            run = j
            while run < len(self.doc) and run - j < 3 and self._namey(run):
                run += 1
            if pl2 is not None and pl2.label_ == PLACE:
                place = self.gazetteer_place(pl2)
                end = pl2.end
                nxt = self.lower(end)
                if nxt in ("province", "city", "district", "commune", "ward", "town"):
                    if nxt == "city" and place is not None and place.kind == "province":
                        cap = self.lex.place(place.capital)
                        if cap is not None and cap.same_name_as_province:
                            place = cap
                    elif place is not None and place.kind != nxt and nxt != "province":
                        # "Party Committee of Dong Van commune": not the district Dong Van
                        place_name, level, place = self.doc[pl2.start : end].text, nxt.title(), None
                    end += 1
            elif run > j and self.lower(run) in ("district", "commune", "ward", "town"):
                # "Party Committee of Ea Tul commune": a place outside the gazetteer
                place_name, level, end = self.doc[j:run].text, self.lower(run).title(), run + 1
        if spec.get("national"):
            # "Central Working Group", "Directorate of Fisheries": named as written
            return self.central(s.start, end, s.text + (f" {tail}" if tail else ""))
        if (
            spec.get("needs_level")
            and level is None
            and place is None
            and place_name is None
            and not (s.id_ == "party-congress" and ordn)
        ):
            return None
        if spec.get("needs_ordinal") and not ordn:
            return None
        if level and self.lex.levels.get(level.lower()) == "country":
            level = "National"
        if s.id_ == "party-congress" and ordn and level is None and place is None:
            level = "National"  # "the 13th Party Congress" is the national one
        return self.mention(
            ORG,
            start,
            end,
            key=s.id_,
            info={
                "local": level != "National" and s.id_ != "national-party-congress",
                "head": s.id_,
                "level": level,
                "place": place,
                "place_name": place_name,
                # a committee's term number names the same body; a congress's does not
                "ordinal": ordn if s.id_ in _ORDINAL_HEADS else None,
                "tail": tail,
                "written": s.text,
            },
        )

    def _tail(self, i: int, opener_needed: bool) -> tuple[str | None, int]:
        """Read the field after "Department of" / "Steering Committee for"."""
        if opener_needed:
            if self.lower(i) not in ("for", "on", "of"):
                return None, i
            i += 1
        words: list[str] = []
        j = i
        while j < len(self.doc):
            t = self.toks[j]
            if t.is_title and t.is_alpha and t.text not in ("The",) and j not in self.taken:
                if t.lower_ in honorifics() or t.text in self.lex.surnames and self._name_at(j):
                    break
                if j in self.raw_at and self.raw_at[j].label_ in (TITLE, BODY_HEAD, DOCTYPE):
                    break
                words.append(t.text_with_ws)
                j += 1
            elif t.lower_ in ("and", "&") or t.text in ("-", ","):
                nxt = self.tok(j + 1)
                if nxt is None or not (nxt.is_title and nxt.is_alpha) or (j + 1) in self.raw_at:
                    break
                if t.text == "," and (nxt.lower_ in honorifics() or nxt.text in self.lex.surnames):
                    break
                words.append(t.text_with_ws)
                j += 1
            elif t.is_upper and t.is_alpha and len(t.text) <= 5:  # "Anti-Corruption", "PGI"
                words.append(t.text_with_ws)
                j += 1
            else:
                break
        tail = "".join(words).strip().rstrip(",").strip()
        while tail.endswith((" and", " &")):
            tail = tail.rsplit(" ", 1)[0]
            j -= 1
        if not tail:
            return None, i
        # end index: the last token consumed
        k = j
        while k > i and self.toks[k - 1].text in (",", "and", "&", "-"):
            k -= 1
        return tail, k

    def _name_at(self, i: int) -> bool:
        t1 = self.tok(i + 1)
        return t1 is not None and t1.is_title and t1.is_alpha

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

    def plenums(self) -> None:
        """Central Committee plenums: "4th Conference of the 13th Party Central Committee"."""
        if "Central" not in self.doc.text and "central" not in self.doc.text:
            return
        for rx in (_PLENUM_B, _PLENUM_A):
            for mt in rx.finditer(self.doc.text):
                n = ordinal(mt.group("n"))
                m_ = mt.groupdict().get("m") or mt.groupdict().get("m2")
                has_central = "central" in mt.group(0).lower()
                if n is None or not has_central:
                    continue
                span = self.doc.char_span(mt.start(), mt.end(), alignment_mode="expand")
                if span is None or any(i in self.taken for i in range(span.start, span.end)):
                    continue
                mo = ordinal(m_) if m_ else None
                name = (
                    f"{n} Conference of the " + (f"{mo} " if mo else "") + "Party Central Committee"
                )
                self._add_org(
                    self.mention(
                        ORG,
                        span.start,
                        span.end,
                        name=name,
                        key="plenum",
                        info={"local": False, "head": "plenum", "issuer_like": True},
                    )
                )

    def national_bodies(self) -> None:
        """Central bodies from the gazetteer, with ordinals ("12th Party Central Committee")."""
        for s in self.raw:
            if s.label_ != NBODY or any(i in self.taken for i in range(s.start, s.end)):
                continue
            start, end = s.start, s.end
            canonical = s.id_
            termed = canonical in _TERMED_BODIES  # "12th Party Central Committee"
            if self._foreign_qualifier(start):
                continue  # "Lao National Assembly", "Revolutionary Party Central Committee"
            ordn = self.is_ordinal(start - 1) if termed else None
            if ordn:
                start -= 1
            elif (
                termed
                and self.lower(start - 1) in ("term", "tenure")
                and self.is_ordinal(start - 3)
            ):
                ordn = self.is_ordinal(start - 3)
                start -= 3
            if termed and not ordn and self.lower(end) == "(" and self.is_ordinal(end + 1):
                if self.lower(end + 2) in ("term", "tenure") and self.lower(end + 3) == ")":
                    ordn = self.is_ordinal(end + 1)
                    end += 4
            name = f"{ordn} {canonical}" if ordn else canonical
            kind = self.lex.bodies.get(canonical, {}).get("kind", "")
            self._add_org(
                self.mention(
                    ORG,
                    start,
                    end,
                    name=name,
                    key=canonical,
                    info={
                        "local": False,
                        "head": "national",
                        "kind": kind,
                        "ordinal": ordn,
                        "issuer_like": bool(ordn),
                    },
                )
            )

    def _foreign_qualifier(self, start: int) -> bool:
        """Tell whether an unknown capitalised word qualifies the body at ``start``."""
        prev = self.tok(start - 1)
        if prev is None or prev.is_sent_start or not (prev.is_title and prev.is_alpha):
            return False
        if prev.text in _OWN_QUALIFIERS or self.is_ordinal(start - 1):
            return False
        return not any(s.start <= prev.i < s.end for s in self._raw_near(prev.i))

    def sub_bodies(self) -> None:
        """Second pass: Standing Committee / Organization Board / ... of a parent body."""
        for s in self.raw:
            if s.label_ != BODY_HEAD or any(i in self.taken for i in range(s.start, s.end)):
                continue
            spec = self.lex.heads[s.id_]
            if not spec.get("parent"):
                continue
            start, end = s.start, s.end
            parent = None
            # "<sub> of the <parent>"
            if self.lower(end) == "of":
                parent = self.org_at.get(self.skip_the(end + 1))
                if parent is not None:
                    end = parent.end
            # "<parent>'s <sub>" / "<parent> <sub>"
            if parent is None:
                k = start - 1 if self.lower(start - 1) in ("'s", "'") else start
                cand = self.org_end.get(k)
                if cand is not None and cand.info.get("local") is not None:
                    parent = cand
                    start = cand.start
            level = None
            lv = self.tok(start - 1)
            if parent is None and lv is not None and lv.lower_ in self.lex.levels:
                level = lv.text.capitalize()
                start -= 1
            if parent is not None:
                self._hide_org(parent)
            self._add_org(
                self.mention(
                    ORG,
                    start,
                    end,
                    key=s.id_,
                    info={
                        "local": True,
                        "head": s.id_,
                        "sub": True,
                        "parent": parent,
                        "level": level,
                        "written": s.text,
                    },
                )
            )
        # "the 24th Congress of the Yen Lac District Party Committee"
        for m in list(self.out):
            if m.label != ORG or m.info.get("head") != "party-committee":
                continue
            k = m.start - 1 if self.lower(m.start - 1) == "the" else m.start
            if self.lower(k - 1) == "of" and self.lower(k - 2) == "congress":
                ordn = self.is_ordinal(k - 3)
                if ordn:
                    self._remove_org(m)
                    info = dict(m.info, head="party-congress", ordinal=ordn, written="Congress")
                    self._add_org(self.mention(ORG, k - 3, m.end, key="party-congress", info=info))
        # "Party Committee of the <bloc / ministry>"
        for m in list(self.out):
            if m.label != ORG or m.info.get("head") != "party-committee" or m.info.get("level"):
                continue
            if self.lower(m.end) == "of":
                other = self.org_at.get(self.skip_the(m.end + 1))
                if other is not None and other.info.get("head") not in (
                    "party-committee",
                    "peoples-committee",
                    "peoples-council",
                ):
                    self._remove_org(other)
                    self._remove_org(m)
                    self._add_org(
                        self.mention(
                            ORG,
                            m.start,
                            other.end,
                            key="party-committee-of",
                            info={
                                "local": other.info.get("local", False),
                                "head": "party-committee-of",
                                "sub": True,
                                "parent": other,
                                "written": "Party Committee",
                            },
                        )
                    )

    def abbreviations(self) -> None:
        """Bodies defined with an abbreviation and then called by it.

        "Provincial People's Committee (PPC)" ... "Chairman of PPC"; a place before the
        abbreviation names another body of the same kind ("Chairman of Ha Quang DPC").
        """
        toks = self.toks
        defined: dict[str, Mention] = {}
        for m in [m for m in self.out if m.label == ORG]:
            if (
                m.end + 2 < len(toks)
                and toks[m.end].text == "("
                and toks[m.end + 2].text == ")"
                and _ABBREVIATION.match(toks[m.end + 1].text)
            ):
                defined.setdefault(toks[m.end + 1].text, m)
                self.taken.update(range(m.end, m.end + 3))
        # "District People's Committees (DPC)": a kind of body, named by place when used
        kinds: dict[str, tuple[str, str | None]] = {}
        for i in range(4, len(toks) - 2):
            abbr = toks[i + 1].text
            if toks[i].text != "(" or toks[i + 2].text != ")" or abbr in defined:
                continue
            if not _ABBREVIATION.match(abbr):
                continue
            words = [t.lower_ for t in toks[i - 4 : i]]  # e.g. district people 's committees
            if " ".join(words[-2:]) in _PLURAL_HEADS:  # "party committees"
                head, level_word = _PLURAL_HEADS[" ".join(words[-2:])], words[-3]
            elif f"{words[-3]}{words[-2]} {words[-1]}" in _PLURAL_HEADS:  # "people's ..."
                head, level_word = _PLURAL_HEADS[f"{words[-3]}{words[-2]} {words[-1]}"], words[0]
            else:
                continue
            level = level_word.title() if level_word in self.lex.levels else None
            kinds[abbr] = (head, level)
            self.taken.update(range(i, i + 3))
        for i, t in enumerate(toks):
            if t.text not in kinds or i in self.taken:
                continue
            head, level = kinds[t.text]
            start, written_level, place, place_name, _ = self._prefix(i)
            if place is None and place_name is None:
                run = self.cap_run_before(i)
                if run < i:
                    start, place_name = run, self.doc[run:i].text
            if place is not None or place_name is not None:
                info = {
                    "local": True,
                    "head": head,
                    "level": written_level or level,
                    "place": place,
                    "place_name": place_name,
                    "ordinal": None,
                    "tail": None,
                    "written": "",
                }
                self._add_org(self.mention(ORG, start, i + 1, key=head, info=info))
        if not defined:
            return
        for i, t in enumerate(toks):
            model = defined.get(t.text)
            if model is None or i in self.taken:
                continue
            info = dict(model.info)
            start = i
            if info.get("local") and not info.get("sub"):
                new_start, level, place, place_name, _ = self._prefix(i)
                if place is not None or place_name is not None:
                    start = new_start
                    info.update(
                        place=place, place_name=place_name, level=level or info.get("level")
                    )
            m = self.mention(ORG, start, i + 1, name=model.name, key=model.key, info=info)
            self._add_org(m)

    # ---- titles ------------------------------------------------------------------
    def titles(self) -> None:
        for s in self.raw:
            if s.label_ != TITLE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            spec = self.lex.titles[s.id_]
            plural = s.text.lower() not in {f.lower() for f in spec.get("forms", [])}
            start, end = s.start, s.end
            body: Mention | None = None
            group = False
            if self.lower(end) == "of":
                j = end + 1
                body = self.org_at.get(self.skip_the(j))
                if body is not None:
                    end = body.end
                else:
                    j2 = self.skip_the(j)
                    if self.lower(j2) == "discussion":
                        j2 += 1
                    if self.lower(j2) in self.lex.group_words:
                        group = True
                        end = j2 + 1
                        while self.tok(end) is not None and (
                            self.toks[end].like_num or self.toks[end].lower_ in ("no", ".")
                        ):
                            end += 1
                    elif spec.get("template"):
                        body, end = self._template_body(spec["template"], j, end)
                    if body is None and not group and self.lower(j2) in _GENERIC_BODY_NOUNS:
                        # "Deputy Head of the commission": the body of that kind named just
                        # before; the words belong to the title either way
                        end = j2 + 1
                        body = self._named_before(s.start, self.lower(j2))
            if body is None and not group:
                before = self.org_end.get(start)
                if before is not None:
                    body = before
                    start = before.start
            if body is None and not group and s.text.lower().split()[0] == "party":
                # "Provincial Party Secretary", "Dong Van District Party Secretary"
                body = self._party_committee_before(s.start)
                if body is not None:
                    start = body.start
            if body is None and not group and spec.get("template"):
                # "Foreign Minister", "Finance Minister"
                run = self.cap_run_before(s.start)
                if run < s.start:
                    words = self.doc[run : s.start].text
                    canonical = self.lex.body_canonical(
                        f"{words} Ministry"
                    ) or self.lex.body_canonical(spec["template"].format(words))
                    if canonical:
                        body = self.central(run, s.start, canonical)
                        self._add_org(body)
                        start = run
            foreign = self.lex.demonyms.get(self.toks[s.start - 1].text) if s.start > 0 else None
            if foreign == "Vietnam":
                foreign = None
            if body is None and not group and foreign and spec.get("default_body") == "Government":
                # "Lao Prime Minister X" heads the Government of Laos
                body = self.central(s.start - 1, s.end, f"Government of {foreign}", virtual=True)
                start = s.start - 1
            if body is None and not group and spec.get("default_body") and not foreign:
                # made an entity only when the title is someone's (kg.extract.relations)
                body = self.central(s.start, s.end, spec["default_body"], virtual=True)
            if spec.get("requires_body") and body is None:
                continue
            self.out.append(
                self.mention(
                    TITLE,
                    start,
                    end,
                    name=s.id_,
                    key=s.id_,
                    info={
                        "written": s.text,
                        "plural": plural,
                        "body": body,
                        "group": group,
                        "title_start": s.start,
                        "title_end": s.end,
                    },
                )
            )
            self.taken.update(range(s.start, s.end))

    def _party_committee_before(self, start: int) -> Mention | None:
        new_start, level, place, place_name, _ = self._prefix(start)
        if level is None and place is None:
            return None
        m = self.mention(
            ORG,
            new_start,
            start,
            key="party-committee",
            info={
                "local": True,
                "head": "party-committee",
                "level": level,
                "place": place,
                "place_name": place_name,
                "ordinal": None,
                "tail": None,
            },
        )
        self._add_org(m)
        return m

    def _named_before(self, before: int, noun: str) -> Mention | None:
        """Find the last body named before ``before`` whose name ends with ``noun``.

        It is looked for in the same or the previous sentence: "the commission" after
        "Central Mass Mobilisation Commission".
        """
        sent = self.sent_of[before]
        for m in sorted(self.out, key=lambda m: m.start, reverse=True):
            if m.label != ORG or m.start >= before or self.sent_of[m.start] < sent - 1:
                continue
            last = (m.name or (m.info.get("written") or "")).split()[-1:] or [""]
            if last[0].lower() == noun:
                return m
        return None

    def _template_body(self, template: str, j: int, end: int) -> tuple[Mention | None, int]:
        j = self.skip_the(j)
        tail, k = self._tail(j, opener_needed=False)
        if not tail:
            return None, end
        name = template.format(tail)
        canonical = self.lex.body_canonical(name) or name
        m = self.central(j, k, canonical)
        self._add_org(m)
        return m, k

    # ---- persons -----------------------------------------------------------------
    def persons(self) -> None:
        doc = self.doc
        toks = self.toks
        i = 0
        n = len(doc)
        while i < n:
            t = toks[i]
            in_place = any(
                s.label_ == PLACE and len(s) > 1 and s.start <= i < s.end for s in self._raw_near(i)
            )
            over_place = self._name_over_place(i)
            if (
                i in self.taken
                or (t.text not in self.lex.surnames and not _ETHNIC_FIRST.match(t.text))
                or not t.is_title
                or (in_place and not over_place)
            ):
                i += 1
                continue
            j = i + 1
            while (
                j < n
                and j - i < 4
                and j not in self.taken
                and toks[j].is_title
                and toks[j].is_alpha
                and (toks[j].text not in _STOP_NAME or self._middle_the(j))
                and toks[j].lower_ not in _INSTITUTION_WORDS
                and (
                    over_place  # "Dong Van Thanh": the district "Dong Van" is inside a name
                    or not (
                        j in self.raw_at
                        and self.raw_at[j].label_ != EVENT
                        and not (self.raw_at[j].label_ == PLACE and len(self.raw_at[j]) == 1)
                    )
                )
            ):
                j += 1
                if j + 1 < n and toks[j].text == "-" and toks[j + 1].is_lower and j - i >= 2:
                    j += 2  # "Kang Min-seok"
            nxt = self.lower(j)
            if (
                j - i >= 2
                and nxt not in _PLACE_KIND_WORDS
                and (j - i > 2 or self._supported_short_name(i, j))
            ):
                self.out.append(self.mention(PERSON, i, j, name=doc[i:j].text))
                self.taken.update(range(i, j))
                i = j
            else:
                i += 1
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            words = [t for t in ent if t.i not in self.taken]
            while words and (words[0].lower_.rstrip(".") in honorifics() or not words[0].is_title):
                words = words[1:]
            if len(words) < 2 or len(words) > 4:
                continue
            a, b = words[0].i, words[-1].i + 1
            if b + 1 < len(toks) and toks[b].text == "-" and toks[b + 1].is_lower:
                b += 2  # "Kang Min-seok"
            if any(k in self.taken for k in range(a, b)):
                continue
            if not all(toks[k].is_title and toks[k].is_alpha for k in range(a, b)):
                continue
            if any(
                toks[k].text in _STOP_NAME or toks[k].lower_ in _INSTITUTION_WORDS
                for k in range(a, b)
            ):
                continue
            if any(k in self.raw_at for k in range(a, b)) or self.lower(b) in _PLACE_KIND_WORDS:
                continue
            if b - a == 2 and self.lower(a - 1) in _LOCATIVES:
                continue  # "Unity Day in Cu San": a place the model calls a person
            self.out.append(self.mention(PERSON, a, b, name=doc[a:b].text))
            self.taken.update(range(a, b))

    def _middle_the(self, j: int) -> bool:
        """Tell whether "The" (Thế) is a middle name here: "Lai The Nguyen"."""
        nxt = self.tok(j + 1)
        return (
            self.toks[j].text == "The"
            and nxt is not None
            and nxt.is_title
            and nxt.is_alpha
            and nxt.text not in _STOP_NAME
            and (j + 1) not in self.raw_at
        )

    def _supported_short_name(self, i: int, j: int) -> bool:
        """Tell whether a two-syllable name at [i, j) reads as a person.

        "To Lam" is a person after a title or an honorific, before ", <title>", or where
        the statistical model says so; "Can Loc" in a list of districts is not.
        """
        prev = self.tok(i - 1)
        if prev is not None and (
            prev.lower_.rstrip(".") in honorifics()
            or (i in self.raw_end and self.raw_end[i].label_ == TITLE)
        ):
            return True
        if self.lower(j) == "," and (j + 1) in self.raw_at and self.raw_at[j + 1].label_ == TITLE:
            return True
        if prev is not None and prev.lower_ in (*_LOCATIVES, "and"):
            return False  # "in Huong Khe", "and Tran De": places the model calls people
        return any(e.label_ == "PERSON" and e.start <= i and j <= e.end for e in self.ents)

    def place_lists(self) -> None:
        """Find places named in lists.

        "the districts of Can Loc and Vu Quang", "Yen Dong and Te Lo communes".
        """
        doc = self.doc
        for k, t in enumerate(self.toks):
            kind = _PLURAL_KINDS.get(t.lower_)
            if kind is None:
                continue
            runs: list[tuple[int, int]] = []
            if self.lower(k + 1) == "of":  # "districts of A, B and C"
                i = k + 2
                while i < len(doc):
                    e = i
                    while e < len(doc) and e - i < 3 and self._place_word(e):
                        e += 1
                    if e == i:
                        break
                    runs.append((i, e))
                    if self.lower(e) in (",", "and") and self._place_word(e + 1):
                        i = e + 1
                    elif self.lower(e) == "," and self.lower(e + 1) == "and":
                        i = e + 2
                    else:
                        break
            else:  # "A, B and C communes"
                e = k
                while e > 0:
                    i = e
                    while i > 0 and e - i < 3 and self._place_word(i - 1):
                        i -= 1
                    if i == e:
                        break
                    runs.append((i, e))
                    if self.lower(i - 1) in (",", "and") and self._place_word(i - 2):
                        e = i - 1
                    else:
                        break
            if len(runs) < 1 or (
                len(runs) == 1 and self.lower(k + 1) != "of" and k > 0 and runs[0][1] != k
            ):
                continue
            for a, b in runs:
                if b - a == 1 and self.toks[a].text in self.lex.demonyms:
                    continue  # "Vietnamese provinces"; "An Lao" is a district
                # "communes of Gio Linh district": the run says its own kind
                own = self.lower(b)
                self._add_place_name(a, b, own if own in _SINGULAR_KINDS else kind)

    def _place_word(self, i: int) -> bool:
        t = self.tok(i)
        return (
            t is not None
            and i not in self.taken
            and t.is_title
            and t.is_alpha
            and t.text not in _STOP_NAME
            and not (i in self.raw_at and self.raw_at[i].label_ not in (PLACE,))
        )

    def _add_place_name(self, a: int, b: int, kind: str) -> None:
        """A place of a known kind over tokens [a, b): the gazetteer's if it agrees."""
        name = self.doc[a:b].text
        place = self.lex.place_named(name)
        if place is not None and place.kind == kind:
            self.out.append(
                self.mention(PLACE, a, b, name=place.display, key=place.id, info={"place": place})
            )
        else:
            shown = f"{name} town" if kind == "town" else name
            self.out.append(
                self.mention(PLACE, a, b, name=shown, key="", info={"kind": kind, "place": None})
            )
        self.taken.update(range(a, b))

    def _name_over_place(self, i: int) -> bool:
        """Tell whether surname + middle name + given name starts at token i.

        Such a name is a person even where a place name hides inside it
        ("Dong Van Thanh" holds the district "Dong Van").
        """
        doc = self.doc
        toks = self.toks
        if i + 2 >= len(doc) or toks[i].text not in self.lex.surnames:
            return False
        for s in self._raw_near(i):
            place = self.lex.place(s.id_) if s.label_ == PLACE else None
            if place is not None and place.kind in ("province", "country", "region"):
                return False  # "Lang Son Needs ..." is a headline about the province
        mid, given = toks[i + 1], toks[i + 2]
        return (
            mid.text in self.lex.middle_names
            and given.is_title
            and given.is_alpha
            and given.text not in _STOP_NAME
            and given.lower_ not in self.lex.levels
        )

    def titled_names(self) -> None:
        """Names the surname list does not know, right after a title or honorific.

        "Lao Prime Minister Khamphoui Vongsa", "Ambassador Park Jin-woo".
        """
        doc = self.doc
        toks = self.toks
        anchors = {s.end for s in self.raw if s.label_ == TITLE}
        anchors |= {m.end for m in self.out if m.label == TITLE}  # "... Secretary of X A Pot"
        anchors |= {t.i + 1 for t in self.toks if t.lower_.rstrip(".") in honorifics()}
        for a in sorted(anchors):
            # "Ambassador of the Republic of Korea to Vietnam Park Jin-woo"
            while self.lower(a) in ("of", "to", "the") or (
                a in self.raw_at and self.raw_at[a].label_ == PLACE
            ):
                a = self.raw_at[a].end if a in self.raw_at else a + 1
            if a >= len(doc) or a in self.taken:
                continue
            b = a
            while b < len(doc) and b - a < 4:
                t = toks[b]
                if self._name_word(b):
                    b += 1
                elif t.text == "-" and b > a and b + 1 < len(doc) and toks[b + 1].is_lower:
                    b += 2  # "Jin-woo"
                else:
                    break
            if b - a >= 2 and self.lower(b) not in _PLACE_KIND_WORDS:
                self.out.append(self.mention(PERSON, a, b, name=doc[a:b].text))
                self.taken.update(range(a, b))

    def _name_word(self, i: int) -> bool:
        t = self.toks[i]
        return (
            i not in self.taken
            and t.is_title
            and t.is_alpha
            and t.text not in _STOP_NAME
            and t.text not in self.lex.demonyms
            and t.lower_ not in _INSTITUTION_WORDS
            and i not in self.raw_at
            and not any(s.start < i < s.end for s in self._raw_near(i))
        )

    def given_name_refs(self) -> None:
        """A person's given name alone as a subject: "Vinh said", "Hien noted that"."""
        given: dict[str, set[str]] = {}
        for m in self.out:
            if m.label == PERSON:
                given.setdefault(self.toks[m.end - 1].text, set()).add(m.name)
        for i, t in enumerate(self.toks):
            if i in self.taken or len(given.get(t.text, ())) != 1:
                continue
            j = i + 1
            while j < len(self.toks) and self.toks[j].pos_ in ("ADV", "AUX", "PART"):
                j += 1
            if j < len(self.toks) and self.toks[j].pos_ == "VERB" and not self.toks[j].is_title:
                self.out.append(self.mention(SHORTREF, i, i + 1, name=t.text))
                self.taken.add(i)

    def short_refs(self) -> None:
        """Title or honorific + one capitalised word: "General Secretary Trong", "Comrade Hai"."""
        titles_end = {m.end for m in self.out if m.label == TITLE}
        for i, t in enumerate(self.toks):
            if i in self.taken or not (t.is_title and t.is_alpha) or t.text in _STOP_NAME:
                continue
            prev = self.tok(i - 1)
            if prev is None:
                continue
            after_title = i in titles_end
            after_hon = prev.lower_.rstrip(".") in honorifics() or (
                prev.text == "." and self.lower(i - 2) in ("mr", "mrs", "ms")
            )
            nxt = self.tok(i + 1)
            if (after_title or after_hon) and not (nxt is not None and nxt.is_title):
                self.out.append(self.mention(SHORTREF, i, i + 1, name=t.text))
                self.taken.add(i)

    # ---- places ------------------------------------------------------------------
    def places(self) -> None:
        for s in self.raw:
            if s.label_ != PLACE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            place = self.gazetteer_place(s)
            if place is None:
                continue
            end = s.end
            nxt = self.lower(end)
            after = self.tok(end)
            if (
                len(s) == 1
                and after is not None
                and self._namey(end)
                and end not in self.raw_at
                and after.lower_ not in _PLACE_KIND_WORDS
            ):
                continue  # "Vinh Tuong": "Vinh" is only the start of a longer name
            if len(s) == 1 and (
                s.start in self.raw_end
                and self.raw_end[s.start].label_ == TITLE
                or self.lower(s.start - 1).rstrip(".") in honorifics()
            ):
                continue  # "Minister Vinh said": a person called by the last syllable
            if nxt in ("district", "commune", "ward", "town") and place.kind != nxt:
                # "Dong Van commune" is not the district of the same name
                self._add_place_name(s.start, s.end, nxt)
                self.taken.add(end)
                continue
            if nxt == "city" and place.kind == "province":
                cap = self.lex.place(place.capital)
                if cap is not None and cap.same_name_as_province:
                    place = cap
                    end += 1
            elif nxt == "province" and place.kind == "province":
                end += 1
            self.out.append(
                self.mention(
                    PLACE, s.start, end, name=place.display, key=place.id, info={"place": place}
                )
            )
            self.taken.update(range(s.start, end))
        # "X District", "Y commune": places outside the gazetteer
        for i, t in enumerate(self.toks):
            number = self.tok(i + 1)
            if (
                t.text in ("District", "Ward")
                and number is not None
                and number.like_num
                and i not in self.taken
            ):
                # urban districts and wards are numbered: "District 8", "Ward 3"
                self._add_place_name(i, i + 2, t.lower_)
                continue
            if t.lower_ not in ("district", "commune", "ward", "town") or i in self.taken:
                continue
            run = self.cap_run_before(i)
            if run < i and not any(k in self.taken for k in range(run, i)):
                self._add_place_name(run, i, t.lower_)
                self.taken.add(i)

    def province_refs(self) -> None:
        """Find references such as "the province", "the district" or "the ministry"."""
        for i, t in enumerate(self.toks):
            kind = t.lower_.removesuffix("'s")
            if kind in ("province", "district", "ministry") and i not in self.taken:
                if self.lower(i - 1) in ("the", "whole", "entire", "our", "this"):
                    self.out.append(self.mention(PROVREF, i - 1, i + 1, name=kind))

    def events(self) -> None:
        for s in self.raw:
            if s.label_ == EVENT and not any(i in self.taken for i in range(s.start, s.end)):
                self.out.append(self.mention(EVENT, s.start, s.end, name=s.text.lower(), key=s.id_))

    def document_refs(self) -> None:
        """Resolve "the resolution", "the directive" to the last document of that type.

        Only a bare definite reference counts ("the resolution has been implemented"),
        not "the resolution of the ..." (a named document) nor a plural.
        """
        docs = sorted((m for m in self.out if m.label == DOC and m.name), key=lambda m: m.start)
        if not docs:
            return
        for s in self.raw:
            if s.label_ != DOCTYPE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            if self.lower(s.start - 1) != "the" or self.lower(s.end) in ("of", "no", "no."):
                continue
            if self.toks[s.end - 1].lower_.endswith("s"):
                continue
            dtype = _cap_type(s.text)
            earlier = [d for d in docs if d.start < s.start and d.info.get("type") == dtype]
            if not earlier:
                continue
            ref = earlier[-1]
            self.out.append(
                self.mention(
                    DOC,
                    s.start,
                    s.end,
                    name=ref.name,
                    key=ref.key,
                    info=dict(ref.info, reference=True),
                )
            )
            self.taken.update(range(s.start, s.end))

    # ---- documents ---------------------------------------------------------------
    def documents(self) -> None:
        lex = self.lex
        types = sorted(lex.doc_types, key=len, reverse=True)
        type_rx = "|".join(re.escape(t) for t in types)
        num_rx = "|".join(lex.number_words)
        rx = re.compile(
            rf"\b(?P<type>{type_rx})\s+(?:(?:{num_rx})\s*)?(?P<code>{lex.code_regex})",
            re.I,
        )
        for mt in rx.finditer(self.doc.text):
            code_text = mt.group("code")
            if not re.search(r"[A-Z]{2,}", code_text):
                continue
            span = self.doc.char_span(mt.start(), mt.end(), alignment_mode="expand")
            if span is None or any(i in self.taken for i in range(span.start, span.end)):
                continue
            code = re.sub(r"\s+", "", code_text)
            dtype = _cap_type(mt.group("type"))
            number = re.match(r"\d+", code)
            issuer = re.split(r"[-/]", code)[-1]
            info = {
                "type": dtype,
                "code": code,
                "number": number.group(0) if number else "",
                "issuer_code": issuer,
            }
            self.out.append(
                self.mention(
                    DOC, span.start, span.end, name=f"{dtype} No. {code}", key=code, info=info
                )
            )
            self.taken.update(range(span.start, span.end))
        # unnumbered: "<Type> [N] of the <issuer>", "<issuer> <Type>", "<body> issued a <Type>"
        for s in self.raw:
            if s.label_ != DOCTYPE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            if self.toks[s.end - 1].lower_.endswith("s") and s.text.lower() not in ("regulations",):
                continue
            dtype = _cap_type(s.text)
            if s.text == "Law" and self._named_law(s):
                continue
            j = s.end
            num = None
            if self.tok(j) is not None and self.toks[j].like_num and self.toks[j].is_digit:
                num = self.toks[j].text
                j += 1
            if self.lower(j) == "of":
                issuer = self.org_at.get(self.skip_the(j + 1))
                if issuer is not None and (num or _issuer_like(issuer)):
                    self._add_doc(s.start, issuer.end, dtype, num, issuer)
                    continue
            before = self.org_end.get(s.start)
            if before is not None and _issuer_like(before) and num is None:
                self._add_doc(before.start, s.end, dtype, None, before)
                continue
            # "<body> issued a/an <Type>"
            if (
                self.lower(s.start - 1) in ("a", "an")
                and self.lower(s.start - 2)
                in (
                    "issued",
                    "adopted",
                    "promulgated",
                )
                and s.text.lower() in lex.issued_types
            ):
                issuer = self.org_end.get(s.start - 2)
                if issuer is not None:
                    self._add_doc(s.start, s.end, dtype, None, issuer, issued=True)

    def plannings(self) -> None:
        """Find master plans named after their place ("Lang Son Provincial Planning")."""
        lex = self.lex
        for s in self.raw:
            if s.label_ != PLACE:
                continue
            rest = self.doc[s.end : s.end + 3].text
            for head in lex.planning_heads:
                if rest.startswith(head):
                    k = s.end + len(head.split())
                    place = self.gazetteer_place(s)
                    if place is None or any(i in self.taken for i in range(s.start, k)):
                        continue
                    name = f"{place.display} {head}"
                    self.out.append(
                        self.mention(
                            DOC,
                            s.start,
                            k,
                            name=name,
                            key=norm_key(name),
                            info={"type": head.split()[-1], "place": place},
                        )
                    )
                    self.taken.update(range(s.start, k))
                    break

    def _named_law(self, s: Span) -> bool:
        """Laws are named, not numbered: "Law on Urban Planning", "the Land Law"."""
        if self.lower(s.end) == "on":
            field, end = self._tail(s.end, opener_needed=True)
            while field and self.lower(end) == "of" and self._namey(self.skip_the(end + 1)):
                # "Law on Organisation of Local Administration"
                more, end2 = self._tail(self.skip_the(end + 1), opener_needed=False)
                if not more:
                    break
                field = f"{field} {self.doc[end : self.skip_the(end + 1)].text} {more}"
                end = end2
            if field:
                name = f"Law on {field}"
                self.out.append(
                    self.mention(
                        DOC, s.start, end, name=name, key=norm_key(name), info={"type": "Law"}
                    )
                )
                self.taken.update(range(s.start, end))
                return True
        run = self.cap_run_before(s.start, max_len=3)
        if run < s.start and not any(i in self.taken for i in range(run, s.start)):
            name = f"{self.doc[run : s.start].text} Law"
            self.out.append(
                self.mention(DOC, run, s.end, name=name, key=norm_key(name), info={"type": "Law"})
            )
            self.taken.update(range(run, s.end))
            return True
        return False

    def _add_doc(
        self,
        start: int,
        end: int,
        dtype: str,
        num: str | None,
        issuer: Mention,
        issued: bool = False,
    ) -> None:
        info = {
            "type": dtype,
            "number": num or "",
            "issuer": issuer,
            "named_issuer": True,
            "issued_here": issued,
        }
        self.out.append(self.mention(DOC, start, end, name="", info=info))
        self.taken.update(range(start, end))


def _cap_type(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def _issuer_like(m: Mention) -> bool:
    """Bodies that name a document by its issuing occasion: congresses, plenums, terms."""
    head = m.info.get("head")
    return bool(
        m.info.get("issuer_like")
        or head in ("party-congress", "national-party-congress", "plenum")
        or (m.info.get("ordinal") and head != "national")
    )


def extract_mentions(doc: Doc, text: str) -> tuple[list[Mention], Place | None]:
    """Find every mention in a parsed article and the article's main province.

    Args:
        doc: the parsed (folded, furniture-masked) article.
        text: the original article text (same length as ``doc.text``).

    Returns:
        The mentions in text order, with canonical names filled in, and the main
        province (None when the article is not about one province).
    """
    lex = lexicon()
    b = _Builder(doc, text, lex)
    b.plenums()
    b.local_bodies()
    b.national_bodies()
    b.sub_bodies()
    b.abbreviations()
    b.titles()
    b.place_lists()
    b.persons()
    b.titled_names()
    b.given_name_refs()
    b.plannings()
    b.places()
    b.documents()
    b.short_refs()
    b.province_refs()
    b.events()
    main = main_province(b.out, lex, b.toks)
    localities = {"District": main_district(b.out), "Commune": main_district(b.out, "commune")}
    _name_bodies(b, main, localities)
    _name_documents(b.out)
    b.document_refs()
    return sorted(b.out, key=lambda m: (m.start, -m.end)), main


def main_province(
    mentions: list[Mention], lex: Lexicon, toks: list[Token] | None = None
) -> Place | None:
    """The province an article is about: clearly the most mentioned one, else None.

    A place only named as the venue ("in Hanoi") does not make the article about it.
    """
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.label == PLACE and toks and m.start > 0 and toks[m.start - 1].lower_ in ("in", "at"):
            continue
        place = m.info.get("place")
        if isinstance(place, Place):
            prov = lex.province_of(place.id)
            if prov is not None:
                counts[prov.id] += 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= 2 and n >= 2 * second:
        return lex.place(top)
    # named once, but the only province, and the article speaks of "Provincial" bodies
    implicit = any(
        m.label == ORG
        and m.info.get("local")
        and m.info.get("place") is None
        and m.info.get("level") in (None, "Provincial", "Province", "City", "Municipal")
        for m in mentions
    )
    if n == 1 and second == 0 and implicit:
        return lex.place(top)
    return None


def main_district(mentions: list[Mention], kind: str = "district") -> str | None:
    """The district (or commune) an article is about, else None.

    It qualifies "the District Party Committee", "the commune People's Committee".
    """
    counts: Counter[str] = Counter()
    for m in mentions:
        place = m.info.get("place")
        if m.label == ORG and m.info.get("level") == kind.title():
            name = m.info.get("place_name") or (place.name if isinstance(place, Place) else None)
            if name:
                counts[name] += 1
        elif m.label == PLACE and (
            m.info.get("kind") == kind or (isinstance(place, Place) and place.kind == kind)
        ):
            counts[place.name if isinstance(place, Place) else m.name] += 1
    ranked = counts.most_common(2)
    if not ranked:
        return None
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if ranked[0][1] >= 2 and ranked[0][1] >= 2 * second else None


def _name_bodies(
    b: _Builder, main: Place | None, localities: dict[str, str | None] | None = None
) -> None:
    """Fill canonical names of local bodies.

    Implicit ones take the article's province (or, at district level, its district).
    """
    lex = b.lex
    drop = []
    # a bare "Standing Committee" in an article that names a central one means that one
    standing = next(
        (
            m.name
            for m in b.out
            if m.label == ORG and m.name and m.name.endswith("Standing Committee")
        ),
        None,
    )
    for m in b.out:
        if m.label != ORG or m.name:
            continue
        if standing and m.info.get("head") == "standing-committee" and m.info.get("parent") is None:
            m.name = standing
            continue
        m.info["localities"] = localities or {}
        name = _local_name(m, main, lex)
        if name is None and main is None:
            # an article about no one province may still name it in the same sentence:
            # "member of the Provincial Party Standing Committee and Head of ... of the
            # Dien Bien Provincial Party Committee"
            sentence_province = _sentence_province(b, m)
            if sentence_province is not None:
                name = _local_name(m, sentence_province, lex)
        if name is None:
            drop.append(m)
        else:
            m.name = name
    for m in drop:
        b.out.remove(m)
        # titles that pointed at an unqualifiable body keep the title, lose the body
        for t in b.out:
            if t.label == TITLE and t.info.get("body") is m:
                t.info["body"] = None


def _sentence_province(b: _Builder, m: Mention) -> Place | None:
    """The one province that bodies in the same sentence name explicitly, if exactly one."""
    found: dict[str, Place] = {}
    for o in b.out:
        if o.label != ORG or o.sent != m.sent:
            continue
        parent = o.info.get("parent")
        place = o.info.get("place") or (parent.info.get("place") if parent is not None else None)
        if isinstance(place, Place):
            prov = b.lex.province_of(place.id)
            if prov is not None:
                found[prov.id] = prov
    return next(iter(found.values())) if len(found) == 1 else None


def _local_name(m: Mention, main: Place | None, lex: Lexicon) -> str | None:
    info = m.info
    if info.get("sub"):
        parent = info.get("parent")
        head = info["head"]
        if head == "party-committee-of":
            if parent is None:
                return None
            pname = parent.name or _local_name(parent, main, lex)
            if pname is None:
                return None
            parent.name = pname
            info["resolved_place"] = parent.info.get("resolved_place") or parent.info.get("place")
            return f"Party Committee of the {pname}"
        spec = lex.heads[head]
        sub = spec.get("canonical") or _as_written(info.get("written") or spec["forms"][0])
        party_parent = parent is None or parent.info.get("head") in _PARTY_HEADS
        if head == "standing-committee" and party_parent:
            sub = "Standing Committee"  # a party committee's "Standing Board" is the same body
        if parent is None:
            # bare "Standing Committee" / "Organization Board": the province's party committee
            if main is None or not spec.get("implicit_parent"):
                return None
            level = info.get("level") or "Provincial"
            if level not in ("Provincial",):
                return None
            pname = f"{main.display} Provincial Party Committee"
        else:
            parent.info.setdefault("localities", info.get("localities", {}))
            pname = parent.name or _local_name(parent, main, lex)
            if pname is None:
                return None
            parent.name = pname
        info["place"] = parent.info.get("place") if parent is not None else main
        if parent is not None and parent.info.get("resolved_place") is not None:
            info["place"] = parent.info["resolved_place"]
        elif parent is None:
            info["place"] = main
        return f"{sub} of the {pname}"
    if not info.get("local") or info.get("head") == "national":
        if info.get("head") == "national-party-congress" or info.get("level") == "National":
            spec = lex.heads[info["head"]]
            base = spec.get("canonical") or spec["forms"][0]
            if info["head"] == "party-congress":
                base = "National Party Congress"
            return f"{info['ordinal']} {base}" if info.get("ordinal") else base
        return m.name or None
    head = info["head"]
    spec = lex.heads[head]
    canonical = spec.get("canonical") or _as_written(info.get("written") or spec["forms"][0])
    level = info.get("level")
    if level == "Municipal":
        level = "City"  # "the municipal Party Committee" of a centrally-run city
    place: Place | None = info.get("place")
    place_name = info.get("place_name")
    if place is None and place_name is None:
        if level in ("District", "Commune"):
            place_name = info.get("localities", {}).get(level)
            if not place_name:
                return None
        elif main is None:
            return None
        elif level == "City":
            cap = main if main.municipality else lex.place(main.capital)
            if cap is None:
                return None
            place = cap
        elif level in (None, "Provincial", "Province"):
            place = main
        else:
            return None
    if place is not None:
        info["resolved_place"] = place
        pname = place.name
        if place.municipality:
            # centrally-run cities: "Hanoi Party Committee", whatever level word is written
            level = None
        elif spec.get("levelled") and level is None:
            level = {
                "province": "Provincial",
                "city": "City",
                "district": "District",
                "commune": "Commune",
            }.get(place.kind)
        if level == "Province":
            level = "Provincial"
    else:
        pname = place_name
        info["resolved_place_name"] = place_name
    if head == "party-standing-committee":
        parent = " ".join(x for x in (pname, level, "Party Committee") if x)
        return f"Standing Committee of the {parent}"
    if head == "department":
        return f"{pname} Department of {info['tail']}"
    parts = [info.get("ordinal"), pname, level, canonical]
    name = " ".join(p for p in parts if p)
    if info.get("tail"):
        name += f" for {info['tail']}" if head == "steering-committee" else f" {info['tail']}"
    return name


def _as_written(text: str) -> str:
    """A body head as written, in title case ("economic zone management board").

    Examples:
        >>> _as_written("economic zone management board")
        'Economic Zone Management Board'
        >>> _as_written("Propaganda and Education Board")
        'Propaganda and Education Board'
    """
    small = {"and", "of", "for", "on", "the"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in text.split())


def _name_documents(mentions: list[Mention]) -> None:
    for m in mentions:
        if m.label != DOC or m.name:
            continue
        issuer: Mention = m.info["issuer"]
        num = m.info.get("number")
        dtype = m.info["type"]
        if not issuer.name:
            m.name = ""
            continue
        m.name = f"{dtype} {num} of the {issuer.name}" if num else f"{dtype} of the {issuer.name}"
        m.key = norm_key(m.name)
    mentions[:] = [m for m in mentions if not (m.label == DOC and not m.name)]
