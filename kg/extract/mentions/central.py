"""Central bodies: the gazetteer's national bodies with their terms, and Central plenums.

Stage: mentions. Input: the scan state with its NBODY spans, ``gazetteers/bodies.jsonl``
(through the lexicon) and ``mentions.yaml`` (termed bodies, own qualifiers); output: ORG
mentions such as "12th Party Central Committee", "4th Conference of the 13th Party
Central Committee", "Central Organization Commission" (from "the PCC's Commission for
Organization") or "Vietnam - Laos Friendship Association".
"""

from __future__ import annotations

import re

from kg.extract.lexicon import Place
from kg.extract.mentions.scan import ORG, PLACE, Mention, MentionInfo, Scan, ordinal
from kg.extract.nlp.components import BODY_HEAD, NBODY
from kg.names import norm_key

# "Vietnam - Cambodia Friendship Association", "Vietnam-Laos Friendship Association"
_FRIENDSHIP = re.compile(
    r"(?P<a>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*[-–]\s*(?P<b>[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"\s+Friendship\s+Association"
)

# the small words inside a body's name: "Commission for Communication and Education"
_CONNECTORS = ("and", "for", "of", "on", "&")

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


class CentralBodies(Scan):
    """National bodies and the plenums of the Party Central Committee."""

    def plenums(self) -> None:
        """Central Committee plenums: "4th Conference of the 13th Party Central Committee"."""
        if "Central" not in self.doc_text and "central" not in self.doc_text:
            return
        for rx in (_PLENUM_B, _PLENUM_A):
            for mt in rx.finditer(self.doc_text):
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
        """Central bodies from the gazetteer, with ordinals ("12th Party Central Committee").

        An abbreviation the article defines for a local body ("the Provincial Party
        Committee (PCC)") is that body's, not the central one's.
        """
        local = self._local_abbreviations()
        for s in self.raw:
            if s.label_ != NBODY or any(i in self.taken for i in range(s.start, s.end)):
                continue
            if s.text in local:
                continue
            start, end = s.start, s.end
            canonical = s.id_
            termed = canonical in self.w.termed_bodies  # "12th Party Central Committee"
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

    def foreign_provincial_bodies(self) -> None:
        """Provincial committees of another country's party or front.

        "the Lao Front for National Construction (LFNC) committee of Sekong province", "the
        LFNC Sekong chapter": named "<body> committee of <province> province", in it.
        """
        for m in [m for m in self.out if m.label == ORG and m.info.get("head") == "national"]:
            country = self.lex.bodies.get(m.key, {}).get("country")
            if not country:
                continue
            i = m.end + 3 if self.lower(m.end) == "(" and self.lower(m.end + 2) == ")" else m.end
            place, end = None, i
            if self.lower(i) in ("committee", "chapter") and self.lower(i + 1) == "of":
                place, end = self._foreign_place(self.skip_the(i + 2), country)
            elif self.lower(i) not in ("committee", "chapter"):
                place, end = self._foreign_place(i, country)
                if self.lower(end) not in ("committee", "chapter"):
                    place = None
                end += 1
            if place is None:
                continue
            if self.lower(end) == "province":
                end += 1
            self._remove_org(m)
            info: MentionInfo = {"local": True, "head": "foreign", "place": place}
            name = f"{m.key} committee of {place.display} province"
            self._add_org(self.mention(ORG, m.start, end, name=name, key=name, info=info))

    def _foreign_place(self, i: int, country: str) -> tuple[Place | None, int]:
        """The province of ``country`` whose name starts at token ``i``, and its end."""
        s = self.raw_at.get(i)
        place = self.gazetteer_place(s) if s is not None and s.label_ == PLACE else None
        if s is None or place is None or place.parent != norm_key(country).replace(" ", "-"):
            return None, i
        return place, s.end

    def friendship_associations(self) -> None:
        """Friendship associations of two countries, national or of a province.

        "the Vietnam-Cambodia Friendship Association" and "the Vietnam - Laos Friendship
        Association in the Central Highlands province of Dak Lak" (that province's).
        """
        if "Friendship" not in self.doc_text:
            return
        local: dict[str, Place] = {}  # a later bare mention is the province's association
        for mt in _FRIENDSHIP.finditer(self.doc_text):
            a, b = self.lex.place_named(mt.group("a")), self.lex.place_named(mt.group("b"))
            span = self.doc.char_span(mt.start(), mt.end(), alignment_mode="expand")
            if a is None or b is None or a.kind != "country" or b.kind != "country":
                continue
            if span is None or any(i in self.taken for i in range(span.start, span.end)):
                continue
            name = f"{a.display} - {b.display} Friendship Association"
            place = self._province_after(span.end) or local.get(name)
            if place is None:
                self._add_org(self.central(span.start, span.end, name))
                continue
            local[name] = place
            info: MentionInfo = {"local": True, "head": "friendship", "place": place}
            m = self.mention(ORG, span.start, span.end, name=f"{name} in {place.display}")
            m.key, m.info = m.name, info
            self._add_org(m)

    def _province_after(self, i: int) -> Place | None:
        """The Vietnamese province of "in / of [the ... province of] <province>" at ``i``."""
        if self.lower(i) not in ("in", "of"):
            return None
        for j in range(i + 1, min(i + 9, len(self.doc))):
            s = self.raw_at.get(j)
            place = self.gazetteer_place(s) if s is not None and s.label_ == PLACE else None
            if place is not None and place.kind == "region":
                continue  # "in the Central Highlands province of Dak Lak"
            if place is not None:
                ok = place.kind == "province" and place.parent == "vietnam"
                return place if ok else None
            if self.toks[j].is_sent_start or self.toks[j].text in (",", ";"):
                return None
        return None

    def _local_abbreviations(self) -> set[str]:
        """Abbreviations defined in brackets right after a local body's head."""
        out = set()
        for i, t in enumerate(self.toks[:-2]):
            head = self.raw_end.get(i)
            if t.text == "(" and self.toks[i + 2].text == ")" and head is not None:
                if head.label_ == BODY_HEAD:
                    out.add(self.toks[i + 1].text)
        return out

    def owned_central_bodies(self) -> None:
        """Central bodies named through the body they belong to.

        "the PCC's Commission for Organization", "the Party Central Committee's Commission
        of Mass Mobilization", "the Commission for Communication and Education of the
        CPVCC", "Secretary of the Party Central Committee and head of its Organisation
        Commission": the phrase with its owner's canonical name is one of the gazetteer's
        names of the body ("Commission for Organization of the Party Central Committee").
        """
        owners = [m for m in self.out if m.label == ORG and m.info.get("head") == "national"]
        for m in owners:
            k = m.end + 1 if self.lower(m.end) in ("'s", "’s") else m.end
            after = self._phrase_after(k, m.key)
            if after is not None:
                self._replace_owner(m, m.start, *after)
                continue
            k = m.start - 1 if self.lower(m.start - 1) == "the" else m.start
            before = self._phrase_before(k - 1, m.key) if self.lower(k - 1) == "of" else None
            if before is not None:
                self._replace_owner(m, before[0], m.end, before[1])
        for i, t in enumerate(self.toks):
            if t.lower_ != "its" or i in self.taken:
                continue
            owner = max(
                (m for m in owners if m.end <= i and m.sent == self.sent_of[i] and m in self.out),
                key=lambda m: m.end,
                default=None,
            )
            found = self._phrase_after(i + 1, owner.key) if owner is not None else None
            if found is not None:
                self._add_org(self.central(i + 1, found[0], found[1]))

    def _phrase_after(self, k: int, owner: str) -> tuple[int, str] | None:
        """The longest name phrase from ``k`` that names a body of ``owner``.

        Returns:
            (end of the phrase, canonical name of the body), or None.
        """
        ends = []
        j = k
        while j < len(self.doc) and j - k < 8 and j not in self.taken:
            t = self.toks[j]
            if t.is_title and t.is_alpha:
                ends.append(j + 1)
            elif t.lower_ not in _CONNECTORS or j == k:
                break
            j += 1
        for e in reversed(ends):
            name = self.lex.body_canonical(f"{self.doc[k:e].text} of the {owner}")
            if name is not None:
                return e, name
        return None

    def _phrase_before(self, of: int, owner: str) -> tuple[int, str] | None:
        """The longest name phrase ending before "of" at ``of`` that names a body of ``owner``.

        Returns:
            (start of the phrase, canonical name of the body), or None.
        """
        starts = []
        j = of - 1
        while j >= 0 and of - j <= 8 and j not in self.taken:
            t = self.toks[j]
            if t.is_title and t.is_alpha:
                starts.append(j)
            elif t.lower_ not in _CONNECTORS:
                break
            j -= 1
        for b in reversed(starts):
            name = self.lex.body_canonical(f"{self.doc[b:of].text} of the {owner}")
            if name is not None:
                return b, name
        return None

    def _replace_owner(self, owner: Mention, start: int, end: int, name: str) -> None:
        """Put the body named through ``owner`` over [start, end) in the owner's place."""
        self._remove_org(owner)
        self._add_org(self.central(start, end, name))

    def _foreign_qualifier(self, start: int) -> bool:
        """Tell whether an unknown capitalised word qualifies the body at ``start``."""
        prev = self.tok(start - 1)
        if prev is None or prev.is_sent_start or not (prev.is_title and prev.is_alpha):
            return False
        if prev.text in self.w.own_qualifiers or self.is_ordinal(start - 1):
            return False
        return not any(s.start <= prev.i < s.end for s in self._raw_near(prev.i))
