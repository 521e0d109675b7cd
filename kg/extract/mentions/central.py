"""Central bodies: the gazetteer's national bodies with their terms, and Central plenums.

Stage: mentions. Input: the scan state with its NBODY spans, ``gazetteers/bodies.jsonl``
(through the lexicon) and ``mentions.yaml`` (termed bodies, own qualifiers); output: ORG
mentions such as "12th Party Central Committee" or "4th Conference of the 13th Party
Central Committee".
"""

from __future__ import annotations

import re

from kg.extract.mentions.scan import ORG, Scan, ordinal
from kg.extract.nlp.components import NBODY

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

    def _foreign_qualifier(self, start: int) -> bool:
        """Tell whether an unknown capitalised word qualifies the body at ``start``."""
        prev = self.tok(start - 1)
        if prev is None or prev.is_sent_start or not (prev.is_title and prev.is_alpha):
            return False
        if prev.text in self.w.own_qualifiers or self.is_ordinal(start - 1):
            return False
        return not any(s.start <= prev.i < s.end for s in self._raw_near(prev.i))
