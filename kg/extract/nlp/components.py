"""Our spaCy components and the span-ruler patterns built from the data files.

Stage: nlp. Reads ``gazetteers/places.jsonl``, ``gazetteers/bodies.jsonl`` and the
lexicons ``titles.yaml``, ``bodies.yaml``, ``documents.yaml``, ``events.yaml``; yields
span-ruler pattern dicts (label, pattern, id) and the ``kg_sentences`` component.
"""

from __future__ import annotations

import re
from typing import Any

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
    rules = load_yaml("lexicons/sentences.yaml")
    no_break = set(rules["no_break_after"])
    ends = set(rules["end_punct"])
    n = len(doc)
    for i in range(1, n):
        doc[i].is_sent_start = False
    for i, tok in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            doc[i + 1].is_sent_start = True
        elif tok.text in ends and not nxt.is_space:
            prev = doc[i - 1].text if i > 0 else ""
            if tok.text == "." and prev in no_break:
                continue
            if nxt.is_lower or nxt.is_punct and nxt.text not in ('"', "'", "(", "[", "“"):
                continue
            doc[i + 1].is_sent_start = True
        elif tok.is_space and i > 0 and doc[i - 1].text in ends and not nxt.is_lower:
            doc[i + 1].is_sent_start = True
    return doc


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
