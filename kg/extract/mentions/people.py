"""People: full names, names after titles, and short references to someone named before.

Stage: mentions. Input: the scan state (what bodies, titles and places have taken),
``surnames.yaml`` and ``demonyms.yaml`` (through the lexicon), ``honorifics.yaml`` and
``mentions.yaml`` (stop words, institution words); output: PERSON and SHORTREF mentions.
"""

from __future__ import annotations

import re
from functools import cache

from kg.errors import DataFileError
from kg.extract.mentions.scan import PERSON, PLACE, SHORTREF, TITLE, Scan
from kg.extract.nlp.components import EVENT
from kg.names import fold, honorifics
from kg.resources import data_path, load_yaml

# Ede and Jarai women's names open with "H'" fused to the given name ("H'Rin Mlo")
_ETHNIC_FIRST = re.compile(r"^H['’][A-Z][a-z]+$")
# a name glued to the dash after it by careless typing: "Le Van Khai- Secretary of ..."
_DASHED_LAST = re.compile(r"^[A-Z][a-z]+-$")

_FILE = "lexicons/mentions.yaml"


@cache
def weekdays() -> frozenset[tuple[str, str]]:
    """The Vietnamese weekday names of datelines ("Thu Ba"), as pairs of folded words.

    Raises:
        DataFileError: ``weekday_names`` is missing or not a list of two-word names.
    """
    value = load_yaml(_FILE).get("weekday_names")
    pairs = [tuple(fold(w).split()) for w in value] if isinstance(value, list) else []
    if not pairs or any(len(p) != 2 for p in pairs):
        raise DataFileError(str(data_path(_FILE)), None, '"weekday_names": two-word names')
    return frozenset((a, b) for a, b in pairs)


