"""Party congresses: "the 11th Congress", "the 24th Congress of the <party committee>".

Stage: mentions. Input: the scan state with the party committees found so far and
``bodies.yaml`` (national congresses by ordinal and year, the cues around a congress);
output: ORG mentions of congresses (unnamed until :mod:`kg.extract.mentions.naming`).
"""

from __future__ import annotations

import re
from functools import cache

from kg.extract.mentions.phrases import Phrases
from kg.extract.mentions.scan import ORG, local_body_info
from kg.resources import load_yaml

# a year in a sentence: "term 2020-2025", "in 2021"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# the first year of a term: "term 2020-2025", "the 2025–2030 tenure"
_TERM = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*(?:19|20)\d\d\b")
_ROMAN = re.compile(r"^[ivxl]{2,6}$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}


def roman_ordinal(text: str) -> str | None:
    """Read a Roman numeral of two or more letters as an ordinal ("xix" -> "19th").

    Examples:
        >>> roman_ordinal("xix"), roman_ordinal("XIII"), roman_ordinal("i"), roman_ordinal("mix")
        ('19th', '13th', None, None)
    """
    low = text.lower()
    if not _ROMAN.match(low):
        return None
    n = 0
    for a, b in zip(low, low[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        n += -v if b != " " and _ROMAN_VALUES[b] > v else v
    if not 0 < n < 40:
        return None
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@cache
def congress_years() -> dict[int, int]:
    """The National Party Congresses: ordinal -> year (``bodies.yaml``)."""
    return {
        int(k): int(v) for k, v in load_yaml("lexicons/bodies.yaml")["national_congresses"].items()
    }


@cache
def congress_cues(kind: str = "issuer") -> tuple[frozenset[str], frozenset[str]]:
    """Words before and after a congress that make it an issuer (or the reported meeting).

    Args:
        kind: "issuer" or "meeting" (``congress_<kind>_before`` / ``_after`` of
            ``bodies.yaml``).
    """
    data = load_yaml("lexicons/bodies.yaml")
    return frozenset(data[f"congress_{kind}_before"]), frozenset(data[f"congress_{kind}_after"])


class Congresses(Phrases):
    """Congresses of party committees, and the national congresses by their ordinal."""

    def _national_congress(self, ordn: str, i: int) -> bool:
        """Tell whether the ``ordn`` Party Congress written at token ``i`` is the national one.

        It is when the ordinal is a National Congress's and the sentence gives no year,
        or the congress's term (written right after it) starts in that congress's year,
        or (without a term) the sentence gives that year or the year before.
        """
        year = congress_years().get(int(ordn[:-2]))
        if year is None:
            return False
        near = self.doc[i : min(i + 10, self.doc[i].sent.end)].text
        terms = {int(t) for t in _TERM.findall(near)}
        if terms:
            return year in terms  # "congress, term 2020-2025" starts the year it met
        years = {int(y) for y in _YEAR.findall(self.doc[i].sent.text)}
        # the year it met, or the year before (provincial congresses precede it)
        return not years or any(year - 1 <= y <= year for y in years)

    def _bare_congresses(self) -> None:
        """Congresses written "the <ordinal> Congress" where they issue a document.

        "the Resolution of the 11th Congress", "the 17th Congress's resolution": the
        national one or the article's province's (as for "the 17th Party Congress").
        """
        before, after = congress_cues()
        for i, t in enumerate(self.toks):
            if t.text != "Congress" or i in self.taken or self.lower(i + 1) == "of":
                continue
            ordn = self.is_ordinal(i - 1) or roman_ordinal(self.lower(i - 1))
            if not ordn or i - 1 in self.taken:
                continue
            # "the Resolution of the 11th Congress", "set out by the 17th Congress"
            cue = self.lower(i - 4) if self.lower(i - 3) == "of" else self.lower(i - 3)
            owned = self.lower(i + 1) in ("'s", "’s") and self.lower(i + 2) in after
            if self.lower(i - 2) != "the" or not (cue in before or owned):
                continue
            level = "National" if self._national_congress(ordn, i) else None
            info = local_body_info(
                "party-congress",
                level,
                None,
                None,
                ordinal=ordn,
                written="Party Congress",
                local=level is None,
            )
            self._add_org(self.mention(ORG, i - 1, i + 1, key="party-congress", info=info))

    def _numbered_congresses(self) -> None:
        """Congresses of a party committee: "the 24th Congress of the Yen Lac District ...".

        The committee's mention becomes the congress's.
        """
        for m in list(self.out):
            if m.label != ORG or m.info.get("head") != "party-committee":
                continue
            k = m.start - 1 if self.lower(m.start - 1) == "the" else m.start
            if self.lower(k - 1) == "of" and self.lower(k - 2) == "congress":
                ordn = self.is_ordinal(k - 3)
                if ordn:
                    self._remove_org(m)
                    info = m.info.copy()
                    info["head"] = "party-congress"
                    info["ordinal"] = ordn
                    info["written"] = "Congress"
                    self._add_org(self.mention(ORG, k - 3, m.end, key="party-congress", info=info))
