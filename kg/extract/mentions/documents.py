"""Documents: numbered codes, documents named by their issuer, laws, plans, references.

Stage: mentions. Input: the scan state with its DOCTYPE spans and the bodies found so
far, ``documents.yaml`` (types, code pattern, planning heads) and ``mentions.yaml`` (issue
verbs); output: DOC mentions ("Resolution No. 18-NQ/TW"; "Resolution of the <body>" is
named by :mod:`kg.extract.mentions.naming` once its issuer has its canonical name).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.mentions.phrases import Phrases
from kg.extract.mentions.scan import DOC, PLACE, Mention, MentionInfo
from kg.extract.nlp.components import DOCTYPE
from kg.names import norm_key

if TYPE_CHECKING:
    from spacy.tokens import Span


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
        """Numbered documents, then those named by type and issuer."""
        self._numbered_documents()
        self._unnumbered_documents()

    def _numbered_documents(self) -> None:
        """Numbered documents, "<Type> [No.] <code>": "Resolution No. 18-NQ/TW"."""
        lex = self.lex
        types = sorted(lex.doc_types, key=len, reverse=True)
        type_rx = "|".join(re.escape(t) for t in types)
        num_rx = "|".join(lex.number_words)
        rx = re.compile(
            rf"\b(?P<type>{type_rx})\s+(?:(?:{num_rx})\s*)?(?P<code>{lex.code_regex})",
            re.I,
        )
        for mt in rx.finditer(self.doc.text):
            code_text = mt.group("code")
            if not re.search(r"[A-Z]{2,}", code_text):
                continue
            span = self.doc.char_span(mt.start(), mt.end(), alignment_mode="expand")
            if span is None or any(i in self.taken for i in range(span.start, span.end)):
                continue
            code = re.sub(r"\s+", "", code_text)
            dtype = cap_type(mt.group("type"))
            number = re.match(r"\d+", code)
            issuer = re.split(r"[-/]", code)[-1]
            info: MentionInfo = {
                "type": dtype,
                "code": code,
                "number": number.group(0) if number else "",
                "issuer_code": issuer,
            }
            self.out.append(
                self.mention(
                    DOC, span.start, span.end, name=f"{dtype} No. {code}", key=code, info=info
                )
            )
            self.taken.update(range(span.start, span.end))

    def _unnumbered_documents(self) -> None:
        """Documents named by issuer: "<Type> [N] of the <issuer>", "<issuer> <Type>", ...

        ... and "<body> issued a <Type>".
        """
        for s in self.raw:
            if s.label_ != DOCTYPE or any(i in self.taken for i in range(s.start, s.end)):
                continue
            if self.toks[s.end - 1].lower_.endswith("s") and s.text.lower() not in ("regulations",):
                continue
            dtype = cap_type(s.text)
            if s.text == "Law" and self._named_law(s):
                continue
            j = s.end
            num = None
            if self.tok(j) is not None and self.toks[j].like_num and self.toks[j].is_digit:
                num = self.toks[j].text
                j += 1
            if self.lower(j) == "of":
                issuer = self.org_at.get(self.skip_the(j + 1))
                if issuer is not None and (num or issuer_like(issuer)):
                    self._add_doc(s.start, issuer.end, dtype, num, issuer)
                    continue
            before = self.org_end.get(s.start)
            if before is not None and issuer_like(before) and num is None:
                self._add_doc(before.start, s.end, dtype, None, before)
                continue
            # "<body> issued a/an <Type>"
            if (
                self.lower(s.start - 1) in ("a", "an")
                and self.lower(s.start - 2) in self.w.issue_verbs
                and s.text.lower() in self.lex.issued_types
            ):
                issuer = self.org_end.get(s.start - 2)
                if issuer is not None:
                    self._add_doc(s.start, s.end, dtype, None, issuer, issued=True)

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
