"""Documents: numbered codes, documents named by their issuer, laws, plans, references.

Stage: mentions. Input: the scan state with its DOCTYPE spans and the bodies found so
far, ``documents.yaml`` (types, code pattern, bare numbers, planning heads) and
``mentions.yaml`` (issue verbs); output: DOC mentions ("Resolution No. 18-NQ/TW",
"Directive No. 35"; "Resolution of the <body>" is named by
:mod:`kg.extract.mentions.naming` once its issuer has its canonical name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from kg.extract.mentions.phrases import Phrases
from kg.extract.mentions.scan import DOC, PLACE, Mention, MentionInfo
from kg.extract.nlp.components import DOCTYPE
from kg.names import fold, norm_key
from kg.resources import load_words

if TYPE_CHECKING:
    from spacy.tokens import Span

_DOCS_FILE = "lexicons/documents.yaml"
_ROMAN = re.compile(r"^[IVXL]{2,6}$")
_POSSESSIVE = ("'s", "’s")
_DETERMINERS = frozenset({"the", "a", "an", "its", "this", "that", "their", "his", "her"})


@dataclass(frozen=True, slots=True)
class DocWords:
    """The word lists of ``documents.yaml`` read by the document grammar only."""

    party_issuers: frozenset[str]
    bare_number_types: frozenset[str]
    by_participles: frozenset[str]
    congress_words: frozenset[str]


@cache
def doc_words() -> DocWords:
    """Read the document grammar's word lists once per process.

    Raises:
        DataFileError: a list is missing or holds something other than words.
    """

    def words(key: str) -> frozenset[str]:
        return frozenset(load_words(_DOCS_FILE, key))

    return DocWords(
        party_issuers=words("party_issuers"),
        bare_number_types=frozenset(t.lower() for t in words("bare_number_types")),
        by_participles=frozenset(w.lower() for w in words("by_participles")),
        congress_words=words("congress_words"),
    )


def party_code(code: str, party_issuers: frozenset[str]) -> str:
    """A party code written state-style ("18/NQ-TW") as the party code it is ("18-NQ/TW").

    Examples:
        >>> party_code("18/NQ-TW", frozenset({"TW", "TU"}))
        '18-NQ/TW'
        >>> party_code("339/QD-TTg", frozenset({"TW", "TU"}))
        '339/QD-TTg'
    """
    m = re.fullmatch(r"(\d+[A-Za-z]?)/([A-Z][A-Za-z]*)-([A-Z][A-Za-z]*)", code)
    if m is not None and fold(m.group(3)).upper() in party_issuers:
        return f"{m.group(1)}-{m.group(2)}/{m.group(3)}"
    return code


def cap_type(text: str) -> str:
    """A document type in title case.

    Examples:
        >>> cap_type("RESOLUTION"), cap_type("action plan")
        ('Resolution', 'Action Plan')
    """
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def issuer_like(m: Mention) -> bool:
    """Bodies that name a document by its issuing occasion: congresses, plenums, terms."""
    head = m.info.get("head")
    return bool(
        m.info.get("issuer_like")
        or head in ("party-congress", "national-party-congress", "plenum")
        or (m.info.get("ordinal") and head != "national")
    )


class Documents(Phrases):
    """Documents and the bodies that issued them."""

    def documents(self) -> None:
        """Numbered documents, then those named by type and issuer, then bare numbers."""
        self._numbered_documents()
        self._unnumbered_documents()
        self._bare_numbered_documents()

    def _type_rx(self) -> tuple[str, str]:
        types = sorted(self.lex.doc_types, key=len, reverse=True)
        return "|".join(re.escape(t) for t in types), "|".join(self.lex.number_words)

    def _numbered_documents(self) -> None:
        """Numbered documents, "<Type> [No.] <code>": "Resolution No. 18-NQ/TW".

        A list of codes after one type names one document each: "Resolutions No.
        18-NQ/TW, 19-NQ/TW and 21-NQ/TW".
        """
        type_rx, num_rx = self._type_rx()
        code_rx = self.lex.code_regex
        rx = re.compile(rf"\b(?P<type>{type_rx})s?\s+(?:(?:{num_rx})\s*)?(?P<code>{code_rx})", re.I)
        more = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?:{num_rx})\s*)?({code_rx})")
        for mt in rx.finditer(self.doc_text):
            dtype = cap_type(mt.group("type"))
            if not self._add_coded(mt.start(), mt.end(), dtype, mt.group("code")):
                continue
            pos = mt.end()
            while (nx := more.match(self.doc_text, pos)) is not None:
                if not self._add_coded(nx.start(1), nx.end(), dtype, nx.group(1)):
                    break
                pos = nx.end()

    def _add_coded(self, start: int, end: int, dtype: str, code_text: str) -> bool:
        """Add the document of one code over characters [start, end); False if none."""
        if not re.search(r"[A-Z]{2,}", code_text):
            return False
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(i in self.taken for i in range(span.start, span.end)):
            return False
        code = party_code(re.sub(r"\s+", "", code_text), doc_words().party_issuers)
        number = re.match(r"\d+", code)
        info: MentionInfo = {
            "type": dtype,
            "code": code,
            "number": number.group(0) if number else "",
            "issuer_code": re.split(r"[-/]", code)[-1],
        }
        self.out.append(
            self.mention(DOC, span.start, span.end, name=f"{dtype} No. {code}", key=code, info=info)
        )
        self.taken.update(range(span.start, span.end))
        return True

    def _bare_numbered_documents(self) -> None:
        """Documents numbered without a code: "Resolution No. 57", "Directive No.5".

        Named "<Type> No. <n>"; their issuer, if any, comes from the words after them
        ("... dated May 5, 2024 of the Politburo"). Without "No." only the types of
        ``bare_number_types`` count, capitalised and not followed by a year-like number.
        """
        type_rx, num_rx = self._type_rx()
        rx = re.compile(
            rf"\b(?P<type>{type_rx})\s+(?:(?P<no>{num_rx})\s*)?(?P<num>\d{{1,4}})"
            r"(?!\d|[.,]\d|\s?[-/]\s?[A-Za-z0-9])",
            re.I,
        )
        bare_types = doc_words().bare_number_types
        for mt in rx.finditer(self.doc_text):
            written, num = mt.group("type"), mt.group("num")
            if mt.group("no") is None and (
                written.lower() not in bare_types or not written[0].isupper() or len(num) == 4
            ):
                continue
            span = self.doc.char_span(mt.start(), mt.end(), alignment_mode="expand")
            if span is None or any(i in self.taken for i in range(span.start, span.end)):
                continue
            dtype = cap_type(written)
            name = f"{dtype} No. {num}"
            info: MentionInfo = {"type": dtype, "number": num}
            self.out.append(
                self.mention(DOC, span.start, span.end, name=name, key=norm_key(name), info=info)
            )
            self.taken.update(range(span.start, span.end))

    def _unnumbered_documents(self) -> None:
        """Documents named by issuer: "<Type> [N] of the <issuer>", "<issuer> <Type>", ...

        ... "<body>'s <type>", "<type> [adopted] by <body>" and "<body> issued a <Type>".
        A numbered "<Type> No. N" is left to :meth:`_bare_numbered_documents`.
        """
        for s in self.raw:
            if s.label_ != DOCTYPE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            if self.toks[s.end - 1].lower_.endswith("s") and s.text.lower() not in ("regulations",):
                continue
            if s.text == "Law" and self._named_law(s):
                continue
            nxt = self.tok(s.end)
            if nxt is not None and (nxt.lower_ in ("no", "no.", "number") or nxt.text[:3] == "No."):
                continue
            self._named_by_issuer(s)

    def _named_by_issuer(self, s: Span) -> None:
        """One unnumbered document type span: find the issuer that names it, if any.

        A lower-case type after a lower-case modifier ("the working programme of ...",
        "a draft resolution of ...") is another kind of paper, not named so.
        """
        if self._modified(s):
            self._issued_by(s)  # "an approving decision by the Secretariat"
            return
        dtype = cap_type(s.text)
        issued_type = s.text.lower() in self.lex.issued_types
        j = s.end
        num = None
        if self.tok(j) is not None and self.toks[j].like_num and self.toks[j].is_digit:
            num = self.toks[j].text
            j += 1
        if self.lower(j) == "of":
            issuer = self.org_at.get(self.skip_the(j + 1))
            if issuer is not None and (
                num or issuer_like(issuer) or (issued_type and self._titled(s))
            ):
                self._add_doc(s.start, issuer.end, dtype, num, issuer)
                return
            if issuer is None and num is None and self._congress_named(s, self.skip_the(j + 1)):
                return
        if num is not None:
            return
        before = self.org_end.get(s.start)
        if before is not None and issuer_like(before):
            self._add_doc(before.start, s.end, dtype, None, before)
            return
        if issued_type and self.lower(s.end) != "of" and self._owned(s):
            return
        if self._issued_by(s):
            return
        # "<body> issued a/an <Type>"
        if (
            self.lower(s.start - 1) in ("a", "an")
            and self.lower(s.start - 2) in self.w.issue_verbs
            and s.text.lower() in self.lex.issued_types
        ):
            issuer = self.org_end.get(s.start - 2)
            if issuer is not None:
                self._add_doc(s.start, s.end, dtype, None, issuer, issued=True)

    def _modified(self, s: Span) -> bool:
        """Tell a lower-case type after a lower-case modifier ("working programme")."""
        prev = self.tok(s.start - 1)
        return (
            s.text[:1].islower()
            and prev is not None
            and prev.is_alpha
            and prev.is_lower
            and prev.lower_ not in _DETERMINERS
        )

    def _titled(self, s: Span) -> bool:
        """Tell a capitalised type after "the" ("the Resolution of ...": one document)."""
        return s.text[:1].isupper() and self.lower(s.start - 1) == "the"

    def _owned(self, s: Span) -> bool:
        """Add "<body>'s <type>" ("the Politburo's decision") as "<Type> of the <body>"."""
        k = s.start - 1
        t = self.tok(k)
        if t is None or t.text not in _POSSESSIVE:
            return False
        owner = self.org_end.get(k)
        if owner is not None:
            self._add_doc(owner.start, s.end, cap_type(s.text), None, owner)
            return True
        start = self._congress_before(k)
        if start is None:
            return False
        name = f"{cap_type(s.text)} of the {self.doc[start:k].text}"
        self._add_named_doc(start, s.end, name, cap_type(s.text))
        return True

    def _issued_by(self, s: Span) -> bool:
        """Add "the <type> [adopted] by <body>" ("a decision by the Secretariat")."""
        if s.text.lower() not in self.lex.issued_types:
            return False
        if not ({self.lower(s.start - 1), self.lower(s.start - 2)} & {"the", "a", "an"}):
            return False
        k = s.end
        if self.lower(k) in doc_words().by_participles:
            k += 1
        if self.lower(k) != "by":
            return False
        issuer = self.org_at.get(self.skip_the(k + 1))
        if issuer is None:
            return False
        self._add_doc(s.start, issuer.end, cap_type(s.text), None, issuer)
        return True

    def _congress_end(self, i: int) -> int | None:
        """The end of "<ordinal> [Name words] Congress" starting at ``i``, else None.

        A congress named only by its ordinal ("the 11th Congress", "the XIX Party
        Congress") when no body mention covers it; not "the 8th Congress of <body>".
        """
        t = self.tok(i)
        if t is None or not (self.is_ordinal(i) or _ROMAN.match(t.text)):
            return None
        for k in range(i + 1, min(i + 6, len(self.doc))):
            tk = self.toks[k]
            if k in self.taken or not (tk.is_alpha and tk.is_title):
                return None
            if tk.text in doc_words().congress_words:
                # "the 11th National Congress of the <party>": that party's congress
                return None if self.lower(k + 1) == "of" else k + 1
        return None

    def _congress_before(self, end: int) -> int | None:
        """The start of an ordinal-named congress ending at ``end``, else None."""
        for i in range(end - 2, max(end - 7, -1), -1):
            if self._congress_end(i) == end:
                return i
        return None

    def _congress_named(self, s: Span, i: int) -> bool:
        """Add "<Type> of the <ordinal> Congress" named as written."""
        end = self._congress_end(i)
        if end is None:
            return False
        name = f"{cap_type(s.text)} of the {self.doc[i:end].text}"
        self._add_named_doc(s.start, end, name, cap_type(s.text))
        return True

    def _add_named_doc(self, start: int, end: int, name: str, dtype: str) -> None:
        info: MentionInfo = {"type": dtype}
        self.out.append(self.mention(DOC, start, end, name=name, key=norm_key(name), info=info))
        self.taken.update(range(start, end))

    def plannings(self) -> None:
        """Find master plans named after their place ("Lang Son Provincial Planning")."""
        lex = self.lex
        for s in self.raw:
            if s.label_ != PLACE:
                continue
            rest = self.doc[s.end : s.end + 3].text
            for head in lex.planning_heads:
                if rest.startswith(head):
                    k = s.end + len(head.split())
                    place = self.gazetteer_place(s)
                    if place is None or any(i in self.taken for i in range(s.start, k)):
                        continue
                    name = f"{place.display} {head}"
                    self.out.append(
                        self.mention(
                            DOC,
                            s.start,
                            k,
                            name=name,
                            key=norm_key(name),
                            info={"type": head.split()[-1], "place": place},
                        )
                    )
                    self.taken.update(range(s.start, k))
                    break

    def _named_law(self, s: Span) -> bool:
        """Laws are named, not numbered: "Law on Urban Planning", "the Land Law"."""
        if self.lower(s.end) == "on":
            field, end = self._tail(s.end, opener_needed=True)
            while field and self.lower(end) == "of" and self._namey(self.skip_the(end + 1)):
                # "Law on Organisation of Local Administration"
                more, end2 = self._tail(self.skip_the(end + 1), opener_needed=False)
                if not more:
                    break
                field = f"{field} {self.doc[end : self.skip_the(end + 1)].text} {more}"
                end = end2
            if field:
                name = f"Law on {field}"
                self.out.append(
                    self.mention(
                        DOC, s.start, end, name=name, key=norm_key(name), info={"type": "Law"}
                    )
                )
                self.taken.update(range(s.start, end))
                return True
        run = self.cap_run_before(s.start, max_len=3)
        if run < s.start and not any(i in self.taken for i in range(run, s.start)):
            name = f"{self.doc[run : s.start].text} Law"
            self.out.append(
                self.mention(DOC, run, s.end, name=name, key=norm_key(name), info={"type": "Law"})
            )
            self.taken.update(range(run, s.end))
            return True
        return False

    def _add_doc(
        self,
        start: int,
        end: int,
        dtype: str,
        num: str | None,
        issuer: Mention,
        issued: bool = False,
    ) -> None:
        info: MentionInfo = {
            "type": dtype,
            "number": num or "",
            "issuer": issuer,
            "named_issuer": True,
            "issued_here": issued,
        }
        self.out.append(self.mention(DOC, start, end, name="", info=info))
        self.taken.update(range(start, end))

    def document_refs(self) -> None:
        """Resolve "the resolution", "the directive" to the last document of that type.

        Only a bare definite reference counts ("the resolution has been implemented"),
        not "the resolution of the ..." (a named document) nor a plural.
        """
        self._unify_numbers()
        docs = sorted((m for m in self.out if m.label == DOC and m.name), key=lambda m: m.start)
        if not docs:
            return
        for s in self.raw:
            if s.label_ != DOCTYPE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            if self.lower(s.start - 1) != "the" or self.lower(s.end) in ("of", "no", "no."):
                continue
            if self.toks[s.end - 1].lower_.endswith("s"):
                continue
            dtype = cap_type(s.text)
            earlier = [d for d in docs if d.start < s.start and d.info.get("type") == dtype]
            if not earlier:
                continue
            ref = earlier[-1]
            info = ref.info.copy()
            info["reference"] = True
            self.out.append(
                self.mention(DOC, s.start, s.end, name=ref.name, key=ref.key, info=info)
            )
            self.taken.update(range(s.start, s.end))

    def _unify_numbers(self) -> None:
        """Give a bare "<Type> No. N" the name of the one fuller document of that number.

        "Resolution 18" in an article that also writes "Resolution No. 18-NQ/TW" (or
        "Resolution 18 of the 12th Central Committee") is that document.
        """
        docs = [m for m in self.out if m.label == DOC and m.name]
        for m in docs:
            if m.info.get("code") or m.info.get("issuer") or not m.info.get("number"):
                continue
            num = m.info["number"].lstrip("0")
            fuller = {
                d.key: d
                for d in docs
                if (d.info.get("code") or d.info.get("issuer"))
                and d.info.get("type") == m.info.get("type")
                and d.info.get("number", "").lstrip("0") == num
            }
            if len(fuller) != 1:
                continue
            d = next(iter(fuller.values()))
            m.name, m.key = d.name, d.key
            for k in ("code", "number", "issuer_code"):
                if d.info.get(k):
                    m.info[k] = d.info[k]
