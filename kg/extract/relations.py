"""Relations: resolved mentions of one article -> the nine SPEC predicates with evidence.

Stage: relations. Input: the parsed Doc, its mentions and their resolution. Output:
relation drafts (subject, predicate, object, evidence sentence, rule) and the article's
meeting (Event). Cue words come from ``kg/data/patterns/relations/<predicate>.jsonl``,
title semantics from ``kg/data/lexicons/titles.yaml``.

Rules, each named in the evidence:
  title-apposition   "Minister of Public Security To Lam" -> headOf / memberOf
  title-header       "Politburo members: A, B" -> memberOf for each
  role-verb          "A, Secretary of X, spoke at the conference" -> spokeAt
  role-participle    "Speaking at the meeting, A ..." / "Attending were A, B" -> role
  role-group         "A, head of discussion group 1" -> chaired
  lead-delegation    "A leads the Central Working Group" -> headOf
  implementation     "<body> ... implementation of <document>" -> implements
  document-issuer    "<document> dated ... of the <body>" -> issuedBy
  body-place         a local body's province/city/district -> locatedIn
  place-parent       a city or district inside its province -> locatedIn
  event-place        the meeting's province -> heldIn
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract.lexicon import Lexicon, Place
from kg.extract.mentions import (
    DOC,
    EVENT,
    ORG,
    PERSON,
    PLACE,
    PROVREF,
    SHORTREF,
    TITLE,
    Mention,
    main_district,
)
from kg.ids import entity_key
from kg.model import Evidence
from kg.names import fold, honorifics, norm_key
from kg.read.dates import find_dates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.extract.resolve import Draft, Resolution


# what may stand between a name and its titles: commas, "and", and the dashes of
# literal translations ("Comrade X – Deputy Secretary of Provincial Party Committee")
_SEPARATORS = (",", "and", "–", "—", "-")


@dataclass(slots=True)
class RelDraft:
    """A relation between two drafts, with its evidence."""

    subject: Draft
    predicate: str
    object: Draft
    evidence: Evidence
    title: str | None = None


class _Ctx:
    """Everything the rules of one article share."""

    def __init__(
        self,
        doc: Doc,
        text: str,
        mentions: list[Mention],
        res: Resolution,
        main: Place | None,
        lex: Lexicon,
        year: int | None,
    ) -> None:
        self.doc = doc
        self.text = text
        self.mentions = mentions
        self.res = res
        self.main = main
        self.lex = lex
        self.year = year
        self.sents: list[Span] = list(doc.sents)
        self.toks = list(doc)  # one Token object per token, not one per access
        self.by_sent: dict[int, list[Mention]] = {}
        for m in mentions:
            self.by_sent.setdefault(m.sent, []).append(m)
        self.out: list[RelDraft] = []
        self._seen: set[tuple[str, str, str]] = set()
        # filled by the title rules, read by the meeting and implementation rules
        self.attached: dict[int, list[Mention]] = {}  # id(person mention) -> its titles
        self.chain_end: dict[int, int] = {}  # id(person mention) -> end of its titles after it
        self.chain_start: dict[int, int] = {}  # id(person mention) -> start of titles before it
        self.person_of_title: dict[int, Draft] = {}  # id(title mention) -> its holder
        self.group_chairs: list[tuple[Draft, int]] = []  # heads of discussion groups
        self.issuer_mentions: set[int] = set()  # id(body) named after a document as its issuer
        self.title_tokens: set[int] = set()
        self.event_tokens: set[int] = set()
        for m in mentions:
            if m.label == TITLE:
                self.title_tokens.update(range(m.start, m.end))
            elif m.label == EVENT:
                self.event_tokens.update(range(m.start, m.end))

    def evidence(self, sent: int, rule: str) -> Evidence:
        s = self.sents[sent]
        return Evidence(
            self.text[s.start_char : s.end_char].strip(), s.start_char, s.end_char, rule
        )

    def add(
        self,
        subj: Draft | None,
        pred: str,
        obj: Draft | None,
        sent: int,
        rule: str,
        title: str | None = None,
    ) -> None:
        if subj is None or obj is None or subj is obj:
            return
        k = (subj.id, pred, obj.id)
        if k in self._seen:
            return
        self._seen.add(k)
        self.out.append(RelDraft(subj, pred, obj, self.evidence(sent, rule), title))

    def province_draft(self) -> Draft | None:
        return self.res.place(self.main) if self.main is not None else None

    def gap_ok(
        self, a: int, b: int, allow_titles: bool = True, allow: tuple[str, ...] = _SEPARATORS
    ) -> bool:
        """True when tokens [a, b) are only separators, honorifics/ranks or title tokens."""
        for i in range(a, b):
            t = self.doc[i]
            if t.is_space or t.text in allow or t.lower_ in allow:
                continue
            if allow_titles and i in self.title_tokens:
                continue
            if t.lower_.rstrip(".") in honorifics() or t.text == ".":
                continue
            return False
        return True


def extract_relations(
    doc: Doc,
    text: str,
    mentions: list[Mention],
    res: Resolution,
    main: Place | None,
    lex: Lexicon,
    article_date: str | None,
) -> tuple[list[RelDraft], Draft | None]:
    """Apply every rule to one article.

    Args:
        doc: the parsed article.
        text: the article text.
        mentions: its mentions (text order).
        res: their resolution into entities.
        main: the article's main province, or None.
        lex: the lexicon.
        article_date: the article's ISO date, if known.

    Returns:
        The relation drafts and the article's meeting entity (or None).
    """
    year = _article_year(text, article_date)
    ctx = _Ctx(doc, text, mentions, res, main, lex, year)
    holders = _titles(ctx)
    _lead(ctx)
    event = _event_roles(ctx, holders, article_date)
    _documents(ctx)
    _implements(ctx)
    _located(ctx)
    if event is not None:
        _held_in(ctx, event)
    return ctx.out, event


def _held_in(ctx: _Ctx, event: Draft) -> None:
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
                ctx.add(event, "heldIn", ctx.res.entity_of(m), si, "event-place")
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
            ctx.add(event, "heldIn", ctx.res.entity_of(first), si, "event-dateline")
            return
    if ctx.main is not None:
        first_ev = next((r.evidence for r in ctx.out if r.object is event), None)
        sent_i = _sent_at(ctx, first_ev.start) if first_ev else 0
        ctx.add(event, "heldIn", ctx.province_draft(), sent_i, "event-place")


def _sent_at(ctx: _Ctx, char: int) -> int:
    for i, s in enumerate(ctx.sents):
        if s.start_char <= char < s.end_char:
            return i
    return 0


def _article_year(text: str, article_date: str | None) -> int | None:
    if article_date:
        return int(article_date[:4])
    years = [int(iso[:4]) for _, _, iso in find_dates(text) if len(iso) >= 4]
    return max(years) if years else None


# ---- titles --------------------------------------------------------------------------


def _title_relation(ctx: _Ctx, title: Mention, create: bool = True) -> tuple[str, Draft | None]:
    spec = ctx.lex.titles[title.key]
    rel = spec["relation"]
    body_m = title.info.get("body")
    body = ctx.res.entity_of(body_m)
    if create and body is None and body_m is not None and body_m.info.get("virtual"):
        body = ctx.res.get_or_add(
            "Organization", body_m.name, _nk(body_m.name), entity_key("Organization", body_m.name)
        )
    if (
        body is None
        and body_m is None
        and spec.get("template")
        and "of" not in (ctx.toks[title.end].lower_ if title.end < len(ctx.toks) else "")
    ):
        # "Deputy Minister X" in an article about one ministry is that ministry's
        body = _main_ministry(ctx)
    if body is not None:
        override = ctx.lex.title_overrides.get(title.key, {}).get(body.name)
        if override:
            rel = override["relation"]
            target = override["body"]
            body = ctx.res.get_or_add(
                "Organization", target, _nk(target), entity_key("Organization", target)
            )
    return rel, body


def _nk(name: str) -> str:
    return norm_key(name)


def _main_ministry(ctx: _Ctx) -> Draft | None:
    """The ministry an article is about: the only one it names."""
    ministries = [
        d for d in ctx.res.drafts if d.type == "Organization" and d.name.startswith("Ministry of")
    ]
    return ministries[0] if len(ministries) == 1 else None


def _titles(ctx: _Ctx) -> dict[tuple[str, str | None], set[str]]:
    """Attach titles to persons in each sentence; return who holds which (title, body)."""
    holders: dict[tuple[str, str | None], set[str]] = {}
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
                prev_p.end, t.start, allow=(*_SEPARATORS, *_APPOINTED)
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


# "A was re-elected Secretary of ...", "B will continue to serve as Chairwoman of ..."
_APPOINTED = (
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "been",
    "be",
    "will",
    "elected",
    "re",
    "-",
    "re-elected",
    "reelected",
    "appointed",
    "reappointed",
    "named",
    "continue",
    "continues",
    "to",
    "serve",
    "as",
    "the",
    "new",
)


def _hold(
    ctx: _Ctx,
    holders: dict[tuple[str, str | None], set[str]],
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
    rel, body = _title_relation(ctx, t)
    holders.setdefault((t.key, body.id if body else None), set()).add(person.id)
    holders.setdefault((t.key, None), set()).add(person.id)
    if body is not None:
        ctx.add(person, rel, body, si, rule, title=t.info.get("written"))


# ---- delegations -----------------------------------------------------------------------


def _lead(ctx: _Ctx) -> None:
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
            if body is not None and any(w in body.name.lower() for w in ("delegation", "group")):
                ctx.add(ctx.res.entity_of(p), "headOf", body, si, "lead-delegation")


# ---- meetings ---------------------------------------------------------------------------


def _actors(
    ctx: _Ctx, ms: list[Mention], holders: dict[tuple[str, str | None], set[str]]
) -> list[tuple[Mention, Draft, int]]:
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
                body = (
                    ctx.res.get_or_add(
                        "Organization",
                        body_m.name,
                        _nk(body_m.name),
                        entity_key("Organization", body_m.name),
                    )
                    if any(k[0] == m.key for k in holders)
                    else None
                )
            else:
                _, body = _title_relation(ctx, m, create=False)
            ids = holders.get((m.key, body.id if body else None), set())
            if body is None and len(ids) != 1:
                ids = set()
            if len(ids) == 1:
                out.append((m, by_id[next(iter(ids))], m.end))
    return sorted(out, key=lambda x: x[0].start)


def _lists(
    ctx: _Ctx, actors: list[tuple[Mention, Draft, int]]
) -> list[list[tuple[Mention, Draft, int]]]:
    groups: list[list[tuple[Mention, Draft, int]]] = []
    for a in actors:
        if groups and ctx.gap_ok(groups[-1][-1][2], a[0].start, allow=(*_SEPARATORS, ";", ":")):
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


_MEET_VERBS = frozenset({"receive", "meet", "welcome", "greet", "host", "accompany"})


def _skip_adjuncts(ctx: _Ctx, i: int, aux: bool = False) -> int:
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
            t.lower_ in ("on", "in", "at", "this", "last")
            and j + 1 < len(doc)
            and toks[j + 1].ent_type_ in ("DATE", "TIME")
        ):
            j += 1
        else:
            break
    return j


def _verb_at(ctx: _Ctx, i: int) -> Token | None:
    """The first verb after a subject ending at token i (skipping commas and adverbs)."""
    doc = ctx.doc
    toks = ctx.toks
    j = _skip_adjuncts(ctx, i, aux=True)
    return toks[j] if j < len(doc) and toks[j].pos_ == "VERB" else None


def _verb_role(ctx: _Ctx, i: int) -> str | None:
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
            if k < n and toks[k].lower_ in ("commune", "district", "ward", "province", "city"):
                k += 1
            j = _skip_adjuncts(ctx, k)
    if j >= n:
        return None
    t = toks[j]
    if t.lower_ == "at" and any(k in ctx.event_tokens for k in range(j + 1, min(j + 5, n))):
        return "attended"
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
                roles.append("attended")
                continue
        for pred in ("chaired", "spokeAt", "attended"):
            if lemma in cues[pred]["lemmas"]:
                roles.append(pred)
                break
    rest = doc[j : min(j + 5, n)].text.lower()
    if any(rest.startswith(p) for p in cues["spokeAt"]["phrases"]):
        roles.append("spokeAt")
    for pred in ("chaired", "spokeAt", "attended"):
        if pred in roles:
            return pred
    return None


def _event_roles(
    ctx: _Ctx, holders: dict[tuple[str, str | None], set[str]], article_date: str | None
) -> Draft | None:
    if not any(m.label == EVENT for m in ctx.mentions):
        return None
    roles: list[tuple[Draft, str, int, str]] = []
    cues = ctx.lex.cues
    participles = {p: cues[p]["participles"] for p in ("chaired", "spokeAt", "attended")}
    for si, ms in ctx.by_sent.items():
        actors = _actors(ctx, ms, holders)
        if not actors:
            continue
        sent = ctx.sents[si]
        k = sent.start
        while k < sent.end and (
            ctx.toks[k].is_space or ctx.toks[k].lower_ in ("also", "and", "then")
        ):
            k += 1
        first = ctx.toks[k].lower_ if k < sent.end else ""
        fronted = next((p for p, words in participles.items() if first in words), None)
        inverted_at = None
        if fronted:
            # "Attending were A, B" / "Attending the conference had comrades: A; B"
            inverted_at = next(
                (
                    t.i
                    for t in sent
                    if (t.lower_ in ("were", "was", "are", "is") or t.text == ":")
                    and t.i < actors[-1][0].start
                ),
                None,
            )
        used_fronted = False
        last_role: str | None = None
        groups = _lists(ctx, actors)
        for gi, group in enumerate(groups):
            start = ctx.chain_start.get(id(group[0][0]), group[0][0].start)
            role = _verb_role(ctx, group[-1][2]) if _subject_position(ctx, start) else None
            rule = "role-verb"
            if fronted and inverted_at is not None and start > inverted_at:
                role, rule = "attended", "role-participle"
            elif (
                fronted
                and role is None
                and not used_fronted
                and _after_comma(ctx, sent.start, start)
            ):
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
            # "A received / met / welcomed B": B was at the meeting too
            verb = _verb_at(ctx, group[-1][2])
            if verb is not None and verb.lemma_.lower() in _MEET_VERBS and gi + 1 < len(groups):
                nxt = groups[gi + 1]
                nstart = ctx.chain_start.get(id(nxt[0][0]), nxt[0][0].start)
                if ctx.gap_ok(verb.i + 1, nstart, allow=(",", "and", "the", "a", "visiting")):
                    for _, person, _ in nxt:
                        roles.append((person, "attended", si, "role-object"))
    for person, si in ctx.group_chairs:
        roles.append((person, "chaired", si, "role-group"))
    if not roles:
        return None
    event = _make_event(ctx, article_date)
    for person, role, si, rule in roles:
        ctx.add(person, role, event, si, rule)
    return event


def _subject_position(ctx: _Ctx, start: int) -> bool:
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


def _after_comma(ctx: _Ctx, sent_start: int, start: int) -> bool:
    return any(ctx.toks[i].text == "," for i in range(sent_start, start))


def _before(ctx: _Ctx, start: int) -> str:
    """The few words before a list of names, honorifics skipped, in lower case."""
    while start > 0 and ctx.toks[start - 1].lower_.rstrip(".") in honorifics():
        start -= 1
    return ctx.doc[max(0, start - 6) : start].text.lower()


def _passive_role(ctx: _Ctx, start: int) -> str | None:
    before = _before(ctx, start)
    for pred in ("chaired", "spokeAt", "attended"):
        for phrase in ctx.lex.cues[pred]["phrases"]:
            if before.endswith(phrase) or before.endswith(phrase + " comrade"):
                return pred
    return None


def _event_date(ctx: _Ctx, sent: int, article_date: str | None) -> str | None:
    """Find the meeting's date.

    The first date near where the meeting is reported that is neither a document's
    ("dated ...") nor the page's own date line; else the article's date.
    """
    for s in (sent, sent + 1, sent + 2, 0, 1, 2):
        if s >= len(ctx.sents):
            continue
        span = ctx.sents[s]
        text = ctx.text[span.start_char : span.end_char]
        for start, _end, iso in find_dates(text, ctx.year):
            if text[:start].rstrip().lower().endswith("dated"):
                continue  # a document's date
            if iso == article_date and s != sent:
                continue  # the page's date line
            return iso
    return article_date


def _make_event(ctx: _Ctx, article_date: str | None) -> Draft:
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
    key = entity_key("Event", name, date=date, place=place)
    d = ctx.res.get_or_add("Event", name, "event:" + name, key)
    d.date = date
    d.add(name, (ctx.toks[m.start].idx, ctx.toks[end - 1].idx + len(ctx.toks[end - 1])))
    return d


# ---- documents -----------------------------------------------------------------------------


def _documents(ctx: _Ctx) -> None:
    """IssuedBy from "<doc> [and <doc>] [dated D] of the <body>" and named issuers; dates."""
    docs = [m for m in ctx.mentions if m.label == DOC]
    org_at = {}
    for m in ctx.mentions:
        if m.label == ORG:
            org_at[m.start] = m
            if ctx.toks[m.start].lower_ == "the":
                org_at[m.start + 1] = m
    resolved: dict[int, tuple[Mention | None, str | None]] = {}
    for d in reversed(docs):
        i = d.end
        date = None
        if i < len(ctx.doc) and ctx.toks[i].lower_ == "dated":
            j = i + 1
            while j < len(ctx.doc) and j < i + 8 and ctx.toks[j].lower_ not in ("of", "on", ";"):
                j += 1
            phrase = ctx.doc[i + 1 : j].text.rstrip(", ")
            found = find_dates(phrase, ctx.year)
            date = found[0][2] if found else None
            i = j
        issuer = None
        if i < len(ctx.doc) and ctx.toks[i].lower_ == "of":
            issuer = org_at.get(i + 1) or org_at.get(i + 2)
        elif (
            i + 1 < len(ctx.doc)
            and ctx.toks[i].lower_ in ("issued", "adopted")
            and ctx.toks[i + 1].lower_ == "by"
        ):
            issuer = org_at.get(i + 2) or org_at.get(i + 3)
        if (
            issuer is None
            and d.info.get("issuer") is None
            and i < len(ctx.doc)
            and ctx.toks[i].lower_ == "and"
        ):
            nxt = next((x for x in docs if x.start == i + 1), None)
            if nxt is not None and id(nxt) in resolved:
                issuer, date2 = resolved[id(nxt)]
                date = date or date2
        resolved[id(d)] = (issuer, date)
        draft = ctx.res.entity_of(d)
        if draft is None:
            continue
        if date and not draft.date:
            draft.date = date
            if draft.attrs.get("code"):
                draft.key = entity_key(
                    "Document", draft.name, code=draft.attrs["code"], year=date[:4]
                )
        if issuer is None and d.info.get("issuer") is not None:
            issuer = d.info["issuer"]
        if issuer is None:
            issuer = _issuing_subject(ctx, d)
        if issuer is None and draft.attrs.get("issuer_code"):
            coded = _issuer_from_code(ctx, draft.attrs["issuer_code"])
            if coded is not None:
                ctx.add(draft, "issuedBy", coded, d.sent, "document-code")
        if issuer is not None:
            if issuer.start > d.start:
                # "<document> of the <body>": that body is the issuer, not the clause's actor;
                # "<body> issued a plan to implement ..." keeps its body as the actor
                ctx.issuer_mentions.add(id(issuer))
            ctx.add(draft, "issuedBy", ctx.res.entity_of(issuer), d.sent, "document-issuer")


def _issuer_from_code(ctx: _Ctx, code: str) -> Draft | None:
    """The body a document code names ("NQ-HĐND": the People's Council), if mentioned."""
    spec = ctx.lex.issuer_codes.get(fold(code).upper().rstrip("0123456789"))
    if spec is None:
        return None
    orgs = [d for d in ctx.res.drafts if d.type == "Organization"]
    if "body" in spec:
        return next((d for d in orgs if d.name == spec["body"]), None)
    # the one local body of that kind and level the article names
    head = ctx.lex.heads[spec["head"]]["canonical"]
    level = " District " if spec.get("level") == "district" else " Provincial "
    found = [
        d
        for d in orgs
        if d.name.endswith(head)
        and " of the " not in d.name  # not a sub-body ("Legal Committee of the ...")
        and (level in f" {d.name} " or (level == " Provincial " and _is_municipal(ctx, d.name)))
    ]
    return found[0] if len(found) == 1 else None


def _is_municipal(ctx: _Ctx, name: str) -> bool:
    """A body of a centrally-run city ("Hanoi People's Council" has no level word)."""
    return any(p.municipality and name.startswith(p.name + " ") for p in ctx.lex.places.values())


def _issuing_subject(ctx: _Ctx, d: Mention) -> Mention | None:
    """Find the issuer of "<body> issued/promulgated [a] <document>".

    For "the plenum issued <document>" it is the article's plenum or congress.
    """
    k = d.start - 1
    if k > 0 and ctx.toks[k].text in ("'s", "’s"):
        owner = next(
            (m for m in ctx.by_sent.get(d.sent, []) if m.label == ORG and m.end == k), None
        )
        if owner is not None:
            return owner  # "the Politburo's Conclusion No. 121-KL/TW"
    while k >= 0 and ctx.toks[k].lower_ in ("a", "an", "the", "its", "new"):
        k -= 1
    if k < 1 or ctx.toks[k].lemma_.lower() not in ctx.lex.cues["issuedBy"]["lemmas"]:
        return None
    if ctx.toks[k].tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
        return None
    subj = next((m for m in ctx.by_sent.get(d.sent, []) if m.label == ORG and m.end == k), None)
    if subj is not None:
        return subj
    if any(m.label == EVENT and m.end == k for m in ctx.by_sent.get(d.sent, [])):
        noun = ctx.toks[k - 1].lower_
        return next(
            (
                m
                for m in ctx.mentions
                if m.label == ORG and m.info.get("head") in _OCCASION_HEADS.get(noun, ())
            ),
            None,
        )
    return None


# meetings that issue documents, by the noun the article uses for them
_OCCASION_HEADS = {
    "plenum": ("plenum",),
    "conference": ("plenum",),
    "congress": ("party-congress", "national-party-congress"),
}


def _implements(ctx: _Ctx) -> None:
    cues = ctx.lex.cues["implements"]
    for si, ms in ctx.by_sent.items():
        docs = [m for m in ms if m.label == DOC]
        if not docs:
            continue
        sent = ctx.sents[si]
        bounds = [sent.start] + [t.i + 1 for t in sent if t.text in (";", ":")] + [sent.end]
        for a, b in zip(bounds, bounds[1:], strict=False):
            cue = _first_cue(ctx, a, b, cues)
            if cue is None:
                continue
            targets = [d for d in docs if cue < d.start < b]
            if targets and _opens_clause(ctx, a, cue):
                # "Concretising <D> into programmes, <body> issued <E>": only D is implemented
                subject = _clause_subject(ctx, ms, targets[0].end, b)
                if subject is not None:
                    targets = [d for d in targets if d.start < subject.start]
            if not targets:
                _passive_implementation(
                    ctx, si, ms, [d for d in docs if a <= d.start < cue], cue, b
                )
                continue
            for actor in _implementers(ctx, ms, a, cue, targets, b):
                for d in targets:
                    ctx.add(actor, "implements", ctx.res.entity_of(d), si, "implementation")


def _passive_implementation(
    ctx: _Ctx, si: int, ms: list[Mention], docs: list[Mention], cue: int, b: int
) -> None:
    """Find "<document> has been (seriously) implemented [by <body>]".

    Without "by", the implementer is the article's province, as for "the province".
    """
    verb = ctx.toks[cue]
    if not docs or verb.tag_ != "VBN":
        return
    if not any(t.lemma_ == "be" for t in ctx.toks[docs[-1].end : cue]):
        return
    actor: Draft | None = None
    if cue + 1 < b and ctx.toks[cue + 1].lower_ == "by":
        by = next(
            (m for m in ms if m.label in (ORG, PLACE) and m.start in (cue + 2, cue + 3)), None
        )
        if by is None:
            return  # "by Party committees at all levels": no one body
        actor = ctx.res.entity_of(by)
    else:
        actor = _home(ctx)
    for d in docs:
        ctx.add(actor, "implements", ctx.res.entity_of(d), si, "implementation-passive")


def _home(ctx: _Ctx) -> Draft | None:
    """The locality an article is about: its district if it is about one, else its province.

    An article is about a district when it speaks of "the District Party Committee"
    without naming the district: a provincial article names its districts.
    """
    implicit_district = any(
        m.label == ORG
        and m.info.get("level") == "District"
        and not m.info.get("place_name")
        and m.info.get("place") is None
        for m in ctx.mentions
    )
    district = main_district(ctx.mentions) if implicit_district else None
    return ctx.res.place(None, district) if district else ctx.province_draft()


def _referent(ctx: _Ctx, kind: str) -> Draft | None:
    """What "the province" / "the district" / "the ministry" refers to, if the article says."""
    if kind == "province":
        return ctx.province_draft()
    if kind == "ministry":
        return _main_ministry(ctx)
    district = main_district(ctx.mentions)
    return ctx.res.place(None, district) if district else None


def _first_cue(ctx: _Ctx, a: int, b: int, cues: dict[str, frozenset[str]]) -> int | None:
    for i in range(a, b):
        t = ctx.toks[i]
        if t.lemma_.lower() in cues["lemmas"] and t.pos_ in ("VERB", "NOUN", "AUX"):
            return i
        low = ctx.doc[i : min(i + 4, b)].text.lower()
        if any(low.startswith(p) for p in cues["phrases"]):
            return i
    return None


def _implementers(
    ctx: _Ctx, ms: list[Mention], a: int, cue: int, targets: list[Mention], b: int
) -> list[Draft]:
    """The clause's implementer, with the bodies listed together with it."""
    first = _implementer(ctx, ms, a, cue, targets, b)
    if first is None:
        return []
    actors = [first]
    # "the People's Committees of Kien Giang, Ca Mau and Binh Dinh ... to implement"
    listed = sorted(
        (m for m in ms if m.label == ORG and a <= m.start and m.end <= cue),
        key=lambda m: m.start,
    )
    chain = [m for m in listed if ctx.res.entity_of(m) is first]
    if chain:
        i = listed.index(chain[-1])
        while i > 0 and ctx.gap_ok(
            listed[i - 1].end,
            listed[i].start,
            allow_titles=False,
            allow=(",", "and", "the", "province", "provinces", "city"),
        ):
            d = ctx.res.entity_of(listed[i - 1])
            if d is not None and d not in actors:
                actors.append(d)
            i -= 1
    return actors


def _implementer(
    ctx: _Ctx, ms: list[Mention], a: int, cue: int, targets: list[Mention], b: int
) -> Draft | None:
    title_bodies = {id(m.info.get("body")) for m in ms if m.label == TITLE}
    issuers = ctx.issuer_mentions

    def actor(m: Mention) -> Draft | None:
        if m.label == PROVREF:
            return _referent(ctx, m.name)
        if m.label in (ORG, PLACE) and id(m) not in title_bodies and id(m) not in issuers:
            d = ctx.res.entity_of(m)
            if d is not None and d.type in ("Organization", "Place"):
                return d
        return None

    before = sorted(
        (
            m
            for m in ms
            if a <= m.start
            and m.end <= cue
            and ctx.toks[m.start - 1].lower_ not in ("in", "at", "to", "from", "across")
        ),
        # a body and a place on the same words ("People's Committees of Ca Mau"): the body
        key=lambda m: (m.start, m.label == ORG),
    )
    generic = [i for i in range(a, cue) if ctx.toks[i].lower_ in ctx.lex.generic_actors]
    for m in reversed(before):
        d = actor(m)
        if d is None:
            continue
        later = [i for i in generic if i >= m.end]
        # "The Provincial People's Committee, departments and sectors implement ...": the
        # body heads a list of generic actors; "asked ministries and localities to
        # implement ...": no one body does
        if later and not all(
            ctx.toks[i].lower_ in ctx.lex.generic_actors
            or ctx.toks[i].text in (",", "&")
            or ctx.toks[i].lower_ in ("and", "the", "all", "other", "relevant")
            for i in range(m.end, later[-1] + 1)
        ):
            return None
        return d
    if generic:
        return None
    last_doc = max(d.end for d in targets)
    if _opens_clause(
        ctx, a, cue
    ):  # "Implementing <document>, <body> will ...", "..., concretising <D>, <body>"
        for m in ms:
            if last_doc <= m.start < b and _is_clause_subject(ctx, m):
                d = actor(m)  # the main clause's subject: after the comma, before its verb
                if d is not None:
                    return d
    return _home(ctx)


def _opens_clause(ctx: _Ctx, a: int, cue: int) -> bool:
    """Tell whether the cue opens a participial clause ("Implementing <D>, ...")."""
    return cue - a <= 2 or (ctx.toks[cue].tag_ == "VBG" and ctx.toks[cue - 1].text in (",", "that"))


def _is_clause_subject(ctx: _Ctx, m: Mention) -> bool:
    return (
        m.label in (ORG, PLACE, PROVREF)
        and ctx.toks[_skip_back_the(ctx, m.start) - 1].text == ","
        and _followed_by_verb(ctx, m.end)
    )


def _clause_subject(ctx: _Ctx, ms: list[Mention], after: int, b: int) -> Mention | None:
    return next((m for m in ms if after <= m.start < b and _is_clause_subject(ctx, m)), None)


def _followed_by_verb(ctx: _Ctx, i: int) -> bool:
    while i < len(ctx.toks) and ctx.toks[i].pos_ in ("ADV", "PART"):
        i += 1
    return i < len(ctx.toks) and ctx.toks[i].pos_ in ("VERB", "AUX")


def _skip_back_the(ctx: _Ctx, i: int) -> int:
    return i - 1 if i > 0 and ctx.toks[i - 1].lower_ == "the" else i


# ---- places -------------------------------------------------------------------------------


_PLACE_RANK = {
    "commune": 1,
    "ward": 1,
    "town": 1,
    "district": 2,
    "city": 2,
    "province": 3,
    "country": 4,
}


def _place_kind(m: Mention) -> str | None:
    place = m.info.get("place")
    return place.kind if isinstance(place, Place) else m.info.get("kind")


def _located(ctx: _Ctx) -> None:
    """Put local bodies in their place, and places in larger ones.

    A place is in the larger place written next to it ("Ea Tul commune, Cu M'gar
    district"), else in its gazetteer parent, else in the article's district or province.
    """
    district = main_district(ctx.mentions)
    places = [m for m in ctx.mentions if m.label == PLACE]
    apposed: dict[int, Mention] = {}
    for a, b in zip(places, places[1:], strict=False):
        ka, kb = _place_kind(a), _place_kind(b)
        # "Ia Ko commune, Chu Se district": only the kind word and a comma between
        between = " ".join(
            t.lower_ for t in ctx.doc[a.end : b.start] if t.lower_ not in _PLACE_RANK
        ).strip()
        if (
            ka
            and kb
            and between in (",", "of", ", in")
            and _PLACE_RANK.get(ka, 9) < _PLACE_RANK.get(kb, 0)
        ):
            apposed[id(a)] = b
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
                ctx.add(d, "locatedIn", pdraft, m.sent, "body-place")
                if isinstance(place, Place):
                    _in_larger(ctx, pdraft, m.sent, place)
        elif m.label == PLACE:
            if id(m) in apposed:
                bigger = ctx.res.entity_of(apposed[id(m)])
                ctx.add(d, "locatedIn", bigger, m.sent, "place-apposition")
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


def _in_larger(
    ctx: _Ctx,
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
        if place.kind in ("city", "district") and place.parent:
            parent = ctx.lex.place(place.parent)
            if place.kind == "district" and ctx.main is not None and parent is not ctx.main:
                # district names repeat across provinces ("An Lao" is in Hai Phong and in
                # Binh Dinh): in an article about one province, it is that province's
                parent = ctx.main
            if parent is not None and parent.kind == "province":
                ctx.add(d, "locatedIn", ctx.res.place(parent), sent, "place-parent")
        return
    if kind in ("commune", "ward", "town") and district and d.name != district:
        ctx.add(d, "locatedIn", ctx.res.place(None, district), sent, "place-parent")
    elif kind in ("district", "commune", "ward", "town") and ctx.main is not None:
        ctx.add(d, "locatedIn", ctx.province_draft(), sent, "place-parent")
