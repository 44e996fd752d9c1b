"""`/vpe action add|done`, `/vpe actions`, and the buttons and modal that plan an action."""

from __future__ import annotations

import logging
from datetime import date

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot.blocks import escaped
from bot.blocks.actions import (
    ACTION_CALLBACK,
    DONE_ACTION,
    DUE_BLOCK,
    ITEM_BLOCK,
    NEW_ACTION,
    OWNER_BLOCK,
    STEP_ACTION,
    VALUE,
    WHAT_BLOCK,
    render_action_modal,
    render_actions,
)
from bot.blocks.modals import input_state, metadata_text, read_metadata
from bot.bootstrap import Services
from bot.core.i18n import Lang, day, normalise_language
from bot.core.limits import ECHO
from bot.handlers.access import in_leadership, named_person, require_leader
from bot.handlers.listen import Interaction, on, on_submit
from bot.handlers.parsing import parse_mention, whole_number
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.storage.db import unit_of_work
from bot.team.actions import WHAT_LIMIT, action_by_id, mark_done

log = logging.getLogger(__name__)
DUE_WORDS = ("due", "by", "échéance", "echeance", "pour", "avant")
ID_MAX = 2**31 - 1


def read_due(word: str) -> date | None:
    """An ISO date (2027-01-15) written in ASCII digits; None for anything else."""
    if len(word) != 10 or not word.isascii():
        return None
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def an_action(call: CommandCall) -> bool:
    """`add "<what>" @owner due YYYY-MM-DD [statement]`: the form, before the lock."""
    args = call.command.args
    shaped = (
        len(args) in (5, 6)
        and args[1].strip() != ""
        and parse_mention(args[2]) is not None
        and args[3].lower() in DUE_WORDS
    )
    if not shaped:
        call.say(call.t("actions.usage"))
        return False
    if read_due(args[4]) is None:
        call.say(call.t("actions.bad_date", value=escaped(args[4], ECHO)))
        return False
    known = {item.id for item in call.deps.pulse.items}
    if len(args) == 6 and args[5].lower() not in known:
        call.say(call.t("actions.bad_item", value=escaped(args[5], ECHO), items=", ".join(known)))
        return False
    return True


def add(call: CommandCall) -> None:
    """`action add "<what>" @owner due 2027-01-15 [statement]`."""
    args = call.command.args
    owner = named_person(call, args[2])
    due = read_due(args[4])
    if owner is None or due is None:
        return
    if due < call.services.actions.today(call.team_id):
        call.say(call.t("actions.past", value=day(due, call.lang)))
        return
    item = args[5].lower() if len(args) == 6 else None
    what = args[1].strip()[:WHAT_LIMIT]
    action_id = call.services.actions.plan(call.team_id, what, owner, due, call.user_id, item)
    call.say(call.t("actions.added", id=str(action_id), what=escaped(what), owner=f"<@{owner}>"))


def an_action_id(call: CommandCall) -> bool:
    args = call.command.args
    if len(args) != 2 or whole_number(args[1].lstrip("#"), ID_MAX) is None:
        call.say(call.t("actions.usage"))
        return False
    return True


def done(call: CommandCall) -> None:
    """`action done <id>`: its owner or a leader."""
    action_id = whole_number(call.command.args[1].lstrip("#"), ID_MAX) or 0
    finish(call, action_id)


def finish(call: CommandCall, action_id: int) -> None:
    with unit_of_work(call.deps.sessions) as session:
        plan = action_by_id(session, call.team_id, action_id)
    if plan is None:
        call.say(call.t("actions.not_found", id=str(action_id)))
        return
    if plan.owner != call.user_id and not require_leader(call):
        return
    now = call.deps.clock.now()
    with unit_of_work(call.deps.sessions) as session:
        closed = mark_done(session, call.team_id, action_id, call.user_id, now)
    key = "actions.done" if closed else "actions.already_done"
    call.say(call.t(key, id=str(action_id), what=escaped(plan.what)))


