"""Numbered teams and the words said before titles: "Inspection Team No. 1909", "former".

Stage: mentions. Input: the scan state (tokens, the bodies found so far) and the
``markers``, ``teams`` and ``owners`` lists of ``kg/data/lexicons/titles.yaml``; output:
ORG mentions of numbered teams and delegations, and the start of the when-words before a
title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.extract.mentions.phrases import Phrases
from kg.extract.mentions.scan import Mention
from kg.resources import load_words

_FILE = "lexicons/titles.yaml"


@dataclass(frozen=True, slots=True)
class TitleWords:
    """The ``markers``, ``teams`` and ``owners`` lists of ``titles.yaml``."""

    past: tuple[tuple[str, ...], ...]
    current: tuple[tuple[str, ...], ...]
    team_kinds: frozenset[str]
    team_nouns: frozenset[str]
    owners: frozenset[str]
    owner_places: frozenset[str]


def _tokens(phrase: str) -> tuple[str, ...]:
    """Split a marker as the tokenizer does: "ex-" -> ("ex", "-").

    Examples:
        >>> _tokens("the late")
        ('the', 'late')
        >>> _tokens("re-elected")
        ('re', '-', 'elected')
    """
    return tuple(re.findall(r"[\w']+|-", phrase.lower()))


@cache
def title_words() -> TitleWords:
    """Read the marker and team lists of ``titles.yaml`` once per process.

    Raises:
        DataFileError: a list is missing or holds something other than words.
    """

    def strings(section: str, key: str) -> tuple[str, ...]:
        return load_words(_FILE, f"{section}.{key}")

    def runs(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        # longest first, so "the late" is read before "late"
        return tuple(sorted({_tokens(w) for w in words}, key=len, reverse=True))

    return TitleWords(
        past=runs(strings("markers", "past")),
        current=runs(strings("markers", "current")),
        team_kinds=frozenset(w.lower() for w in strings("teams", "kinds")),
        team_nouns=frozenset(w.lower() for w in strings("teams", "nouns")),
        owners=frozenset(strings("owners", "bodies")),
        owner_places=frozenset(w.lower() for w in strings("owners", "places")),
    )


def past_marked(words: list[str]) -> bool:
    """Tell whether lower-case tokens open with a past marker ("former", "the late").

    Examples:
        >>> past_marked(["former", "deputy", "prime", "minister"])
        True
        >>> past_marked(["acting", "secretary"])
        False
    """
    return any(tuple(words[: len(run)]) == run for run in title_words().past)


class Teams(Phrases):
    """Numbered teams and the when-words that open a title."""

    _teams: list[Mention]

    def marked_start(self, start: int) -> int:
        """Move a title's start back over the markers written before it ("the new Acting")."""
        tw = title_words()
        moved = True
        while moved:
            moved = False
            for run in (*tw.past, *tw.current):
                k = start - len(run)
                if k < 0 or any(i in self.taken for i in range(k, start)):
                    continue
                if all(self.lower(k + n) == w for n, w in enumerate(run)):
                    start, moved = k, True
                    break
        return start

    def teams(self) -> None:
        """Find "<kind> <noun> No. <n> [of the <body> [and the <body>]]" and make it a body."""
        tw = title_words()
        self._teams = []
        i = 0
        while i < len(self.toks):
            k = i
            while self.lower(k) in tw.team_kinds and k not in self.taken:
                k += 1
            noun, n = self.lower(k), k + 1
            if k == i or noun not in tw.team_nouns:
                i = k + 1
                continue
            if self.lower(n) in ("no", "no."):
                n += 2 if self.lower(n + 1) == "." else 1
            number = self.tok(n)
            if number is None or not number.like_num or n == k + 1:
                i = n
                continue
            kind = " ".join(self.toks[j].text.capitalize() for j in range(i, k))
            # one number is one team, however the article calls it again
            same = next((m for m in self._teams if m.name.endswith(f" No. {number.text}")), None)
            name = same.name if same else f"{kind} {noun.capitalize()} No. {number.text}"
            end = self._senders_end(n + 1)
            m = self.central(i, end, name)
            m.info["written"] = self.doc[i:end].text
            self._add_org(m)
            self._teams.append(m)
            i = end

    def _senders_end(self, j: int) -> int:
        """The end of "of the Politburo [and the Secretariat]" after a team's number.

        The bodies named there stay entities but no title attaches to them.
        """
        end = j
        while self.lower(end) in ("of", "and"):
            body = self.org_at.get(self.skip_the(end + 1))
            if body is None:
                break
            self._hide_org(body)
            self.taken.update(range(body.start, body.end))
            end = body.end
        return end

    def team_named(self, j: int) -> tuple[Mention | None, int]:
        """Read "[kind] <noun>" at ``j`` as the numbered team the article names.

        Returns:
            (the team, the index after the words) or (None, ``j``) when the words are not
            a team's or the article names no single team.
        """
        tw = title_words()
        k = j
        while self.lower(k) in tw.team_kinds:
            k += 1
        teams = {m.name: m for m in getattr(self, "_teams", [])}
        if self.lower(k) not in tw.team_nouns or len(teams) != 1:
            return None, j
        team = next(iter(teams.values()))
        if k == j and team.name.split()[-3].lower() != self.lower(k):
            return None, j  # a bare "group" is a group of the meeting, not the team
        return team, k + 1
