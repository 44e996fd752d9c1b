"""Text normalisation shared by the matcher and language detection.

Everything here is deterministic and language-agnostic on purpose: the same steps run on the
knowledge-base examples and on the user's question, so they only need to be consistent with
each other, not linguistically perfect.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Slack wraps mentions, channels and specials in angle brackets: "<@U123>", "<#C1|general>",
# "<!here>". Links keep their label: "<https://x|label>".
_SLACK_SPECIAL = re.compile(r"<[@#!][^>]*>")
_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^>|]*\|?([^>]*)>")
# Emoji codes as Slack sends them in text: ":pray:", ":thinking_face:", ":+1:".
_SLACK_EMOJI = re.compile(r":[a-z0-9_+'-]+:")
# A mention typed as plain text ("@vpebot", "@here") rather than sent as markup.
_PLAIN_MENTION = re.compile(r"(?<![\w.])@[\w.-]+")
_TOKEN = re.compile(r"[a-z0-9]+")

# Longest first. Plural, verb and noun endings of English and French, so that "recruiting",
# "recruiter" and "recruit" meet, and "qualité" (folded to "qualite") meets "quality".
_SUFFIXES = (
    "ements", "ations", "ement", "ation", "ments", "ities", "ment", "ings", "ique", "ical",
    "ally", "ness", "eurs", "euse", "ites", "ing", "ies", "ers", "eur", "ees", "ity", "ite",
    "ive", "al", "ic", "ie", "ee", "es", "ed", "er", "ly", "s", "e", "y", "x",
)  # fmt: skip
_MIN_STEM = 4


def clean(text: str) -> str:
    """Remove Slack markup (mentions, channel links, specials, emoji codes) and HTML entities."""
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_LINK.sub(r" \1 ", text)
    text = _SLACK_EMOJI.sub(" ", text)
    text = _PLAIN_MENTION.sub(" ", text)
    return html.unescape(text)


def fold(text: str) -> str:
    """Lower-case and strip accents ("Qualité" -> "qualite"), normalising quotes and ligatures."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(folded: str) -> list[str]:
    """Split folded text into alphanumeric tokens (elisions like "l'" become "l")."""
    return _TOKEN.findall(folded)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """Strip common English and French endings until none applies.

    Repeating until a fixed point makes forms converge ("processes" and "process" both end
    on the same stem) even though one pass of suffix stripping would not.
    """
    if len(word) == _MIN_STEM and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]  # short plurals: "devs", "bugs", "ctos"
    while True:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            return word


def char_ngrams(words: list[str], sizes: tuple[int, ...] = (3, 4)) -> list[str]:
    """Character n-grams of each word padded with spaces, for typo-tolerant similarity."""
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for size in sizes:
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams
