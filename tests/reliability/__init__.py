"""Reliability suites: the bot under bad, forged and random input."""
