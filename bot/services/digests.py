"""Posting the digest and signal changes to the leadership channel."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import Message
from bot.blocks.actions import summary_lines
from bot.blocks.digest import digest_chart, render_digest
from bot.blocks.signals import SignalWords, render_change, render_signals
from bot.blocks.team_results import falling_lines, team_heatmap
from bot.core.cadence import due_slot
from bot.core.i18n import Lang
from bot.core.steps import run_steps
from bot.pulses.by_team import TeamResult, latest_team_results
from bot.services.handover_progress import handover_progress
from bot.services.work import InProcess, Work
from bot.signals.assess import Assessment, Inputs
from bot.signals.evaluate import assess_vpe_need
from bot.signals.facts import record_signal_change
from bot.signals.rules import SignalsConfig, signals_config
from bot.slack.clients import DUE_AT_ONCE, for_each
from bot.slack.markers import marker_of
from bot.slack.ratelimit import gate_of
from bot.slack.sends import UnknownOutcome, post_once
from bot.storage.db import unit_of_work
from bot.storage.slot_claims import claim_slot, complete_run, last_claimed_slots, reclaim_unfinished
from bot.team.actions import actions_of, local_today
from bot.team.digest_schedule import digest_cadence, due_digests, leadership_channel
from bot.team.workspace import clear_problem, record_problem, workspace_settings

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)
# Posting again will not fix these: the run is recorded as done, and leadership told.
PERMANENT = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "invalid_blocks", "restricted_action"}
)
CHART_ATTEMPTS = 2  # the chart's upload, tried again once after a 5xx, reset or timeout


def run_marker(run_id: int) -> str:
    """Block ids of a scheduled digest start with this, to find it again after a crash."""
    return f"digest-{run_id}-"


@dataclass(frozen=True)
class TeamPicture:
    inputs: Inputs
    assessment: Assessment
    threshold: int


class Digests:
    def __init__(
        self, deps: Deps, config: SignalsConfig | None = None, work: Work | None = None
    ) -> None:
        self.deps = deps
        self.config = config or signals_config()
        # A claimed digest is posted as a job of its own (see bot.services.work).
        self.work: Work = work or InProcess()
        self.work.register("digest.post", self._post_run)
        self.work.register("digest.resume", self.resume_run)

    def words(self, lang: Lang) -> SignalWords:
        return SignalWords(self.deps.catalog, lang, self.config, self.deps.pulse, self.deps.kb)

    def picture(self, team_id: str) -> TeamPicture:
        """The assessment from the database's aggregates (one transaction)."""
        with unit_of_work(self.deps.sessions) as session:
            threshold = workspace_settings(session, team_id).threshold
            inputs, assessment = assess_vpe_need(
                session,
                team_id,
                self.deps.pulse,
                self.deps.kb,
                self.config,
                threshold,
                self.deps.clock.now().date(),
            )
        return TeamPicture(inputs, assessment, threshold)

    def action_lines(self, team_id: str, lang: Lang, owner: str | None = None) -> list[str]:
        """The open and overdue actions, for the digest and the Home tab; with `owner`,
        only theirs (nothing when they own none)."""
        with unit_of_work(self.deps.sessions) as session:
            plans = actions_of(session, team_id, include_done=False)
            today = local_today(session, team_id, self.deps.clock.now())
        if owner is None:
            return summary_lines(plans, today, self.deps.catalog, lang)
        mine = [plan for plan in plans if plan.owner == owner]
        return summary_lines(mine, today, self.deps.catalog, lang) if mine else []

    def signals_message(self, team_id: str, lang: Lang) -> Message:
        picture = self.picture(team_id)
        return render_signals(
            picture.assessment, picture.inputs, self.words(lang), picture.threshold
        )

    def digest_message(
        self, team_id: str, lang: Lang, marker: str = ""
    ) -> tuple[Message, bytes | None]:
        picture = self.picture(team_id)
        words = self.words(lang)
        progress = handover_progress(self.deps, team_id, lang)
        teams = self.teams(team_id, picture.threshold)
        message = render_digest(
            picture.inputs.history,
            picture.assessment,
            words,
            picture.threshold,
            marker,
            progress,
            falling_lines(teams, self.deps.catalog, lang),
            self.action_lines(team_id, lang),
            delivery=picture.inputs.delivery,
        )
        return message, digest_chart(picture.inputs.history, words)

    def teams(self, team_id: str, threshold: int) -> list[TeamResult]:
        """Each team's figures for the latest closed pulse, as results by team show them."""
        with unit_of_work(self.deps.sessions) as session:
            return latest_team_results(session, self.deps.pulse, team_id, threshold)

    def post_digest(
        self, client: WebClient, team_id: str, channel: str, lang: Lang, marker: str = ""
    ) -> str:
        """The digest, then its chart (files upload v2) right under it.

        A scheduled digest (with its run's `marker`) is posted once even when Slack's answer
        is lost: it is looked for in the channel before being posted again (bot.slack.sends).
        """
        message, chart = self.digest_message(team_id, lang, marker)
        if marker:
            _, ts = post_once(
                client, channel, message.as_kwargs(), marker, self.deps.clients.resend
            )
        else:
            ts = str(client.chat_postMessage(channel=channel, **message.as_kwargs())["ts"])
        if chart is not None:
            self._upload_chart(
                client, channel, chart, self.deps.catalog.t("digest.chart_title", lang)
            )
        with unit_of_work(self.deps.sessions) as session:
            threshold = workspace_settings(session, team_id).threshold
        heat = team_heatmap(self.teams(team_id, threshold), self.deps.catalog, lang)
        if heat is not None:
            title = self.deps.catalog.t("team_results.heatmap_title", lang)
            self._upload_chart(client, channel, heat, title, "delivery-health-teams.png")
        return ts

    @staticmethod
    def _upload_chart(
        client: WebClient,
        channel: str,
        chart: bytes,
        title: str,
        filename: str = "delivery-health.png",
    ) -> None:
        """The chart under the posted digest. Its failure costs the picture, never the digest
        (already posted: saying "nothing was changed", or posting it again, would be wrong).
        slack_sdk does not retry the upload URL itself, so a 5xx, reset or timeout there is
        tried once more, from the start (an upload never completed is never shown)."""
        for attempt in range(1, CHART_ATTEMPTS + 1):
            try:
                client.files_upload_v2(
                    channel=channel, content=chart, filename=filename, title=title
                )
                return
            except SlackApiError as error:
                log.warning("digest chart not uploaded: %s", error.response.get("error"))
                return
            except OSError as error:
                log.warning(
                    "digest chart upload failed (attempt %d of %d): %s",
                    attempt,
                    CHART_ATTEMPTS,
                    type(error).__name__,
                )

    def language(self, team_id: str) -> Lang:
        with unit_of_work(self.deps.sessions) as session:
            return workspace_settings(session, team_id).language or "en"

    def announce_changes(self, team_id: str) -> int:
        """Post once to the leadership channel for each signal that turned on or cleared."""
        with unit_of_work(self.deps.sessions) as session:
            channel = leadership_channel(session, team_id)
        if channel is None:
            return 0
        picture, lang = self.picture(team_id), self.language(team_id)
        now = self.deps.clock.now()
        posted = 0
        for signal in picture.assessment.signals:
            with unit_of_work(self.deps.sessions) as session:
                changed = record_signal_change(session, team_id, signal.id, signal.active, now)
            if not changed:
                continue
            message = render_change(signal, signal.active, self.words(lang))
            try:
                client = self.deps.clients.for_team(team_id)
                client.chat_postMessage(channel=channel, **message.as_kwargs())
                posted += 1
            except (SlackApiError, OSError) as error:
                # Not announced: put the state back so that the next pass announces it.
                log.warning("signal change not posted: %s", type(error).__name__)
                with unit_of_work(self.deps.sessions) as session:
                    record_signal_change(session, team_id, signal.id, not signal.active, now)
        return posted

    def tick(self) -> None:
        """One pass: scheduled digests, then any a dead process left unfinished."""
        run_steps(
            [("run_schedules", self.run_schedules), ("resume", self.resume_unfinished)],
            "digest job",
        )

    def run_schedules(self) -> None:
        """Scheduled digests: each slot claimed once, posted, then marked complete."""
        now = self.deps.clock.now()
        due: list[tuple[int, str, str]] = []
        with unit_of_work(self.deps.sessions) as session:
            schedules = due_digests(session)
            ids = [schedule.id for schedule, _ in schedules]
            last = last_claimed_slots(session, "digest", ids)  # one read for every workspace
            for schedule, channel in schedules:
                slot = due_slot(digest_cadence(schedule), last.get(schedule.id), now)
                if slot is None:
                    continue
                run_id = claim_slot(
                    session, schedule.team_id, "digest", schedule.id, slot, now, completed=False
                )
                if run_id is not None:
                    due.append((run_id, schedule.team_id, channel))
        # Workspaces due at the same minute: DUE_AT_ONCE at a time in process.
        jobs = [
            ((run_id, team_id, channel), f"digest:{run_id}") for run_id, team_id, channel in due
        ]
        self.work.submit_each("digest.post", jobs, DUE_AT_ONCE)

    def resume_unfinished(self) -> None:
        """A digest whose process died: post it unless the channel already shows it."""
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            stale = timedelta(seconds=self.deps.settings.stale_claim_seconds)
            runs = reclaim_unfinished(session, "digest", now, stale)
            channels = {team: leadership_channel(session, team) for _, team, _ in runs}
        for run_id, team_id, claimed_at in runs:
            channel = channels.get(team_id)
            if channel is not None:
                lock = f"digest:{run_id}"
                args = (run_id, team_id, claimed_at.isoformat(), channel)
                self.work.submit("digest.resume", *args, lock=lock)

    def resume_run(self, run_id: int, team_id: str, claimed_at: str, channel: str) -> None:
        self._resume(run_id, team_id, datetime.fromisoformat(claimed_at), channel)

    def _resume(self, run_id: int, team_id: str, claimed_at: datetime, channel: str | None) -> None:
        if channel is None:
            return
        if self._already_posted(team_id, channel, run_id, claimed_at):
            with unit_of_work(self.deps.sessions) as session:
                complete_run(session, run_id, self.deps.clock.now())
            return
        self._post_run(run_id, team_id, channel)

    def _post_run(self, run_id: int, team_id: str, channel: str) -> None:
        """Post a claimed digest; a permanent refusal is recorded for leadership to see."""
        now = self.deps.clock.now()
        try:
            client = self.deps.clients.for_team(team_id)
            self.post_digest(
                client, team_id, channel, self.language(team_id), marker=run_marker(run_id)
            )
        except SlackApiError as error:
            reason = str(error.response.get("error") or "error")
            log.warning("scheduled digest not posted: %s", reason)
            if reason in PERMANENT:
                with unit_of_work(self.deps.sessions) as session:
                    complete_run(session, run_id, now)  # retrying will not help
                    where = reason in ("not_in_channel", "channel_not_found", "is_archived")
                    record_problem(
                        session,
                        team_id,
                        "problems.digest" if where else "problems.digest_refused",
                        now,
                        channel=channel,
                        error=reason,
                        date=now.date().isoformat(),
                    )
            return
        except UnknownOutcome:
            # Left open: once stale, it is resumed, and looked for in the channel first.
            log.warning("scheduled digest: outcome unknown after the retries")
            return
        with unit_of_work(self.deps.sessions) as session:
            complete_run(session, run_id, now)
            clear_problem(session, team_id, "problems.digest")

    def _already_posted(self, team_id: str, channel: str, run_id: int, since: datetime) -> bool:
        client = self.deps.clients.for_team(team_id)
        oldest = f"{(since - timedelta(minutes=5)).timestamp():.6f}"
        gate = gate_of(client, "conversations.history")
        try:
            if gate is not None:
                gate.wait()
            history = client.conversations_history(
                channel=channel, oldest=oldest, limit=100, include_all_metadata=True
            )
        except (SlackApiError, OSError):
            return False
        marker = run_marker(run_id)
        messages: list[dict[str, Any]] = history.get("messages", [])
        return any(
            marker_of(message) == marker
            or any(str(b.get("block_id", "")).startswith(marker) for b in message.get("blocks", []))
            for message in messages
        )

    def announce_all(self) -> None:
        with unit_of_work(self.deps.sessions) as session:
            teams = [schedule.team_id for schedule, _ in due_digests(session)]
        for_each(teams, self.announce_changes, "signal announcements")
