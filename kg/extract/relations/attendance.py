"""Relations, attendance: who attended, chaired or spoke at the article's meeting.

Input: an article's :class:`~kg.extract.relations.common.Ctx` with titles attached; output:
the meeting (Event) and attended / chaired / spokeAt drafts. Cue verbs and phrases come from
``kg/data/patterns/relations/{attended,chaired,spokeAt}.jsonl``, words from ``relations.yaml``.

Rules: role-verb, role-participle, role-phrase, role-object ("A received B"), role-group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.mentions import PERSON, SHORTREF, Mention
from kg.extract.nlp.components import EVENT, PLACE, TITLE
from kg.extract.relations.common import ROLES, Ctx, org_draft, words
from kg.extract.relations.meeting_date import meeting_date
from kg.extract.relations.posts import Holders, title_relation
from kg.ids import entity_key
from kg.names import honorifics
from kg.vocab import ATTENDED, CHAIRED, SPOKE_AT
from kg.vocab import EVENT as EVENT_TYPE

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.resolve import Draft

    # a person or role reference in a sentence, its entity, and the end of its titles
    Actor = tuple[Mention, Draft, int]
    # a person, the role, the sentence and the rule that found it
    Role = tuple[Draft, str, int, str]


def _actors(ctx: Ctx, ms: list[Mention], holders: Holders) -> list[Actor]:
    """Persons and role references ("the General Secretary") of a sentence with chain ends."""
    out = []
    by_id = {d.id: d for d in ctx.res.drafts}
    for m in ms:
        if m.label in (PERSON, SHORTREF):
            d = ctx.res.entity_of(m)
            if d is not None:
                out.append((m, d, ctx.chain_end.get(id(m), m.end)))
        elif m.label == TITLE and id(m) not in ctx.person_of_title:
            body_m = m.info.get("body")
            if body_m is not None and body_m.info.get("virtual"):
                body = org_draft(ctx, body_m.name) if any(k[0] == m.key for k in holders) else None
            else:
                _, body = title_relation(ctx, m, create=False)
            ids = holders.get((m.key, body.id if body else None), set())
            if body is None and len(ids) != 1:
                ids = set()
            if len(ids) == 1:
                out.append((m, by_id[next(iter(ids))], m.end))
    return sorted(out, key=lambda x: x[0].start)


def _lists(ctx: Ctx, actors: list[Actor]) -> list[list[Actor]]:
    groups: list[list[Actor]] = []
    for a in actors:
        if groups and ctx.gap_ok(
            groups[-1][-1][2], a[0].start, allow=(*words().separators, ";", ":")
        ):
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def _skip_adjuncts(ctx: Ctx, i: int, aux: bool = False) -> int:
    """Skip commas, adverbs and time phrases ("on April 3", "this morning") after token i."""
    doc = ctx.doc
    toks = ctx.toks
    j = i
    while j < len(doc):
        t = toks[j]
        if t.text == "," or t.is_space or t.pos_ in ("ADV", "PART") or (aux and t.pos_ == "AUX"):
            j += 1
        elif t.lower_ == "co" and j + 1 < len(doc) and toks[j + 1].text == "-":
            j += 2  # "co-chaired"
        elif t.ent_type_ in ("DATE", "TIME") or (
            t.lower_ in words().time_openers
            and j + 1 < len(doc)
            and toks[j + 1].ent_type_ in ("DATE", "TIME")
        ):
            j += 1
        else:
            break
    return j


def _verb_at(ctx: Ctx, i: int) -> Token | None:
    """The first verb after a subject ending at token i (skipping commas and adverbs)."""
    doc = ctx.doc
    toks = ctx.toks
    j = _skip_adjuncts(ctx, i, aux=True)
    return toks[j] if j < len(doc) and toks[j].pos_ == "VERB" else None


def _verb_role(ctx: Ctx, i: int) -> str | None:
    """The event role of the verb phrase starting at token i (after a subject)."""
    cues = ctx.lex.cues
    doc = ctx.doc
    toks = ctx.toks
    n = len(doc)
    j = _skip_adjuncts(ctx, i)
    if j < n and toks[j].lower_ in ("of", "from"):
        # "Voter Mai Van Thang of Nga Thanh commune asked ...": skip where the person is from
        place = next((m for m in ctx.mentions if m.label == PLACE and m.start == j + 1), None)
        if place is not None:
            k = place.end
            if k < n and toks[k].lower_ in words().place_words:
                k += 1
            j = _skip_adjuncts(ctx, k)
    if j >= n:
        return None
    t = toks[j]
    if t.lower_ == "at" and any(k in ctx.event_tokens for k in range(j + 1, min(j + 5, n))):
        return ATTENDED
    if t.pos_ == "AUX":
        if t.lemma_ == "have" and t.tag_ == "VBD":
            return None  # "had said": reported earlier, not at this meeting
        j += 1
        while j < n and toks[j].pos_ in ("ADV", "AUX", "PART"):
            j += 1
        if j >= n:
            return None
        t = toks[j]
    if t.pos_ not in ("VERB", "AUX") and t.tag_ not in ("VBZ", "VBD", "VBP", "VB"):
        return None
    verbs = [t] + [c for c in t.conjuncts if c.i > t.i and c.pos_ == "VERB"]
    roles = []
    for v in verbs:
        lemma = v.lemma_.lower()
        if lemma in ctx.lex.speech_objects:
            # "presented a report" is speaking, "presented flowers" is being there
            objs = [c.lemma_.lower() for c in v.children if c.dep_ in ("dobj", "obj")]
            if objs and not set(objs) & ctx.lex.speech_objects[lemma]:
                roles.append(ATTENDED)
                continue
        for pred in ROLES:
            if lemma in cues[pred]["lemmas"]:
                roles.append(pred)
                break
    rest = doc[j : min(j + 5, n)].text.lower()
    if any(rest.startswith(p) for p in cues[SPOKE_AT]["phrases"]):
        roles.append(SPOKE_AT)
    for pred in ROLES:
        if pred in roles:
            return pred
    return None


def find_event_roles(ctx: Ctx, holders: Holders, article_date: str | None) -> Draft | None:
    """Find who attended, chaired or spoke at the article's meeting, and make the meeting.

    Args:
        ctx: the article, with titles attached.
        holders: who holds which title (from the title rules), for "the General Secretary".
        article_date: the article's ISO date, the meeting's date when it names none.

    Returns:
        The meeting entity, or None when the article reports none or nobody at it.
    """
    if not any(m.label == EVENT for m in ctx.mentions):
        return None
    roles: list[Role] = []
    cues = ctx.lex.cues
    participles = {p: cues[p]["participles"] for p in ROLES}
    for si, ms in ctx.by_sent.items():
        actors = _actors(ctx, ms, holders)
        if actors:
            roles += _sentence_roles(ctx, si, actors, participles)
    for person, si in ctx.group_chairs:
        roles.append((person, CHAIRED, si, "role-group"))
    if not roles:
        return None
    event = _make_event(ctx, article_date)
    for person, role, si, rule in roles:
        ctx.add(person, role, event, si, rule)
    return event


def _fronted(
    ctx: Ctx, si: int, actors: list[Actor], participles: dict[str, frozenset[str]]
) -> tuple[str | None, int | None]:
    """Return the role of a participle opening the sentence, and where an inversion is.

    "Speaking at the meeting, A ..." gives spokeAt; "Attending were A, B" / "Attending
    the conference had comrades: A; B" give attended and the token of "were" / ":".
    """
    sent = ctx.sents[si]
    k = sent.start
    while k < sent.end and (ctx.toks[k].is_space or ctx.toks[k].lower_ in words().fronted_openers):
        k += 1
    first = ctx.toks[k].lower_ if k < sent.end else ""
    fronted = next((p for p, cue in participles.items() if first in cue), None)
    inverted_at = None
    if fronted:
        inverted_at = next(
            (
                t.i
                for t in sent
                if (t.lower_ in words().inversion_verbs or t.text == ":")
                and t.i < actors[-1][0].start
            ),
            None,
        )
    return fronted, inverted_at


def _sentence_roles(
    ctx: Ctx, si: int, actors: list[Actor], participles: dict[str, frozenset[str]]
) -> list[Role]:
    """Return the event role of each list of names in one sentence, with its rule."""
    roles: list[Role] = []
    sent = ctx.sents[si]
    fronted, inverted_at = _fronted(ctx, si, actors, participles)
    used_fronted = False
    last_role: str | None = None
    groups = _lists(ctx, actors)
    for gi, group in enumerate(groups):
        start = ctx.chain_start.get(id(group[0][0]), group[0][0].start)
        role = _verb_role(ctx, group[-1][2]) if _subject_position(ctx, start) else None
        rule = "role-verb"
        if fronted and inverted_at is not None and start > inverted_at:
            role, rule = ATTENDED, "role-participle"
        elif fronted and role is None and not used_fronted and _after_comma(ctx, sent.start, start):
            role, rule = fronted, "role-participle"
        if fronted and start > sent.start:
            used_fronted = True
        if role is None:
            role = _passive_role(ctx, start)
            rule = "role-phrase"
            if last_role and _before(ctx, start).endswith(("together with", "and by")):
                role = last_role  # "chaired by A, together with B", "attended by A, and by B"
        if role is None:
            continue
        last_role = role
        for _, person, _ in group:
            roles.append((person, role, si, rule))
        if gi + 1 < len(groups):
            roles += _visitors(ctx, si, group, groups[gi + 1])
    return roles


def _visitors(ctx: Ctx, si: int, group: list[Actor], nxt: list[Actor]) -> list[Role]:
    """Find "A received / met / welcomed B": B was at the meeting too."""
    verb = _verb_at(ctx, group[-1][2])
    if verb is None or verb.lemma_.lower() not in words().meet_verbs:
        return []
    nstart = ctx.chain_start.get(id(nxt[0][0]), nxt[0][0].start)
    if not ctx.gap_ok(verb.i + 1, nstart, allow=words().visitor_gap):
        return []
    return [(person, ATTENDED, si, "role-object") for _, person, _ in nxt]


def _subject_position(ctx: Ctx, start: int) -> bool:
    """False when the names at ``start`` are the object of a verb or preposition.

    "He assigned Deputy Prime Minister A to direct ..." does not make A a speaker.
    """
    k = start - 1
    while k >= 0 and (ctx.toks[k].lower_.rstrip(".") in honorifics() or ctx.toks[k].is_space):
        k -= 1
    if k < 0:
        return True
    prev = ctx.toks[k]
    return not (prev.pos_ in ("VERB", "ADP") and prev.lower_ not in ("were", "was"))


def _after_comma(ctx: Ctx, sent_start: int, start: int) -> bool:
    return any(ctx.toks[i].text == "," for i in range(sent_start, start))


def _before(ctx: Ctx, start: int) -> str:
    """The few words before a list of names, honorifics skipped, in lower case."""
    while start > 0 and ctx.toks[start - 1].lower_.rstrip(".") in honorifics():
        start -= 1
    return ctx.doc[max(0, start - 6) : start].text.lower()


def _passive_role(ctx: Ctx, start: int) -> str | None:
    before = _before(ctx, start)
    for pred in ROLES:
        for phrase in ctx.lex.cues[pred]["phrases"]:
            if before.endswith(phrase) or before.endswith(phrase + " comrade"):
                return pred
    return None


def _event_date(ctx: Ctx, sent: int, article_date: str | None) -> str | None:
    """Find the meeting's date: the one the text gives for it, or None (see meeting_date)."""
    return meeting_date(ctx, sent, article_date)


def _make_event(ctx: Ctx, article_date: str | None) -> Draft:
    """The article's meeting, named after the first meeting noun and what follows it."""
    m = next(m for m in ctx.mentions if m.label == EVENT)
    end = m.end
    limit = min(ctx.sents[m.sent].end, m.end + 14)
    while end < limit:
        t = ctx.toks[end]
        if t.text in (";", ":") or t.is_space or (t.text == "," and end > m.end + 2):
            break
        if t.text == "." and not (end > 0 and ctx.toks[end - 1].lower_ == "no"):
            break
        end += 1
    name = ctx.text[ctx.toks[m.start].idx : ctx.toks[end - 1].idx + len(ctx.toks[end - 1])]
    date = _event_date(ctx, m.sent, article_date)
    place = ctx.main.display if ctx.main else None
    key = entity_key(EVENT_TYPE, name, date=date, place=place)
    d = ctx.res.get_or_add(EVENT_TYPE, name, "event:" + name, key)
    d.date = date
    d.add(name, (ctx.toks[m.start].idx, ctx.toks[end - 1].idx + len(ctx.toks[end - 1])))
    return d
