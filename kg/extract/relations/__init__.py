"""Relations: resolved mentions of one article -> the nine SPEC predicates with evidence.

Input: the parsed Doc, its mentions and their resolution; output: relation drafts (subject,
predicate, object, evidence sentence, rule) and the article's meeting (Event). Reads
``kg/data/patterns/relations/*.jsonl`` and ``kg/data/lexicons/{titles,relations}.yaml``.

One module per predicate family; each rule is named in the evidence it writes:

  posts        title-apposition   "Minister of Public Security To Lam" -> headOf / memberOf
               title-header       "Politburo members: A, B" -> memberOf for each
               lead-delegation    "A leads the Central Working Group" -> headOf
  attendance   role-verb          "A, Secretary of X, spoke at the conference" -> spokeAt
               role-participle    "Speaking at the meeting, A ..." / "Attending were A, B"
               role-group         "A, head of discussion group 1" -> chaired
  documents    document-issuer    "<document> dated ... of the <body>" -> issuedBy
               implementation     "<body> ... implementation of <document>" -> implements
  places       body-place         a local body's province/city/district -> locatedIn
               place-parent       a city or district inside its province -> locatedIn
               event-place        the meeting's province -> heldIn
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.relations.attendance import find_event_roles
from kg.extract.relations.common import Ctx, RelDraft, article_year
from kg.extract.relations.documents import find_implementers, find_issuers
from kg.extract.relations.places import find_locations, find_venue
from kg.extract.relations.posts import attach_titles, find_leads

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.extract.lexicon import Lexicon, Place
    from kg.extract.mentions import Mention
    from kg.extract.resolve import Draft, Resolution

__all__ = ["RelDraft", "extract_relations"]


def extract_relations(
    doc: Doc,
    text: str,
    mentions: list[Mention],
    res: Resolution,
    main: Place | None,
    lex: Lexicon,
    article_date: str | None,
) -> tuple[list[RelDraft], Draft | None]:
    """Apply every rule to one article.

    The order matters: the title rules say who holds which post, which the meeting rules
    read; the issuers found first are not taken for implementers.

    Args:
        doc: the parsed article.
        text: the article text.
        mentions: its mentions (text order).
        res: their resolution into entities.
        main: the article's main province, or None.
        lex: the lexicon.
        article_date: the article's ISO date, if known.

    Returns:
        The relation drafts and the article's meeting entity (or None).
    """
    ctx = Ctx(doc, text, mentions, res, main, lex, article_year(text, article_date))
    holders = attach_titles(ctx)
    find_leads(ctx)
    event = find_event_roles(ctx, holders, article_date)
    find_issuers(ctx)
    find_implementers(ctx)
    find_locations(ctx)
    if event is not None:
        find_venue(ctx, event)
    return ctx.out, event
