"""Places: gazetteer places, places outside it named with their kind, lists of places.

Stage: mentions. Input: the scan state with its PLACE spans, ``gazetteers/places.jsonl``
(through the lexicon), the place kinds of ``bodies.yaml`` ``levels`` and ``mentions.yaml``;
output: PLACE mentions, and PROVREF mentions for "the province", "the district".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.mentions.scan import PLACE, PROVREF, TITLE, Scan
from kg.names import honorifics

if TYPE_CHECKING:
    from kg.extract.lexicon import Lexicon

_LOCALITY_KINDS = ("district", "commune", "ward", "town")


def locality_display(lex: Lexicon, name: str, kind: str | None) -> str:
    """The name of a place outside the gazetteer, with its kind where the bare name is taken.

    A ward or commune named like a province keeps its kind ("Binh Phuoc Ward"), so that it
    is not the province; "X town" keeps its kind always.

    Examples:
        >>> from kg.extract.lexicon import lexicon
        >>> locality_display(lexicon(), "Binh Phuoc", "ward")
        'Binh Phuoc Ward'
        >>> locality_display(lexicon(), "Tan Lap", "commune")
        'Tan Lap'
    """
    kind = (kind or "").lower()
    if kind == "town":
        return f"{name} town"
    if kind in ("commune", "ward"):
        other = lex.place_named(name)
        if other is not None and other.kind == "province":
            return f"{name} {kind.title()}"
    return name


class Places(Scan):
    """Places and references back to the article's province or district."""

    def place_lists(self) -> None:
        """Find places named in lists.

        "the districts of Can Loc and Vu Quang", "Yen Dong and Te Lo communes".
        """
        for k, low in enumerate(self.lowers):
            kind = self.w.plural_kinds.get(low)
            if kind is None:
                continue
            runs = self._runs_after(k) if self.lower(k + 1) == "of" else self._runs_before(k)
            if len(runs) < 1 or (
                len(runs) == 1 and self.lower(k + 1) != "of" and k > 0 and runs[0][1] != k
            ):
                continue
            for a, b in runs:
                if b - a == 1 and self.toks[a].text in self.lex.demonyms:
                    continue  # "Vietnamese provinces"; "An Lao" is a district
                # "communes of Gio Linh district": the run says its own kind
                own = self.lower(b)
                self._add_place_name(a, b, own if own in self.w.place_kinds else kind)

    def _runs_after(self, k: int) -> list[tuple[int, int]]:
        """The names in "districts of A, B and C" after the plural kind at ``k``."""
        runs: list[tuple[int, int]] = []
        n = len(self.doc)
        i = k + 2
        while i < n:
            e = i
            while e < n and e - i < 3 and self._place_word(e):
                e += 1
            if e == i:
                break
            runs.append((i, e))
            if self.lower(e) in (",", "and") and self._place_word(e + 1):
                i = e + 1
            elif self.lower(e) == "," and self.lower(e + 1) == "and":
                i = e + 2
            else:
                break
        return runs

    def _runs_before(self, k: int) -> list[tuple[int, int]]:
        """The names in "A, B and C communes" before the plural kind at ``k``."""
        runs: list[tuple[int, int]] = []
        e = k
        while e > 0:
            i = e
            while i > 0 and e - i < 3 and self._place_word(i - 1):
                i -= 1
            if i == e:
                break
            runs.append((i, e))
            if self.lower(i - 1) in (",", "and") and self._place_word(i - 2):
                e = i - 1
            else:
                break
        return runs

    def _place_word(self, i: int) -> bool:
        t = self.tok(i)
        return (
            t is not None
            and i not in self.taken
            and t.is_title
            and t.is_alpha
            and t.text not in self.w.stop_name
            and not (i in self.raw_at and self.raw_at[i].label_ not in (PLACE,))
        )

    def _add_place_name(self, a: int, b: int, kind: str) -> None:
        """A place of a known kind over tokens [a, b): the gazetteer's if it agrees."""
        name = self.doc[a:b].text
        place = self.lex.place_named(name)
        if place is not None and place.kind == kind:
            self.out.append(
                self.mention(PLACE, a, b, name=place.display, key=place.id, info={"place": place})
            )
        else:
            shown = locality_display(self.lex, name, kind)
            self.out.append(
                self.mention(PLACE, a, b, name=shown, key="", info={"kind": kind, "place": None})
            )
        self.taken.update(range(a, b))

    def places(self) -> None:
        """Gazetteer places, then "X District", "Y commune" outside the gazetteer."""
        self._gazetteer_places()
        for i, t in enumerate(self.toks):
            number = self.tok(i + 1)
            if (
                t.text in ("District", "Ward")
                and number is not None
                and number.like_num
                and i not in self.taken
            ):
                # urban districts and wards are numbered: "District 8", "Ward 3"
                self._add_place_name(i, i + 2, t.lower_)
                continue
            if t.lower_ not in _LOCALITY_KINDS or i in self.taken:
                continue
            run = self.cap_run_before(i)
            if run < i and not any(k in self.taken for k in range(run, i)):
                self._add_place_name(run, i, t.lower_)
                self.taken.add(i)

    def _gazetteer_places(self) -> None:
        """The ruler's places, with the kind word written after them ("Lang Son province")."""
        for s in self.raw:
            if s.label_ != PLACE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            place = self.gazetteer_place(s)
            if place is None:
                continue
            end = s.end
            nxt = self.lower(end)
            after = self.tok(end)
            if (
                len(s) == 1
                and after is not None
                and self._namey(end)
                and end not in self.raw_at
                and after.lower_ not in self.w.place_kind_words
            ):
                continue  # "Vinh Tuong": "Vinh" is only the start of a longer name
            if len(s) == 1 and (
                s.start in self.raw_end
                and self.raw_end[s.start].label_ == TITLE
                or self.lower(s.start - 1).rstrip(".") in honorifics()
            ):
                continue  # "Minister Vinh said": a person called by the last syllable
            if nxt in _LOCALITY_KINDS and place.kind != nxt:
                # "Dong Van commune" is not the district of the same name
                self._add_place_name(s.start, s.end, nxt)
                self.taken.add(end)
                continue
            if nxt == "city" and place.kind == "province":
                cap = self.lex.place(place.capital)
                if cap is not None and cap.same_name_as_province:
                    place = cap
                    end += 1
            elif nxt == "province" and place.kind == "province":
                end += 1
            self.out.append(
                self.mention(
                    PLACE, s.start, end, name=place.display, key=place.id, info={"place": place}
                )
            )
            self.taken.update(range(s.start, end))

    def province_refs(self) -> None:
        """Find references such as "the province", "the district" or "the ministry"."""
        for i, t in enumerate(self.toks):
            kind = t.lower_.removesuffix("'s")
            if kind in self.w.reference_nouns and i not in self.taken:
                if self.lower(i - 1) in self.w.reference_determiners:
                    self.out.append(self.mention(PROVREF, i - 1, i + 1, name=kind))
