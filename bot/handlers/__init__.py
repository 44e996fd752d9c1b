"""Slack adapters: acknowledge, parse, call the domain, render, send."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.handlers import (
    ask,
    home,
    leaders,
    lifecycle,
    org,
    owners,
    privacy,
    pulse,
    pulse_answers,
    roles,
    schedule_modal,
    settings,
    signals,
    slash,
)
from bot.handlers import help as help_handlers
from bot.handlers.guard import retrying_respond
from bot.handlers.router import Router
from bot.slack.digests import Digests
from bot.slack.pulse_jobs import PulseJobs
from bot.slack.pulses import PulseSender


def register_all(app: App, deps: Deps) -> Router:
    app.use(retrying_respond)
    router = Router(fallback=help_handlers.show_help)
    help_handlers.register(router)
    roles.register(router)
    owners.register(router)
    leaders.register(router)
    ask.register(app, deps, router)
    sender, digests = PulseSender(deps), Digests(deps)
    pulse.register(router, sender, PulseJobs(deps, sender, after_close=digests.announce_changes))
    pulse_answers.register(app, deps)
    schedule_modal.register(app, deps)
    settings.register(router)
    org.register(router, after_change=digests.announce_changes)
    signals.register(app, deps, router, digests, sender)
    home.register(app, deps, digests)
    privacy.register(app, deps, router)
    lifecycle.register(app, deps)
    slash.register(app, deps, router)
    return router
