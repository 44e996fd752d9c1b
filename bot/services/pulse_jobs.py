"""What the scheduler does for pulses every minute: close, start scheduled, resume, remind."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.pulse import render_reminder
from bot.blocks.time import plain_date, slack_date
from bot.core.cadence import due_slot
from bot.core.i18n import normalise_language
from bot.core.steps import run_steps
from bot.pulses.lifecycle import (
    AudienceTooClose,
    close_pulse,
    open_pulse,
    open_pulse_of,
    open_pulses,
    participation,
    pulses_due_to_close,
    recipients_of,
    record_away,
)
from bot.pulses.outbox import pulses_with_work
from bot.pulses.recurring import active_schedules, cadence_of
from bot.pulses.reminders import Reminder, claim_reminders, due_stage
from bot.services.pulse_sending import PulseSender
from bot.slack.audience import AudienceProblem, Targets
from bot.slack.clients import DUE_AT_ONCE, NotInstalled, for_each
from bot.slack.markers import marker
from bot.slack.people import away_among
from bot.slack.sends import UnknownOutcome, post_once
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseSchedule
from bot.storage.slot_claims import claim_slot, last_claimed_slot
from bot.team.quiet_days import away_rule, quiet_days
from bot.team.workspace import record_problem

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)


class PulseJobs:
    def __init__(
        self,
        deps: Deps,
        sender: PulseSender,
        after_close: Callable[[str], object] | None = None,
    ) -> None:
        """`after_close(team_id)` runs once a pulse closed (to announce signal changes)."""
        self.deps, self.sender, self.after_close = deps, sender, after_close

    def tick(self) -> None:
        """One pass; each step guards itself so one workspace's trouble stops no other."""
        steps = (self.close_due, self.run_schedules, self.resume_sending, self.remind)
        run_steps([(step.__name__, step) for step in steps], "pulse job")

    def close_due(self) -> None:
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            due = pulses_due_to_close(session, now)
        for_each(due, lambda pair: self.close(*pair), "closing a pulse", DUE_AT_ONCE)

    def away(self, client: WebClient, user_ids: list[str]) -> set[str]:
        """Who of these people is away by their Slack status; nobody when Slack cannot say."""
        try:
            return away_among(client, user_ids, self.deps.clock.now(), away_rule())
        except (SlackApiError, OSError) as error:
            log.warning("away statuses unavailable: %s", type(error).__name__)
            return set()

    def count_away(self, team_id: str, pulse_id: int) -> None:
        """Freeze how many of everyone asked were away, for "9/10 (1 away)" in results."""
        with unit_of_work(self.deps.sessions) as session:
            asked = recipients_of(session, pulse_id)
        try:
            client = self.deps.clients.for_team(team_id)
        except NotInstalled:
            return  # the pulse is closed all the same; nobody counts as away
        away = self.away(client, asked)
        with unit_of_work(self.deps.sessions) as session:
            record_away(session, pulse_id, len(away))

    def close(self, team_id: str, pulse_id: int, notify: bool = True) -> bool:
        """Close once (whoever else tries gets False) and tell the person who started it."""
        with unit_of_work(self.deps.sessions) as session:
            if not close_pulse(
                session, self.deps.answer_key, team_id, pulse_id, self.deps.clock.now()
            ):
                return False
        self.count_away(team_id, pulse_id)
        with unit_of_work(self.deps.sessions) as session:
            pulse = session.get(Pulse, pulse_id)
            counts = participation(session, pulse_id)
        if notify and pulse is not None and pulse.started_by:
            client = self.deps.clients.for_team(team_id)
            lang = self.deps.people.language(client, team_id, pulse.started_by)
            text = self.deps.catalog.t(
                "pulse.cmd.closed", lang, answered=counts.answered, asked=counts.asked
            )
            key = marker("closed", pulse_id)
            try:
                post_once(client, pulse.started_by, {"text": text}, key, self.deps.clients.resend)
            except SlackApiError as error:
                log.warning("close notice not sent: %s", error.response.get("error"))
            except (UnknownOutcome, OSError) as error:  # still unknown, or refused
                log.warning("close notice not sent: %s", type(error).__name__)
        if self.after_close is not None:
            self.after_close(team_id)
        return True

    def run_schedules(self) -> None:
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            schedules = active_schedules(session)
            due = [
                (schedule, slot)
                for schedule in schedules
                if (
                    slot := due_slot(
                        cadence_of(schedule), last_claimed_slot(session, "pulse", schedule.id), now
                    )
                )
                is not None
                # A slot on a holiday waits for the next working day; claimed under its own
                # time all the same, so it runs once.
                and quiet_days(session, schedule.team_id).shifted(slot, schedule.timezone) <= now
            ]
            for schedule, _ in due:
                session.expunge(schedule)
        for_each(due, lambda pair: self._run_slot(*pair), "a scheduled pulse", DUE_AT_ONCE)

    def _run_slot(self, schedule: PulseSchedule, slot: datetime) -> None:
        """Resolve the audience, then claim the slot and open the pulse in one transaction."""
        client = self.deps.clients.for_team(schedule.team_id)
        try:
            plan = self.sender.plan(
                client,
                schedule.team_id,
                Targets.from_dict(schedule.audience),
                items=list(schedule.items),
                open_for=timedelta(days=schedule.open_days),
                language=normalise_language(schedule.language),
                timezone=schedule.timezone,
                started_by=None,
                schedule_id=schedule.id,
                requester=schedule.created_by or None,
            )
        except AudienceProblem as problem:
            log.warning("scheduled pulse for %s skipped: %s", schedule.team_id, problem.key)
            now = self.deps.clock.now()
            with unit_of_work(self.deps.sessions) as session:
                # Trying again every minute would not help: this slot is done, leadership told.
                claim_slot(session, schedule.team_id, "pulse", schedule.id, slot, now)
                reason = problem.values.get("channel", problem.key.rsplit(".", 1)[-1])
                record_problem(
                    session,
                    schedule.team_id,
                    "problems.pulse",
                    now,
                    error=reason,
                    date=now.date().isoformat(),
                )
            return
        now = self.deps.clock.now()
        try:
            with unit_of_work(self.deps.sessions) as session:
                if not claim_slot(session, schedule.team_id, "pulse", schedule.id, slot, now):
                    return  # another scheduler took this slot
                current = open_pulse_of(session, schedule.team_id)
                if current is not None:  # the next pulse replaces one still open
                    close_pulse(session, self.deps.answer_key, schedule.team_id, current.id, now)
                pulse_id = open_pulse(session, plan).id
        except AudienceTooClose as refused:
            self._skip_too_close(schedule, slot, refused)
            return
        self.sender.after_open(client, schedule.team_id, pulse_id)

    def _skip_too_close(
        self, schedule: PulseSchedule, slot: datetime, refused: AudienceTooClose
    ) -> None:
        """This slot is done (the pulse it would open could be subtracted from a recent one)
        and leadership is told why, as for an audience that cannot be resolved."""
        log.warning("scheduled pulse for %s skipped: audience too close", schedule.team_id)
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            claim_slot(session, schedule.team_id, "pulse", schedule.id, slot, now)
            record_problem(
                session,
                schedule.team_id,
                "problems.pulse_too_close",
                now,
                date=now.date().isoformat(),
            )

    def resume_sending(self) -> None:
        """Finish any fan-out a crash or an outage interrupted."""
        with unit_of_work(self.deps.sessions) as session:
            pending = pulses_with_work(session)
        for_each(
            pending,
            lambda pair: self.sender.deliver(self.deps.clients.for_team(pair[0]), pair[1]),
            "resuming a send",
        )

    def remind(self) -> None:
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            pulses = [
                p
                for p in open_pulses(session)
                if due_stage(p, now) > 0
                and not quiet_days(session, p.team_id).quiet_now(now, p.timezone)
            ]
            key = self.deps.answer_key
            batches = [(p, claim_reminders(session, key, p, due_stage(p, now))) for p in pulses]
            for pulse, _ in batches:
                session.expunge(pulse)
        for_each(batches, lambda batch: self._send_reminders(*batch), "reminders", DUE_AT_ONCE)

    def _send_reminders(self, pulse: Pulse, reminders: list[Reminder]) -> None:
        client = self.deps.clients.for_team(pulse.team_id)
        away = self.away(client, [reminder.user_id for reminder in reminders])
        for reminder in reminders:
            if reminder.user_id in away:
                continue  # on holiday, out of office: no nudge
            lang = normalise_language(reminder.language) or "en"
            closes = slack_date(pulse.closes_at, pulse.timezone, lang)
            plain = plain_date(pulse.closes_at, pulse.timezone, lang)
            message = render_reminder(self.deps.catalog, lang, closes, plain)
            key = marker("reminder", pulse.id, reminder.stage)
            try:
                post_once(
                    client, reminder.channel_id, message.as_kwargs(), key, self.deps.clients.resend
                )
            except SlackApiError as error:
                log.warning("reminder not sent: %s", error.response.get("error"))
            except (UnknownOutcome, OSError) as error:
                # Still unknown after looking, or refused: this one is lost, the others go out.
                log.warning("reminder not sent: %s", type(error).__name__)
