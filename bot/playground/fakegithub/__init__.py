"""A stand-in GitHub REST API on loopback, for the tests, the bench and the playground."""

from .server import FakeGitHub, Pull

__all__ = ["FakeGitHub", "Pull"]
