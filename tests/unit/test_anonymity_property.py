"""Strong protection as a property: whatever the audiences, answers, requesters, erasures and
overlapping pulses, no reachable figure rests on fewer than K people whose answers the reader
cannot know, and no two surfaces differ by fewer than K people.

Hypothesis generates a workspace's story: pulses opened a few days apart, each to a channel
plus people named one by one, started by a leader or not; answers, skipped statements and
comments; `forget me` while a pulse is open and after it closed. The story runs through the
domain functions every surface calls, on the real database, and after each step the test
reads every surface (results, the export, the history behind the digest, the Home tab and
the signals, comments) and checks it against what was really answered:

- every figure shown (an average, a distribution, a score, a comment list) covers at least
  K people outside the known ones (the requester, people named one by one, leaders);
- a distribution shows only when at least `floor` x K counted people were asked;
- the same pulse shows the same figures on every surface and at every later moment (a pair
  of surfaces or moments that differ differs by zero people);
- two pulses opened within the repeat window ask the same people or differ by at least K;
  a pulse is refused exactly when that would not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.privacy.erasure import forget_person
from bot.privacy.export import export_rows
from bot.pulses.answers import record_answer, record_comment
from bot.pulses.lifecycle import (
    AudienceTooClose,
    PulsePlan,
    Recipient,
    close_pulse,
    closed_pulses,
    open_pulse,
)
from bot.pulses.outbox import mark_sent
from bot.pulses.questions import SCALE, pulse_content
from bot.pulses.reporting import anonymity_rules, known_people
from bot.pulses.results import PulseResults, pulse_results
from bot.qa.knowledge import load_knowledge
from bot.signals.history import recent_pulses
from bot.signals.report import decision_facts
from bot.signals.rules import signals_config
from bot.storage.models import Workspace

KEY = b"p" * 32
TEAM = "TPROP"
PEOPLE = [f"UP{n:02d}" for n in range(12)]
ITEMS = ["energy", "exhaustion"]  # one dimension: the history averages the two
START = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
CONTENT = pulse_content()
KB, SIGNALS = load_knowledge(), signals_config()
RULES = anonymity_rules()

answer_values = st.sampled_from([None, 1, 2, 3, 4, 5])  # None: the statement is skipped


@dataclass(frozen=True)
class PulseStory:
    channel: frozenset[str]
    named: frozenset[str]
    requester: str
    gap_days: int
    answers: tuple[tuple[int | None, ...], ...]  # per person of PEOPLE, per item
    commenters: frozenset[str]
    erased_while_open: frozenset[str]
    erased_after_close: frozenset[str]


@dataclass(frozen=True)
class Story:
    threshold: int
    leaders: frozenset[str]
    pulses: tuple[PulseStory, ...]


people = st.sampled_from(PEOPLE)
pulse_stories = st.builds(
    PulseStory,
    channel=st.frozensets(people, min_size=1),
    named=st.frozensets(people, max_size=3),
    requester=st.sampled_from([*PEOPLE[:3], "UBOSS"]),
    gap_days=st.sampled_from([1, 3, 5, 7, 9]),
    answers=st.tuples(*[st.tuples(answer_values, answer_values) for _ in PEOPLE]),
    commenters=st.frozensets(people),
    erased_while_open=st.frozensets(people, max_size=2),
    erased_after_close=st.frozensets(people, max_size=2),
)
stories = st.builds(
    Story,
    threshold=st.integers(3, 5),
    leaders=st.frozensets(st.sampled_from(PEOPLE[:3]), max_size=2),
    pulses=st.lists(pulse_stories, min_size=1, max_size=4).map(tuple),
)


@dataclass
class Truth:
    """What really happened in one pulse, as the test saw it."""

    pulse_id: int
    opened_at: datetime
    recipients: set[str]  # the people the database says were asked (forget me removes them)
    known: frozenset[str]
    answers: dict[str, dict[str, int]] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


class World:
    """The story played on the database, and what the test knows to be true."""

    def __init__(self, session: Session, story: Story) -> None:
        self.session, self.story, self.k = session, story, story.threshold
        self.opened: list[Truth] = []
        self.first_seen: dict[int, Any] = {}
        self.now = START
        session.add(Workspace(team_id=TEAM, anonymity_threshold=story.threshold))
        session.flush()

    def play(self) -> None:
        for n, chapter in enumerate(self.story.pulses):
            self.now += timedelta(days=chapter.gap_days)
            truth = self.open(chapter)
            if truth is None:
                continue
            self.answer(truth, chapter, n)
            for person in chapter.erased_while_open:
                self.forget(person)
            closed_at = self.now + timedelta(hours=1)
            assert close_pulse(self.session, KEY, TEAM, truth.pulse_id, closed_at)
            self.check_every_surface()
            for person in chapter.erased_after_close:
                self.forget(person)
            self.check_every_surface()

    def open(self, chapter: PulseStory) -> Truth | None:
        """Open the pulse, or see it refused exactly when a recent pulse is too close."""
        audience = set(chapter.channel | chapter.named)
        known = known_people(chapter.named, chapter.requester, self.story.leaders) & audience
        plan = PulsePlan(
            team_id=TEAM,
            recipients=[Recipient(p, "en", counted=p not in known) for p in sorted(audience)],
            items=ITEMS,
            opened_at=self.now,
            closes_at=self.now + timedelta(days=1),
            started_by=chapter.requester,
        )
        too_close = any(
            self.now - truth.opened_at < RULES.repeat_window
            and 0 < len(audience ^ truth.recipients) < self.k
            for truth in self.opened
        )
        try:
            pulse = open_pulse(self.session, plan)
        except AudienceTooClose:
            assert too_close, "refused a pulse that no recent one can be subtracted from"
            event("a pulse refused: too close to a recent one")
            return None
        assert not too_close, "opened a pulse that a recent one can be subtracted from"
        truth = Truth(pulse.id, self.now, audience, known)
        self.opened.append(truth)
        return truth

    def answer(self, truth: Truth, chapter: PulseStory, n: int) -> None:
        for person in sorted(truth.recipients):
            mark_sent(self.session, truth.pulse_id, person, f"D{person}", "1.0")
        for index, person in enumerate(PEOPLE):
            if person not in truth.recipients:
                continue
            for item, value in zip(ITEMS, chapter.answers[index], strict=True):
                if value is not None:
                    record_answer(self.session, KEY, TEAM, truth.pulse_id, person, item, value)
                    truth.answers.setdefault(person, {})[item] = value
            if person in chapter.commenters:
                text = f"pulse {n}, {person}"
                record_comment(self.session, KEY, TEAM, truth.pulse_id, person, text)
                truth.comments[person] = text

    def forget(self, person: str) -> None:
        """`forget me`: gone from every pulse's recipients; from open pulses' answers too."""
        if forget_person(self.session, KEY, TEAM, person).unlinked:
            event("a comment unlinked after the close")
        for truth in self.opened:
            truth.recipients.discard(person)
            if truth.pulse_id not in self.first_seen:  # still open
                truth.answers.pop(person, None)
                truth.comments.pop(person, None)

    # -- the surfaces ------------------------------------------------------------------------

    def check_every_surface(self) -> None:
        closed = list(reversed(closed_pulses(self.session, TEAM, 20)))  # oldest first
        history = {p.pulse_id: p for p in recent_pulses(self.session, TEAM, CONTENT, self.k)}
        export = export_rows(self.session, TEAM, CONTENT, self.k)
        report = decision_facts(
            self.session, TEAM, CONTENT, KB, SIGNALS, self.k, 4, START + timedelta(weeks=8), 520
        )
        assert {p.pulse_id: p for p in report.inputs.history} == history, "report = digest"
        by_id = {truth.pulse_id: truth for truth in self.opened}
        for position, pulse in enumerate(closed):
            previous = closed[position - 1] if position else None
            results = pulse_results(self.session, CONTENT, pulse, previous, self.k)
            rows = [row for row in export if row["pulse_id"] == pulse.id]
            seen = (view(results), rows, history[pulse.id])
            if pulse.id not in self.first_seen:
                self.check_figures(by_id[pulse.id], results, rows, history[pulse.id])
                if previous is not None:
                    check_changes(results, self.first_seen[previous.id][0])
                self.first_seen[pulse.id] = seen
            assert seen == self.first_seen[pulse.id], "a surface changed after the close"

    def check_figures(
        self, truth: Truth, results: PulseResults, rows: list[dict[str, object]], point: Any
    ) -> None:
        counted_asked = truth.recipients - truth.known
        shown_items = {}
        for result in results.items:
            values = [a[result.item.id] for a in truth.answers.values() if result.item.id in a]
            assert result.count == len(values)
            if result.mean is None:
                continue
            event("an average shown" + (" beside known answers" if truth.known else ""))
            answered = {p for p, a in truth.answers.items() if result.item.id in a}
            assert len(answered - truth.known) >= self.k, "a figure for fewer than K people"
            assert result.mean == round(sum(values) / len(values), 2)
            shown_items[result.item.id] = result
            if result.distribution is not None:
                event("a distribution shown")
                assert len(counted_asked) >= RULES.distribution_floor * self.k
                assert result.distribution == tuple(values.count(v) for v in SCALE)
        if results.comments is not None:
            event("comments shown")
            assert len(set(truth.comments) - truth.known) >= self.k
            assert sorted(results.comments) == sorted(truth.comments.values())
        assert {row["item"] for row in rows} == set(shown_items), "export = results"
        for row in rows:
            shown = shown_items[str(row["item"])]
            assert (row["mean"], row["answers"]) == (shown.mean, shown.count)
            assert (row["n1"] == "") == (shown.distribution is None)
        assert point.visible == results.visible, "digest and Home = results"
        scores = [
            CONTENT.item(item).score(
                sum(a[item] for a in truth.answers.values() if item in a) / shown.count
            )
            for item, shown in shown_items.items()
        ]
        expected = {"energy": round(sum(scores) / len(scores), 2)} if scores else {}
        assert point.scores == expected, "digest and Home = results"


def check_changes(results: PulseResults, before: tuple[Any, ...]) -> None:
    """A change since the previous pulse needs that pulse's figure shown: the change and
    today's average would otherwise give it away."""
    shown_before = {item: mean for item, _, mean, *_ in before[3] if mean is not None}
    for result in results.items:
        if result.change is not None:
            assert result.mean is not None
            assert result.item.id in shown_before, "a change from a hidden figure"
            assert result.change == round(result.mean - shown_before[result.item.id], 2)


def view(results: PulseResults) -> tuple[object, ...]:
    """Everything results show, as plain values."""
    items = tuple(
        (r.item.id, r.count, r.mean, r.score, r.distribution, r.change) for r in results.items
    )
    return (results.asked, results.respondents, results.shown, items, results.comments)


# Each story replays on the database (about a tenth of a second): shrinking a failure would
# take minutes, so a failing story is reported as generated (four pulses at most: readable).
@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(story=stories)
def test_no_surface_or_pair_of_surfaces_shows_fewer_than_k_people(
    engine: Engine, story: Story
) -> None:
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            World(session, story).play()
        transaction.rollback()
