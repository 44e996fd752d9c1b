"""The ownership map, the roles and the leadership team, as messages."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, HeaderBlock

from bot.blocks import Message, context, mrkdwn_sections, to_dicts
from bot.blocks.people import mention, mentions
from bot.core.i18n import Catalog, Lang, day
from bot.ownership.assignments import ROLES, Assignments, who_owns
from bot.qa.knowledge import KnowledgeBase


def render_roles(team: Assignments, catalog: Catalog, lang: Lang) -> Message:
    lines = []
    for role in ROLES:
        name = catalog.t(f"roles.{role}", lang)
        holder = team.holder(role)
        if holder:
            lines.append(catalog.t("roles_cmd.held", lang, role=name, person=mention(holder)))
        elif team.vacant(role):
            lines.append(catalog.t("roles_cmd.vacant", lang, role=name))
        else:
            lines.append(catalog.t("roles_cmd.unknown", lang, role=name))
    return listing(
        catalog.t("roles_cmd.title", lang), lines, catalog.t("roles_cmd.how", lang), catalog, lang
    )


def owner_lines(kb: KnowledgeBase, team: Assignments, catalog: Catalog, lang: Lang) -> list[str]:
    """One line per area: its default owner by role, and who owns it in this team."""
    lines = []
    for entry in kb.areas():
        assert entry.owner is not None
        resp = who_owns(entry.id, entry.owner, team)
        people = mentions(resp.people, catalog, lang)
        if resp.handover_due is not None:
            due = day(resp.handover_due, lang)
            here = catalog.t("owners_cmd.handing_over", lang, people=people or "CTO", date=due)
        elif resp.assigned:
            here = catalog.t("owners_cmd.assigned", lang, people=people)
        elif resp.people:
            here = people
        else:
            here = catalog.t("owners_cmd.nobody", lang)
        default = catalog.t(f"roles.{entry.owner}", lang)
        lines.append(
            catalog.t("owners_cmd.line", lang, area=entry.title[lang], default=default, here=here)
        )
    return lines


def render_owners(kb: KnowledgeBase, team: Assignments, catalog: Catalog, lang: Lang) -> Message:
    lines = owner_lines(kb, team, catalog, lang)
    return listing(
        catalog.t("owners_cmd.title", lang), lines, catalog.t("owners_cmd.how", lang), catalog, lang
    )


def render_leaders(listed: Sequence[str], catalog: Catalog, lang: Lang) -> Message:
    lines = [catalog.t("leaders_cmd.always", lang)]
    if listed:
        people = mentions(listed, catalog, lang)
        lines.append(catalog.t("leaders_cmd.added", lang, people=people))
    else:
        lines.append(catalog.t("leaders_cmd.none_added", lang))
    return listing(
        catalog.t("leaders_cmd.title", lang),
        lines,
        catalog.t("leaders_cmd.how", lang),
        catalog,
        lang,
    )


def listing(title: str, lines: list[str], footer: str, catalog: Catalog, lang: Lang) -> Message:
    blocks: list[Block] = [HeaderBlock(text=title), *mrkdwn_sections(lines), context(footer)]
    return Message(text=fallback_text(title, lines, catalog, lang), blocks=to_dicts(blocks))


def fallback_text(title: str, lines: Sequence[str], catalog: Catalog, lang: Lang) -> str:
    """A message's notification text: "Settings: a; b" / "Réglages : a ; b"."""
    joined = catalog.t("fallback.separator", lang).join(line.replace("*", "") for line in lines)
    return catalog.t("fallback.titled", lang, title=title, text=joined)
