"""`/vpe handover`: the plan moving the VP Engineering's areas from the CTO, step by step."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import escaped
from bot.blocks.handover import (
    AREAS_BLOCK,
    DONE_ACTION,
    EDIT_ACTION,
    PLAN_CALLBACK,
    render_plan,
    render_plan_modal,
)
from bot.blocks.modals import input_state, metadata_text, read_metadata
from bot.bootstrap import Services
from bot.core.i18n import Lang, normalise_language
from bot.core.limits import ECHO
from bot.handlers.access import in_leadership
from bot.handlers.listen import Interaction, on, on_submit
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.ownership.assignments import load_assignments
from bot.ownership.handover import PlannedStep, load_steps, mark_done, save_plan
from bot.ownership.who_owns import find_area
from bot.storage.db import unit_of_work

EDIT_WORDS = ("edit", "modifier", "plan")
DONE_WORDS = ("done", "fait", "terminé", "termine")


def vpe_named(call: CommandCall) -> str | None:
    with unit_of_work(call.deps.sessions) as session:
        vpe = load_assignments(session, call.team_id).holder("vp_engineering")
    if vpe is None:
        call.say(call.t("handover.no_vpe"))
    return vpe


def show_plan(call: CommandCall) -> None:
    """The plan, proposed from the signals the first time."""
    vpe = vpe_named(call)
    if vpe is None:
        return
    steps, team = call.services.handovers.plan(call.team_id)
    words = call.services.handovers.words(call.lang)
    today = call.deps.clock.now().date()
    call.reply(render_plan(steps, vpe, team.holder("cto"), words, today))


def edit_plan(call: CommandCall) -> None:
    """A modal: which areas, in which order, by when."""
    if vpe_named(call) is None:
        return
    if not call.trigger_id:
        call.say(call.t("handover.no_modal"))
        return
    handovers = call.services.handovers
    steps, _ = handovers.plan(call.team_id)
    metadata = {"lang": call.lang, "channel": call.channel_id}
    proposal = handovers.proposal(call.team_id)
    words = handovers.words(call.lang)
    view = render_plan_modal(steps, handovers.areas(), proposal, words, metadata)
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def area_given(call: CommandCall) -> bool:
    if len(call.command.args) == 2:
        return True
    call.say(call.t("handover.done_usage"))
    return False


def step_done(call: CommandCall) -> None:
    """`done <area>`: the CTO or the VP Engineering hands an area over from today."""
    finish(call, call.command.args[1])


def finish(call: CommandCall, word: str) -> None:
    area = find_area(call.deps.kb, word)
    if area is None or area.owner != "vp_engineering":
        call.say(call.t("handover.unknown_area", word=escaped(word, ECHO)))
        return
    now = call.deps.clock.now()
    with unit_of_work(call.deps.sessions) as session:
        team = load_assignments(session, call.team_id)
        if call.user_id not in (team.holder("cto"), team.holder("vp_engineering")):
            call.say(call.t("handover.done_refused"))
            return
        changed = mark_done(session, call.team_id, area.id, now)
    vpe = team.holder("vp_engineering") or ""
    key = "handover.done" if changed else "handover.not_open"
    call.say(call.t(key, area=area.title[call.lang], vpe=f"<@{vpe}>"))


def done_button(done: Interaction) -> None:
    """A "Done" button of the plan or of a reminder."""
    call = done.as_command("handover done")
    finish(call, str(done.action.get("value") or ""))


def edit_button(done: Interaction) -> None:
    call = done.as_command("handover edit")
    call.router.dispatch(call)


def read_plan(view: dict[str, Any], known: list[str]) -> tuple[list[PlannedStep], dict[str, str]]:
    """The plan the modal describes, or the errors to show beside its fields."""
    chosen = input_state(view, AREAS_BLOCK, "value").get("selected_options")
    options = chosen if isinstance(chosen, list) else []
    picked = [option.get("value") for option in options if isinstance(option, dict)]
    areas = [area for area in known if area in picked]
    if not areas:
        return [], {AREAS_BLOCK: "need_area"}
    rows, errors = [], {}
    for area in areas:
        due = _date(input_state(view, f"due:{area}", "value").get("selected_date"))
        if due is None:
            errors[f"due:{area}"] = "need_date"
        option = input_state(view, f"order:{area}", "value").get("selected_option")
        value = option.get("value") if isinstance(option, dict) else None
        order = int(value) if isinstance(value, str) and value.isdigit() else len(known)
        rows.append((order, due or date.min, known.index(area), area))
    rows.sort()
    return [PlannedStep(area, due) for _, due, _, area in rows], errors


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def submit_plan(done: Interaction, ack: Ack) -> None:
    """Check and save the edited plan before answering Slack, so errors show in the modal."""
    deps, view = done.deps, done.body.get("view") or {}
    lang: Lang = normalise_language(metadata_text(read_metadata(view), "lang")) or "en"

    def say(key: str) -> str:
        return deps.catalog.t(f"handover.{key}", lang)

    if not in_leadership(deps, done.client, done.team_id, done.user_id):
        ack(response_action="errors", errors={AREAS_BLOCK: say("refused")})
        return
    planned, errors = read_plan(view, done.services.handovers.areas())
    if errors:
        ack(response_action="errors", errors={k: say(v) for k, v in errors.items()})
        return
    with unit_of_work(deps.sessions) as session:
        save_plan(session, done.team_id, planned, deps.clock.now())
        steps = load_steps(session, done.team_id)
        team = load_assignments(session, done.team_id)
    ack()
    words = done.services.handovers.words(lang)
    vpe, today = team.holder("vp_engineering") or "", deps.clock.now().date()
    message = render_plan(steps, vpe, team.holder("cto"), words, today)
    done.client.chat_postMessage(channel=done.user_id, **message.as_kwargs())


def register(app: App, services: Services) -> list[Command]:
    on(app.action(DONE_ACTION), services, done_button)
    on(app.action(EDIT_ACTION), services, edit_button)
    on_submit(app.view(PLAN_CALLBACK), services, submit_plan)
    return [
        Command(
            ("handover", "passation"),
            (
                Subcommand("handover", (), show_plan, True, alone=True),
                Subcommand("handover.edit", EDIT_WORDS, edit_plan, True),
                Subcommand("handover.done", DONE_WORDS, step_done, False, area_given),
            ),
            usage="handover.usage",
        )
    ]
