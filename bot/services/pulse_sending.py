"""Sending pulses: the fan-out, the CTO check-in, reminders and the close."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import Message
from bot.blocks.pulse import PulseView, pulse_block_prefix, render_checkin_dm, render_pulse_dm
from bot.blocks.time import plain_date, slack_date
from bot.core.i18n import Lang, normalise_language
from bot.ownership.assignments import load_assignments
from bot.pulses.lifecycle import PulsePlan, Recipient, checkin_sent, claim_checkin, open_pulse
from bot.pulses.outbox import (
    UNKNOWN_OUTCOME,
    Delivery,
    claim_next,
    mark_failed,
    mark_sent,
    release,
)
from bot.pulses.reporting import known_people
from bot.slack.audience import AudienceProblem, Targets, describe, resolve_audience
from bot.slack.markers import marker, marker_of
from bot.slack.ratelimit import gate_of
from bot.slack.rosters import read_rosters
from bot.slack.sends import UnknownOutcome, post_once
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse
from bot.team.directory import choose_language
from bot.team.leaders import leaders_among
from bot.team.teams import list_teams
from bot.team.workspace import workspace_settings

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)

# Errors that the same request will always get again: record them, do not retry.
PERMANENT = frozenset(
    {
        "user_not_found",
        "cannot_dm_bot",
        "account_inactive",
        "user_disabled",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_arguments",
        "no_text",
        "msg_too_long",
        "restricted_action",
    }
)
# Sender threads. Each spends most of a send waiting for Slack's answer (100-300 ms over the
# internet), so keeping a budget of R messages a second busy takes about R x that latency
# of them: 16 fill 50/s at up to 300 ms and 100/s at 150 ms. They wait at the gate, not
# on Slack, when there are more than the budget needs (bench/results-fanout.md).
SENDERS = 16


class PulseSender:
    """Opens pulses and gets them to people, resumably and at most once each."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def plan(
        self,
        client: WebClient,
        team_id: str,
        targets: Targets,
        *,
        items: list[str],
        open_for: timedelta,
        language: Lang | None,
        timezone: str,
        started_by: str | None,
        schedule_id: int | None = None,
        requester: str | None = None,
    ) -> PulsePlan:
        """Resolve the audience with Slack and describe the pulse to open (no database writes).

        `requester`: who set the pulse up when nobody started it by hand (a schedule's
        author). The requester, the people named one by one and the leadership team are
        marked as not counting toward K (bot.pulses.reporting).
        """
        bot_user = self.deps.clients.bot_user_id(team_id)
        people = resolve_audience(client, self.deps.people, team_id, targets, bot_user)
        user_ids = list(people)
        if not user_ids:
            raise AudienceProblem("pulse.cmd.nobody")
        with unit_of_work(self.deps.sessions) as session:
            fallback = workspace_settings(session, team_id).language
            teams = list_teams(session, team_id)
            for team in teams:
                session.expunge(team)
            among = leaders_among(session, team_id, people.values())
            leaders = [uid for uid in user_ids if uid in among]
        known = known_people(targets.users, started_by or requester, leaders)
        rosters = read_rosters(client, self.deps.people, team_id, teams, user_ids, bot_user)
        now = self.deps.clock.now()
        return PulsePlan(
            team_id=team_id,
            recipients=[
                Recipient(
                    uid,
                    language or choose_language(people.get(uid), fallback),
                    counted=uid not in known,
                )
                for uid in user_ids
            ],
            items=items,
            opened_at=now,
            closes_at=now + open_for,
            timezone=timezone,
            language=language,
            audience_label=describe(targets),
            started_by=started_by,
            schedule_id=schedule_id,
            teams=rosters,
        )

    def open(self, plan: PulsePlan) -> int:
        """Record the pulse and its pending deliveries; raises PulseAlreadyOpen if one is,
        AudienceTooClose if a recent pulse asked nearly the same people."""
        with unit_of_work(self.deps.sessions) as session:
            return open_pulse(session, plan).id

    def after_open(
        self, client: WebClient, team_id: str, pulse_id: int, limit: int | None = None
    ) -> int:
        self.send_checkin(client, team_id, pulse_id)
        return self.deliver(client, pulse_id, limit)

    def deliver(self, client: WebClient, pulse_id: int, limit: int | None = None) -> int:
        """Send to everyone not reached yet, with a few senders in parallel.

        The senders share the workspace's gate for chat.postMessage (see bot.slack.ratelimit):
        a 429 pauses all of them until its Retry-After, then they go on at the pace the
        workspace sustains. Someone whose send failed in a passing way is left for the next
        run (the scheduler resumes every minute); nobody is tried twice in one run.

        `limit`: claim at most that many people (a batch, so that with worker processes
        every workspace's fan-out starts before any finishes); returns how many were claimed.
        """
        with unit_of_work(self.deps.sessions) as session:
            pulse = session.get(Pulse, pulse_id)
            if pulse is None or pulse.status != "open":
                return 0
            threshold = workspace_settings(session, pulse.team_id).threshold
            session.expunge(pulse)
        # A claim older than this was left by a process that died mid-send (STALE_CLAIM_SECONDS).
        stale_after = timedelta(seconds=self.deps.settings.stale_claim_seconds)
        messages: dict[str, Message] = {}  # the DM is the same for everyone with a language
        released: set[str] = set()  # back to pending during this run: not again in it
        lock = threading.Lock()
        claimed = 0

        def message_in(language: str) -> Message:
            lang = normalise_language(language) or "en"
            with lock:
                message = messages.get(lang)
            if message is None:
                message = self._render(pulse, lang, threshold)
                with lock:
                    messages[lang] = message
            return message

        def work() -> None:
            nonlocal claimed
            while True:
                with lock:
                    if limit is not None and claimed >= limit:
                        return
                    claimed += 1
                    skip = list(released)
                with unit_of_work(self.deps.sessions) as session:
                    delivery = claim_next(
                        session, pulse_id, self.deps.clock.now(), skip, stale_after
                    )
                if delivery is None:
                    with lock:
                        claimed -= 1  # nobody left: this turn took no one
                    return
                message = message_in(delivery.language)
                failure = self._send(client, pulse.id, delivery, message)
                if failure is not None:
                    if failure not in PERMANENT:
                        with lock:  # before the release, so no other sender claims it again
                            released.add(delivery.user_id)
                    self._record_failure(delivery, failure)

        senders = SENDERS if limit is None else max(1, min(SENDERS, limit))
        with ThreadPoolExecutor(senders, thread_name_prefix="pulse-send") as pool:
            for future in [pool.submit(work) for _ in range(senders)]:
                future.result()
        return claimed

    def _render(self, pulse: Pulse, lang: Lang, threshold: int) -> Message:
        view = PulseView(
            pulse_id=pulse.id,
            items=pulse.items,
            lang=lang,
            closes=slack_date(pulse.closes_at, pulse.timezone, lang),
            closes_plain=plain_date(pulse.closes_at, pulse.timezone, lang),
            threshold=threshold,
            answers={},
        )
        return render_pulse_dm(view, self.deps.pulse, self.deps.catalog)

    def _send(
        self, client: WebClient, pulse_id: int, delivery: Delivery, message: Message
    ) -> str | None:
        """Get the DM to one person; None when done, else why not (nothing recorded yet).

        A send whose outcome is unknown (5xx, timeout, lost answer) is looked for in the DM
        before it is posted again (bot.slack.sends), and so is one a dead process or an
        earlier run left maybe sent.
        """
        if delivery.resumed:
            earlier = self._earlier_send(client, pulse_id, delivery.user_id)
            if earlier is not None:
                self._mark_sent(pulse_id, delivery.user_id, *earlier)
                return None
        key = marker("pulse", pulse_id)
        try:
            channel, ts = post_once(
                client, delivery.user_id, message.as_kwargs(), key, self.deps.clients.resend
            )
        except SlackApiError as error:
            return str(error.response.get("error") or "error")
        except UnknownOutcome:
            return UNKNOWN_OUTCOME
        except OSError as error:  # a connection refused after the retries
            return type(error).__name__
        self._mark_sent(pulse_id, delivery.user_id, channel, ts)
        return None

    def _mark_sent(self, pulse_id: int, user_id: str, channel: str, ts: str) -> None:
        with unit_of_work(self.deps.sessions) as session:
            mark_sent(session, pulse_id, user_id, channel, ts)

    def _record_failure(self, delivery: Delivery, reason: str) -> None:
        log.warning("pulse %s: could not reach a recipient: %s", delivery.pulse_id, reason)
        with unit_of_work(self.deps.sessions) as session:
            if reason in PERMANENT:
                mark_failed(session, delivery.pulse_id, delivery.user_id, reason)
            else:
                release(session, delivery.pulse_id, delivery.user_id, reason, delivery.attempts)

    def _earlier_send(
        self, client: WebClient, pulse_id: int, user_id: str
    ) -> tuple[str, str] | None:
        """Was this pulse's DM already posted (a process died mid-send, a send timed out)?
        Looks in the DM; (channel, ts) of the message if so."""
        try:
            channel = client.conversations_open(users=user_id)["channel"]["id"]
            gate = gate_of(client, "conversations.history")
            if gate is not None:
                gate.wait()
            history = client.conversations_history(
                channel=channel, limit=50, include_all_metadata=True
            )["messages"]
        except (SlackApiError, OSError):
            return None
        prefix, key = pulse_block_prefix(pulse_id), marker("pulse", pulse_id)
        for message in history:
            if marker_of(message) == key or any(
                str(b.get("block_id", "")).startswith(prefix) for b in message.get("blocks", [])
            ):
                return str(channel), str(message["ts"])
        return None

    def send_checkin(self, client: WebClient, team_id: str, pulse_id: int) -> None:
        """The CTO's private check-in, once per pulse, when the team named its CTO."""
        with unit_of_work(self.deps.sessions) as session:
            cto = load_assignments(session, team_id).holder("cto")
            claimed = cto is not None and claim_checkin(session, pulse_id, cto)
        if not claimed or cto is None:
            return
        lang = self.deps.people.language(client, team_id, cto)
        message = render_checkin_dm(pulse_id, self.deps.pulse, self.deps.catalog, lang, {})
        key = marker("checkin", pulse_id)
        try:
            channel, ts = post_once(client, cto, message.as_kwargs(), key, self.deps.clients.resend)
        except SlackApiError as error:
            log.warning(
                "pulse %s: CTO check-in not sent: %s", pulse_id, error.response.get("error")
            )
            return
        except (UnknownOutcome, OSError) as error:
            log.warning("pulse %s: CTO check-in not sent: %s", pulse_id, type(error).__name__)
            return
        with unit_of_work(self.deps.sessions) as session:
            checkin_sent(session, pulse_id, channel, ts)


def when(moment: datetime, timezone: str) -> tuple[str, str]:
    """A date for blocks (rendered by Slack) and its plain fallback."""
    return slack_date(moment, timezone), plain_date(moment, timezone)
