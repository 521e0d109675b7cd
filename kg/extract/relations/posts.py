"""Relations, posts: titles attached to the persons they name -> memberOf / headOf.

Input: an article's :class:`~kg.extract.relations.common.Ctx`; output: memberOf and headOf
drafts in it, and who holds which title (read by the meeting rules). Title semantics come
from ``kg/data/lexicons/titles.yaml`` (through the lexicon), words from ``relations.yaml``.

Rules: title-apposition, title-header (plural titles over lists of names, before or after
them), lead-delegation ("A leads the Central Working Group"), led-by ("the delegation of
the X led by A"). A title after a past marker ("former") is attached but states no post;
one after a start word ("was elected", "newly appointed", "took over as") starts one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from kg.extract.mentions import ORG, PERSON, SHORTREF, Mention
from kg.extract.mentions.teams import past_marked
from kg.extract.nlp.components import TITLE
from kg.extract.relations.common import Ctx, main_ministry, org_draft, words
from kg.resources import load_words
from kg.vocab import HEAD_OF

if TYPE_CHECKING:
    from kg.extract.resolve import Draft

#: who holds a title: (title key, body entity id or None) -> person entity ids
Holders = dict[tuple[str, str | None], set[str]]

_WORDS_FILE = "lexicons/relations.yaml"


@dataclass(frozen=True, slots=True)
class PostWords:
    """The posts rules' lists of ``relations.yaml``.

    ``list_openers``, ``led_by``, ``sent_by``; ``starts``: the ``post_starts`` phrases as
    token runs, and ``start_tokens``: their words.
    """

    list_openers: frozenset[str]
    led_by: frozenset[str]
    sent_by: frozenset[str]
    starts: tuple[tuple[str, ...], ...] = ()
    start_tokens: frozenset[str] = frozenset()


@cache
def post_words() -> PostWords:
    """Read the posts rules' word lists once per process.

    Raises:
        DataFileError: a list is missing or holds something other than words.
    """

    def strings(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in load_words(_WORDS_FILE, key))

    # split as the tokenizer splits: "re-elected" -> "re", "-", "elected"
    starts = tuple({tuple(re.findall(r"[\w']+|-", w)) for w in strings("post_starts")})
    return PostWords(
        strings("list_openers"),
        strings("led_by"),
        strings("sent_by"),
        starts,
        frozenset(w for run in starts for w in run),
    )


def starts_post(words: list[str]) -> bool:
    """Tell whether lower-case tokens written before a title hold a start word.

    Examples:
        >>> starts_post(["was", "re", "-", "elected"]), starts_post(["took", "over", "as"])
        (True, True)
        >>> starts_post(["will", "continue", "to", "serve", "as"])
        False
    """
    runs = post_words().starts
    return any(tuple(words[i : i + len(r)]) == r for r in runs for i in range(len(words)))


def _gap_words() -> tuple[str, ...]:
    """What may stand between a name and the title after it (appointment and start words)."""
    return (*words().separators, *words().appointed, *post_words().start_tokens)


def title_relation(ctx: Ctx, title: Mention, create: bool = True) -> tuple[str, Draft | None]:
    """Return the relation a title states and the body it is a post of (None if unknown).

    Args:
        ctx: the article.
        title: a title mention.
        create: make an entity for a body the title names only implicitly ("virtual").
    """
    spec = ctx.lex.titles[title.key]
    rel = spec["relation"]
    body_m = title.info.get("body")
    body = ctx.res.entity_of(body_m)
    if create and body is None and body_m is not None and body_m.info.get("virtual"):
        body = org_draft(ctx, body_m.name)
    if (
        body is None
        and body_m is None
        and spec.get("template")
        and "of" not in (ctx.toks[title.end].lower_ if title.end < len(ctx.toks) else "")
    ):
        # "Deputy Minister X" in an article about one ministry is that ministry's
        body = main_ministry(ctx)
    if body is not None:
        override = ctx.lex.title_overrides.get(title.key, {}).get(body.name)
        if override:
            rel = override["relation"]
            target = override["body"]
            body = org_draft(ctx, target)
    return rel, body


def attach_titles(ctx: Ctx) -> Holders:
    """Attach titles to persons in each sentence; return who holds which (title, body)."""
    holders: Holders = {}
    for si, ms in ctx.by_sent.items():
        persons = [m for m in ms if m.label in (PERSON, SHORTREF) and ctx.res.entity_of(m)]
        titles = [m for m in ms if m.label == TITLE]
        if persons and titles:
            _Sentence(ctx, holders, si, persons, titles).attach()
    return holders


class _Sentence:
    """The titles and persons of one sentence, attached to each other."""

    def __init__(
        self, ctx: Ctx, holders: Holders, si: int, persons: list[Mention], titles: list[Mention]
    ) -> None:
        self.ctx, self.holders, self.si = ctx, holders, si
        self.persons, self.titles = persons, titles
        self.bounds = [t.i for t in ctx.sents[si] if t.text in (";", ":")]

    def seg(self, i: int) -> int:
        """The clause (between ";" and ":") that token ``i`` is in."""
        return sum(1 for b in self.bounds if b < i)

    def attach(self) -> None:
        """Headers first, then plural titles over lists, then each title to one name."""
        done = self._headers()
        done += self._plural_lists(done)
        for t in self.titles:
            if t not in done:
                self._apposition(t)

    def hold(self, p: Mention, t: Mention, rule: str, before: bool) -> None:
        """``p`` holds ``t``; ``before``: the title is written before the name."""
        _hold(self.ctx, self.holders, p, t, self.si, rule)
        ctx = self.ctx
        if before:
            ctx.chain_start[id(p)] = min(ctx.chain_start.get(id(p), p.start), t.start)
        else:
            ctx.chain_end[id(p)] = max(ctx.chain_end.get(id(p), p.end), t.end)

    def _headers(self) -> list[Mention]:
        """Give a plural header to each name of its list: "Politburo members: A, B; ..."."""
        ctx = self.ctx
        headers = [t for t in self.titles if t.info["plural"] and _opens_list(ctx, t.end)]
        for h in headers:
            # a header governs the names up to the next header, or the next ";" after
            # which the list goes on with something other than a name
            stops = [t.start for t in headers if t.start > h.start]
            stops += [
                b
                for b in self.bounds
                if b > h.end and ctx.toks[b].text == ";" and not self._name_at(b + 1)
            ]
            nxt = min(stops, default=ctx.sents[self.si].end)
            for p in self.persons:
                if h.end <= p.start < nxt:
                    self.hold(p, h, "title-header", before=True)
        return headers

    def _name_at(self, i: int) -> bool:
        """Whether a name opens the list item at ``i`` (after "and" and honorifics)."""
        ctx = self.ctx
        while i < len(ctx.toks) and ctx.gap_ok(i, i + 1, allow_titles=False):
            i += 1
        return any(p.start == i for p in self.persons)

    def _plural_lists(self, headers: list[Mention]) -> list[Mention]:
        """Give a plural title to each name listed next to it: "Deputy Prime Ministers A and B".

        The list may also come first: "A and B, Deputy Secretaries of X".
        """
        ctx = self.ctx
        plural = [t for t in self.titles if t.info["plural"] and t not in headers]
        for t in plural:
            after = [p for p in self.persons if p.start >= t.end]
            if after and ctx.gap_ok(t.end, after[0].start, allow_titles=False):
                listed = [after[0]]
                for p in after[1:]:
                    if not ctx.gap_ok(listed[-1].end, p.start, allow_titles=False):
                        break
                    listed.append(p)
                for p in listed:
                    self.hold(p, t, "title-header", before=True)
                continue
            before = [p for p in self.persons if p.end <= t.start][::-1]
            allow = _gap_words()
            if not before or not ctx.gap_ok(before[0].end, t.start, allow=allow):
                continue
            listed = [before[0]]
            for p in before[1:]:
                if not ctx.gap_ok(p.end, listed[-1].start, allow_titles=False):
                    break
                listed.append(p)
            for p in listed:
                self.hold(p, t, "title-header", before=False)
        return plural

    def _apposition(self, t: Mention) -> None:
        """Attach a title to the name it is written next to, before or after it."""
        ctx, seg = self.ctx, self.seg
        nxt_p = next(
            (p for p in self.persons if p.start >= t.end and seg(p.start) == seg(t.end)), None
        )
        prev_p = next(
            (p for p in reversed(self.persons) if p.end <= t.start and seg(p.end) == seg(t.start)),
            None,
        )
        pre_ok = nxt_p is not None and ctx.gap_ok(t.end, nxt_p.start)
        post_ok = (
            prev_p is not None
            and ctx.gap_ok(prev_p.end, t.start, allow=_gap_words())
            and not _and_after(ctx, prev_p.end)
        )
        if nxt_p is not None and post_ok and _and_before(ctx, t.end, nxt_p.start):
            # "A, Secretary of X and comrade B, ...": the title closes A's chain
            pre_ok = False
        direct = (
            nxt_p is not None
            and pre_ok
            and not any(ctx.toks[i].text == "," for i in range(t.end, nxt_p.start))
        )
        if direct or (pre_ok and not post_ok):
            target = nxt_p
        elif post_ok and not pre_ok:
            target = prev_p
        elif pre_ok and post_ok:
            seg_items = [m for m in self.persons + self.titles if seg(m.start) == seg(t.start)]
            first = min(seg_items, key=lambda m: m.start)
            target = nxt_p if first.label == TITLE else prev_p
        else:
            return
        assert target is not None
        self.hold(target, t, "title-apposition", before=target is nxt_p)


def _opens_list(ctx: Ctx, i: int) -> bool:
    """Whether a list of names follows token ``i``: ":", "include", ", including"."""
    if i < len(ctx.toks) and ctx.toks[i].text == ",":
        i += 1
    return i < len(ctx.toks) and ctx.toks[i].lower_ in post_words().list_openers


def _and_after(ctx: Ctx, i: int) -> bool:
    """Whether ", and" follows a name at ``i``: what comes next is the next item of a list."""
    if i < len(ctx.toks) and ctx.toks[i].text == ",":
        i += 1
    return i < len(ctx.toks) and ctx.toks[i].lower_ == "and"


def _and_before(ctx: Ctx, a: int, b: int) -> bool:
    """Whether the words [a, b) before a name end with "and" (after no other title)."""
    for i in range(b - 1, a - 1, -1):
        t = ctx.toks[i]
        if t.lower_ == "and":
            return True
        if i in ctx.title_tokens or not ctx.gap_ok(i, i + 1, allow_titles=False):
            return False
    return False


def _hold(
    ctx: Ctx,
    holders: Holders,
    p: Mention,
    t: Mention,
    si: int,
    rule: str,
) -> None:
    person = ctx.res.entity_of(p)
    if person is None:
        return
    ctx.attached.setdefault(id(p), []).append(t)
    ctx.person_of_title[id(t)] = person
    if past_marked([ctx.toks[i].lower_ for i in range(t.start, t.info["title_start"])]):
        return  # "former Minister A", "the late Secretary B": not a post held now
    if t.info.get("group"):
        ctx.group_chairs.append((person, si))
        return
    rel, body = title_relation(ctx, t)
    holders.setdefault((t.key, body.id if body else None), set()).add(person.id)
    holders.setdefault((t.key, None), set()).add(person.id)
    if body is not None:
        starts = _starts(ctx, p, t)
        ctx.add(person, rel, body, si, rule, title=t.info.get("written"), starts=starts)


def _starts(ctx: Ctx, p: Mention, t: Mention) -> bool:
    """Whether the title's markers, or the words between a name and it, say the post begins.

    "the newly appointed Secretary A", "A was re-elected Chairman", "A took over as Director".
    """
    marks = [ctx.toks[i].lower_ for i in range(t.start, t.info["title_start"])]
    gap: list[str] = []
    allowed = {*words().appointed, *post_words().start_tokens}
    i = t.start - 1
    while i >= p.end and i not in ctx.title_tokens and ctx.toks[i].lower_ in allowed:
        gap.insert(0, ctx.toks[i].lower_)
        i -= 1
    return starts_post(gap + marks)


def find_leads(ctx: Ctx) -> None:
    """Find "A leads the <delegation>" and "the <delegation> led by A" -> headOf."""
    for si, ms in ctx.by_sent.items():
        for p in ms:
            if p.label not in (PERSON, SHORTREF):
                continue
            end = ctx.chain_end.get(id(p), p.end)
            t = ctx.toks[end] if end < len(ctx.doc) else None
            if t is None or t.lemma_.lower() != "lead":
                continue
            body_m = next((m for m in ms if m.label == ORG and end < m.start <= end + 3), None)
            body = ctx.res.entity_of(body_m)
            if body is not None and any(w in body.name.lower() for w in words().led_bodies):
                ctx.add(ctx.res.entity_of(p), HEAD_OF, body, si, "lead-delegation")
        for body_m in (m for m in ms if m.label == ORG):
            leader = _led_by(ctx, ms, body_m.end)
            if leader is not None:
                ctx.add(leader, HEAD_OF, _led_body(ctx, body_m), si, "led-by")


def _led_by(ctx: Ctx, ms: list[Mention], i: int) -> Draft | None:
    """The person named in "led by [Mr.] A" at token ``i``, if any."""
    if i + 1 >= len(ctx.toks) or ctx.toks[i].lower_ not in post_words().led_by:
        return None
    if ctx.toks[i + 1].lower_ != "by":
        return None
    p = next((m for m in ms if m.label in (PERSON, SHORTREF) and m.start >= i + 2), None)
    if p is None or not ctx.gap_ok(i + 2, p.start, allow_titles=False):
        return None
    return ctx.res.entity_of(p)


def _led_body(ctx: Ctx, body_m: Mention) -> Draft | None:
    """Return what "<body> led by A" says A leads.

    That is the body if it is a delegation or team, else the delegation sent by it ("a
    delegation of the X led by A" -> "Delegation of the X").
    """
    body = ctx.res.entity_of(body_m)
    if body is None:
        return None
    led = words().led_bodies
    if any(w in body.name.lower() for w in led):
        return body
    i = body_m.start - 1
    if i >= 0 and ctx.toks[i].lower_ == "the":
        i -= 1
    if i < 1 or ctx.toks[i].lower_ not in post_words().sent_by:
        return None
    if ctx.toks[i - 1].lower_ not in led:
        return None
    return org_draft(ctx, f"Delegation of the {body.name}")
