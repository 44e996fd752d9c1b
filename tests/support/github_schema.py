"""The stand-in GitHub, with every answer it sends checked against GitHub's published REST
schema (githubkit's pydantic models of it): a shape the real API would not send fails the
test that caused it."""

from __future__ import annotations

import re
from typing import Any

from pydantic import TypeAdapter

from bot.playground.fakegithub import FakeGitHub

_ADAPTERS: list[tuple[re.Pattern[str], TypeAdapter[Any]]] = []


def _adapters() -> list[tuple[re.Pattern[str], TypeAdapter[Any]]]:
    if not _ADAPTERS:
        from githubkit_schemas.latest import models

        _ADAPTERS.extend(
            [
                (re.compile(r"/pulls$"), TypeAdapter(list[models.PullRequestSimple])),
                (re.compile(r"/deployments$"), TypeAdapter(list[models.Deployment])),
                (re.compile(r"/statuses$"), TypeAdapter(list[models.DeploymentStatus])),
                (re.compile(r"/releases$"), TypeAdapter(list[models.Release])),
            ]
        )
    return _ADAPTERS


class CheckedGitHub(FakeGitHub):
    """A FakeGitHub whose every answer is validated; `checked` counts the bodies."""

    checked = 0

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        status, extra, body = super().answer(path, headers)
        validate(path, status, body)
        self.checked += 1
        return status, extra, body


def validate(path: str, status: int, body: Any) -> None:
    from githubkit_schemas.latest import models

    if status == 304:
        assert body is None
        return
    if status >= 400:
        TypeAdapter(models.BasicError).validate_python(body, strict=False)
        assert isinstance(body.get("message"), str)
        return
    route = path.split("?")[0]
    for pattern, adapter in _adapters():
        if pattern.search(route):
            adapter.validate_python(body)
            return
    raise AssertionError(f"no schema for {route}")
