"""Relations, posts: titles attached to the persons they name -> memberOf / headOf.

Input: an article's :class:`~kg.extract.relations.common.Ctx`; output: memberOf and headOf
drafts in it, and who holds which title (read by the meeting rules). Title semantics come
from ``kg/data/lexicons/titles.yaml`` (through the lexicon), words from ``relations.yaml``.

Rules: title-apposition, title-header, lead-delegation ("A leads the Central Working Group").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.mentions import ORG, PERSON, SHORTREF, Mention
from kg.extract.nlp.components import TITLE
from kg.extract.relations.common import Ctx, main_ministry, org_draft, words
from kg.vocab import HEAD_OF

if TYPE_CHECKING:
    from kg.extract.resolve import Draft

#: who holds a title: (title key, body entity id or None) -> person entity ids
Holders = dict[tuple[str, str | None], set[str]]


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
        if not persons or not titles:
            continue
        bounds = [t.i for t in ctx.sents[si] if t.text in (";", ":")]

        def seg(i: int, bounds: list[int] = bounds) -> int:
            return sum(1 for b in bounds if b < i)

        headers = [t for t in titles if t.info["plural"] and ctx.doc[t.end : t.end + 1].text == ":"]
        for h in headers:
            # a header governs the names up to the next header or the next ";"
            nxt = min(
                [t.start for t in headers if t.start > h.start]
                + [b for b in bounds if b > h.end and ctx.toks[b].text == ";"],
                default=ctx.sents[si].end,
            )
            for p in persons:
                if h.end <= p.start < nxt:
                    _hold(ctx, holders, p, h, si, "title-header")
        # "Deputy Prime Ministers A and B": a plural title before a plain list of names
        plural_lists = [t for t in titles if t.info["plural"] and t not in headers]
        for t in plural_lists:
            scope = [p for p in persons if p.start >= t.end]
            if not scope or not ctx.gap_ok(t.end, scope[0].start, allow_titles=False):
                continue
            listed = [scope[0]]
            for p in scope[1:]:
                if not ctx.gap_ok(listed[-1].end, p.start, allow_titles=False):
                    break
                listed.append(p)
            for p in listed:
                _hold(ctx, holders, p, t, si, "title-header")
                ctx.chain_start[id(p)] = min(ctx.chain_start.get(id(p), p.start), t.start)
        headers += plural_lists
        for t in titles:
            if t in headers:
                continue
            nxt_p = next(
                (p for p in persons if p.start >= t.end and seg(p.start) == seg(t.end)), None
            )
            prev_p = next(
                (p for p in reversed(persons) if p.end <= t.start and seg(p.end) == seg(t.start)),
                None,
            )
            pre_ok = nxt_p is not None and ctx.gap_ok(t.end, nxt_p.start)
            post_ok = prev_p is not None and ctx.gap_ok(
                prev_p.end, t.start, allow=(*words().separators, *words().appointed)
            )
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
                seg_items = [m for m in persons + titles if seg(m.start) == seg(t.start)]
                first = min(seg_items, key=lambda m: m.start)
                target = nxt_p if first.label == TITLE else prev_p
            else:
                continue
            assert target is not None
            _hold(ctx, holders, target, t, si, "title-apposition")
            if target is prev_p:
                ctx.chain_end[id(target)] = max(ctx.chain_end.get(id(target), target.end), t.end)
            else:
                ctx.chain_start[id(target)] = min(
                    ctx.chain_start.get(id(target), target.start), t.start
                )
    return holders


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
    if t.info.get("group"):
        ctx.group_chairs.append((person, si))
        return
    rel, body = title_relation(ctx, t)
    holders.setdefault((t.key, body.id if body else None), set()).add(person.id)
    holders.setdefault((t.key, None), set()).add(person.id)
    if body is not None:
        ctx.add(person, rel, body, si, rule, title=t.info.get("written"))


def find_leads(ctx: Ctx) -> None:
    """Find "A leads/led the <delegation>" -> headOf."""
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
