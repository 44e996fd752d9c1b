"""The decision report: a real PDF by DM, with the verdict, the search date, nothing below K."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.core.i18n import Lang, day, month_name
from bot.pulses.respondents import anonymity_key
from bot.services.digests import Digests
from bot.services.report import DecisionReports
from bot.signals.facts import add_event
from bot.storage.models import RoleHolder, Workspace
from tests.fakeslack import FakeSlack
from tests.support.history import seed_pulse
from tests.support.inprocess import PEOPLE, TEAM, Clock, make_deps
from tests.support.slack import SlackWorkspace

ENGINEERS = [f"U0REP{n}" for n in range(1, 9)]
BOT_KEY = anonymity_key(Settings(anonymity_key="test-anonymity-key-0123456789abcdef0123456789"))


def months_ahead(months: int) -> str:
    today = datetime.now(UTC).date()
    index = today.year * 12 + today.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_words(months: int, lang: Lang = "en") -> str:
    """The month `months` ahead as the report writes it: "April 2027" / "avril 2027"."""
    return month_name(months_ahead(months), lang)


@pytest.fixture
def history(slack: SlackWorkspace, e2e_engine: Engine) -> SlackWorkspace:
    """Six weekly pulses in which predictability falls, one below K, a Series B ahead."""
    start = datetime.now(UTC) - timedelta(weeks=7)
    with Session(e2e_engine) as session, session.begin():
        for week, value in enumerate((4, 4, 4, 4, 3, 2)):
            answers = {"predictability": [value] * 6 + [value - 1] * 2, "energy": [4] * 8}
            when = start + timedelta(weeks=week)
            seed_pulse(
                session, slack.team_id, when, answers, ENGINEERS, key=BOT_KEY, checkin=(60, 4)
            )
        seed_pulse(
            session,
            slack.team_id,
            start + timedelta(weeks=6),
            {"energy": [1, 1]},
            ENGINEERS,
            key=BOT_KEY,
        )
        add_event(
            session, slack.team_id, "fundraising", months_ahead(10), "Series B", "U0ADMIN", start
        )
    for user in ENGINEERS:
        slack.fake.add_user(slack.team_id, user, user.lower())
    return slack


def received_pdf(fake: FakeSlack) -> PdfReader:
    fake.wait_for("files.completeUploadExternal")
    (_title, content), *_ = fake.files.values()
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_is_a_pdf_for_the_board(history: SlackWorkspace) -> None:
    refused = history.command_reply("report", user_id="U0MEMBER")
    assert "Only the leadership team" in refused.body["text"]
    assert "`/vpe report N`" in history.command_reply("report 0", user_id="U0ADMIN").body["text"]
    sent = history.command_reply("report 10", user_id="U0ADMIN")
    assert "Your decision report (10 weeks) is in our direct messages" in sent.body["text"]
    upload = history.fake.calls_to("files.completeUploadExternal")[0]
    assert upload.params["channel_id"] == history.fake.dm_channel_id("U0ADMIN")
    reader = received_pdf(history.fake)
    assert 1 <= len(reader.pages) <= 2
    text = text_of(reader)
    assert "Today (5 points): Time to hire a VP Engineering." in text
    assert "(0 points): All clear" in text, "the verdict's changes over the period, dated"
    assert f"Series B planned for {month_words(10)}: start the search by {month_words(6)}" in text
    assert "Delivery predictability" in text
    assert "Delivery metrics" not in text, "no delivery figures yet: no empty section"
    # The pulse two people answered: neither its count nor its scores, only that it is hidden.
    assert "fewer than 5 answered, no figure shown" in text
    assert "2 of 8" not in text
    assert text.count("of 8 answered") == 6


def test_a_french_workspace_gets_a_french_report_comparing_before_and_after(
    history: SlackWorkspace, e2e_engine: Engine
) -> None:
    history.command_reply("settings language fr", user_id="U0ADMIN")
    history.command_reply("settings hire 6", user_id="U0ADMIN")
    history.command_reply("roles set vpe <@U0FRENCH|marie>", user_id="U0ADMIN")
    arrived = datetime.now(UTC) - timedelta(weeks=3, days=2)
    with Session(e2e_engine) as session, session.begin():
        session.execute(update(RoleHolder).values(updated_at=arrived))
    history.command_reply("report", user_id="U0ADMIN")
    text = text_of(received_pdf(history.fake))
    assert "Recruter un VP Engineering : rapport de décision" in text
    assert f"lancez le recrutement d’ici {month_words(4, 'fr')}" in text
    assert f"Avant et après l’arrivée du VP Engineering ({day(arrived, 'fr')})" in text
    assert "2027-" not in text, "months and days are written in words"
    assert "50–75\u202f% de la semaine" in text, "the range the CTO tapped"
    assert "La santé du delivery demande d’agir maintenant." in text
    assert "marie" in text


def test_with_no_workspace_language_the_report_is_in_the_asker_s_language(
    history: SlackWorkspace,
) -> None:
    history.command_reply("leaders add <@U0FRENCH|marie>", user_id="U0ADMIN")
    sent = history.command_reply("rapport", user_id="U0FRENCH")
    assert "Votre rapport de décision (12 semaines)" in sent.body["text"]
    upload = history.fake.calls_to("files.completeUploadExternal")[0]
    assert "rapport de décision" in str(upload.params.get("files"))
    text = text_of(received_pdf(history.fake))
    assert "Recruter un VP Engineering : rapport de décision" in text


def test_a_workspace_with_nothing_yet_gets_a_one_page_report(
    database: str, jobs_fake: FakeSlack
) -> None:
    deps = make_deps(database, jobs_fake, Clock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
    pdf, lang = DecisionReports(deps, Digests(deps)).build(deps.clients.for_team(TEAM), TEAM, 12)
    reader = PdfReader(io.BytesIO(pdf))
    assert (len(reader.pages), lang) == (1, "en")
    text = text_of(reader)
    assert "Today (0 points): All clear" in text
    assert "No pulse closed in the period" in text
    assert "No fundraising, international expansion or restructuring is planned" in text


def test_the_time_to_hire_takes_whole_months(slack: SlackWorkspace) -> None:
    for wrong in ("hire 0", "hire 25", "hire six", "recrutement -1"):
        reply = slack.command_reply(f"settings {wrong}", user_id="U0ADMIN")
        assert (
            "a number of months from 1 to 24" in reply.body["text"]
            or "de 1 à 24" in reply.body["text"]
        )
    assert (
        "takes 6 months here"
        in slack.command_reply("settings hire 6", user_id="U0ADMIN").body["text"]
    )


def seed_delivery(session: Session) -> None:
    """Sixteen weeks of one repository: 1.2 days and 5 deploys a week until the VP
    Engineering's week (2026-10-12), 4.8 days and 2 a week after; a second repository read
    two days earlier than the first."""
    from bot.delivery.connector import Batch, Week
    from bot.delivery.store import add_batch, ensure_source, finish_sync

    api = ensure_source(session, TEAM, "github", "acme/api", None, from_env=True)
    web = ensure_source(session, TEAM, "github", "acme/web", None, from_env=True)
    batch = Batch()
    for n in range(16):
        monday = date(2026, 8, 10) + timedelta(weeks=n)
        arrival_week = monday == date(2026, 10, 12)
        lead = 2400.0 if arrival_week else 28.8 if monday < date(2026, 10, 12) else 115.2
        deploys = 20 if arrival_week else 5 if monday < date(2026, 10, 12) else 2
        batch.weeks[monday] = Week(merged=3, lead_hours=[lead] * 3, deployments=deploys)
    add_batch(session, TEAM, api, batch, {})
    finish_sync(session, api, datetime(2026, 11, 30, 22, tzinfo=UTC), None)
    finish_sync(session, web, datetime(2026, 11, 28, 22, tzinfo=UTC), None)
    arrived = datetime(2026, 10, 14, 10, tzinfo=UTC)
    session.add(
        RoleHolder(
            team_id=TEAM,
            role="vp_engineering",
            user_id=PEOPLE[0],
            updated_by=PEOPLE[1],
            updated_at=arrived,
        )
    )


def test_the_report_gives_the_delivery_figures_with_their_sync_and_before_and_after(
    database: str, jobs_fake: FakeSlack
) -> None:
    deps = make_deps(database, jobs_fake, Clock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
    with Session(deps.engine) as session, session.begin():
        seed_delivery(session)
    reports = DecisionReports(deps, Digests(deps))
    pdf, _ = reports.build(deps.clients.for_team(TEAM), TEAM, 12)
    text = " ".join(text_of(PdfReader(io.BytesIO(pdf))).split())
    assert "Delivery metrics" in text
    assert "the last 4 weeks, and the trend over 12 weeks" in text
    assert (
        "Lead time for changes (median): 4.8 days, DORA tier high; over 12 weeks, "
        "1.2 days → 4.8 days (sync of Nov 28, 2026)"
    ) in text
    assert "Deployment frequency: 2.0 a week, DORA tier high; over 12 weeks" in text
    assert "Before and after the VP Engineering's arrival (Oct 14, 2026)" in text
    assert "Lead time for changes (median): 1.2 days → 4.8 days" in text, "the arrival's week out"
    assert "Deployment frequency: 5.0 a week → 2.0 a week" in text
    assert (
        "over 9 weeks before the arrival's week and 6 weeks after it (sync of Nov 28, 2026)" in text
    )

    with Session(deps.engine) as session, session.begin():
        session.execute(update(Workspace).where(Workspace.team_id == TEAM).values(language="fr"))
    pdf, lang = reports.build(deps.clients.for_team(TEAM), TEAM, 12)
    french = " ".join(text_of(PdfReader(io.BytesIO(pdf))).split())
    assert lang == "fr"
    assert "1,2 jour → 4,8 jours" in french  # CLDR: 1,2 is singular in French
    assert "5,0 par semaine → 2,0 par semaine" in french
    assert "sur 9 semaines avant la semaine de l’arrivée" in french
    assert "28 nov. 2026" in french
    assert "2026-11-28" not in french
