"""Canonical-name rules (SPEC section 3): pure string functions, no spaCy.

Input: surface strings as written; output: folded forms for matching and canonical
names for entities. Honorifics come from ``kg/data/lexicons/honorifics.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.resources import load_yaml

_SPECIAL = str.maketrans({"Đ": "D", "đ": "d", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-"})


def fold(text: str) -> str:
    """Remove Vietnamese diacritics and typographic quotes, one character per character.

    The result has the same length as the NFC input, so offsets carry over.

    Examples:
        >>> fold("Trần Quốc Cường, Điện Biên, QĐ/TW")
        'Tran Quoc Cuong, Dien Bien, QD/TW'
        >>> len(fold("Nguyễn Phú Trọng")) == len("Nguyễn Phú Trọng")
        True
    """
    out = []
    for ch in unicodedata.normalize("NFC", text).translate(_SPECIAL):
        if ord(ch) < 128:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def norm_key(text: str) -> str:
    """Lower-case, folded, punctuation-free form used to compare names.

    Examples:
        >>> norm_key("the Provincial People’s Committee")
        'provincial peoples committee'
        >>> norm_key("Nguyễn Phú Trọng")
        'nguyen phu trong'
    """
    s = fold(text).lower().replace("'", "")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def slug(text: str) -> str:
    """Folded, hyphenated, lower-case form for IRIs.

    Examples:
        >>> slug("Standing Committee of the Lang Son Provincial Party Committee")
        'standing-committee-of-the-lang-son-provincial-party-committee'
        >>> slug("18-NQ/TW")
        '18-nq-tw'
    """
    s = fold(text).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """Words that are dropped in front of personal names (lower case)."""
    data = load_yaml("lexicons/honorifics.yaml")
    return frozenset(w.lower() for w in data["honorifics"])


def spelling_variants(text: str) -> list[str]:
    """The text plus its other British/American spellings (``lexicons/spelling.yaml``).

    Examples:
        >>> spelling_variants("Mass Mobilisation Commission")
        ['Mass Mobilisation Commission', 'Mass Mobilization Commission']
        >>> spelling_variants("Ministry of National Defense")
        ['Ministry of National Defense', 'Ministry of National Defence']
    """
    out = [text]
    for a, b in load_yaml("lexicons/spelling.yaml")["pairs"]:
        for form in list(out):
            for x, y in ((a, b), (b, a)):
                if x in form:
                    alt = form.replace(x, y)
                    if alt not in out:
                        out.append(alt)
    return out
