"""What handlers and jobs need, built once at start-up and passed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.anonymity import anonymity_key
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import make_engine, make_session_factory
from bot.i18n import Catalog, default_catalog
from bot.pulses.questions import PulseContent, pulse_content
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.matcher import Matcher
from bot.runtime import RuntimeState
from bot.slack.clients import Clients
from bot.slack.people import People
from bot.workspace import mark_installed

if TYPE_CHECKING:
    from bot.slack.installations import EncryptedInstallationStore


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    catalog: Catalog
    people: People
    kb: KnowledgeBase
    matcher: Matcher
    clients: Clients
    installations: EncryptedInstallationStore | None
    runtime: RuntimeState
    pulse: PulseContent
    answer_key: bytes


def build_deps(settings: Settings, clock: Clock | None = None) -> Deps:
    engine = make_engine(settings.database_url, pool_size=settings.web_threads)
    sessions = make_session_factory(engine)
    clock = clock or SystemClock()
    kb = load_knowledge()
    store = None
    if settings.oauth:
        # Only OAuth installs need cryptography and slack_sdk's stores (about 9 MB).
        from bot.slack.installations import installation_store

        assert settings.slack_client_id is not None
        store = installation_store(
            settings.slack_client_id,
            engine,
            settings.token_encryption_keys,
            on_install=lambda team_id: mark_installed(sessions, team_id),
        )
    return Deps(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        catalog=default_catalog(),
        people=People(sessions, clock),
        kb=kb,
        matcher=Matcher(kb),
        clients=Clients(settings, store),
        installations=store,
        runtime=RuntimeState(),
        pulse=pulse_content(),
        answer_key=anonymity_key(settings),
    )
