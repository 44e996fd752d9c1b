"""The boundary around every piece of work done for a person: they always get an answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError

from bot.i18n import Catalog, Lang

log = logging.getLogger(__name__)


@contextmanager
def answer_errors(say: Callable[[str], object], catalog: Catalog, lang: Lang) -> Iterator[None]:
    """Turn a failure into a polite message in `lang` instead of silence.

    A database that cannot be reached gets "try again"; anything else is logged with its
    traceback (so it is not hidden) and the person is told nothing was changed.
    """
    try:
        yield
    except (OperationalError, TimeoutError, DBAPIError):
        log.warning("database unavailable while handling a request", exc_info=True)
        say(catalog.t("errors.unavailable", lang))
    except Exception:
        log.exception("request failed")
        say(catalog.t("errors.unexpected", lang))
