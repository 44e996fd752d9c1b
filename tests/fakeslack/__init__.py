"""The fake Slack lives in bot.playground.fakeslack (the playground runs on it too); these
are its own tests, and the name the rest of the suite imports it by."""

from bot.playground.fakeslack import Call, FakeSlack, ResponsePost

__all__ = ["Call", "FakeSlack", "ResponsePost"]
