"""The model's attribute ruler and lemmatizer, answered from a table of what they gave.

Stage: nlp. ``kg_attributes`` replaces the model's ``attribute_ruler`` and ``lemmatizer``
and gives every token exactly the POS, morphology, lemma, tag and dependency label they
give; it reads no data file (the rules are the model's own).
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

#: A token's input to the two components: its ORTH, TAG and DEP hashes.
Key = tuple[int, int, int]
#: What they write: POS, MORPH, LEMMA, TAG and DEP.
Out = tuple[int, int, int, int, int]
#: Inputs remembered before the table starts again (at most ~10 MB: memory stays flat).
TABLE_SIZE = 50_000


class Attributes:
    """Answer the attribute ruler and lemmatizer from a table keyed by a token's input.

    With only one-token patterns, what the attribute ruler writes on a token depends on
    its text, tag, dependency label and nothing else (``LOWER`` and ``IS_SPACE`` follow
    from the text), and the rule lemmatizer's lemma on the text, POS and morphology the
    ruler gave: a function of (ORTH, TAG, DEP). The model's Matcher tried its 179
    patterns at every token and made a Span per match, a sixth of the pipeline's time;
    this looks the answer up, and asks the two components themselves, on a one-token
    Doc, the first time an input is seen. Where one of the model's few multi-token
    patterns ("gon na", "there is") matches, the tokens of the match are answered by
    the two components on a Doc of those tokens alone.
    """

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        """Keep the model's two components (their patterns may load later, from disk)."""
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.vocab = ruler.vocab
        self._multi: Matcher | None = None
        self.table: dict[Key, Out] = {}

    @property
    def multi(self) -> Matcher:
        """A Matcher of the ruler's multi-token patterns, made on first use."""
        if self._multi is None:
            self._multi = Matcher(self.vocab)
            for i, spec in enumerate(self.ruler.patterns):
                long = [p for p in spec["patterns"] if len(p) > 1]
                if long:
                    self._multi.add(str(i), long)
        return self._multi

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, MORPH, LEMMA (and TAG, DEP where the ruler changes them) on ``doc``."""
        if len(doc) == 0:
            return doc
        keys: list[Key] = [tuple(row) for row in doc.to_array([ORTH, TAG, DEP]).tolist()]
        table = self.table
        if len(table) > TABLE_SIZE:
            table.clear()
        for key in keys:
            if key not in table:
                table[key] = self._ask([key])[0]
        outs = [table[k] for k in keys]
        for start, end in _regions(self.multi(doc, allow_missing=True)):
            outs[start:end] = self._ask(keys[start:end])
        arr: Any = doc.to_array([POS, MORPH, LEMMA, TAG])
        for i, out in enumerate(outs):
            arr[i] = out[:4]
        doc.from_array([POS, MORPH, LEMMA, TAG], arr)
        for i, (key, out) in enumerate(zip(keys, outs, strict=True)):
            if key[2] != out[4]:
                doc[i].dep = out[4]
        return doc

    def _ask(self, keys: list[Key]) -> list[Out]:
        """What the two components write on these tokens, alone in a Doc of their own.

        A multi-token pattern matches on the tokens it spans alone, so a stretch of the
        document that holds whole matches gets the same answer out of its context.
        """
        words = [self.vocab.strings[orth] for orth, _, _ in keys]
        # patterns read no whitespace between tokens, so none is kept
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        for tok, (_, tag, dep) in zip(doc, keys, strict=True):
            tok.tag = tag
            tok.dep = dep
        self.lemmatizer(self.ruler(doc))
        # MorphAnalysis.key is the hash a Doc array holds (the stubs do not list it)
        return [(t.pos, t.morph.key, t.lemma, t.tag, t.dep) for t in doc]  # type: ignore[attr-defined]


def _regions(matches: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching match spans into stretches of tokens.

    Examples:
        >>> _regions([(0, 5, 7), (0, 1, 3), (0, 2, 4)])
        [(1, 4), (5, 7)]
    """
    out: list[tuple[int, int]] = []
    for _, start, end in sorted(matches, key=lambda m: (m[1], m[2])):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


@Language.factory("kg_attributes")
def make_attributes(nlp: Language, name: str) -> Attributes:
    """The ``kg_attributes`` component, wrapping the model's own two components.

    They stay in the pipeline, disabled: its config still names them, so a pipeline
    rebuilt from its config finds them here, their patterns loaded after (hence the
    Matcher made on first use).
    """
    return Attributes(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))
