"""Local bodies, sub-bodies and abbreviations, composed around the ruler's body heads.

Stage: mentions. Input: the scan state with its BODY_HEAD spans, ``bodies.yaml`` (heads,
levels) and ``mentions.yaml`` (plural heads, ordinal heads); output: ORG mentions such as
"Lang Son Provincial Party Committee", "Standing Committee of the <parent>" or "PPC"
(unnamed until :mod:`kg.extract.mentions.naming` qualifies them).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.extract.lexicon import Place
from kg.extract.mentions.congresses import Congresses, roman_ordinal
from kg.extract.mentions.scan import (
    ORG,
    Mention,
    MentionInfo,
    as_written,
    local_body_info,
)
from kg.extract.mentions.words import words
from kg.extract.nlp.components import BODY_HEAD, NBODY, PLACE
from kg.resources import load_yaml

if TYPE_CHECKING:
    from spacy.tokens import Span

# "<head> of <place> <kind>": the kind words that may follow the place
_KIND_AFTER_OF = ("province", "city", "district", "commune", "ward", "town")
_LOCALITY_KINDS = ("district", "commune", "ward", "town")

# bodies that own no party committee of their own: "the Party Committee of the
# Provincial Party Committee" is not written, and a People's Council's party members
# belong to the province's committee
_NOT_OWNERS = ("party-committee", "peoples-council", "party-committee-of", "plenum")

# an abbreviation defined in brackets: "(PPC)", "(DOLISA)", "(MoIT)"
_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z]{1,7}$")


@cache
def plural_words() -> tuple[dict[str, str], frozenset[str]]:
    """Plural heads of ``bodies.yaml`` and the words of "the two provinces"."""
    data = load_yaml("lexicons/bodies.yaml")
    heads = {str(k): str(v) for k, v in data["plural_heads"].items()}
    return heads, frozenset(data["both_places"])


@cache
def _plural_heads() -> tuple[dict[str, str], frozenset[str]]:
    """Every plural head (``bodies.yaml`` and the mention words), and their last words."""
    heads = {**plural_words()[0], **words().plural_heads}
    return heads, frozenset(key.split(" ")[-1] for key in heads)


class LocalBodies(Congresses):
    """Bodies of a place: "[ordinal] [place] [level] <head> [tail]" and their sub-bodies."""

    def local_bodies(self) -> None:
        """Compose local bodies around each BODY_HEAD span (first pass, no parents)."""
        for s in self.raw:
            if s.label_ != BODY_HEAD:
                continue
            spec = self.lex.heads[s.id_]
            if spec.get("parent") and s.id_ != "party-standing-committee":
                continue  # sub-bodies: second pass
            m = self._local_body(s, spec)
            if m is not None:
                self._add_org(m)
        self._plural_bodies()

    def _plural_bodies(self) -> None:
        """Find one body per place in "the People's Committees of Kien Giang and Ca Mau".

        The bodies share their tokens with the place names, which stay places too; "the
        Standing Committees of the two provinces" names the article's two provinces.
        """
        for k in range(len(self.toks)):
            head = self._plural_head(k)
            if head is None or self.lower(k + 1) != "of":
                continue
            i = self.skip_the(k + 2)
            if self.lower(i) in plural_words()[1] and self.lower(i + 1) == "provinces":
                for prov in self._two_provinces():
                    info = local_body_info(head, None, prov, None)
                    self.out.append(self.mention(ORG, k, i + 2, key=head, info=info))
                continue
            while i in self.raw_at and self.raw_at[i].label_ == PLACE:
                span = self.raw_at[i]
                place = self.gazetteer_place(span)
                if place is not None and place.kind in ("province", "city", "district"):
                    info = local_body_info(head, None, place, None)
                    self.out.append(self.mention(ORG, span.start, span.end, key=head, info=info))
                i = span.end
                if self.lower(i) in ("province", "provinces", "city", "district"):
                    i += 1
                if self.lower(i) in (",", "and"):
                    i += 1
                    if self.lower(i) == "and":
                        i += 1
                else:
                    break

    def _plural_head(self, k: int) -> str | None:
        """The head id of a plural head ending at token ``k`` ("People's Committees")."""
        heads, last_words = _plural_heads()
        if self.lower(k) not in last_words:  # every key ends with token k's word
            return None
        words = [t.lower_ for t in self.toks[max(k - 2, 0) : k + 1]]
        keys = [" ".join(words[-n:]) for n in (3, 2, 1) if len(words) >= n]
        if len(words) == 3:
            keys.append(f"{words[0]}{words[1]} {words[2]}")  # "people 's committees"
        return next((heads[key] for key in keys if key in heads), None)

    def _two_provinces(self) -> list[Place]:
        """The provinces the article names, when it names exactly two."""
        found: dict[str, Place] = {}
        for s in self.raw:
            place = self.gazetteer_place(s) if s.label_ == PLACE else None
            prov = self.lex.province_of(place.id) if place is not None else None
            if prov is not None:
                found[prov.id] = prov
        return list(found.values()) if len(found) == 2 else []

    def _local_body(self, s: Span, spec: dict[str, Any]) -> Mention | None:
        start, level, place, place_name, ordn = self._prefix(s.start)
        if s.id_ in self.w.ordinal_heads and not ordn and roman_ordinal(self.lower(start - 1)):
            ordn = roman_ordinal(self.lower(start - 1))  # "the XIX Party Congress"
            start -= 1
        end = s.end
        tail = None
        if spec.get("tail"):
            tail, end = self._tail(end, opener_needed=not s.text.lower().endswith(" of"))
            if not tail:
                return None
        other = self._foreign_or_owned(s, start, end, tail, place, place_name)
        if other is not None:
            return other
        if spec.get("owned_only") and not self._after_party_committee_of(start):
            return None  # "the Party agencies" alone are no body
        # "Party Committee of Lang Son province", "Department of Finance of Thai Binh"
        if place is None and place_name is None and self.lower(end) == "of":
            end, level, place, place_name = self._place_after_of(end, level)
        elif spec.get("owned_only") and place is None and place_name is None:
            end, level, place, place_name = self._place_after_in(end, level)
        if spec.get("national"):
            # "Central Working Group", "Directorate of Fisheries": named as written
            return self.central(s.start, end, s.text + (f" {tail}" if tail else ""))
        if (
            spec.get("needs_level")
            and level is None
            and place is None
            and place_name is None
            and not (s.id_ == "party-congress" and ordn)
        ):
            return None
        if spec.get("needs_ordinal") and not ordn:
            return None
        if level and self.lex.levels.get(level.lower()) == "country":
            level = "National"
        if s.id_ == "party-congress" and ordn and level is None and place is None:
            # "the 13th Party Congress" is the national one, "the XIX Party Congress"
            # (or the 14th in 2020) the article's province's
            level = "National" if self._national_congress(ordn, s.start) else None
        info = local_body_info(
            s.id_,
            level,
            place,
            place_name,
            # a committee's term number names the same body; a congress's does not
            ordinal=ordn if s.id_ in self.w.ordinal_heads else None,
            tail=tail,
            written=s.text,
            local=level != "National" and s.id_ != "national-party-congress",
        )
        return self.mention(ORG, start, end, key=s.id_, info=info)

    def _foreign_or_owned(
        self,
        s: Span,
        start: int,
        end: int,
        tail: str | None,
        place: Place | None,
        place_name: str | None,
    ) -> Mention | None:
        """A head that names another country's body, or a department of a central body."""
        demonym = self.toks[start - 1].text if start > 0 else ""
        if self.lex.demonyms.get(demonym, "Vietnam") != "Vietnam" and place is None:
            # "the Australian Department of Foreign Affairs and Trade": another country's
            name = self.doc[start - 1 : end].text
            info: MentionInfo = {"local": False, "head": "foreign"}
            return self.mention(ORG, start - 1, end, name=name, key=name, info=info)
        if self.lower(end) == "of" and place is None and place_name is None:
            owner = self.raw_at.get(self.skip_the(end + 1))
            if owner is not None and owner.label_ == NBODY:
                # "Department of Planning and Finance of the Ministry of Education and ..."
                written = as_written(s.text) + (f" {tail}" if tail else "")
                name = f"{written} of the {owner.id_}"
                return self.central(start, owner.end, name)
        return None

    def _after_party_committee_of(self, start: int) -> bool:
        """Tell whether "Party Committee of [the]" stands right before ``start``."""
        k = start - 1 if self.lower(start - 1) == "the" else start
        owner = self.raw_end.get(k - 1)
        return (
            self.lower(k - 1) == "of"
            and owner is not None
            and owner.label_ == BODY_HEAD
            and owner.id_ == "party-committee"
        )

    def _place_after_in(
        self, end: int, level: str | None
    ) -> tuple[int, str | None, Place | None, str | None]:
        """Read the place in "<head> in <place>" or "in the city" / "of the province".

        Returns:
            (new end, level word, gazetteer place, other place name).
        """
        if self.lower(end) not in ("in", "of"):
            return end, level, None, None
        j = self.skip_the(end + 1)
        if j > end + 1 and self.lower(j) in ("city", "province"):
            return j + 1, self.lower(j).replace("province", "provincial").title(), None, None
        return self._place_after_of(end, level)

    def _body_after(self, i: int) -> bool:
        """Tell whether a body's head (after a level word) starts at token ``i``."""
        if self.lower(i) in self.lex.levels:
            i += 1
        head = self.raw_at.get(i)
        return head is not None and head.label_ == BODY_HEAD

    def _place_after_of(
        self, end: int, level: str | None
    ) -> tuple[int, str | None, Place | None, str | None]:
        """Read the place in "<head> of [the] <place> [kind]".

        Returns:
            (new end, level word, gazetteer place, other place name).
        """
        place: Place | None = None
        place_name: str | None = None
        j = self.skip_the(end + 1)
        pl2 = self.raw_at.get(j)
        run = j
        while run < len(self.doc) and run - j < 3 and self._namey(run):
            run += 1
        if pl2 is not None and pl2.label_ == PLACE and self._body_after(pl2.end):
            pass  # "Party Committee of the Dien Bien Provincial People's Committee"
        elif pl2 is not None and pl2.label_ == PLACE:
            place = self.gazetteer_place(pl2)
            end = pl2.end
            nxt = self.lower(end)
            if nxt in _KIND_AFTER_OF:
                if nxt == "city" and place is not None and place.kind == "province":
                    cap = self.lex.place(place.capital)
                    if cap is not None and cap.same_name_as_province:
                        place = cap
                elif place is not None and place.kind != nxt and nxt != "province":
                    # "Party Committee of Dong Van commune": not the district Dong Van
                    place_name, level, place = self.doc[pl2.start : end].text, nxt.title(), None
                end += 1
        elif run > j and self.lower(run) in _LOCALITY_KINDS:
            # "Party Committee of Ea Tul commune": a place outside the gazetteer
            place_name, level, end = self.doc[j:run].text, self.lower(run).title(), run + 1
        return end, level, place, place_name

    # ---- second pass: bodies of bodies -------------------------------------------
    def sub_bodies(self) -> None:
        """Second pass: Standing Committee / Organization Board / ... of a parent body.

        Party committees of bodies come first, so that "the Standing Committee of the
        Party Committee of the Provincial People's Committee" finds its parent.
        """
        self._party_committees_of()
        self._sub_body_heads()
        self._numbered_congresses()
        self._bare_congresses()

    def _sub_body_heads(self) -> None:
        """Sub-bodies: "<sub> of the <parent>", "<parent>'s <sub>", "<level> <sub>".

        The parent is then known only as an entity (see ``_hide_org``).
        """
        self._council_committees()
        for s in self.raw:
            if s.label_ != BODY_HEAD or any(i in self.taken for i in range(s.start, s.end)):
                continue
            spec = self.lex.heads[s.id_]
            if not spec.get("parent"):
                continue
            start, end = s.start, s.end
            parent = None
            # "<sub> of the <parent>"; "Office of the NA Delegation and the <parent>"
            after = end if spec.get("sub_form") else self.skip_the(end + 1)
            if self.lower(end) == "of" or spec.get("sub_form"):
                parent = self.org_at.get(after)
                if parent is not None:
                    end = parent.end
            listed = self._listed_parent(start, spec) if parent is None else None
            # "<parent>'s <sub>" / "<parent> <sub>"
            if parent is None:
                k = start - 1 if self.lower(start - 1) in ("'s", "'") else start
                cand = self.org_end.get(k)
                if cand is not None and cand.info.get("local") is not None:
                    parent = cand
                    start = cand.start
            level = None
            lv = self.tok(start - 1)
            if parent is None and lv is not None and lv.lower_ in self.lex.levels:
                level = lv.text.capitalize()
                start -= 1
            if parent is not None:
                self._hide_org(parent)
            info: MentionInfo = {
                "local": True,
                "head": s.id_,
                "sub": True,
                "parent": parent or listed,
                "level": level,
                "written": s.text,
            }
            self._add_org(self.mention(ORG, start, end, key=s.id_, info=info))

    def _council_committees(self) -> None:
        """People's Council committees the gazetteer read as central bodies.

        "the Legal Committee of the Provincial People's Council" (or listed after "the
        Committees of the Provincial People's Council, including") is the council's, not the
        National Assembly's committee the gazetteer also calls "Legal Committee".
        """
        forms = {
            f.lower(): h
            for h, spec in self.lex.heads.items()
            if spec.get("parent") == "peoples-council" and not spec.get("sub_form")
            for f in spec.get("forms", [])
        }
        for m in [m for m in self.out if m.label == ORG and m.info.get("head") == "national"]:
            head = forms.get(self.doc[m.start : m.end].text.lower())
            if head is None:
                continue
            spec = self.lex.heads[head]
            end = m.end
            parent = self.org_at.get(self.skip_the(end + 1)) if self.lower(end) == "of" else None
            if parent is not None and parent.info.get("head") == "peoples-council":
                end = parent.end
                self._hide_org(parent)
            else:
                parent = self._listed_parent(m.start, spec)
            if parent is None:
                continue
            self._remove_org(m)
            info: MentionInfo = {
                "local": True,
                "head": head,
                "sub": True,
                "parent": parent,
                "level": None,
                "written": self.doc[m.start : m.end].text,
            }
            self._add_org(self.mention(ORG, m.start, end, key=head, info=info))

    def _listed_parent(self, start: int, spec: dict[str, Any]) -> Mention | None:
        """The parent of a sub-body listed after its parent's plural head.

        "the Committees of the Provincial People's Council, including the Legal Committee
        and the Ethnic Committee": each committee listed is the council's.
        """
        sent = self.sent_of[start]
        before = [
            m
            for m in self.out
            if m.label == ORG
            and m.end <= start
            and self.sent_of[m.start] == sent
            and m.info.get("head") == spec.get("parent")
        ]
        if not before:
            return None
        parent = max(before, key=lambda m: m.end)
        k = parent.start - 1 if self.lower(parent.start - 1) == "the" else parent.start
        plural = self.toks[k - 2].lower_ if k >= 2 else ""
        between = {t.lower_ for t in self.toks[parent.end : start]}
        if self.lower(k - 1) != "of" or not plural.endswith("s"):
            return None
        return parent if between & {"including", "include", "includes", ":", "namely"} else None

    def _party_committees_of(self) -> None:
        """Party committees of a body, each its own body, never the province's committee.

        "Party Committee of the <bloc / ministry / Provincial People's Committee / Party
        agencies>", "the <Provincial People's Committee> Party Committee" and "the
        <body>'s Party Committee".
        """
        for m in list(self.out):
            if m.label != ORG or m.info.get("head") != "party-committee" or m.info.get("level"):
                continue
            if m.info.get("place") is not None or m.info.get("place_name"):
                continue
            other = None
            if self.lower(m.end) == "of":
                other = self.org_at.get(self.skip_the(m.end + 1))
            if other is None or other.info.get("head") in _NOT_OWNERS:
                k = m.start - 1 if self.lower(m.start - 1) in ("'s", "’s") else m.start
                other = self.org_end.get(k)
                if other is None or other.info.get("head") in _NOT_OWNERS:
                    continue
            self._remove_org(other)
            self._remove_org(m)
            info: MentionInfo = {
                "local": other.info.get("local", False),
                "head": "party-committee-of",
                "sub": True,
                "parent": other,
                "written": "Party Committee",
            }
            start, end = min(m.start, other.start), max(m.end, other.end)
            self._add_org(self.mention(ORG, start, end, key="party-committee-of", info=info))

    # ---- abbreviations -----------------------------------------------------------
    def abbreviations(self) -> None:
        """Bodies defined with an abbreviation and then called by it.

        "Provincial People's Committee (PPC)" ... "Chairman of PPC"; a place before the
        abbreviation names another body of the same kind ("Chairman of Ha Quang DPC").
        """
        defined = self._defined_abbreviations()
        self._use_kind_abbreviations(self._kind_abbreviations(defined))
        if defined:
            self._use_defined_abbreviations(defined)

    def _defined_abbreviations(self) -> dict[str, Mention]:
        """Bodies defined with an abbreviation: "Provincial People's Committee (PPC)"."""
        toks = self.toks
        defined: dict[str, Mention] = {}
        for m in [m for m in self.out if m.label == ORG]:
            if (
                m.end + 2 < len(toks)
                and toks[m.end].text == "("
                and toks[m.end + 2].text == ")"
                and _ABBREVIATION.match(toks[m.end + 1].text)
            ):
                defined.setdefault(toks[m.end + 1].text, m)
                self.taken.update(range(m.end, m.end + 3))
        return defined

    def _kind_abbreviations(self, defined: dict[str, Mention]) -> dict[str, tuple[str, str | None]]:
        """Kinds of body with an abbreviation: "District People's Committees (DPC)".

        Such a body is named by its place where it is used.

        Returns:
            abbreviation -> (head id, level word or None).
        """
        toks = self.toks
        plural_heads = self.w.plural_heads
        kinds: dict[str, tuple[str, str | None]] = {}
        for i in range(4, len(toks) - 2):
            abbr = toks[i + 1].text
            if toks[i].text != "(" or toks[i + 2].text != ")" or abbr in defined:
                continue
            if not _ABBREVIATION.match(abbr):
                continue
            words = [t.lower_ for t in toks[i - 4 : i]]  # e.g. district people 's committees
            if " ".join(words[-2:]) in plural_heads:  # "party committees"
                head, level_word = plural_heads[" ".join(words[-2:])], words[-3]
            elif f"{words[-3]}{words[-2]} {words[-1]}" in plural_heads:  # "people's ..."
                head, level_word = plural_heads[f"{words[-3]}{words[-2]} {words[-1]}"], words[0]
            else:
                continue
            level = level_word.title() if level_word in self.lex.levels else None
            kinds[abbr] = (head, level)
            self.taken.update(range(i, i + 3))
        return kinds

    def _use_kind_abbreviations(self, kinds: dict[str, tuple[str, str | None]]) -> None:
        """Use a kind's abbreviation: "Ha Quang DPC" is that kind of body of the place before it."""
        for i, t in enumerate(self.toks):
            if t.text not in kinds or i in self.taken:
                continue
            head, level = kinds[t.text]
            start, written_level, place, place_name, _ = self._prefix(i)
            if place is None and place_name is None:
                run = self.cap_run_before(i)
                if run < i:
                    start, place_name = run, self.doc[run:i].text
            if place is not None or place_name is not None:
                info = local_body_info(head, written_level or level, place, place_name)
                self._add_org(self.mention(ORG, start, i + 1, key=head, info=info))

    def _use_defined_abbreviations(self, defined: dict[str, Mention]) -> None:
        """Use a defined abbreviation: "Chairman of PPC" names the body defined (or its kind)."""
        for i, t in enumerate(self.toks):
            model = defined.get(t.text)
            if model is None or i in self.taken:
                continue
            info = model.info.copy()
            start = i
            if info.get("local") and not info.get("sub"):
                new_start, level, place, place_name, _ = self._prefix(i)
                if place is not None or place_name is not None:
                    start = new_start
                    info["place"] = place
                    info["place_name"] = place_name
                    info["level"] = level or info.get("level")
            m = self.mention(ORG, start, i + 1, name=model.name, key=model.key, info=info)
            self._add_org(m)
