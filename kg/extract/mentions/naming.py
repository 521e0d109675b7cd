"""The naming pass: the article's province and district, then canonical names (SPEC 3).

Stage: mentions. Input: every mention of one article and the lexicon (``bodies.yaml``
heads and levels, ``gazetteers/places.jsonl``); output: local bodies named
"<Place> <Level> <Head>" (or dropped when nothing qualifies them) and documents named
after their issuer ("Resolution of the <body>").
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from kg.extract.lexicon import Lexicon, Place
from kg.extract.mentions.congresses import congress_cues
from kg.extract.mentions.places import locality_display
from kg.extract.mentions.scan import DOC, ORG, PLACE, TITLE, Mention, Scan, as_written
from kg.extract.mentions.words import words
from kg.names import norm_key

if TYPE_CHECKING:
    from spacy.tokens import Token

# the level word a levelled head takes from the kind of its place
_LEVEL_OF_KIND = {
    "province": "Provincial",
    "city": "City",
    "district": "District",
    "commune": "Commune",
}


def main_province(
    mentions: list[Mention],
    lex: Lexicon,
    toks: list[Token] | None = None,
    outlet: Place | None = None,
) -> Place | None:
    """The province an article is about: clearly the most mentioned one, else None.

    A place only named as the venue ("in Hanoi") does not make the article about it.
    Where the text names no province clearly, the province of the article's outlet
    (a provincial paper writing "the province") decides, unless the text names
    another province more often than the outlet's.

    Args:
        mentions: the article's mentions, before naming.
        lex: the lexicon.
        toks: the article's tokens (to tell venues apart).
        outlet: the province of the article's outlet, when it has one.

    Returns:
        The province, or None.
    """
    counts = _province_counts(mentions, lex, toks)
    main = _dominant(counts, mentions, lex)
    if main is not None or outlet is None:
        return main
    top = max(counts.values(), default=0)
    return outlet if counts.get(outlet.id, 0) == top else None


def _province_counts(
    mentions: list[Mention], lex: Lexicon, toks: list[Token] | None
) -> Counter[str]:
    """How often the text names each province (or a place inside it), venues aside."""
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.label == PLACE and toks and m.start > 0 and toks[m.start - 1].lower_ in ("in", "at"):
            continue
        place = m.info.get("place")
        if isinstance(place, Place):
            prov = lex.province_of(place.id)
            if prov is not None and prov.parent == "vietnam":  # not Laos's Sekong province
                counts[prov.id] += 1
    return counts


def _dominant(counts: Counter[str], mentions: list[Mention], lex: Lexicon) -> Place | None:
    """The province the text itself names clearly more often than any other, else None."""
    if not counts:
        return None
    ranked = counts.most_common(2)
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= 2 and n >= 2 * second:
        return lex.place(top)
    # named once, but the only province, and the article speaks of "Provincial" bodies
    implicit = any(
        m.label == ORG
        and m.info.get("local")
        and m.info.get("place") is None
        and m.info.get("level") in (None, "Provincial", "Province", "City", "Municipal")
        for m in mentions
    )
    if n == 1 and second == 0 and implicit:
        return lex.place(top)
    return None


def main_district(mentions: list[Mention], kind: str = "district") -> str | None:
    """The district (or commune) an article is about, else None.

    It qualifies "the District Party Committee", "the commune People's Committee".
    """
    counts: Counter[str] = Counter()
    for m in mentions:
        place = m.info.get("place")
        if m.label == ORG and m.info.get("level") == kind.title():
            name = m.info.get("place_name") or (place.name if isinstance(place, Place) else None)
            if name:
                counts[name] += 1
        elif m.label == PLACE and (
            m.info.get("kind") == kind or (isinstance(place, Place) and place.kind == kind)
        ):
            counts[place.name if isinstance(place, Place) else m.name] += 1
    ranked = counts.most_common(2)
    if not ranked:
        return None
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if ranked[0][1] >= 2 and ranked[0][1] >= 2 * second else None


def name_bodies(
    b: Scan, main: Place | None, localities: dict[str, str | None] | None = None
) -> None:
    """Fill canonical names of local bodies.

    Implicit ones take the article's province (or, at district level, its district).
    """
    lex = b.lex
    drop = []
    # a bare "Standing Committee" in an article that names a central one means that one
    standing = next(
        (
            m.name
            for m in b.out
            if m.label == ORG and m.name and m.name.endswith("Standing Committee")
        ),
        None,
    )
    for m in b.out:
        if m.label != ORG or m.name:
            continue
        if standing and m.info.get("head") == "standing-committee" and m.info.get("parent") is None:
            m.name = standing
            continue
        m.info["localities"] = localities or {}
        name = _local_name(m, _provincial_place(b, m, main), lex)
        if name is None and main is None:
            # an article about no one province may still name it in the same sentence:
            # "member of the Provincial Party Standing Committee and Head of ... of the
            # Dien Bien Provincial Party Committee"
            sentence_province = _sentence_province(b, m)
            if sentence_province is not None:
                name = _local_name(m, sentence_province, lex)
        if name is None:
            drop.append(m)
        else:
            m.name = name
    drop += _reported_congresses(b)
    for m in drop:
        b.out.remove(m)
        # titles that pointed at an unqualifiable body keep the title, lose the body
        for t in b.out:
            if t.label == TITLE and t.info.get("body") is m:
                t.info["body"] = None


def _reported_congresses(b: Scan) -> list[Mention]:
    """The local congress the article reports as its meeting: an Event, not an issuer.

    A congress is an Organization where it issues or owns something ("the Resolution
    of the 17th Provincial Party Congress", "the 17th Congress's resolution", "set out
    by the Congress", "the Presidium of the Congress"); one that is never so and is
    written as a meeting ("attending the 16th Provincial Party Congress, term 2020-2025",
    "the 21st Congress of the City Party Committee opens") is the meeting itself.
    """
    congresses: dict[str, list[Mention]] = {}
    for m in b.out:
        if m.label == ORG and m.name and m.info.get("head") == "party-congress":
            if m.info.get("local"):
                congresses.setdefault(m.name, []).append(m)
    owned = {id(m.info.get("issuer")) for m in b.out if m.label == DOC}
    owned |= {id(m.info.get("parent")) for m in b.out if m.label == ORG}
    reported = []
    for ms in congresses.values():
        if any(id(m) in owned or _congress_cue(b, m, "issuer") for m in ms):
            continue
        if any(_congress_cue(b, m, "meeting") for m in ms):
            reported += ms
    return reported


def _congress_cue(b: Scan, m: Mention, kind: str) -> bool:
    """Tell whether the words around a congress make it an issuer (or the meeting)."""
    before, after = congress_cues(kind)
    k = m.start - 2 if b.lower(m.start - 1) == "the" else m.start - 1
    cue = b.lower(k - 1) if b.lower(k) in ("of", "for") else b.lower(k)
    j = m.end + 1 if b.lower(m.end) in ("'s", "’s", ",", "(") else m.end
    nxt = b.lower(j)
    return cue in before or nxt in after or f"{nxt} {b.lower(j + 1)}" in after


def _provincial_place(b: Scan, m: Mention, main: Place | None) -> Place | None:
    """The province an implicit "Provincial" body of ``m``'s sentence belongs to.

    A centrally-run city has no provincial bodies: in an article about one, "Chairman of
    the Provincial People's Council" after "Secretary of the Binh Duong Provincial Party
    Committee" is Binh Duong's (the province of the nearest body before it). Otherwise the
    article's main place.
    """
    info = m.info
    if (
        main is None
        or not main.municipality
        or info.get("level") not in ("Provincial", "Province")
        or info.get("place") is not None
        or info.get("place_name")
    ):
        return main
    before = [
        o
        for o in b.out
        if o.label == ORG
        and o.sent == m.sent
        and o.end <= m.start
        and isinstance(o.info.get("place"), Place)
    ]
    if not before:
        return main
    nearest = max(before, key=lambda o: o.end).info.get("place")
    other = b.lex.province_of(nearest.id) if isinstance(nearest, Place) else None
    return other if other is not None and not other.municipality else main


def _sentence_province(b: Scan, m: Mention) -> Place | None:
    """The one province that bodies in the same sentence name explicitly, if exactly one."""
    found: dict[str, Place] = {}
    for o in b.out:
        if o.label != ORG or o.sent != m.sent:
            continue
        parent = o.info.get("parent")
        place = o.info.get("place") or (parent.info.get("place") if parent is not None else None)
        if isinstance(place, Place):
            prov = b.lex.province_of(place.id)
            if prov is not None:
                found[prov.id] = prov
    return next(iter(found.values())) if len(found) == 1 else None


def _local_name(m: Mention, main: Place | None, lex: Lexicon) -> str | None:
    """The canonical name of a body, or None when nothing in the article qualifies it."""
    info = m.info
    if info.get("sub"):
        return _sub_body_name(m, main, lex)
    if not info.get("local") or info.get("head") == "national":
        if info.get("head") == "national-party-congress" or info.get("level") == "National":
            spec = lex.heads[info["head"]]
            base = spec.get("canonical") or spec["forms"][0]
            if info["head"] == "party-congress":
                base = "National Party Congress"
            return f"{info['ordinal']} {base}" if info.get("ordinal") else base
        return m.name or None
    return _local_body_name(m, main, lex)


def _sub_body_name(m: Mention, main: Place | None, lex: Lexicon) -> str | None:
    """Name a sub-body "<sub> of the <parent name>".

    A bare one belongs to the party committee of the article's province.
    """
    info = m.info
    parent = info.get("parent")
    head = info["head"]
    if head == "party-committee-of":
        if parent is None:
            return None
        pname = parent.name or _local_name(parent, main, lex)
        if pname is None:
            return None
        parent.name = pname
        info["resolved_place"] = parent.info.get("resolved_place") or parent.info.get("place")
        form = lex.heads.get(parent.info.get("head", ""), {}).get("owner_form")
        return form.format(pname) if form else f"Party Committee of the {pname}"
    spec = lex.heads[head]
    if spec.get("sub_form") and parent is None:
        return None
    sub = spec.get("canonical") or as_written(info.get("written") or spec["forms"][0])
    party_parent = parent is None or parent.info.get("head") in words().party_heads
    if head == "standing-committee" and party_parent:
        sub = "Standing Committee"  # a party committee's "Standing Board" is the same body
    elif party_parent and sub.startswith("Party ") and head != "party-civil-affairs":
        sub = sub[len("Party ") :]  # "the Provincial Party Inspection Committee"
    if parent is None:
        # bare "Standing Committee" / "Organization Board": the province's party committee
        if main is None or not spec.get("implicit_parent"):
            return None
        level = info.get("level") or "Provincial"
        if level not in ("Provincial",):
            return None
        pname = f"{main.display} Provincial Party Committee"
    else:
        parent.info.setdefault("localities", info.get("localities", {}))
        pname = parent.name or _local_name(parent, main, lex)
        if pname is None:
            return None
        parent.name = pname
        if spec.get("sub_form"):
            info["resolved_place"] = parent.info.get("resolved_place") or parent.info.get("place")
            return str(spec["sub_form"]).format(pname)
    info["place"] = parent.info.get("place") if parent is not None else main
    if parent is not None and parent.info.get("resolved_place") is not None:
        info["place"] = parent.info["resolved_place"]
    elif parent is None:
        info["place"] = main
    return f"{sub} of the {pname}"


def _local_body_name(m: Mention, main: Place | None, lex: Lexicon) -> str | None:
    """Name a local body "[ordinal] <Place> [Level] <Head> [tail]".

    The place comes from the article where the text does not say it.
    """
    info = m.info
    head = info["head"]
    spec = lex.heads[head]
    canonical = spec.get("canonical") or as_written(info.get("written") or spec["forms"][0])
    where = _where(m, main, lex)
    if where is None:
        return None
    place, place_name, level = where
    if place is not None:
        info["resolved_place"] = place
        pname: str | None = place.name
        level = _level_at(place, level, spec)
    else:
        pname = place_name
        info["resolved_place_name"] = (
            locality_display(lex, place_name, level)
            if place_name and level in ("Commune", "Ward")
            else place_name
        )
    if head == "party-standing-committee":
        parent = " ".join(x for x in (pname, level, "Party Committee") if x)
        return f"Standing Committee of the {parent}"
    if head == "department":
        return f"{pname} Department of {info['tail']}"
    parts = [info.get("ordinal"), pname, level, canonical]
    name = " ".join(p for p in parts if p)
    if info.get("tail"):
        name += f" for {info['tail']}" if head == "steering-committee" else f" {info['tail']}"
    return name


def _where(
    m: Mention, main: Place | None, lex: Lexicon
) -> tuple[Place | None, str | None, str | None] | None:
    """The place of a local body: as written, else the article's district or province.

    Returns:
        (gazetteer place, other place name, level word), or None when there is none.
    """
    info = m.info
    level = info.get("level")
    if level == "Municipal":
        level = "City"  # "the municipal Party Committee" of a centrally-run city
    place = info.get("place")
    place_name = info.get("place_name")
    if place is None and place_name is None:
        if level in ("District", "Commune"):
            place_name = info.get("localities", {}).get(level)
            if not place_name:
                return None
        elif main is None:
            return None
        elif level == "City":
            cap = main if main.municipality else lex.place(main.capital)
            if cap is None:
                return None
            place = cap
        elif level in (None, "Provincial", "Province"):
            place = main
        else:
            return None
    return place, place_name, level


def _level_at(place: Place, level: str | None, spec: dict[str, Any]) -> str | None:
    """The level word a body of ``place`` is named with."""
    if place.municipality:
        # centrally-run cities: "Hanoi Party Committee", whatever level word is written
        level = None
    elif spec.get("levelled") and level is None:
        level = _LEVEL_OF_KIND.get(place.kind)
    if level == "Province":
        level = "Provincial"
    return level


def name_documents(mentions: list[Mention]) -> None:
    """Name documents after their issuer; drop those whose issuer has no name."""
    for m in mentions:
        if m.label != DOC or m.name:
            continue
        issuer: Mention = m.info["issuer"]
        num = m.info.get("number")
        dtype = m.info["type"]
        if not issuer.name:
            m.name = ""
            continue
        m.name = f"{dtype} {num} of the {issuer.name}" if num else f"{dtype} of the {issuer.name}"
        m.key = norm_key(m.name)
    mentions[:] = [m for m in mentions if not (m.label == DOC and not m.name)]
