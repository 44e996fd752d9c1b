"""The boundary around every piece of work done for a person: they always get an answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError

from bot.core.i18n import Catalog, Lang

log = logging.getLogger(__name__)


def failure_key(error: BaseException) -> str:
    """The sentence for a failure, logged so that it is never hidden."""
    if isinstance(error, OperationalError | TimeoutError | DBAPIError):
        log.warning("database unavailable while handling a request: %s", type(error).__name__)
        return "errors.unavailable"
    log.error("request failed", exc_info=error)
    return "errors.unexpected"


@contextmanager
def answer_errors(say: Callable[[str], object], catalog: Catalog, lang: Lang) -> Iterator[None]:
    """Turn a failure into a polite message in `lang` instead of silence.

    A database that cannot be reached gets "try again"; anything else is logged with its
    traceback and the person is told nothing was changed.
    """
    try:
        yield
    except Exception as error:
        say(catalog.t(failure_key(error), lang))
