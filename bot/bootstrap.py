"""The composition root: everything the bot needs, built once at start-up and passed in.

`Deps` are the adapters and content (database, clock, Slack clients, copy, knowledge);
`Services` are the use cases built on them, shared by the handlers, the scheduled jobs and
the playground. Nothing else constructs either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.i18n import Catalog, default_catalog
from bot.pulses.questions import PulseContent, pulse_content
from bot.pulses.respondents import anonymity_key
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.matcher import Matcher
from bot.qa.vectors import build_matcher
from bot.runtime.health import ProcessState
from bot.services.actions import Actions
from bot.services.asking import Asking
from bot.services.delivery import DeliverySync
from bot.services.digests import Digests
from bot.services.handover import Handovers
from bot.services.home import HomeTab
from bot.services.pulse_jobs import PulseJobs
from bot.services.pulse_sending import PulseSender
from bot.services.replies import Replies
from bot.services.report import DecisionReports
from bot.services.work import InProcess, Work
from bot.slack.clients import Clients
from bot.slack.people import People
from bot.slack.ratelimit import SHARED_BUDGETS, Shared
from bot.storage.db import make_engine, make_session_factory
from bot.team.workspace import mark_installed

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
    process: ProcessState
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
        matcher=build_matcher(kb, vectors=settings.ask_vectors),
        clients=Clients(settings, store, shared_budgets(settings, engine)),
        installations=store,
        process=ProcessState(),
        pulse=pulse_content(),
        answer_key=anonymity_key(settings),
    )


def shared_budgets(
    settings: Settings, engine: Engine
) -> Callable[[str | None, str], Shared | None] | None:
    """With worker processes, a workspace's Slack budget is booked in the database, so that
    all of them together stay under it; one process keeps it in memory."""
    if settings.job_engine == "inline":
        return None
    from bot.storage.rate_budget import SharedBudget, budget_key

    def budget(token: str | None, method: str) -> Shared | None:
        limit = SHARED_BUDGETS.get(method)
        if limit is None:
            return None
        return SharedBudget(engine, budget_key(token, method), *limit)

    return budget


@dataclass
class Services:
    """The use cases, each built once on the same `Deps`."""

    deps: Deps
    sender: PulseSender
    digests: Digests
    pulse_jobs: PulseJobs
    asking: Asking
    home: HomeTab
    handovers: Handovers
    reports: DecisionReports
    work: Work
    actions: Actions
    replies: Replies
    delivery: DeliverySync


def build_work(settings: Settings) -> Work:
    """Where jobs run: in this process, or on the job engine's workers (JOB_ENGINE)."""
    if settings.job_engine == "procrastinate":
        from bot.runtime.engine import ProcrastinateWork

        return ProcrastinateWork(settings.database_url)
    if settings.job_engine == "dramatiq":
        from bot.runtime.broker_engine import DramatiqWork

        return DramatiqWork(settings.job_broker_url)
    return InProcess()


def build_services(deps: Deps) -> Services:
    work = build_work(deps.settings)
    sender, digests = PulseSender(deps), Digests(deps, work=work)
    return Services(
        deps=deps,
        work=work,
        sender=sender,
        digests=digests,
        pulse_jobs=PulseJobs(deps, sender, after_close=digests.announce_changes, work=work),
        asking=Asking(deps),
        home=HomeTab(deps, digests),
        handovers=Handovers(deps, digests),
        reports=DecisionReports(deps, digests),
        actions=Actions(deps),
        replies=Replies(deps),
        delivery=DeliverySync(deps),
    )


def bootstrap(settings: Settings, clock: Clock | None = None) -> Services:
    """Deps and services for one process."""
    return build_services(build_deps(settings, clock))
