"""kg bench's stage figures: which tokens the parser would still read if it ran only where
a relation is possible (sentences with two candidate mentions or more)."""

from __future__ import annotations

from typing import Any

from kg.bench.extraction import pair_sentence_share


def test_pair_sentence_share_counts_tokens_of_sentences_with_two_mentions(nlp: Any) -> None:
    text = (
        "Prime Minister Pham Minh Chinh chaired the meeting in Hanoi. "
        "It rained all day and nobody left early."
    )
    doc = nlp(text)
    first, second = list(doc.sents)
    assert pair_sentence_share([doc]) == len(first) / (len(first) + len(second))


def test_pair_sentence_share_is_zero_without_mentions_and_none_without_tokens(nlp: Any) -> None:
    assert pair_sentence_share([nlp("It rained all day and nobody left early.")]) == 0
    assert pair_sentence_share([nlp("")]) is None
