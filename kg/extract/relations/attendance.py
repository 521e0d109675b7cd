"""Relations, attendance: who attended, chaired or spoke at the article's meeting.

Input: an article's :class:`~kg.extract.relations.common.Ctx` with titles attached; output:
the meeting (Event) and attended / chaired / spokeAt drafts. Cue verbs and phrases come from
``kg/data/patterns/relations/{attended,chaired,spokeAt}.jsonl``, words from ``relations.yaml``.

Rules: role-verb, role-participle, role-phrase, role-object ("A received B"), role-group.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from kg.extract.mentions import PERSON, SHORTREF, Mention
from kg.extract.nlp.components import EVENT, PLACE, TITLE
from kg.extract.relations.common import ROLES, Ctx, org_draft, words
from kg.extract.relations.meeting_date import meeting_date
from kg.extract.relations.posts import Holders, title_relation
from kg.ids import entity_key
from kg.names import honorifics
from kg.resources import load_words
from kg.vocab import ATTENDED, CHAIRED, SPOKE_AT
from kg.vocab import EVENT as EVENT_TYPE

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.resolve import Draft

    # a person or role reference in a sentence, its entity, and the end of its titles
    Actor = tuple[Mention, Draft, int]
    # a person, the role, the sentence and the rule that found it
    Role = tuple[Draft, str, int, str]

_WORDS_FILE = "lexicons/relations.yaml"


@dataclass(frozen=True, slots=True)
class RoleWords:
    """The attendance lists of ``relations.yaml`` (its comments say what each is for)."""

    credit_words: frozenset[str]
    asides: tuple[str, ...]
    attendance_nouns: frozenset[str]
    list_joiners: tuple[str, ...]
    title_modifiers: frozenset[str]
    venue_nouns: frozenset[str]
    host_verbs: frozenset[str]
    sitting_bodies: frozenset[str]
    opening_verbs: frozenset[str]
    visit_verbs: frozenset[str]


@cache
def role_words() -> RoleWords:
    """Read the attendance lists once per process.

    Raises:
        DataFileError: a list is missing or holds something other than words.
    """

    def strings(key: str) -> tuple[str, ...]:
        return load_words(_WORDS_FILE, key)

    return RoleWords(
        credit_words=frozenset(strings("credit_words")),
        asides=strings("asides"),
        attendance_nouns=frozenset(strings("attendance_nouns")),
        list_joiners=strings("list_joiners"),
        title_modifiers=frozenset(strings("title_modifiers")),
        venue_nouns=frozenset(strings("venue_nouns")),
        host_verbs=frozenset(strings("host_verbs")),
        sitting_bodies=frozenset(strings("sitting_bodies")),
        opening_verbs=frozenset(strings("opening_verbs")),
        visit_verbs=frozenset(strings("visit_verbs")),
    )


def _actors(ctx: Ctx, ms: list[Mention], holders: Holders) -> list[Actor]:
    """Persons and role references ("the General Secretary") of a sentence with chain ends.

    A name in a photo credit ("Photo: A", "A/VNA") is the photographer's, not an actor's.
    """
    out = []
    by_id = {d.id: d for d in ctx.res.drafts}
    for m in ms:
        if m.label in (PERSON, SHORTREF):
            d = ctx.res.entity_of(m)
            if d is not None and not _credit(ctx, m):
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


def _credit(ctx: Ctx, m: Mention) -> bool:
    """Tell whether a name is a photo or news credit: "Photo: A", "Anh: A", "A/VNA"."""
    k = m.start - 1
    colon = k >= 0 and ctx.toks[k].text == ":"
    if colon:
        k -= 1
    if k >= 0 and ctx.toks[k].lower_ in role_words().credit_words and ctx.toks[k].is_title:
        return colon or ctx.toks[k].lower_.startswith("photo")
    return m.end < len(ctx.toks) and ctx.toks[m.end].text == "/"


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


def _skip_adjuncts(ctx: Ctx, i: int, end: int, aux: bool = False) -> int:
    """Skip what may stand between a subject ending at token i and its verb.

    Commas, adverbs and time phrases ("on April 3", "this morning"), a short bracket
    ("(R)", "(second from left)"), an aside up to its comma ("on behalf of the
    Presidium,") and the unnamed body of a title ("head of the visiting delegation").
    Stops at ``end`` (the end of the sentence).
    """
    toks = ctx.toks
    j = i
    while j < end:
        t = toks[j]
        if (k := _past_bracket(ctx, j, end) or _past_aside(ctx, j, end)) > j:
            j = k
        elif j in ctx.title_tokens and j > i and toks[j - 1].text == ",":
            while j < end and j in ctx.title_tokens:
                j += 1  # a further title in apposition: "A, Chairman of X, head of Y, said"
        elif (
            t.text in (",", "-", "–", "—")
            or t.is_space
            or t.pos_ in ("ADV", "PART")
            or (aux and t.pos_ == "AUX")
        ):
            j += 1
        elif t.lower_ == "co" and j + 1 < end and toks[j + 1].text == "-":
            j += 2  # "co-chaired"
        elif t.ent_type_ in ("DATE", "TIME") or (
            t.lower_ in words().time_openers
            and j + 1 < end
            and toks[j + 1].ent_type_ in ("DATE", "TIME")
        ):
            j += 1
        else:
            break
    return j


def _past_bracket(ctx: Ctx, j: int, end: int) -> int:
    """The token after a short bracket opening at j ("(R)", "(C)"), else 0."""
    if ctx.toks[j].text != "(":
        return 0
    close = next((k for k in range(j + 1, min(j + 7, end)) if ctx.toks[k].text == ")"), None)
    return close + 1 if close is not None else 0


def _past_aside(ctx: Ctx, j: int, end: int) -> int:
    """The token after an aside opening at j, up to and with its comma, else 0.

    "on behalf of the Presidium," and "of the visiting delegation," (a title's body the
    grammar did not name) stand between a name and its verb.
    """
    toks = ctx.toks
    rest = ctx.doc[j : min(j + 6, end)].text.lower()
    if any(rest.startswith(a + " ") for a in role_words().asides):
        comma = next((k for k in range(j + 1, min(j + 16, end)) if toks[k].text == ","), None)
        return comma + 1 if comma is not None else 0
    if toks[j].lower_ not in ("of", "'s", "’s") or j + 1 >= end:
        return 0
    k = j + 1
    while k < min(j + 12, end) and toks[k].text not in (",", ";", ":") and _in_noun_phrase(toks[k]):
        k += 1
    return k if k > j + 1 and k < end and (toks[k].text == "," or toks[k].pos_ == "VERB") else 0


def _in_noun_phrase(t: Token) -> bool:
    """Tell whether a token may be part of a noun phrase ("the visiting delegation")."""
    if t.pos_ == "VERB":
        return t.tag_ in ("VBG", "VBN") and t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN")
    return t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART", "ADP", "PUNCT")


def _verb_at(ctx: Ctx, i: int, end: int) -> Token | None:
    """The first verb after a subject ending at token i (skipping commas and adverbs)."""
    j = _skip_adjuncts(ctx, i, end, aux=True)
    return ctx.toks[j] if j < end and ctx.toks[j].pos_ == "VERB" else None


def _verb_role(ctx: Ctx, i: int, end: int) -> str | None:
    """The event role of the verb phrase starting at token i (after a subject).

    Args:
        ctx: the article.
        i: the token after the subject.
        end: the end of the sentence (the verb is in it).
    """
    cues = ctx.lex.cues
    toks = ctx.toks
    n = end
    j = _skip_adjuncts(ctx, i, n)
    if j < n and toks[j].lower_ in ("of", "from"):
        # "Voter Mai Van Thang of Nga Thanh commune asked ...": skip where the person is from
        place = next((m for m in ctx.mentions if m.label == PLACE and m.start == j + 1), None)
        if place is not None:
            k = place.end
            if k < n and toks[k].lower_ in words().place_words:
                k += 1
            j = _skip_adjuncts(ctx, k, n)
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
        lemma = v.lemma_.lower().lstrip("-–")  # "Party -praised": a dash glued to the verb
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
    rest = ctx.doc[j : min(j + 5, n)].text.lower()
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
    anchor = next(((m.start, m.end, m.sent) for m in ctx.mentions if m.label == EVENT), None)
    if anchor is None:
        anchor = _reception(ctx)
    if anchor is None:
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
    event = _make_event(ctx, anchor, article_date)
    for person, role, si, rule in roles:
        ctx.add(person, role, event, si, rule)
    return event


def _fronted(
    ctx: Ctx, si: int, actors: list[Actor], participles: dict[str, frozenset[str]]
) -> tuple[str | None, int | None]:
    """Return the role of a participle opening the sentence, and where an inversion is.

    "Speaking at the meeting, A ..." gives spokeAt; "Attending were A, B" / "Attending
    the conference had comrades: A; B" give attended and the token of "were" / ":".
    The attendance word may also stand later: "Those attending the session included A",
    "Also in attendance were A, B".
    """
    sent = ctx.sents[si]
    k = sent.start
    while k < sent.end and (ctx.toks[k].is_space or ctx.toks[k].lower_ in words().fronted_openers):
        k += 1
    first = ctx.toks[k].lower_ if k < sent.end else ""
    fronted = next((p for p, cue in participles.items() if first in cue), None)
    last = actors[-1][0].start
    cue_at = k if fronted else None
    if cue_at is None:
        cues = participles[ATTENDED] | role_words().attendance_nouns
        cue_at = next(
            (
                t.i
                for t in sent
                if t.i < last and t.lower_ in cues and ctx.toks[max(t.i - 1, 0)].lower_ != "at"
            ),
            None,
        )
    if cue_at is None:
        return fronted, None
    inverted_at = next(
        (t.i for t in ctx.doc[cue_at:last] if t.lower_ in words().inversion_verbs or t.text == ":"),
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
    listed: tuple[str, str, int] | None = None  # the role, rule and end of a list of names
    groups = _lists(ctx, actors)
    for gi, group in enumerate(groups):
        start = ctx.chain_start.get(id(group[0][0]), group[0][0].start)
        subject = _subject_position(ctx, start)
        role = _verb_role(ctx, group[-1][2], sent.end) if subject else None
        rule = "role-verb"
        if inverted_at is not None and start > inverted_at:
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
        if role is None and listed is not None and _continues(ctx, listed[2], start):
            role, rule = listed[0], listed[1]  # "attended by A, title; B, title": one list
        if role is None and subject:
            role = _list_verb_role(ctx, si, group[-1][2])  # "A; B; leaders of X attended"
            rule = "role-verb"
        if role is None:
            continue
        last_role = role
        listed = (role, rule, group[-1][2]) if rule != "role-verb" else None
        for _, person, _ in group:
            roles.append((person, role, si, rule))
        if gi + 1 < len(groups):
            roles += _visitors(ctx, si, group, groups[gi + 1])
    return roles


def _continues(ctx: Ctx, prev_end: int, start: int) -> bool:
    """Tell whether names at ``start`` go on a list that ended at ``prev_end``.

    No verb stands between, and a joiner (";", "and", "as well as") follows the list or
    stands before the names ("attended by A, title; B"), or only the rest of a title's
    noun phrase does ("the presence of A, Chairman of the Committee of the City B").
    """
    for k in range(prev_end, start):
        if k not in ctx.title_tokens and ctx.toks[k].pos_ in ("VERB", "AUX"):
            return False
    if start - prev_end <= 6 and all(_in_noun_phrase(t) for t in ctx.toks[prev_end:start]):
        return True
    tail = _before(ctx, start).replace(";", " ; ").replace(",", " , ").split()
    head = ctx.doc[prev_end : min(prev_end + 3, start)].text.lower()
    head_words = head.replace(";", " ; ").replace(",", " , ").split()
    return any(
        tail[-len(j.split()) :] == j.split() or head_words[: len(j.split())] == j.split()
        for j in role_words().list_joiners
    )


def _list_verb_role(ctx: Ctx, si: int, end: int) -> str | None:
    """The role of a sentence's main verb after a list of names and groups it opens.

    "A, title; B, title; leaders of the departments attended the conference": the
    names, the groups after them (joined by ";" or "and") and no other verb before it.
    """
    sent = ctx.sents[si]
    root = sent.root
    if root.pos_ != "VERB" or root.i <= end:
        return None
    joined = False
    for k in range(end, root.i):
        t = ctx.toks[k]
        if k not in ctx.title_tokens and (
            t.pos_ == "VERB" or (t.pos_ == "AUX" and k != root.i - 1)
        ):
            return None
        joined = joined or t.text == ";" or t.lower_ == "and"
    return _verb_role(ctx, root.i, sent.end) if joined else None


def _visitors(ctx: Ctx, si: int, group: list[Actor], nxt: list[Actor]) -> list[Role]:
    """Find "A received / met / welcomed B": B was at the meeting too."""
    verb = _verb_at(ctx, group[-1][2], ctx.sents[si].end)
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
    """The few words before a list of names, in lower case.

    Honorifics, a colon and a capitalised title modifier ("Standing" of "Standing Vice
    Secretary ...") are skipped.
    """
    skip = role_words().title_modifiers
    while start > 0 and (
        ctx.toks[start - 1].lower_.rstrip(".") in honorifics()
        or ctx.toks[start - 1].text == ":"
        or (ctx.toks[start - 1].lower_ in skip and ctx.toks[start - 1].is_title)
    ):
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


def _reception(ctx: Ctx) -> tuple[int, int, int] | None:
    """Find a reception told by its verb alone, where the article names no meeting.

    "A received a delegation of X", "B welcomed Ambassador C" in the article's first
    sentences: the verb (``meet_verbs``) with a person as subject and a delegation, body
    or person as object stands for the meeting.

    Returns:
        The verb's token span and sentence, or None.
    """
    people = [m for m in ctx.mentions if m.label in (PERSON, SHORTREF, TITLE)]
    for si, sent in enumerate(ctx.sents[:4]):
        for t in sent:
            if t.pos_ != "VERB" or t.lemma_.lower() not in words().meet_verbs:
                continue
            subj = [c for c in t.children if c.dep_ == "nsubj"]
            obj = [c for c in t.children if c.dep_ in ("dobj", "obj")]
            if not subj or not obj:
                continue
            subj_spans = [range(c.left_edge.i, c.right_edge.i + 1) for c in subj]
            obj_span = range(obj[0].left_edge.i, obj[0].right_edge.i + 1)
            if any(m.start in r for m in people for r in subj_spans) and (
                obj[0].lemma_.lower() in words().led_bodies
                or any(m.start in obj_span for m in ctx.by_sent.get(si, []) if m.label != TITLE)
            ):
                return t.i, t.i + 1, si
    return None


def _make_event(ctx: Ctx, anchor: tuple[int, int, int], article_date: str | None) -> Draft:
    """The article's meeting, named after the first meeting noun and what follows it.

    Args:
        ctx: the article.
        anchor: the meeting noun (or reception verb): its start and end token, its sentence.
        article_date: the article's date.
    """
    start, stop, sent = anchor
    end = stop
    limit = min(ctx.sents[sent].end, stop + 14)
    while end < limit:
        t = ctx.toks[end]
        if t.text in (";", ":") or t.is_space or (t.text == "," and end > stop + 2):
            break
        if t.text == "." and not (end > 0 and ctx.toks[end - 1].lower_ == "no"):
            break
        end += 1
    name = ctx.text[ctx.toks[start].idx : ctx.toks[end - 1].idx + len(ctx.toks[end - 1])]
    date = _event_date(ctx, sent, article_date)
    place = ctx.main.display if ctx.main else None
    key = entity_key(EVENT_TYPE, name, date=date, place=place)
    d = ctx.res.get_or_add(EVENT_TYPE, name, "event:" + name, key)
    d.date = date
    d.add(name, (ctx.toks[start].idx, ctx.toks[end - 1].idx + len(ctx.toks[end - 1])))
    return d
