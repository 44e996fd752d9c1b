"""What handlers and jobs need, built once at start-up and passed in."""

from __future__ import annotations

from dataclasses import dataclass

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
from bot.slack.clients import Clients
from bot.slack.people import People


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
    pulse: PulseContent
    answer_key: bytes


def build_deps(settings: Settings, clock: Clock | None = None) -> Deps:
    engine = make_engine(settings.database_url, pool_size=settings.web_threads)
    sessions = make_session_factory(engine)
    clock = clock or SystemClock()
    kb = load_knowledge()
    return Deps(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        catalog=default_catalog(),
        people=People(sessions, clock),
        kb=kb,
        matcher=Matcher(kb),
        clients=Clients(settings),
        pulse=pulse_content(),
        answer_key=anonymity_key(settings),
    )
