"""French typography, applied to our own French copy when it is rendered.

French sets a narrow no-break space (U+202F) before `? ! ;` and `%`, a no-break space
(U+00A0) before `:`, and a typographic apostrophe (’). Without them Slack may wrap a lone
"?" onto the next line. The copy in `content/` is written with ordinary spaces and straight
apostrophes, which any editor can type; this module turns them into the right characters.

It leaves alone what is not prose: `code spans` (a command someone copies), Slack markup
(`<@U123>`, `<#C1>`, `<!here>`, `<https://…|label>`, `<!date^…>`), `{placeholders}`, URLs,
emoji codes (`:palm_tree:`) and times (`10:00`), whose colons have no space before them.
"""

from __future__ import annotations

import re
from functools import lru_cache

NARROW = "\u202f"  # narrow no-break space: before ? ! ; %
NO_BREAK = "\u00a0"  # no-break space: before :

# What is never touched: code spans, Slack markup and our placeholders, bare URLs.
_PROTECTED = re.compile(r"`[^`\n]*`|<[^<>\n]*>|\{[^{}\n]*\}|https?://\S+")
# An ordinary space (or none, after a word) before the punctuation, which itself ends a
# clause: followed by a space, the end, a closing mark, or more punctuation. An emoji code
# (" :palm_tree:") is followed by a letter, so it does not match.
_SPACED = re.compile(r"[ \u00a0\u202f]+([?!;%])(?=$|[\s)»\"”*_~.,?!…]|\Z)")
_COLON = re.compile(r"[ \u00a0\u202f]+:(?=$|[\s)»\"”*_~]|\Z)")
_STUCK_PERCENT = re.compile(r"(?<=\d)%")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w|\Z)")


def _prose(text: str) -> str:
    text = _SPACED.sub(lambda m: NARROW + m.group(1), text)
    text = _COLON.sub(NO_BREAK + ":", text)
    text = _STUCK_PERCENT.sub(NARROW + "%", text)
    return _APOSTROPHE.sub("’", text)


@lru_cache(maxsize=8192)
def french(text: str) -> str:
    """`text` with French spacing and apostrophes, outside code, markup and placeholders.

    Idempotent: applying it twice gives the same text.
    """
    out: list[str] = []
    start = 0
    for match in _PROTECTED.finditer(text):
        out.append(_prose(text[start : match.start()]))
        out.append(match.group(0))
        start = match.end()
    out.append(_prose(text[start:]))
    return "".join(out)
