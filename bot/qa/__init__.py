"""Question answering for `/vpe ask`: who owns what between the CTO and the VP Engineering.

Pure domain code (no Slack, no database): `load_knowledge()` reads content/knowledge.toml,
`Matcher(kb).match(question)` finds the entry a question is about, or none.
"""

from bot.core.i18n import Lang
from bot.qa.knowledge import Entry, KnowledgeBase, Owner, load_knowledge
from bot.qa.language import detect_language
from bot.qa.matcher import Match, Matcher, MatchSettings

__all__ = [
    "Entry",
    "KnowledgeBase",
    "Lang",
    "Match",
    "MatchSettings",
    "Matcher",
    "Owner",
    "detect_language",
    "load_knowledge",
]
