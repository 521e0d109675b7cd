"""Phrase readers the rooms share: what stands before a body's head and what follows it.

Stage: mentions. Input: the scan state (:class:`~kg.extract.mentions.scan.Scan`) and
``bodies.yaml`` levels; output: "[ordinal] [place] [level]" read leftwards from a head,
and the field after "Department of" / "Steering Committee for" / "Law on".
"""

from __future__ import annotations

from kg.extract.lexicon import Place
from kg.extract.mentions.scan import Scan
from kg.extract.nlp.components import BODY_HEAD, DOCTYPE, TITLE
from kg.names import honorifics

# what a body's name may start with, read leftwards: (new start, level word, gazetteer
# place, other place name, ordinal)
Prefix = tuple[int, str | None, Place | None, str | None, str | None]


class Phrases(Scan):
    """Reads the phrases around a head: its prefix and its tail."""

    def _prefix(self, start: int) -> Prefix:
        """Read "[ordinal] [place] [level]" leftwards from ``start``.

        Returns:
            (new start, level word, gazetteer place, other place name, ordinal).
        """
        level = None
        place: Place | None = None
        place_name: str | None = None
        pl = self.place_span_ending(start)
        if pl is not None and self.toks[pl.end - 1].lower_ in self.lex.levels:
            level = self.toks[pl.end - 1].text.capitalize()  # "Quynh Phu District"
        lv = self.tok(start - 1)
        if lv is not None and lv.text in ("'s", "’s") and self.lower(start - 2) in self.lex.levels:
            start -= 1  # "the commune's Fatherland Front Committee"
            lv = self.tok(start - 1)
        if pl is None and lv is not None and lv.lower_ in self.lex.levels and lv.is_alpha:
            level = lv.text.capitalize()
            start -= 1
            pl = self.place_span_ending(start)
        if pl is not None:
            place = self.gazetteer_place(pl)
            start = pl.start
            if level == "City" and place is not None and place.kind == "province":
                cap = self.lex.place(place.capital)
                if cap is not None and cap.same_name_as_province:
                    place = cap
        elif level in ("District", "Commune", "Ward", "Town", "City"):
            run = self.cap_run_before(start)
            if run < start:
                place_name = self.doc[run:start].text
                start = run
        ordn = self.is_ordinal(start - 1)
        if ordn:
            start -= 1
        elif self.lower(start - 1) in ("th", "st", "nd", "rd") and self.is_ordinal(start - 2):
            ordn = self.is_ordinal(start - 2)
            start -= 2
        return start, level, place, place_name, ordn

    def _tail(self, i: int, opener_needed: bool) -> tuple[str | None, int]:
        """Read the field after "Department of" / "Steering Committee for"."""
        if opener_needed:
            if self.lower(i) not in ("for", "on", "of"):
                return None, i
            i += 1
        words: list[str] = []
        j = i
        while j < len(self.doc):
            t = self.toks[j]
            if t.is_title and t.is_alpha and t.text not in ("The",) and j not in self.taken:
                if t.lower_ in honorifics() or t.text in self.lex.surnames and self._name_at(j):
                    break
                if j in self.raw_at and self.raw_at[j].label_ in (TITLE, BODY_HEAD, DOCTYPE):
                    break
                words.append(t.text_with_ws)
                j += 1
            elif t.lower_ in ("and", "&") or t.text in ("-", ","):
                nxt = self.tok(j + 1)
                if nxt is None or not (nxt.is_title and nxt.is_alpha) or (j + 1) in self.raw_at:
                    break
                if t.text == "," and (nxt.lower_ in honorifics() or nxt.text in self.lex.surnames):
                    break
                words.append(t.text_with_ws)
                j += 1
            elif t.is_upper and t.is_alpha and len(t.text) <= 5:  # "Anti-Corruption", "PGI"
                words.append(t.text_with_ws)
                j += 1
            else:
                break
        tail = "".join(words).strip().rstrip(",").strip()
        while tail.endswith((" and", " &")):
            tail = tail.rsplit(" ", 1)[0]
            j -= 1
        if not tail:
            return None, i
        # end index: the last token consumed
        k = j
        while k > i and self.toks[k - 1].text in (",", "and", "&", "-"):
            k -= 1
        return tail, k
