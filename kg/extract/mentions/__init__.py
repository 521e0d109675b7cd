"""Mentions: a parsed article (spaCy Doc) -> list of typed, canonicalised mentions.

Stage: mentions. Input: the Doc made by :func:`kg.extract.nlp.build_nlp` (its ``kg_raw`` spans
mark places, central bodies, body heads, titles, document types and meeting nouns).
Output: :class:`Mention` objects for officials, bodies, documents, places, titles,
meetings and "the province" references, composed by the grammar of ``lexicons/*.yaml``.

One room per kind of thing: :mod:`.scan` (the record and the token state), :mod:`.bodies`,
:mod:`.central`, :mod:`.titles`, :mod:`.people`, :mod:`.places`, :mod:`.documents`,
:mod:`.meetings`, and :mod:`.naming` (the article's province, canonical names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.lexicon import Place, lexicon
from kg.extract.mentions.bodies import LocalBodies
from kg.extract.mentions.central import CentralBodies
from kg.extract.mentions.documents import Documents
from kg.extract.mentions.meetings import Meetings
from kg.extract.mentions.naming import main_district, main_province, name_bodies, name_documents
from kg.extract.mentions.people import People
from kg.extract.mentions.places import Places
from kg.extract.mentions.scan import (
    DOC,
    EVENT,
    ORG,
    PERSON,
    PLACE,
    PROVREF,
    SHORTREF,
    TITLE,
    Mention,
    MentionInfo,
    ordinal,
)
from kg.extract.mentions.titles import Titles

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "DOC",
    "EVENT",
    "ORG",
    "PERSON",
    "PLACE",
    "PROVREF",
    "SHORTREF",
    "TITLE",
    "Mention",
    "MentionInfo",
    "extract_mentions",
    "main_district",
    "main_province",
    "ordinal",
]


class _Builder(CentralBodies, LocalBodies, Titles, People, Places, Documents, Meetings):
    """Composes mentions for one Doc (one article): every room over one scan state."""


def extract_mentions(
    doc: Doc, text: str, outlet: Place | None = None
) -> tuple[list[Mention], Place | None]:
    """Find every mention in a parsed article and the article's main province.

    The rooms run in a fixed order: each leaves the tokens it takes to the later ones
    (bodies before the titles that name them, titles before the names after them).

    Args:
        doc: the parsed (folded, furniture-masked) article.
        text: the original article text (same length as ``doc.text``).
        outlet: the province of the article's outlet, used when the text leaves the
            province implicit (:func:`~kg.extract.mentions.naming.main_province`).

    Returns:
        The mentions in text order, with canonical names filled in, and the main
        province (None when the article is not about one province).
    """
    lex = lexicon()
    b = _Builder(doc, text, lex)
    b.plenums()
    b.local_bodies()
    b.national_bodies()
    b.owned_central_bodies()
    b.friendship_associations()
    b.foreign_provincial_bodies()
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
    main = main_province(b.out, lex, b.toks, outlet)
    localities = {"District": main_district(b.out), "Commune": main_district(b.out, "commune")}
    name_bodies(b, main, localities)
    name_documents(b.out)
    b.document_refs()
    return sorted(b.out, key=lambda m: (m.start, -m.end)), main
