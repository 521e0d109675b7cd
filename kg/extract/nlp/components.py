"""Our spaCy components and the span-ruler patterns built from the data files.

Stage: nlp. Reads ``gazetteers/places.jsonl``, ``gazetteers/bodies.jsonl`` and the
lexicons ``titles.yaml``, ``bodies.yaml``, ``documents.yaml``, ``events.yaml``; yields
span-ruler pattern dicts (label, pattern, id) and the ``kg_sentences`` component.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import IS_LOWER, IS_PUNCT, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.names import spelling_variants
from kg.resources import load_jsonl, load_yaml

# Labels written into doc.spans[SPANS_KEY] by the two rulers.
SPANS_KEY = "kg_raw"
PLACE = "PLACE"
NBODY = "NBODY"
BODY_HEAD = "BODY_HEAD"
TITLE = "TITLE"
DOCTYPE = "DOCTYPE"
EVENT = "EVENT"


@Language.component("kg_sentences")
def sentences(doc: Doc) -> Doc:
    """Set every sentence boundary before the parser, which keeps them.

    A line break always starts a sentence (headlines and captions stand alone); ".",
    "!" and "?" end one unless "." closes an abbreviation of ``lexicons/sentences.yaml``
    ("Resolution No. 18-NQ/TW") or the next word is lower case. The parser's own
    guesses split long lists of officials in the middle, so it makes none here.
    """
    n = len(doc)
    if n < 2:
        return doc
    starts: Any = doc.to_array([SENT_START])
    starts[1:] = _sentence_starts(doc)[1:]
    doc.from_array([SENT_START], starts)
    return doc


#: ``is_sent_start = False`` stores -1; Doc arrays are unsigned, so it goes in as 2**64 - 1.
_NOT_START = 2**64 - 1


def _sentence_starts(doc: Doc) -> list[int]:
    """1 where a sentence starts, else -1 (``is_sent_start`` True or False), for from_array.

    Reads each token's text and lexical flags once, in lists: the same decisions token
    by token, a quarter of the time of reading them through Token objects. (A token's
    trailing whitespace is one space or none in spaCy, so a line break is a token.)
    """
    rules = load_yaml("lexicons/sentences.yaml")
    no_break = set(rules["no_break_after"])
    ends = set(rules["end_punct"])
    text = [t.text for t in doc]
    space, lower, punct = zip(*doc.to_array([IS_SPACE, IS_LOWER, IS_PUNCT]).tolist(), strict=True)
    out = [_NOT_START] * len(text)
    for i in range(len(text) - 1):
        tok = text[i]
        if space[i] and "\n" in tok:
            out[i + 1] = 1
        elif tok in ends and not space[i + 1]:
            if tok == "." and i > 0 and text[i - 1] in no_break:
                continue
            nxt = text[i + 1]
            if lower[i + 1] or punct[i + 1] and nxt not in ('"', "'", "(", "[", "“"):
                continue
            out[i + 1] = 1
        elif space[i] and i > 0 and text[i - 1] in ends and not lower[i + 1]:
            out[i + 1] = 1
    return out


def with_spelling_variants(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each phrase pattern's other British/American spellings (same label and id).

    Examples:
        >>> [p["pattern"] for p in with_spelling_variants([{"label": "X", "pattern": "Labour"}])]
        ['Labour', 'Labor']
    """
    out = []
    seen = set()
    for p in patterns:
        for form in spelling_variants(p["pattern"]):
            key = (p["label"], p.get("id"), form)
            if key not in seen:
                seen.add(key)
                out.append({**p, "pattern": form})
    return out


def plural_titles(spec: dict[str, Any]) -> list[str]:
    """Plural forms of a title: those listed, plus regular plurals of every form.

    Examples:
        >>> plural_titles({"forms": ["Deputy Prime Minister", "Vice Chairman", "Secretary"]})
        ['Deputy Prime Ministers', 'Vice Chairmen', 'Secretaries']
    """
    out = list(spec.get("plural", []))
    for form in spec.get("forms", []):
        if form.endswith("man"):
            p = form[:-3] + "men"
        elif form.endswith("y") and not form.endswith("ey"):
            p = form[:-1] + "ies"
        elif form.endswith("s"):
            continue
        else:
            p = form + "s"
        if p not in out:
            out.append(p)
    return out


def place_patterns() -> list[dict[str, Any]]:
    """Case-sensitive phrase patterns for every place name and alias in the gazetteer."""
    patterns = []
    for rec in load_jsonl("gazetteers/places.jsonl", ("id", "name", "kind")):
        forms = [rec["name"], *rec.get("aliases", [])]
        if rec.get("same_name_as_province"):
            # the bare name is the province; the city is "Thai Binh city", "City of ..."
            forms = [f for f in forms if f != rec["name"]]
        for form in forms:
            patterns.append({"label": PLACE, "pattern": form, "id": rec["id"]})
            if rec["kind"] == "region" and form[:1].isupper() and " " in form:
                # regions are often written in lower case after the first word
                patterns.append(
                    {"label": PLACE, "pattern": form[:1] + form[1:].lower(), "id": rec["id"]}
                )
    return patterns


def place_syllables() -> frozenset[str]:
    """Every word of every place name in the gazetteer ("Son", "La", "Ca", "Mau", ...)."""
    words: set[str] = set()
    for rec in load_jsonl("gazetteers/places.jsonl", ("id", "name", "kind")):
        for form in [rec["name"], *rec.get("aliases", [])]:
            words.update(form.split())
    return frozenset(words)


def national_body_patterns() -> list[dict[str, Any]]:
    """Case-sensitive phrase patterns for the central bodies and their aliases."""
    patterns = []
    vague = set(load_yaml("lexicons/bodies.yaml").get("vague_alone", []))
    for rec in load_jsonl("gazetteers/bodies.jsonl", ("name",)):
        for form in [rec["name"], *rec.get("aliases", [])]:
            if form not in vague:
                patterns.append({"label": NBODY, "pattern": form, "id": rec["name"]})
    return patterns


def term_patterns() -> list[dict[str, Any]]:
    """Case-insensitive phrase patterns: titles, local body heads, document types, events."""
    patterns: list[dict[str, Any]] = []
    titles = load_yaml("lexicons/titles.yaml")["titles"]
    for tid, spec in titles.items():
        for form in spec.get("forms", []) + plural_titles(spec):
            patterns.append({"label": TITLE, "pattern": form, "id": tid})
    for hid, spec in load_yaml("lexicons/bodies.yaml")["heads"].items():
        for form in spec["forms"]:
            patterns.append({"label": BODY_HEAD, "pattern": form, "id": hid})
    for dtype in load_yaml("lexicons/documents.yaml")["types"]:
        patterns.append({"label": DOCTYPE, "pattern": dtype, "id": dtype})
    for noun in load_yaml("lexicons/events.yaml")["event_nouns"]:
        patterns.append({"label": EVENT, "pattern": noun, "id": noun})
    return patterns


def code_token_regex() -> re.Pattern[str]:
    """A document code written without spaces ("18-NQ/TW") is one token."""
    code = load_yaml("lexicons/documents.yaml")["code_regex"].replace(r"\s?", "")
    return re.compile(rf"^{code}$")