class People(Scan):
    """Personal names (Vietnamese and foreign) and references to them."""

    def persons(self) -> None:
        """Names that open with a known surname, then the model's PERSON entities."""
        self._surname_names()
        self._model_names()

    def _surname_names(self) -> None:
        """Names that open with a surname: "Nguyen Phu Trong", "H'Rin Mlo"."""
        toks = self.toks
        stop, institution = self.w.stop_name, self.w.institution
        i = 0
        n = len(self.doc)
        while i < n:
            t = toks[i]
            if (
                i in self.taken
                or (t.text not in self.lex.surnames and not _ETHNIC_FIRST.match(t.text))
                or not t.is_title
            ):
                i += 1
                continue
            # only now (most tokens are no surname): inside a place name, and if so a name?
            in_place = any(
                s.label_ == PLACE and len(s) > 1 and s.start <= i < s.end for s in self._raw_near(i)
            )
            over_place = self._name_over_place(i)
            if in_place and not over_place:
                i += 1
                continue
            j = i + 1
            while (
                j < n
                and j - i < 4
                and j not in self.taken
                and toks[j].is_title
                and toks[j].is_alpha
                and (toks[j].text not in stop or self._middle_the(j))
                and toks[j].lower_ not in institution
                and (
                    over_place  # "Dong Van Thanh": the district "Dong Van" is inside a name
                    or not (
                        j in self.raw_at
                        and self.raw_at[j].label_ != EVENT
                        and not (self.raw_at[j].label_ == PLACE and len(self.raw_at[j]) == 1)
                    )
                )
            ):
                j += 1
                if j + 1 < n and self._joined_hyphen(j) and j - i >= 2:
                    j += 2  # "Kang Min-seok"
            dashed = j < n and j - i < 4 and j not in self.taken and self._dashed(j)
            nxt = self.lower(j)
            if (
                (j - i >= 2 or (dashed and j - i == 1))
                and nxt not in self.w.place_kind_words
                and not self._not_a_person(i, j + dashed)
                and (j + dashed - i > 2 or self._supported_short_name(i, j))
            ):
                j += dashed  # "Le Van Khai- Secretary": the dash is not part of the name
                name = self.doc[i:j].text.rstrip("-")
                self.out.append(self.mention(PERSON, i, j, name=name))
                self.taken.update(range(i, j))
                i = j
            else:
                i += 1

    def _joined_hyphen(self, j: int) -> bool:
        """Tell whether token j is a hyphen inside a word: "Min-seok", not "Thuong - standing"."""
        toks = self.toks
        return (
            toks[j].text == "-"
            and toks[j + 1].is_lower
            and not toks[j - 1].whitespace_
            and not toks[j].whitespace_
        )

    def _dashed(self, j: int) -> bool:
        """Tell whether token j is a name syllable glued to a dash: "Khai-" in "Khai- Secretary"."""
        t = self.toks[j]
        return bool(_DASHED_LAST.match(t.text)) and t.text[:-1] not in self.w.stop_name

    def _not_a_person(self, i: int, j: int) -> bool:
        """Tell whether capitalised words [i, j) name something else than a person.

        A dateline's weekday ("Thu Ba, 12/03/2024"), or a name that runs into an
        institution, venue, street or product word ("Kim Lien Hotel", "Ho Nghinh street",
        "Khmer Friendship Association", "Ngoc Linh Ginseng").
        """
        second = fold(self.toks[i + 1].text) if i + 1 < j else ""
        if (fold(self.toks[i].text), second) in weekdays():
            return True
        return self.lower(j) in self.w.institution

    def _model_names(self) -> None:
        """The statistical model's PERSON entities that no other rule took."""
        toks = self.toks
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            words = [t for t in ent if t.i not in self.taken]
            while words and (words[0].lower_.rstrip(".") in honorifics() or not words[0].is_title):
                words = words[1:]
            if len(words) < 2 or len(words) > 4:
                continue
            a, b = words[0].i, words[-1].i + 1
            if b + 1 < len(toks) and self._joined_hyphen(b):
                b += 2  # "Kang Min-seok"
            if any(k in self.taken for k in range(a, b)):
                continue
            if not all(toks[k].is_title and toks[k].is_alpha for k in range(a, b)):
                continue
            if any(
                toks[k].text in self.w.stop_name or toks[k].lower_ in self.w.institution
                for k in range(a, b)
            ):
                continue
            if any(k in self.raw_at for k in range(a, b)) or (
                self.lower(b) in self.w.place_kind_words or self._not_a_person(a, b)
            ):
                continue
            if b - a == 2 and self.lower(a - 1) in self.w.locatives:
                continue  # "Unity Day in Cu San": a place the model calls a person
            self.out.append(self.mention(PERSON, a, b, name=self.doc[a:b].text))
            self.taken.update(range(a, b))

    def _middle_the(self, j: int) -> bool:
        """Tell whether "The" (Thế) is a middle name here: "Lai The Nguyen"."""
        nxt = self.tok(j + 1)
        return (
            self.toks[j].text == "The"
            and nxt is not None
            and nxt.is_title
            and nxt.is_alpha
            and nxt.text not in self.w.stop_name
            and (j + 1) not in self.raw_at
        )

    def _supported_short_name(self, i: int, j: int) -> bool:
        """Tell whether a two-syllable name at [i, j) reads as a person.

        "To Lam" is a person after a title or an honorific, before ", <title>", or where
        the statistical model says so; "Can Loc" in a list of districts is not.
        """
        prev = self.tok(i - 1)
        if prev is not None and (
            prev.lower_.rstrip(".") in honorifics()
            or (i in self.raw_end and self.raw_end[i].label_ == TITLE)
        ):
            return True
        if self.lower(j) == "," and (j + 1) in self.raw_at and self.raw_at[j + 1].label_ == TITLE:
            return True
        if prev is not None and (prev.lower_ in self.w.locatives or prev.lower_ == "and"):
            return False  # "in Huong Khe", "and Tran De": places the model calls people
        return any(e.label_ == "PERSON" and e.start <= i and j <= e.end for e in self.ents)

    def _name_over_place(self, i: int) -> bool:
        """Tell whether surname + middle name + given name starts at token i.

        Such a name is a person even where a place name hides inside it
        ("Dong Van Thanh" holds the district "Dong Van").
        """
        toks = self.toks
        if i + 2 >= len(self.doc) or toks[i].text not in self.lex.surnames:
            return False
        for s in self._raw_near(i):
            place = self.lex.place(s.id_) if s.label_ == PLACE else None
            if place is not None and place.kind in ("province", "country", "region"):
                return False  # "Lang Son Needs ..." is a headline about the province
        mid, given = toks[i + 1], toks[i + 2]
        return (
            mid.text in self.lex.middle_names
            and given.is_title
            and given.is_alpha
            and given.text not in self.w.stop_name
            and given.lower_ not in self.lex.levels
        )

    def titled_names(self) -> None:
        """Names the surname list does not know, right after a title or honorific.

        "Lao Prime Minister Khamphoui Vongsa", "Ambassador Park Jin-woo".
        """
        doc = self.doc
        anchors = {s.end for s in self.raw if s.label_ == TITLE}
        anchors |= {m.end for m in self.out if m.label == TITLE}  # "... Secretary of X A Pot"
        anchors |= {t.i + 1 for t in self.toks if t.lower_.rstrip(".") in honorifics()}
        for a in sorted(anchors):
            # "Ambassador of the Republic of Korea to Vietnam Park Jin-woo"
            while self.lower(a) in ("of", "to", "the") or (
                a in self.raw_at and self.raw_at[a].label_ == PLACE
            ):
                a = self.raw_at[a].end if a in self.raw_at else a + 1
            if a >= len(doc) or a in self.taken:
                continue
            b = a
            while b < len(doc) and b - a < 4:
                if self._name_word(b):
                    b += 1
                elif b > a and b + 1 < len(doc) and self._joined_hyphen(b):
                    b += 2  # "Jin-woo"
                else:
                    break
            if (
                b - a >= 2
                and self.lower(b) not in self.w.place_kind_words
                and not self._not_a_person(a, b)
            ):
                self.out.append(self.mention(PERSON, a, b, name=doc[a:b].text))
                self.taken.update(range(a, b))

    def _name_word(self, i: int) -> bool:
        t = self.toks[i]
        return (
            i not in self.taken
            and t.is_title
            and t.is_alpha
            and t.text not in self.w.stop_name
            and t.text not in self.lex.demonyms
            and t.lower_ not in self.w.institution
            and i not in self.raw_at
            and not any(s.start < i < s.end for s in self._raw_near(i))
        )

    def given_name_refs(self) -> None:
        """A person's given name alone as a subject: "Vinh said", "Hien noted that"."""
        given: dict[str, set[str]] = {}
        for m in self.out:
            if m.label == PERSON:
                given.setdefault(self.toks[m.end - 1].text, set()).add(m.name)
        for i, t in enumerate(self.toks):
            if i in self.taken or len(given.get(t.text, ())) != 1:
                continue
            j = i + 1
            while j < len(self.toks) and self.toks[j].pos_ in ("ADV", "AUX", "PART"):
                j += 1
            if j < len(self.toks) and self.toks[j].pos_ == "VERB" and not self.toks[j].is_title:
                self.out.append(self.mention(SHORTREF, i, i + 1, name=t.text))
                self.taken.add(i)

    def short_refs(self) -> None:
        """Title or honorific + one capitalised word: "General Secretary Trong", "Comrade Hai"."""
        titles_end = {m.end for m in self.out if m.label == TITLE}
        for i, t in enumerate(self.toks):
            if i in self.taken or not (t.is_title and t.is_alpha) or t.text in self.w.stop_name:
                continue
            prev = self.tok(i - 1)
            if prev is None:
                continue
            after_title = i in titles_end
            after_hon = prev.lower_.rstrip(".") in honorifics() or (
                prev.text == "." and self.lower(i - 2) in ("mr", "mrs", "ms")
            )
            nxt = self.tok(i + 1)
            if (after_title or after_hon) and not (nxt is not None and nxt.is_title):
                self.out.append(self.mention(SHORTREF, i, i + 1, name=t.text))
                self.taken.add(i)
