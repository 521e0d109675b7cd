"""Relations, documents: who issued a document (issuedBy) and who implements it (implements).

Input: an article's :class:`~kg.extract.relations.common.Ctx` (after the title and meeting
rules); output: issuedBy and implements drafts, and document dates. Cues come from
``kg/data/patterns/relations/{issuedBy,implements}.jsonl``, issuer codes from the lexicon,
words from ``kg/data/lexicons/relations.yaml``.

Rules: document-issuer, document-code, implementation, implementation-passive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.mentions import DOC, ORG, PROVREF, Mention, main_district, ordinal
from kg.extract.nlp.components import EVENT, PLACE, TITLE
from kg.extract.relations.common import Ctx, district_draft, main_ministry, words
from kg.ids import entity_key
from kg.names import fold
from kg.read.dates import find_dates
from kg.vocab import DOCUMENT, IMPLEMENTS, ISSUED_BY, ORGANIZATION
from kg.vocab import PLACE as PLACE_TYPE

if TYPE_CHECKING:
    from kg.extract.resolve import Draft


def find_issuers(ctx: Ctx) -> None:
    """IssuedBy from "<doc> [and <doc>] [, dated D] of the <body> [and the <body>]"; dates.

    Also "<doc> from/issued by the <body>", named issuers, "<body>'s <doc>", "<body>
    issued <doc>" and, failing those, the body an issuer code names.
    """
    docs = [m for m in ctx.mentions if m.label == DOC]
    org_at = {}
    for m in ctx.mentions:
        if m.label == ORG:
            org_at[m.start] = m
            if ctx.toks[m.start].lower_ == "the":
                org_at[m.start + 1] = m
    resolved: dict[int, tuple[list[Mention], str | None]] = {}
    for d in reversed(docs):
        i, date = _dated(ctx, d.end)
        issuers = _stated_issuers(ctx, org_at, i)
        if (
            not issuers
            and d.info.get("issuer") is None
            and i < len(ctx.doc)
            and ctx.toks[i].lower_ == "and"
        ):
            nxt = next((x for x in docs if x.start == i + 1), None)
            if nxt is not None and id(nxt) in resolved:
                issuers, date2 = resolved[id(nxt)]
                date = date or date2
        resolved[id(d)] = (issuers, date)
        draft = ctx.res.entity_of(d)
        if draft is None:
            continue
        if date and not draft.date:
            draft.date = date
            if draft.attrs.get("code"):
                draft.key = entity_key(
                    DOCUMENT, draft.name, code=draft.attrs["code"], year=date[:4]
                )
        if not issuers and d.info.get("issuer") is not None:
            issuers = [d.info["issuer"]]
        if not issuers:
            subject = _issuing_subject(ctx, d)
            issuers = [subject] if subject is not None else []
        if not issuers and draft.attrs.get("issuer_code"):
            coded = _issuer_from_code(ctx, draft.attrs["issuer_code"])
            if coded is not None:
                ctx.add(draft, ISSUED_BY, coded, d.sent, "document-code")
        for issuer in issuers:
            if issuer.start > d.start:
                # "<document> of the <body>": that body is the issuer, not the clause's actor;
                # "<body> issued a plan to implement ..." keeps its body as the actor
                ctx.issuer_mentions.add(id(issuer))
            ctx.add(draft, ISSUED_BY, ctx.res.entity_of(issuer), d.sent, "document-issuer")


def _dated(ctx: Ctx, i: int) -> tuple[int, str | None]:
    """Read "[,] dated <date>" at ``i``: the index after it and the date, if any."""
    n = len(ctx.doc)
    if i + 1 < n and ctx.toks[i].text == "," and ctx.toks[i + 1].lower_ == "dated":
        i += 1
    if i >= n or ctx.toks[i].lower_ != "dated":
        return i, None
    j = i + 1
    while j < n and j < i + 8 and ctx.toks[j].lower_ not in ("of", "on", "from", ";"):
        j += 1
    found = find_dates(ctx.doc[i + 1 : j].text.rstrip(", "), ctx.year)
    return j, found[0][2] if found else None


def _stated_issuers(ctx: Ctx, org_at: dict[int, Mention], i: int) -> list[Mention]:
    """The bodies of "of/from the <body> [and the <body>]" or "issued by <body>" at ``i``."""
    n = len(ctx.doc)
    if i < n and ctx.toks[i].lower_ in ("of", "from"):
        i += 1
    elif (
        i + 1 < n and ctx.toks[i].lower_ in ("issued", "adopted") and ctx.toks[i + 1].lower_ == "by"
    ):
        i += 2
    else:
        return []
    first = _org_from(ctx, org_at, i)
    if first is None:
        return []
    out = [first]
    # "of the Politburo and the Secretariat": both issued it
    if first.end < n and ctx.toks[first.end].lower_ == "and":
        second = _org_from(ctx, org_at, first.end + 1)
        if second is not None:
            out.append(second)
    return out


def _org_from(ctx: Ctx, org_at: dict[int, Mention], i: int) -> Mention | None:
    """The body at ``i``, past "the" and a term ordinal ("the 13th Politburo")."""
    n = len(ctx.doc)
    if i < n and ctx.toks[i].lower_ == "the":
        i += 1
    if i in org_at:
        return org_at[i]
    if i < n and ordinal(ctx.toks[i].text):
        i += 1
        # "the 12th-tenure Party Central Committee"
        if i + 1 < n and ctx.toks[i].text == "-" and ctx.toks[i + 1].lower_ in ("tenure", "term"):
            i += 2
        return org_at.get(i)
    return None


def _issuer_from_code(ctx: Ctx, code: str) -> Draft | None:
    """The body a document code names ("NQ-HĐND": the People's Council), if mentioned."""
    spec = ctx.lex.issuer_codes.get(fold(code).upper().rstrip("0123456789"))
    if spec is None:
        return None
    orgs = [d for d in ctx.res.drafts if d.type == ORGANIZATION]
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


def _is_municipal(ctx: Ctx, name: str) -> bool:
    """A body of a centrally-run city ("Hanoi People's Council" has no level word)."""
    return any(p.municipality and name.startswith(p.name + " ") for p in ctx.lex.places.values())


def _issuing_subject(ctx: Ctx, d: Mention) -> Mention | None:
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
    while k >= 0 and ctx.toks[k].lower_ in words().document_determiners:
        k -= 1
    if k < 1 or ctx.toks[k].lemma_.lower() not in ctx.lex.cues[ISSUED_BY]["lemmas"]:
        return None
    if ctx.toks[k].tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
        return None
    # "<body> has (just) issued <document>"
    while k > 1 and ctx.toks[k - 1].pos_ in ("AUX", "ADV", "PART"):
        k -= 1
    subj = next((m for m in ctx.by_sent.get(d.sent, []) if m.label == ORG and m.end == k), None)
    if subj is not None:
        # "the Steering Committee of <body> issued": the body only names the issuer's parent
        return None if _after_of(ctx, subj.start) else subj
    if any(m.label == EVENT and m.end == k for m in ctx.by_sent.get(d.sent, [])):
        noun = ctx.toks[k - 1].lower_
        return next(
            (
                m
                for m in ctx.mentions
                if m.label == ORG and m.info.get("head") in words().occasion_heads.get(noun, ())
            ),
            None,
        )
    return None


def _after_of(ctx: Ctx, start: int) -> bool:
    """Tell a body named after "of" ("of Kien Giang - An Giang <body>"): part of a name."""
    j = _skip_back_the(ctx, start) - 1
    while j > 0 and start - j <= 6 and (ctx.toks[j].is_title or ctx.toks[j].text in "-–,"):
        j -= 1
    return j >= 0 and ctx.toks[j].lower_ == "of"


def find_implementers(ctx: Ctx) -> None:
    """Find who implements a document named after an implementation cue in its clause.

    A list of documents runs on past ";" ("implemented Directive A ...; the Politburo's
    Resolution B ...; and Conclusion C ..."): each item has the first item's implementer.
    """
    cues = ctx.lex.cues[IMPLEMENTS]
    for si, ms in ctx.by_sent.items():
        docs = [m for m in ms if m.label == DOC]
        if not docs:
            continue
        sent = ctx.sents[si]
        bounds = [sent.start] + [t.i + 1 for t in sent if t.text in (";", ":")] + [sent.end]
        listed: list[Draft] = []  # the implementers of a list still going on
        for a, b in zip(bounds, bounds[1:], strict=False):
            cue = _first_cue(ctx, a, b, cues)
            if cue is None:
                item = next((d for d in docs if a <= d.start < b), None)
                if not (listed and item is not None and _list_item(ctx, a, item)):
                    listed = []
                    continue
                for actor in listed:
                    ctx.add(actor, IMPLEMENTS, ctx.res.entity_of(item), si, "implementation-list")
                continue
            targets = [d for d in docs if cue < d.start < b and not _issued_inside(ctx, ms, d)]
            if targets and _opens_clause(ctx, a, cue):
                # "Concretising <D> into programmes, <body> issued <E>": only D is implemented
                subject = _clause_subject(ctx, ms, targets[0].end, b)
                if subject is not None:
                    targets = [d for d in targets if d.start < subject.start]
            if not targets:
                listed = []
                _passive_implementation(
                    ctx, si, ms, [d for d in docs if a <= d.start < cue], cue, b
                )
                continue
            listed = _implementers(ctx, ms, a, cue, targets, b)
            for actor in listed:
                for d in targets:
                    ctx.add(actor, IMPLEMENTS, ctx.res.entity_of(d), si, "implementation")


def _list_item(ctx: Ctx, a: int, d: Mention) -> bool:
    """Tell a clause that opens with a document ("[and] the Politburo's Resolution ...")."""
    k = d.start
    if k - 1 > a and ctx.toks[k - 1].text in ("'s", "’s"):
        owner = ctx.toks[a : k - 1]
        return len(owner) <= 6 and not any(t.pos_ in ("VERB", "AUX") for t in owner)
    return all(
        ctx.toks[j].lower_ in ("and", "the", ",") or ctx.toks[j].is_space for j in range(a, k)
    )


def _issued_inside(ctx: Ctx, ms: list[Mention], d: Mention) -> bool:
    """Tell a document another one issues ("Resolution A promulgating the Government's B")."""
    k = d.start - 1
    if k > 0 and ctx.toks[k].text in ("'s", "’s"):
        owner = next((m for m in ms if m.label == ORG and m.end == k), None)
        k = owner.start - 1 if owner is not None else k
    while k >= 0 and ctx.toks[k].lower_ in words().document_determiners:
        k -= 1
    t = ctx.toks[k]
    return t.tag_ == "VBG" and t.lemma_.lower() in ctx.lex.cues[ISSUED_BY]["lemmas"]


def _passive_implementation(
    ctx: Ctx, si: int, ms: list[Mention], docs: list[Mention], cue: int, b: int
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
        ctx.add(actor, IMPLEMENTS, ctx.res.entity_of(d), si, "implementation-passive")


def _home(ctx: Ctx) -> Draft | None:
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


def _referent(ctx: Ctx, kind: str) -> Draft | None:
    """What "the province" / "the district" / "the ministry" refers to, if the article says."""
    if kind == "province":
        return ctx.province_draft()
    if kind == "ministry":
        return main_ministry(ctx)
    return district_draft(ctx)


def _first_cue(ctx: Ctx, a: int, b: int, cues: dict[str, frozenset[str]]) -> int | None:
    phrases = tuple(cues["phrases"])
    toks, text = ctx.toks, ctx.doc_text
    for i in range(a, b):
        t = toks[i]
        if t.lemma_.lower() in cues["lemmas"] and t.pos_ in ("VERB", "NOUN", "AUX"):
            return i
        last = toks[min(i + 4, b) - 1]  # the text of doc[i : i + 4], without a Span
        if text[t.idx : last.idx + len(last.text)].lower().startswith(phrases):
            return i
    return None


def _implementers(
    ctx: Ctx, ms: list[Mention], a: int, cue: int, targets: list[Mention], b: int
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
            allow=words().implementer_list,
        ):
            d = ctx.res.entity_of(listed[i - 1])
            if d is not None and d not in actors:
                actors.append(d)
            i -= 1
    return actors


def _implementer(
    ctx: Ctx, ms: list[Mention], a: int, cue: int, targets: list[Mention], b: int
) -> Draft | None:
    title_bodies = {id(m.info.get("body")) for m in ms if m.label == TITLE}
    issuers = ctx.issuer_mentions

    def actor(m: Mention) -> Draft | None:
        if m.label == PROVREF:
            return _referent(ctx, m.name)
        if (
            m.label in (ORG, PLACE)
            and id(m) not in title_bodies
            and id(m) not in issuers
            and not _owns_papers(ctx, m)
        ):
            d = ctx.res.entity_of(m)
            if d is not None and d.type in (ORGANIZATION, PLACE_TYPE):
                return d
        return None

    before = sorted(
        (
            m
            for m in ms
            if a <= m.start
            and m.end <= cue
            and ctx.toks[m.start - 1].lower_ not in words().place_prepositions
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
            or ctx.toks[i].lower_ in words().generic_joiners
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


def _owns_papers(ctx: Ctx, m: Mention) -> bool:
    """Tell the owner of documents ("the Politburo's decisions, plans ..."): their issuer."""
    i = m.end
    if i + 1 >= len(ctx.toks) or ctx.toks[i].text not in ("'s", "’s"):
        return False
    return ctx.toks[i + 1].lemma_.lower() in {t.lower() for t in ctx.lex.doc_types}


def _opens_clause(ctx: Ctx, a: int, cue: int) -> bool:
    """Tell whether the cue opens a participial clause ("Implementing <D>, ...")."""
    return cue - a <= 2 or (ctx.toks[cue].tag_ == "VBG" and ctx.toks[cue - 1].text in (",", "that"))


def _is_clause_subject(ctx: Ctx, m: Mention) -> bool:
    return (
        m.label in (ORG, PLACE, PROVREF)
        and ctx.toks[_skip_back_the(ctx, m.start) - 1].text == ","
        and _followed_by_verb(ctx, m.end)
    )


def _clause_subject(ctx: Ctx, ms: list[Mention], after: int, b: int) -> Mention | None:
    return next((m for m in ms if after <= m.start < b and _is_clause_subject(ctx, m)), None)


def _followed_by_verb(ctx: Ctx, i: int) -> bool:
    while i < len(ctx.toks) and ctx.toks[i].pos_ in ("ADV", "PART"):
        i += 1
    return i < len(ctx.toks) and ctx.toks[i].pos_ in ("VERB", "AUX")


def _skip_back_the(ctx: Ctx, i: int) -> int:
    return i - 1 if i > 0 and ctx.toks[i - 1].lower_ == "the" else i
