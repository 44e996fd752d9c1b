"""How much free text the bot takes from a person, and how much of it it echoes.

Every cap has a sentence in content/messages.toml (`limits.*`) telling the person, in their
language, what fits: nothing over a cap is stored, matched or shown.
"""

from __future__ import annotations

QUESTION = 1_000  # the longest real question seen is 228 characters
COMMENT = 2_000  # the comment modal's own max_length: only a forged submission is longer
EVENT_LABEL = 100  # shown in alerts and digests beside the event's kind and month
SHARE_LINE = 500  # leadership's line under a shared summary: a sentence or two
ECHO = 60  # a typed word quoted back in an answer ("I don't know the area `…`")


def over(text: str, limit: int) -> bool:
    return len(text) > limit
