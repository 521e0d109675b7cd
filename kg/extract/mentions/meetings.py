"""Meetings: the nouns of the events an article reports ("conference", "working session").

Stage: mentions. Input: the scan state with the ruler's EVENT spans (from
``events.yaml``); output: EVENT mentions named by their lower-case noun.
"""

from __future__ import annotations

from kg.extract.mentions.scan import EVENT, Scan


class Meetings(Scan):
    """Meeting nouns no other room has taken."""

    def events(self) -> None:
        """One EVENT mention per free meeting noun."""
        for s in self.raw:
            if s.label_ == EVENT and not any(i in self.taken for i in range(s.start, s.end)):
                self.out.append(self.mention(EVENT, s.start, s.end, name=s.text.lower(), key=s.id_))
