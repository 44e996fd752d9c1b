"""Helpers shared by the tests: databases, signed Slack requests, a running bot process."""
