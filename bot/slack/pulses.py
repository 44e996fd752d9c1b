"""Sending pulses: the fan-out, the CTO check-in, reminders and the close."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.pulse import PulseView, pulse_block_prefix, render_checkin_dm, render_pulse_dm
from bot.blocks.time import plain_date, slack_date
from bot.db import unit_of_work
from bot.deps import Deps
from bot.directory import choose_language
from bot.i18n import Lang, normalise_language
from bot.models import Pulse
from bot.ownership import load_assignments
from bot.pulses.delivery import Delivery, claim_next, mark_failed, mark_sent, release
from bot.pulses.lifecycle import PulsePlan, Recipient, checkin_sent, claim_checkin, open_pulse
from bot.slack.audience import AudienceProblem, Targets, describe, resolve_audience
from bot.workspace import workspace_settings

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
SENDERS = 4


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
    ) -> PulsePlan:
        """Resolve the audience with Slack and describe the pulse to open (no database writes)."""
        bot_user = self.deps.clients.bot_user_id(team_id)
        user_ids = resolve_audience(client, self.deps.people, team_id, targets, bot_user)
        if not user_ids:
            raise AudienceProblem("pulse.cmd.nobody")
        people = self.deps.people.get_many(client, team_id, user_ids)
        with unit_of_work(self.deps.sessions) as session:
            fallback = workspace_settings(session, team_id).language
        now = self.deps.clock.now()
        return PulsePlan(
            team_id=team_id,
            recipients=[
                Recipient(uid, language or choose_language(people.get(uid), fallback))
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
        )

    def open(self, plan: PulsePlan) -> int:
        """Record the pulse and its pending deliveries; raises PulseAlreadyOpen if one is."""
        with unit_of_work(self.deps.sessions) as session:
            return open_pulse(session, plan).id

    def after_open(self, client: WebClient, team_id: str, pulse_id: int) -> None:
        self.send_checkin(client, team_id, pulse_id)
        self.deliver(client, pulse_id)

    def deliver(self, client: WebClient, pulse_id: int) -> None:
        """Send to everyone not reached yet, with a few senders in parallel."""
        with unit_of_work(self.deps.sessions) as session:
            pulse = session.get(Pulse, pulse_id)
            if pulse is None or pulse.status != "open":
                return
            threshold = workspace_settings(session, pulse.team_id).threshold
            session.expunge(pulse)
        tried: set[str] = set()
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    skip = set(tried)
                with unit_of_work(self.deps.sessions) as session:
                    delivery = claim_next(session, pulse_id, self.deps.clock.now(), skip)
                if delivery is None:
                    return
                with lock:
                    tried.add(delivery.user_id)
                self._send(client, pulse, delivery, threshold)

        with ThreadPoolExecutor(SENDERS, thread_name_prefix="pulse-send") as pool:
            for future in [pool.submit(work) for _ in range(SENDERS)]:
                future.result()

    def _send(self, client: WebClient, pulse: Pulse, delivery: Delivery, threshold: int) -> None:
        if delivery.resumed and self._found_earlier_send(client, pulse.id, delivery):
            return
        lang = normalise_language(delivery.language) or "en"
        view = PulseView(
            pulse_id=pulse.id,
            items=pulse.items,
            lang=lang,
            closes=slack_date(pulse.closes_at, pulse.timezone),
            closes_plain=plain_date(pulse.closes_at, pulse.timezone),
            threshold=threshold,
            answers={},
        )
        message = render_pulse_dm(view, self.deps.pulse, self.deps.catalog)
        try:
            sent = client.chat_postMessage(channel=delivery.user_id, **message.as_kwargs())
        except SlackApiError as error:
            self._record_failure(delivery, str(error.response.get("error") or "error"))
            return
        except OSError as error:  # timeouts and resets left after slack_sdk's own retries
            self._record_failure(delivery, type(error).__name__)
            return
        with unit_of_work(self.deps.sessions) as session:
            mark_sent(session, pulse.id, delivery.user_id, sent["channel"], sent["ts"])

    def _record_failure(self, delivery: Delivery, reason: str) -> None:
        log.warning("pulse %s: could not reach a recipient: %s", delivery.pulse_id, reason)
        with unit_of_work(self.deps.sessions) as session:
            if reason in PERMANENT:
                mark_failed(session, delivery.pulse_id, delivery.user_id, reason)
            else:
                release(session, delivery.pulse_id, delivery.user_id, reason, delivery.attempts)

    def _found_earlier_send(self, client: WebClient, pulse_id: int, delivery: Delivery) -> bool:
        """A process died mid-send: look in the DM for the message before sending it again."""
        try:
            channel = client.conversations_open(users=delivery.user_id)["channel"]["id"]
            history = client.conversations_history(channel=channel, limit=50)["messages"]
        except SlackApiError:
            return False
        prefix = pulse_block_prefix(pulse_id)
        for message in history:
            if any(
                str(b.get("block_id", "")).startswith(prefix) for b in message.get("blocks", [])
            ):
                with unit_of_work(self.deps.sessions) as session:
                    mark_sent(session, pulse_id, delivery.user_id, channel, message["ts"])
                return True
        return False

    def send_checkin(self, client: WebClient, team_id: str, pulse_id: int) -> None:
        """The CTO's private check-in, once per pulse, when the team named its CTO."""
        with unit_of_work(self.deps.sessions) as session:
            cto = load_assignments(session, team_id).holder("cto")
            claimed = cto is not None and claim_checkin(session, pulse_id, cto)
        if not claimed or cto is None:
            return
        lang = self.deps.people.language(client, team_id, cto)
        message = render_checkin_dm(pulse_id, self.deps.pulse, self.deps.catalog, lang, {})
        try:
            sent = client.chat_postMessage(channel=cto, **message.as_kwargs())
        except SlackApiError as error:
            log.warning(
                "pulse %s: CTO check-in not sent: %s", pulse_id, error.response.get("error")
            )
            return
        with unit_of_work(self.deps.sessions) as session:
            checkin_sent(session, pulse_id, sent["channel"], sent["ts"])


def when(moment: datetime, timezone: str) -> tuple[str, str]:
    """A date for blocks (rendered by Slack) and its plain fallback."""
    return slack_date(moment, timezone), plain_date(moment, timezone)
