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
from bot.services.work import InProcess, Work
from bot.slack.audience import AudienceProblem, Targets
from bot.slack.clients import DUE_AT_ONCE, NotInstalled
from bot.slack.markers import marker
from bot.slack.people import away_among
from bot.slack.sends import UnknownOutcome, post_once
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseSchedule
from bot.storage.slot_claims import claim_slot, last_claimed_slots
from bot.team.quiet_days import away_rule, quiet_days, quiet_days_of
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
        work: Work | None = None,
    ) -> None:
        """`after_close(team_id)` runs once a pulse closed (to announce signal changes).

        The tick only finds what is due; each piece (a close, a scheduled pulse, a fan-out,
        a pulse's reminders) is one job through `work`, run here or by a worker process.
        """
        self.deps, self.sender, self.after_close = deps, sender, after_close
        self.work: Work = work or InProcess()
        self.work.register("pulse.close", self.close)
        self.work.register("pulse.slot", self.run_slot)
        self.work.register("pulse.send", self.send)
        self.work.register("pulse.remind", self.remind_pulse)

    def tick(self) -> None:
        """One pass; each step guards itself so one workspace's trouble stops no other."""
        steps = (self.close_due, self.run_schedules, self.resume_sending, self.remind)
        run_steps([(step.__name__, step) for step in steps], "pulse job")

    def close_due(self) -> None:
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            due = pulses_due_to_close(session, now)
        jobs = [((team_id, pulse_id), None) for team_id, pulse_id in due]
        self.work.submit_each("pulse.close", jobs, DUE_AT_ONCE)

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
            # Read for every workspace at once: at a busy minute all of them are due.
            last = last_claimed_slots(session, "pulse", [schedule.id for schedule in schedules])
            slots = [
                (schedule, slot)
                for schedule in schedules
                if (slot := due_slot(cadence_of(schedule), last.get(schedule.id), now)) is not None
            ]
            quiet = quiet_days_of(session, {schedule.team_id for schedule, _ in slots})
            # A slot on a holiday waits for the next working day; claimed under its own time
            # all the same, so it runs once.
            due = [
                (schedule, slot)
                for schedule, slot in slots
                if quiet[schedule.team_id].shifted(slot, schedule.timezone) <= now
            ]
        # Workspaces due at the same minute go DUE_AT_ONCE at a time in process, side by side
        # on the workers; one fan-out at a time per workspace: a resumed send waits for this.
        jobs = [
            ((schedule.id, slot.isoformat()), f"send:{schedule.team_id}") for schedule, slot in due
        ]
        self.work.submit_each("pulse.slot", jobs, DUE_AT_ONCE)

    def run_slot(self, schedule_id: int, slot: str) -> None:
        """The job for one due slot of one schedule (the claim makes it once)."""
        with unit_of_work(self.deps.sessions) as session:
            schedule = session.get(PulseSchedule, schedule_id)
            if schedule is None:
                return
            session.expunge(schedule)
        self._run_slot(schedule, datetime.fromisoformat(slot))

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
        first = self.work.first_batch
        claimed = self.sender.after_open(client, schedule.team_id, pulse_id, first)
        self._send_the_rest(schedule.team_id, pulse_id, claimed, first)

    def _send_the_rest(self, team_id: str, pulse_id: int, claimed: int, batch: int | None) -> None:
        """A full batch went: the rest of the audience is a job of its own, queued behind
        the first batches of other workspaces (one fan-out at a time per workspace)."""
        if batch is not None and claimed >= batch:
            self.work.submit("pulse.send", team_id, pulse_id, lock=f"send:{team_id}")

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
        jobs = [((team_id, pulse_id), f"send:{team_id}") for team_id, pulse_id in pending]
        self.work.submit_each("pulse.send", jobs)

    def send(self, team_id: str, pulse_id: int) -> None:
        """The job that sends (or goes on sending) one pulse's DMs; the claims make it once."""
        client = self.deps.clients.for_team(team_id)
        claimed = self.sender.deliver(client, pulse_id, self.work.batch)
        self._send_the_rest(team_id, pulse_id, claimed, self.work.batch)

    def remind(self) -> None:
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            reminding = [p for p in open_pulses(session) if due_stage(p, now) > 0]
            quiet = quiet_days_of(session, {p.team_id for p in reminding})
            # A holiday of the workspace: no reminder goes out today.
            due = [p.id for p in reminding if not quiet[p.team_id].quiet_now(now, p.timezone)]
        jobs = [((pulse_id,), f"remind:{pulse_id}") for pulse_id in due]
        self.work.submit_each("pulse.remind", jobs, DUE_AT_ONCE)

    def remind_pulse(self, pulse_id: int) -> None:
        """The job for one pulse's reminders: claimed here, so two runs send each once."""
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            pulse = session.get(Pulse, pulse_id)
            if pulse is None or pulse.status != "open" or due_stage(pulse, now) == 0:
                return
            if quiet_days(session, pulse.team_id).quiet_now(now, pulse.timezone):
                return  # queued before the day turned quiet: not today
            reminders = claim_reminders(session, self.deps.answer_key, pulse, due_stage(pulse, now))
            session.expunge(pulse)
        self._send_reminders(pulse, reminders)

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
