"""A local stand-in for Slack, to try the real bot with nothing but the repository."""
