"""Relations, places: where bodies and places are (locatedIn) and where the meeting was (heldIn).

Input: an article's :class:`~kg.extract.relations.common.Ctx` and its meeting; output:
locatedIn and heldIn drafts. Place kinds and parents come from
``kg/data/gazetteers/places.jsonl`` (through the lexicon), kind ranks from ``relations.yaml``.

Rules: body-place, place-apposition, place-parent, event-place, event-dateline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.lexicon import Place
from kg.extract.mentions import ORG, Mention, main_district
from kg.extract.nlp.components import EVENT, PLACE
from kg.extract.relations.common import Ctx, sent_at, words
from kg.vocab import HELD_IN, LOCATED_IN

if TYPE_CHECKING:
    from kg.extract.resolve import Draft


def find_venue(ctx: Ctx, event: Draft) -> None:
    """Find the meeting's place.

    "in <place>" where it is reported, else the dateline ("Hanoi (VNA) –"), else the
    article's province.
    """
    ev_sents = sorted({m.sent for m in ctx.mentions if m.label == EVENT})
    for si in ev_sents[:3]:
        for m in ctx.by_sent.get(si, []):
            if m.label == PLACE and m.start > 0 and ctx.toks[m.start - 1].lower_ == "in":
                place = m.info.get("place")
                if isinstance(place, Place) and place.kind in ("country", "region"):
                    continue
                ctx.add(event, HELD_IN, ctx.res.entity_of(m), si, "event-place")
                return
    for si in range(min(3, len(ctx.sents))):
        first = next(iter(ctx.by_sent.get(si, [])), None)
        sent = ctx.sents[si]
        if (
            first is not None
            and first.label == PLACE
            and first.start == sent.start
            and first.end < sent.end
            and ctx.toks[first.end].text in ("(", "-", "–", ",")
            and (ctx.toks[first.end].text != "," or "(VNA)" in sent.text)
        ):
            ctx.add(event, HELD_IN, ctx.res.entity_of(first), si, "event-dateline")
            return
    if ctx.main is not None:
        first_ev = next((r.evidence for r in ctx.out if r.object is event), None)
        sent_i = sent_at(ctx, first_ev.start) if first_ev else 0
        ctx.add(event, HELD_IN, ctx.province_draft(), sent_i, "event-place")


def _place_kind(m: Mention) -> str | None:
    place = m.info.get("place")
    return place.kind if isinstance(place, Place) else m.info.get("kind")


def find_locations(ctx: Ctx) -> None:
    """Put local bodies in their place, and places in larger ones.

    A place is in the larger place written next to it ("Ea Tul commune, Cu M'gar
    district"), else in its gazetteer parent, else in the article's district or province.
    """
    district = main_district(ctx.mentions)
    places = [m for m in ctx.mentions if m.label == PLACE]
    apposed = _apposed(ctx, places)
    _in_regions(ctx, places)
    for m in ctx.mentions:
        d = ctx.res.entity_of(m)
        if d is None:
            continue
        if m.label == ORG and (m.info.get("local") or m.info.get("sub")):
            place = m.info.get("resolved_place") or m.info.get("place")
            pdraft = None
            if isinstance(place, Place):
                pdraft = ctx.res.place(place)
            elif m.info.get("resolved_place_name"):
                pdraft = ctx.res.place(None, m.info["resolved_place_name"])
                level = (m.info.get("level") or "").lower()
                _in_larger(ctx, pdraft, m.sent, None, level, district)
            if pdraft is not None:
                ctx.add(d, LOCATED_IN, pdraft, m.sent, "body-place")
                if isinstance(place, Place):
                    _in_larger(ctx, pdraft, m.sent, place)
        elif m.label == PLACE:
            if id(m) in apposed:
                bigger = ctx.res.entity_of(apposed[id(m)])
                ctx.add(d, LOCATED_IN, bigger, m.sent, "place-apposition")
                continue
            place = m.info.get("place")
            _in_larger(
                ctx,
                d,
                m.sent,
                place if isinstance(place, Place) else None,
                m.info.get("kind"),
                district,
            )


def _apposed(ctx: Ctx, places: list[Mention]) -> dict[int, Mention]:
    """Places written next to the larger place they are in, by id of the smaller one.

    "Ia Ko commune, Chu Se district", "Mo Duc district, the central province of Quang
    Ngai", "Cambodia's Mondulkiri and Ratanakiri provinces".
    """
    rank = words().place_rank
    apposed: dict[int, Mention] = {}
    for a, b in zip(places, places[1:], strict=False):
        ka, kb = _place_kind(a), _place_kind(b)
        # only kind words, "the" and adjectives besides the comma / "of" between
        between = " ".join(
            t.lower_
            for t in ctx.doc[a.end : b.start]
            if t.lower_ not in rank and t.lower_ != "the" and t.tag_ != "JJ"
        ).strip()
        if not (ka and kb):
            continue
        if between in (",", "of", ", in", ", of") and rank.get(ka, 9) < rank.get(kb, 0):
            apposed[id(a)] = b
        elif between in ("'s", "’s") and ka == "country" and rank.get(kb, 9) < rank[ka]:
            apposed[id(b)] = a  # "Cambodia's Mondulkiri [and Ratanakiri] provinces"
            nxt = places[places.index(b) + 1] if b is not places[-1] else None
            if nxt is not None and _place_kind(nxt) == kb:
                if ctx.doc[b.end : nxt.start].text.strip() in ("and", ","):
                    apposed[id(nxt)] = a
    return apposed


def _in_regions(ctx: Ctx, places: list[Mention]) -> None:
    """Put a province in the region written as its kind.

    "the Central Highlands province of Dak Lak"; "the Mekong Delta city" alone is the
    article's province.
    """
    for i, m in enumerate(places):
        if _place_kind(m) != "region" or ctx.lex.place(m.key) is None:
            continue
        kind = ctx.toks[m.end].lower_ if m.end < len(ctx.toks) else ""
        if kind not in ("province", "city", "province's", "city's"):
            continue
        target: Draft | None = None
        nxt = places[i + 1] if i + 1 < len(places) else None
        if m.end + 1 < len(ctx.toks) and ctx.toks[m.end + 1].lower_ == "of":
            if nxt is not None and nxt.start == m.end + 2 and _place_kind(nxt) == "province":
                target = ctx.res.entity_of(nxt)
        elif ctx.main is not None:
            target = ctx.province_draft()
        region = ctx.res.entity_of(m)
        if target is not None and region is not None:
            ctx.add(target, LOCATED_IN, region, m.sent, "place-region")


def _in_larger(
    ctx: Ctx,
    d: Draft | None,
    sent: int,
    place: Place | None = None,
    kind: str | None = None,
    district: str | None = None,
) -> None:
    """Put a place in its gazetteer parent, else in the article's district or province."""
    if d is None:
        return
    if place is not None:
        parent = ctx.lex.place(place.parent) if place.parent else None
        if place.kind == "province" and parent is not None and parent.kind == "country":
            # a foreign province, in its country where the article names the country
            named = any(m.label == PLACE and m.info.get("place") is parent for m in ctx.mentions)
            if parent.id != "vietnam" and named:
                ctx.add(d, LOCATED_IN, ctx.res.place(parent), sent, "place-parent")
            return
        if place.kind in ("city", "district") and place.parent:
            parent = ctx.lex.place(place.parent)
            if place.kind == "district" and ctx.main is not None and parent is not ctx.main:
                # district names repeat across provinces ("An Lao" is in Hai Phong and in
                # Binh Dinh): in an article about one province, it is that province's
                parent = ctx.main
            if parent is not None and parent.kind == "province":
                ctx.add(d, LOCATED_IN, ctx.res.place(parent), sent, "place-parent")
        return
    if kind in ("commune", "ward", "town") and district and d.name != district:
        ctx.add(d, LOCATED_IN, ctx.res.place(None, district), sent, "place-parent")
    elif kind in ("district", "commune", "ward", "town") and ctx.main is not None:
        ctx.add(d, LOCATED_IN, ctx.province_draft(), sent, "place-parent")
