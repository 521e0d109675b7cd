"""Relations, places: where bodies and places are (locatedIn) and where the meeting was (heldIn).

Input: an article's :class:`~kg.extract.relations.common.Ctx` and its meeting; output:
locatedIn and heldIn drafts. Place kinds and parents come from
``kg/data/gazetteers/places.jsonl`` (through the lexicon), kind ranks from ``relations.yaml``.

Rules: body-place, place-apposition, place-parent, event-place, event-venue, event-host,
event-dateline, event-session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.lexicon import Place
from kg.extract.mentions import ORG, PROVREF, Mention, main_district
from kg.extract.nlp.components import EVENT, PLACE
from kg.extract.relations.attendance import role_words
from kg.extract.relations.common import Ctx, sent_at, words
from kg.vocab import HELD_IN, LOCATED_IN

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.resolve import Draft


def find_venue(ctx: Ctx, event: Draft) -> None:
    """Find the meeting's place where the text says it.

    Where the meeting is reported: "in <place>" ("in the central province of <place>",
    "in the capital <place>"), "at the headquarters of <local body>", "<place> held the
    <meeting>"; else a visit's place ("visited and worked with ... of Lang Son
    province", "a working visit to Laos"); else the dateline ("Hanoi (VNA) –"); else the
    locality of the People's Council or Committee whose session it is (such a session
    sits at its seat). The article's province alone places no meeting: a text that does
    not say where a meeting was leaves it unsaid.
    """
    first = next((sent_at(ctx, a) for a, _ in event.spans), None)
    ev_sents = sorted({m.sent for m in ctx.mentions if m.label == EVENT})[:3]
    # "the 10th Conference opened in the capital Hanoi": the lead says where it opened
    opened = [si for si in range(min(3, len(ctx.sents))) if _opened_in(ctx, si)]
    for si in sorted({*ev_sents, *opened, *([first] if first is not None else [])}):
        for rule, finder in (
            ("event-place", _in_place),
            ("event-venue", _at_body),
            ("event-host", _place_hosts),
        ):
            for place in finder(ctx, si):
                ctx.add(event, HELD_IN, place, si, rule)
            if any(r.subject is event and r.predicate == HELD_IN for r in ctx.out):
                return
    for si in sorted({*range(min(3, len(ctx.sents))), *ev_sents}):
        visited = _visited(ctx, si)
        if visited is not None:
            ctx.add(event, HELD_IN, visited, si, "event-visit")
            return
    for si in range(min(3, len(ctx.sents))):
        first_m = next(iter(ctx.by_sent.get(si, [])), None)
        sent = ctx.sents[si]
        if (
            first_m is not None
            and first_m.label == PLACE
            and first_m.start == sent.start
            and first_m.end < sent.end
            and ctx.toks[first_m.end].text in ("(", "-", "–", ",")
            and (ctx.toks[first_m.end].text != "," or "(VNA)" in sent.text)
        ):
            ctx.add(event, HELD_IN, ctx.res.entity_of(first_m), si, "event-dateline")
            return
    for si, body in _sitting_bodies(ctx):
        ctx.add(event, HELD_IN, _body_place(ctx, body), si, "event-session")
        return


def _in_place(ctx: Ctx, si: int) -> list[Draft]:
    """Places after "in" in a sentence, with the larger place in apposition.

    "in Lang Son", "in the Central Highlands province of Dak Lak", "in the capital
    Hanoi", "in Phan Thiet City, Binh Thuan province"; not countries or regions.
    """
    out: list[Draft] = []
    places = [m for m in ctx.by_sent.get(si, []) if m.label == PLACE]
    for i, m in enumerate(places):
        place = m.info.get("place")
        if isinstance(place, Place) and place.kind in ("country", "region"):
            continue
        if not _after_in(ctx, m.start):
            continue
        d = ctx.res.entity_of(m)
        if d is not None:
            out.append(d)
        nxt = places[i + 1] if i + 1 < len(places) else None
        between = " ".join(t.lower_ for t in ctx.doc[m.end : nxt.start]) if nxt else ""
        if nxt is not None and between in (",", "city ,", "district ,", "town ,"):
            bigger = ctx.res.entity_of(nxt)
            if bigger is not None:
                out.append(bigger)
        return out
    return out


def _visited(ctx: Ctx, si: int) -> Draft | None:
    """The place a visit went to: the first place after the verb or noun of visiting.

    "A visited and worked with ... of Lang Son province", "a working visit to Laos".
    """
    sent = ctx.sents[si]
    places = [m for m in ctx.by_sent.get(si, []) if m.label == PLACE]
    for t in sent:
        visit = (t.pos_ == "VERB" and t.lemma_.lower() in role_words().visit_verbs) or (
            t.i in ctx.event_tokens and t.i + 1 < sent.end and ctx.toks[t.i + 1].lower_ == "to"
        )
        if not visit:
            continue
        for m in places:
            place = m.info.get("place")
            if t.i < m.start <= t.i + 30 and not (
                isinstance(place, Place) and place.kind == "region"
            ):
                return ctx.res.entity_of(m)
    return None


def _opened_in(ctx: Ctx, si: int) -> bool:
    """Tell whether a sentence says where something opened or was held ("opened in X")."""
    return any(
        t.lower_ == "in" and t.head.lemma_.lower() in role_words().opening_verbs
        for t in ctx.sents[si]
    )


def _after_in(ctx: Ctx, start: int) -> bool:
    """Tell whether the place at ``start`` follows "in" (with "the <kind> of" between)."""
    kinds = set(words().place_rank) | {"capital", "region"}
    k = start - 1
    seen_kind = False
    while k >= max(0, start - 7) and ctx.toks[k].lower_ != "in":
        t = ctx.toks[k]
        if t.lower_ in kinds:
            seen_kind = True
        elif not (t.lower_ in ("of", "the") or t.pos_ in ("ADJ", "PROPN")):
            return False
        k -= 1
    only_the = all(ctx.toks[j].lower_ == "the" for j in range(k + 1, start))
    return k >= 0 and ctx.toks[k].lower_ == "in" and (only_the or seen_kind)


def _at_body(ctx: Ctx, si: int) -> list[Draft]:
    """The place of a local body whose building the meeting is at.

    "at the headquarters of the Lang Son Provincial Party Committee", "at the hall of the
    Provincial People's Council", "at the city's School of Politics".
    """
    sent = ctx.sents[si]
    venues = role_words().venue_nouns
    for t in sent:
        if t.lower_ != "at":
            continue
        span = range(t.i + 1, min(t.i + 9, sent.end))
        if not any(ctx.toks[k].lower_ in venues for k in span):
            continue
        if any(k in ctx.event_tokens for k in span):
            continue
        if any(
            ctx.toks[k].lower_ in ("province", "city") and ctx.toks[k + 1].lower_ in ("'s", "’s")
            for k in span
            if k + 1 < sent.end
        ):
            place = ctx.province_draft()  # "at the city's School of Politics"
            return [place] if place is not None else []
        for m in ctx.by_sent.get(si, []):
            if m.start in span and m.label == ORG and m.info.get("local"):
                place = _body_place(ctx, m)
                return [place] if place is not None else []
            if m.start in span and m.label == PROVREF:
                place = ctx.province_draft()
                return [place] if place is not None else []
    return []


def _place_hosts(ctx: Ctx, si: int) -> list[Draft]:
    """A place that holds or hosts the meeting: "Kon Tum province held a ceremony"."""
    for m in ctx.by_sent.get(si, []):
        if m.label != PLACE:
            continue
        verb = _hosting_verb(ctx, range(m.start, m.end + 1))
        d = ctx.res.entity_of(m)
        if verb is not None and d is not None:
            return [d]
    return []


def _hosting_verb(ctx: Ctx, subject: range) -> Token | None:
    """The verb of holding whose subject is in ``subject`` and whose object is a meeting."""
    for i in subject:
        t = ctx.toks[i] if i < len(ctx.toks) else None
        if t is None or t.dep_ != "nsubj" or t.head.lemma_.lower() not in role_words().host_verbs:
            continue
        v = t.head
        objs = [c for c in v.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
        if any(k in ctx.event_tokens for c in objs for k in range(c.left_edge.i, c.i + 1)):
            return v
    return None


def _sitting_bodies(ctx: Ctx) -> list[tuple[int, Mention]]:
    """Local bodies whose session the meeting is (``sitting_bodies`` of relations.yaml).

    "The Provincial People's Council held its 26th session", "the 15th session of the
    17th Provincial People's Council".
    """
    out = []
    for m in ctx.mentions:
        if m.label != ORG or m.info.get("head") not in role_words().sitting_bodies:
            continue
        if _hosting_verb(ctx, range(m.start, m.end)) is not None:
            out.append((m.sent, m))
            continue
        before = ctx.doc[max(0, m.start - 5) : m.start]
        if any(t.i in ctx.event_tokens for t in before) and any(t.lower_ == "of" for t in before):
            out.append((m.sent, m))
    return out


def _body_place(ctx: Ctx, m: Mention) -> Draft | None:
    """The Place entity of a local body's locality."""
    place = m.info.get("resolved_place") or m.info.get("place")
    if isinstance(place, Place):
        return ctx.res.place(place)
    name = m.info.get("resolved_place_name")
    return ctx.res.place(None, name) if name else None


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
