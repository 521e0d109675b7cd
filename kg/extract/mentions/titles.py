"""Titles (posts) and the body each names: "Secretary of the Provincial Party Committee".

Stage: mentions. Input: the scan state with its TITLE spans and the bodies found so far,
``titles.yaml`` (forms, templates, default bodies) and ``mentions.yaml`` (generic body
nouns); output: TITLE mentions whose ``info["body"]`` is the body mention they name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.extract.mentions.scan import ORG, TITLE, Mention, local_body_info
from kg.extract.mentions.teams import Teams, title_words

if TYPE_CHECKING:
    from spacy.tokens import Span

    from kg.extract.lexicon import Place

# the levels of a place written after a title's "of" that make the body before the title
# that place's: "People's Council Chairman of Phu Loc Commune"
_LOCALITIES = ("commune", "ward", "town", "district")


class Titles(Teams):
    """Titles, with the body named after them ("of the ..."), before them or implied."""

    if TYPE_CHECKING:
        # from LocalBodies, composed with this room in the mentions builder
        def _place_after_of(
            self, end: int, level: str | None
        ) -> tuple[int, str | None, Place | None, str | None]: ...

    def titles(self) -> None:
        """Find every title and the body it names (or a group: "of the delegation No. 3").

        Numbered teams are found first: a title names them ("Head of Inspection Team No. 5").
        """
        self.teams()
        localities = self._locality_titles()
        for s in self.raw:
            if s.label_ != TITLE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            spec = self.lex.titles[s.id_]
            plural = s.text.lower() not in {f.lower() for f in spec.get("forms", [])}
            start, end = s.start, s.end
            body: Mention | None = None
            group = False
            if s.start in localities:
                start, body, end = localities[s.start]
            elif self.lower(end) == "of":
                end, body, group = self._title_of(s, spec, end)
            if body is None and not group:
                start, body = self._body_before_title(s, spec, start)
            if spec.get("requires_body") and body is None:
                continue
            start = self.marked_start(start)
            self.out.append(
                self.mention(
                    TITLE,
                    start,
                    end,
                    name=s.id_,
                    key=s.id_,
                    info={
                        "written": s.text,
                        "plural": plural,
                        "body": body,
                        "group": group,
                        "title_start": s.start,
                        "title_end": s.end,
                    },
                )
            )
            self.taken.update(range(s.start, s.end))

    def _locality_titles(self) -> dict[int, tuple[int, Mention | None, int]]:
        """Titles of a commune's or ward's bodies written "<body> <title> of <locality>".

        "People's Council Chairman of Phu Loc Commune" heads the Phu Loc Commune People's
        Council; "Party Secretary and People's Council Chairwoman of An Binh Ward": the
        Party Secretary before "and" heads the ward's Party Committee.

        Returns:
            title start -> (the title's new start, the body, the title's new end).
        """
        found: dict[int, tuple[int, Mention | None, int]] = {}
        spans = [s for s in self.raw if s.label_ == TITLE]
        for n, s in enumerate(spans):
            if self.lower(s.end) != "of" or any(i in self.taken for i in range(s.start, s.end)):
                continue
            end, level, place, place_name = self._place_after_of(s.end, None)
            if place is not None and level is None and place.kind in _LOCALITIES:
                level = place.kind.title()
            if end == s.end or level is None or level.lower() not in _LOCALITIES:
                continue
            before = self.org_end.get(s.start)
            if before is not None and self._unplaced_levelled(before):
                self._remove_org(before)
                info = local_body_info(
                    before.info["head"], level, place, place_name, written=before.info["written"]
                )
                body = self.mention(ORG, before.start, before.end, key=before.key, info=info)
                self._add_org(body)
                found[s.start] = (body.start, body, end)
            elif before is None and s.text.lower().startswith("party "):
                party = self._party_committee_at(s, level, place, place_name)
                found[s.start] = (s.start, party, end)
            else:
                continue
            prev = spans[n - 1] if n else None
            k = before.start if before is not None else s.start
            if prev is not None and self.lower(k - 1) == "and" and prev.end == k - 1:
                if prev.text.lower().startswith("party ") and self.lower(prev.end) != "of":
                    # "Party Secretary and People's Council Chairman of <commune>"
                    found[prev.start] = (
                        prev.start,
                        self._party_committee_at(prev, level, place, place_name),
                        prev.end,
                    )
        return found

    def _unplaced_levelled(self, m: Mention) -> bool:
        """Tell whether ``m`` is a levelled local body written without place or level."""
        head = m.info.get("head")
        return (
            m.label == ORG
            and bool(m.info.get("local"))
            and head in self.lex.heads
            and bool(self.lex.heads[head].get("levelled"))
            and not m.info.get("sub")
            and not (m.info.get("level") or m.info.get("place") or m.info.get("place_name"))
        )

    def _party_committee_at(
        self, s: Span, level: str, place: Place | None, place_name: str | None
    ) -> Mention:
        """The party committee of a locality that "Party Secretary" ``s`` names.

        Its mention is the title's word "Party"; the title keeps its own tokens.
        """
        info = local_body_info(
            "party-committee", level, place, place_name, written="Party Committee"
        )
        m = self.mention(ORG, s.start, s.start + 1, key="party-committee", info=info)
        self.out.append(m)
        return m

    def _title_of(
        self, s: Span, spec: dict[str, Any], end: int
    ) -> tuple[int, Mention | None, bool]:
        """Read "<title> of [the] <body | group | field | noun>" after the title.

        Returns:
            (new end, the body named or None, whether a group is named instead).
        """
        j = end + 1
        if self.lower(j) == "the" and self.lower(j + 1) == "the":
            j += 1  # "Head of the the Provincial Party Committee's ..."
        body = self._body_after_of(self.skip_the(j))
        if body is not None:
            return self._owner_end(body.end), body, False
        owned = self._possessed_end(self.skip_the(j))
        if owned is not None:
            # "Head of the PCC's Commission for Education": a body we cannot name; its
            # words still belong to the title, so the chain of titles goes on
            return owned, None, False
        group = False
        j2 = self.skip_the(j)
        team, after = self.team_named(j2)
        if team is not None:
            # "Head of the inspection delegation": the numbered team the article names
            self.taken.update(range(j2, after))
            return after, team, False
        if self.lower(j2) == "discussion":
            j2 += 1
        if self.lower(j2) in self.lex.group_words:
            group = True
            end = j2 + 1
            while self.tok(end) is not None and (
                self.toks[end].like_num or self.toks[end].lower_ in ("no", ".")
            ):
                end += 1
        elif spec.get("template"):
            body, end = self._template_body(spec["template"], j, end)
        if body is None and not group and self.lower(j2) in self.w.generic_body_nouns:
            # "Deputy Head of the commission": the body of that kind named just
            # before; the words belong to the title either way
            end = j2 + 1
            body = self._named_before(s.start, self.lower(j2))
        return end, body, group

    def _body_after_of(self, j: int) -> Mention | None:
        """The body at ``j`` after "<title> of [the]", read through a possessive.

        "Head of the Politburo's Inspection Team No. 3" names the team, not the Politburo;
        "Head of Hanoi's National Assembly delegation" names the delegation after the place.
        """
        body = self.org_at.get(j)
        if body is not None:
            k = body.end
            if self.lower(k) == "(" and self.lower(k + 2) == ")":
                k += 3  # "the Vietnam People's Army (VPA)'s General Department"
            if self.lower(k) != "'s":
                return body
            return self.org_at.get(k + 1)
        for k in range(j + 1, min(j + 5, len(self.toks))):
            if self.lower(k) == "'s":
                words_ok = all(self.toks[i].is_title or self.toks[i].is_upper for i in range(j, k))
                return self.org_at.get(k + 1) if words_ok else None
        return None

    def _owner_end(self, end: int) -> int:
        """Read on over "of the Communist Party of Vietnam (CPV)", "of the city" after a body.

        The words belong to the title: "Secretary of the Central Committee of the Communist
        Party of Vietnam (CPVCC) and Director of ..." goes on to the next title.
        """
        owners = title_words().owners
        while True:
            if (
                self.lower(end) == "("
                and self.lower(end + 2) == ")"
                and self.toks[end + 1].is_upper
            ):
                end += 3
                continue
            if self.lower(end) != "of":
                return end
            after = self.skip_the(end + 1)
            if self.lower(after) in title_words().owner_places:
                end = after + 1  # "Chairman of the Fatherland Front Committee of the city"
                continue
            owner = self.org_at.get(after)
            if owner is None or owner.name not in owners:
                return end
            end = owner.end

    def _possessed_end(self, j: int) -> int | None:
        """The end of "<body>'s <Capitalised words>" at ``j``, if that is what follows."""
        body = self.org_at.get(j)
        if body is None:
            return None
        k = body.end
        if self.lower(k) == "(" and self.lower(k + 2) == ")":
            k += 3
        if self.lower(k) != "'s":
            return None
        end = k + 1
        while self.tok(end) is not None and (
            self.toks[end].is_title or (self.lower(end) in ("for", "and", "of") and end > k + 1)
        ):
            if self.toks[end].text in self.lex.surnames and self._name_at(end):
                break  # the name of the title's holder: "... and Education Vo Van Thuong"
            end += 1
        while end > k + 1 and not self.toks[end - 1].is_title:
            end -= 1  # a run does not end on "and"
        return end if end > k + 1 else None

    def _body_before_title(
        self, s: Span, spec: dict[str, Any], start: int
    ) -> tuple[int, Mention | None]:
        """The body written before the title, or the one it implies.

        Returns:
            (new start, the body or None).
        """
        before = self.org_end.get(start)
        if before is not None:
            return before.start, before
        body: Mention | None = None
        if s.text.lower().split()[0] == "party":
            # "Provincial Party Secretary", "Dong Van District Party Secretary"
            body = self._party_committee_before(s.start)
            if body is not None:
                start = body.start
        if body is None and spec.get("template"):
            # "Foreign Minister", "Finance Minister"
            run = self.cap_run_before(s.start)
            if run < s.start:
                words = self.doc[run : s.start].text
                canonical = self.lex.body_canonical(f"{words} Ministry") or self.lex.body_canonical(
                    spec["template"].format(words)
                )
                if canonical:
                    body = self.central(run, s.start, canonical)
                    self._add_org(body)
                    start = run
        foreign = self.lex.demonyms.get(self.toks[s.start - 1].text) if s.start > 0 else None
        if foreign == "Vietnam" and start == s.start and s.start - 1 not in self.taken:
            # "Vietnamese Prime Minister X": the word belongs to the title
            start = s.start - 1
        if foreign == "Vietnam":
            foreign = None
        if body is None and foreign and spec.get("default_body") == "Government":
            # "Lao Prime Minister X" heads the Government of Laos
            body = self.central(s.start - 1, s.end, f"Government of {foreign}", virtual=True)
            start = s.start - 1
        if body is None and spec.get("default_body") and not foreign:
            # made an entity only when the title is someone's (kg.extract.relations)
            body = self.central(s.start, s.end, spec["default_body"], virtual=True)
        return start, body

    def _party_committee_before(self, start: int) -> Mention | None:
        new_start, level, place, place_name, _ = self._prefix(start)
        if level is None and place is None:
            return None
        info = local_body_info("party-committee", level, place, place_name)
        m = self.mention(ORG, new_start, start, key="party-committee", info=info)
        self._add_org(m)
        return m

    def _named_before(self, before: int, noun: str) -> Mention | None:
        """Find the last body named before ``before`` whose name ends with ``noun``.

        It is looked for in the same or the previous sentence: "the commission" after
        "Central Mass Mobilisation Commission".
        """
        sent = self.sent_of[before]
        for m in sorted(self.out, key=lambda m: m.start, reverse=True):
            if m.label != ORG or m.start >= before or self.sent_of[m.start] < sent - 1:
                continue
            last = (m.name or (m.info.get("written") or "")).split()[-1:] or [""]
            if last[0].lower() == noun:
                return m
        return None

    def _template_body(self, template: str, j: int, end: int) -> tuple[Mention | None, int]:
        j = self.skip_the(j)
        tail, k = self._tail(j, opener_needed=False)
        if not tail:
            return None, end
        name = template.format(tail)
        canonical = self.lex.body_canonical(name) or name
        m = self.central(j, k, canonical)
        self._add_org(m)
        return m, k