def show(call: CommandCall) -> None:
    """`actions`: open and overdue first, then done."""
    plans, today = call.services.actions.listing(call.team_id)
    call.reply(render_actions(plans, today, call.deps.catalog, call.lang))


def open_modal(click: Interaction, what: str = "") -> None:
    """The button on results, the digest and the list: the same as `action add`, as a modal."""
    call = click.as_command("action add")
    if not require_leader(call):
        return
    view = render_action_modal(click.deps.pulse, click.deps.catalog, call.lang, what)
    click.client.views_open(trigger_id=click.body["trigger_id"], view=view)


def open_from_step(click: Interaction) -> None:
    """A next step of the verdict picked in the digest: the modal, with its words."""
    chosen = click.action.get("selected_option") or {}
    value = str(chosen.get("value") or "") if isinstance(chosen, dict) else ""
    lang = click.lang()
    step = click.services.digests.words(lang).step_text(value) or ""
    open_modal(click, step)


def submit(click: Interaction, ack: Ack) -> None:
    """Validate and save before answering Slack, so errors show in the modal."""
    deps, view = click.deps, click.body.get("view") or {}
    meta = read_metadata(view)
    lang: Lang = normalise_language(metadata_text(meta, "lang")) or "en"

    def say(key: str) -> str:
        return deps.catalog.t(f"actions.modal.{key}", lang)

    if not in_leadership(deps, click.client, click.team_id, click.user_id):
        ack(response_action="errors", errors={WHAT_BLOCK: say("refused")})
        return
    what = str(input_state(view, WHAT_BLOCK, VALUE).get("value") or "").strip()[:WHAT_LIMIT]
    owner = str(input_state(view, OWNER_BLOCK, VALUE).get("selected_user") or "")
    due = read_due(str(input_state(view, DUE_BLOCK, VALUE).get("selected_date") or ""))
    picked = input_state(view, ITEM_BLOCK, VALUE).get("selected_option")
    item = str(picked.get("value")) if isinstance(picked, dict) else None
    errors = {}
    if not what:
        errors[WHAT_BLOCK] = say("need_what")
    if not owner:
        errors[OWNER_BLOCK] = say("need_owner")
    if due is None or due < click.services.actions.today(click.team_id):
        errors[DUE_BLOCK] = say("need_due")
    if item is not None and item not in {known.id for known in deps.pulse.items}:
        errors[ITEM_BLOCK] = say("need_item")
    if errors or due is None:
        ack(response_action="errors", errors=errors)
        return
    action_id = click.services.actions.plan(click.team_id, what, owner, due, click.user_id, item)
    ack()
    owned = f"<@{owner}>"
    text = deps.catalog.t("actions.added", lang, id=str(action_id), what=escaped(what), owner=owned)
    try:
        click.client.chat_postMessage(channel=click.user_id, text=text)
    except SlackApiError as error:
        log.warning("a planned action could not be confirmed: %s", error.response.get("error"))


def done_clicked(click: Interaction) -> None:
    """The owner's "Mark done" in the overdue DM."""
    action_id = whole_number(str(click.action.get("value") or ""), ID_MAX) or 0
    finish(click.as_command("action done"), action_id)


def register(app: App, services: Services) -> list[Command]:
    on(app.action(NEW_ACTION), services, open_modal)
    on(app.action(STEP_ACTION), services, open_from_step)
    on(app.action(DONE_ACTION), services, done_clicked)
    on_submit(app.view(ACTION_CALLBACK), services, submit)
    return [
        Command(
            ("action",),
            (
                Subcommand("action.add", ("add", "ajouter"), add, True, an_action),
                Subcommand(
                    "action.done", ("done", "fait", "terminé", "termine"), done, check=an_action_id
                ),
            ),
            usage="actions.usage",
        ),
        Command(
            ("actions",), (Subcommand("actions", (), show, alone=True),), usage="actions.usage"
        ),
    ]
