"""The copy reads natively: counts agree with their nouns at 0, 1, 2 and many in both
languages, French punctuation is spaced the French way, and French scores and dates are
written the French way."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.blocks.delivery import DeliveryWords
from bot.blocks.results import render_results
from bot.blocks.signals import SignalWords
from bot.blocks.time import plain_date
from bot.core.i18n import LANGS, default_catalog, is_plural, placeholders
from bot.handlers.help import command_docs
from bot.pulses.questions import pulse_content
from bot.pulses.reporting import Group, disclosure
from bot.pulses.results import ItemResult, PulseResults
from bot.qa.knowledge import load_knowledge
from bot.signals.assess import CheckinsEvidence, ComingEvent
from bot.signals.rules import signals_config
from bot.storage.models import Pulse
from bot.team.actions import Action

CATALOG = default_catalog()
COUNTS = (0, 1, 2, 1234)

# The search should have started, or starts this month: the same count, said the same way.
TO_HIRE = (
    (
        "with 0 months to hire",
        "with 1 month to hire",
        "with 2 months to hire",
        "with 1,234 months to hire",
    ),
    (
        "avec 0 mois de recrutement",
        "avec 1 mois de recrutement",
        "avec 2 mois de recrutement",
        "avec 1\u202f234 mois de recrutement",
    ),
)

# Every message that carries a count, with the words that must go with each count: the
# sentence at 0, 1, 2 and 1234 in English, then in French (French says 0 and 1 in the
# singular). `by` names the count when it is not {count}.
FORMS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "ask.review.totals": (
        "refused",
        ("0 refused", "1 refused", "2 refused", "1,234 refused"),
        ("0 refusée", "1 refusée", "2 refusées", "1\u202f234 refusées"),
    ),
    "pulse.dm.fallback": (
        "count",
        (
            "0 quick statements",
            "1 quick statement ",
            "2 quick statements",
            "1,234 quick statements",
        ),
        ("0 affirmation à", "1 affirmation à", "2 affirmations", "1\u202f234 affirmations"),
    ),
    "pulse.dm.progress": (
        "done",
        ("0 of", "1 of", "2 of", "1,234 of"),
        ("0 réponse sur", "1 réponse sur", "2 réponses sur", "1\u202f234 réponses sur"),
    ),
    "pulse.cmd.started": (
        "count",
        ("to 0 people", "to 1 person", "to 2 people", "to 1,234 people"),
        ("à 0 personne ", "à 1 personne ", "à 2 personnes", "à 1\u202f234 personnes"),
    ),
    "handover.progress": (
        "done",
        ("0 of X areas", "1 of X areas", "2 of X areas", "1,234 of X areas"),
        ("0 sujet transmis", "1 sujet transmis", "2 sujets transmis", "1\u202f234 sujets transmis"),
    ),
    "pulse.cmd.closed": (
        "answered",
        ("0/", "1/", "2/", "1,234/"),
        (
            "0 personne sur 9 a répondu",
            "1 personne sur 9 a répondu",
            "2 personnes sur 9 ont répondu",
            "1\u202f234 personnes sur 9 ont répondu",
        ),
    ),
    "pulse.cmd.counted_few": (
        "counted",
        (
            "only 0 of them count ",
            "only 1 of them counts ",
            "only 2 of them count ",
            "only 1,234 of them count ",
        ),
        (
            "seule 0 de ces personnes compte ",
            "seule 1 de ces personnes compte ",
            "seules 2 de ces personnes comptent",
            "seules 1\u202f234 de ces personnes comptent",
        ),
    ),
    "pulse.cmd.counted_averages": (
        "counted",
        ("0 of them count ", "1 of them counts ", "2 of them count ", "1,234 of them count "),
        (
            "0 de ces personnes compte ",
            "1 de ces personnes compte ",
            "2 de ces personnes comptent",
            "1\u202f234 de ces personnes comptent",
        ),
    ),
    "pulse.cmd.people": (
        "count",
        ("0 people", "1 person", "2 people", "1,234 people"),
        ("0 personne", "1 personne", "2 personnes", "1\u202f234 personnes"),
    ),
    "pulse.cmd.days": (
        "count",
        ("0 days", "1 day", "2 days", "1,234 days"),
        ("0 jour", "1 jour", "2 jours", "1\u202f234 jours"),
    ),
    "pulse.cmd.statements": (
        "count",
        ("0 statements", "1 statement", "2 statements", "1,234 statements"),
        ("0 affirmation", "1 affirmation", "2 affirmations", "1\u202f234 affirmations"),
    ),
    "pulse.status.participation": (
        "answered",
        ("*0/9 answered*",) * 1 + ("*1/9", "*2/9", "*1,234/9"),
        (
            "0 personne sur 9 a répondu",
            "1 personne sur 9 a répondu",
            "2 personnes sur 9 ont répondu",
            "1\u202f234 personnes sur 9 ont répondu",
        ),
    ),
    "pulse.status.sending": (
        "count",
        ("to 0 people", "to 1 person", "to 2 people", "to 1,234 people"),
        ("à 0 personne.", "à 1 personne.", "à 2 personnes.", "à 1\u202f234 personnes."),
    ),
    "pulse.status.failed": (
        "count",
        ("0 people could", "1 person could", "2 people could", "1,234 people could"),
        (
            "0 personne n’a pas pu être jointe",
            "1 personne n’a pas pu être jointe",
            "2 personnes n’ont pas pu être jointes",
            "1\u202f234 personnes n’ont pas pu être jointes",
        ),
    ),
    "results.participation": (
        "answered",
        ("*0/9", "*1/9", "*2/9", "*1,234/9"),
        (
            "0 personne sur 9 a répondu",
            "1 personne sur 9 a répondu",
            "2 personnes sur 9 ont répondu",
            "1\u202f234 personnes sur 9 ont répondu",
        ),
    ),
    "results.below": (
        "answered",
        (
            "Only 0 people answered",
            "Only 1 person answered",
            "Only 2 people answered",
            "Only 1,234 people answered",
        ),
        (
            "Seulement 0 réponse.",
            "Seulement 1 réponse.",
            "Seulement 2 réponses.",
            "Seulement 1\u202f234 réponses.",
        ),
    ),
    "results.known": (
        "answered",
        ("0 people answered", "1 person answered", "2 people answered", "1,234 people answered"),
        ("0 réponse,", "1 réponse,", "2 réponses,", "1\u202f234 réponses,"),
    ),
    "results.item": (
        "count",
        ("· 0 answers ·", "· 1 answer ·", "· 2 answers ·", "· 1,234 answers ·"),
        ("· 0 réponse ·", "· 1 réponse ·", "· 2 réponses ·", "· 1\u202f234 réponses ·"),
    ),
    "results.item_average": (
        "count",
        ("· 0 answers", "· 1 answer", "· 2 answers", "· 1,234 answers"),
        ("· 0 réponse", "· 1 réponse", "· 2 réponses", "· 1\u202f234 réponses"),
    ),
    "results.more_comments": (
        "count",
        ("0 more comments", "1 more comment:", "2 more comments", "1,234 more comments"),
        (
            "0 autre commentaire\u00a0:",
            "1 autre commentaire\u00a0:",
            "2 autres commentaires",
            "1\u202f234 autres commentaires",
        ),
    ),
    "results.comments_sent": (
        "count",
        ("the 0 comments", "the 1 comment of", "the 2 comments", "the 1,234 comments"),
        (
            "envoyé 0 commentaire de",
            "envoyé 1 commentaire de",
            "les 2 commentaires",
            "les 1\u202f234 commentaires",
        ),
    ),
    "results.too_far": (
        "count",
        (
            "are only 0 closed pulses",
            "is only 1 closed pulse",
            "are only 2 closed pulses",
            "are only 1,234 closed pulses",
        ),
        ("que 0 pulse clos", "que 1 pulse clos", "que 2 pulses clos", "que 1\u202f234 pulses clos"),
    ),
    "signals.pulses": (
        "count",
        ("0 pulses", "1 pulse", "2 pulses", "1,234 pulses"),
        ("0 pulse", "1 pulse", "2 pulses", "1\u202f234 pulses"),
    ),
    "signals.checkins": (
        "count",
        ("0 CTO check-ins", "1 CTO check-in", "2 CTO check-ins", "1,234 CTO check-ins"),
        ("0 point CTO", "1 point CTO", "2 points CTO", "1\u202f234 points CTO"),
    ),
    "evidence.dimension_falling": (
        "count",
        ("over 0 pulses", "over 1 pulse:", "over 2 pulses", "over 1,234 pulses"),
        ("sur 0 pulse\u00a0:", "sur 1 pulse\u00a0:", "sur 2 pulses", "sur 1\u202f234 pulses"),
    ),
    "evidence.event": (
        "months",
        ("in 0 months", "in 1 month", "in 2 months", "in 1,234 months"),
        ("dans 0 mois", "dans 1 mois", "dans 2 mois", "dans 1\u202f234 mois"),
    ),
    "evidence.engineers": (
        "count",
        ("0 engineers", "1 engineer", "2 engineers", "1,234 engineers"),
        ("0 ingénieur", "1 ingénieur", "2 ingénieurs", "1\u202f234 ingénieurs"),
    ),
    "evidence.teams": (
        "count",
        ("0 teams", "1 team", "2 teams", "1,234 teams"),
        ("0 équipe", "1 équipe", "2 équipes", "1\u202f234 équipes"),
    ),
    "evidence.managers": (
        "count",
        ("0 managers", "1 manager", "2 managers", "1,234 managers"),
        ("0 manager", "1 manager", "2 managers", "1\u202f234 managers"),
    ),
    "digest.participation": (
        "answered",
        ("*0/9", "*1/9", "*2/9", "*1,234/9"),
        (
            "0 personne sur 9 a répondu",
            "1 personne sur 9 a répondu",
            "2 personnes sur 9 ont répondu",
            "1\u202f234 personnes sur 9 ont répondu",
        ),
    ),
    "forget.deliveries": (
        "count",
        ("0 pulse deliveries", "1 pulse delivery", "2 pulse deliveries", "1,234 pulse deliveries"),
        ("0 envoi de pulse", "1 envoi de pulse", "2 envois de pulse", "1\u202f234 envois de pulse"),
    ),
    "forget.answers": (
        "count",
        ("0 answers", "1 answer", "2 answers", "1,234 answers"),
        ("0 réponse", "1 réponse", "2 réponses", "1\u202f234 réponses"),
    ),
    "forget.comments": (
        "count",
        ("0 comments", "1 comment", "2 comments", "1,234 comments"),
        ("0 commentaire", "1 commentaire", "2 commentaires", "1\u202f234 commentaires"),
    ),
    "forget.checkins": (
        "count",
        ("0 CTO check-ins", "1 CTO check-in", "2 CTO check-ins", "1,234 CTO check-ins"),
        ("0 point CTO", "1 point CTO", "2 points CTO", "1\u202f234 points CTO"),
    ),
    "forget.roles": (
        "count",
        ("0 roles", "1 role", "2 roles", "1,234 roles"),
        ("0 rôle", "1 rôle", "2 rôles", "1\u202f234 rôles"),
    ),
    "forget.areas": (
        "count",
        ("0 area assignments", "1 area assignment", "2 area assignments", "1,234 area assignments"),
        ("0 sujet confié", "1 sujet confié", "2 sujets confiés", "1\u202f234 sujets confiés"),
    ),
    "forget.leadership": (
        "count",
        (
            "0 leadership entries",
            "1 leadership entry",
            "2 leadership entries",
            "1,234 leadership entries",
        ),
        (
            "0 entrée de direction",
            "1 entrée de direction",
            "2 entrées de direction",
            "1\u202f234 entrées de direction",
        ),
    ),
    "forget.unlinked": (
        "count",
        (
            "0 comments on closed pulses stay",
            "1 comment on a closed pulse stays",
            "2 comments on closed pulses stay",
            "1,234 comments on closed pulses stay",
        ),
        (
            "0 commentaire sur un pulse clos reste",
            "1 commentaire sur un pulse clos reste",
            "2 commentaires sur des pulses clos restent",
            "1\u202f234 commentaires sur des pulses clos restent",
        ),
    ),
    "teams.sources_to_org": (
        "count",
        (
            "Its 0 delivery sources X now count",
            "Its delivery source X now counts",
            "Its 2 delivery sources X now count",
            "Its 1,234 delivery sources X now count",
        ),
        (
            "Sa source de delivery X ne compte",
            "Sa source de delivery X ne compte",
            "Ses 2 sources de delivery X ne comptent",
            "Ses 1\u202f234 sources de delivery X ne comptent",
        ),
    ),
    "report.weeks": (
        "count",
        ("0 weeks", "1 week", "2 weeks", "1,234 weeks"),
        ("0 semaine", "1 semaine", "2 semaines", "1\u202f234 semaines"),
    ),
    "report.verdict_now": (
        "points",
        ("Today (0 points)", "Today (1 point)", "Today (2 points)", "Today (1,234 points)"),
        (
            "Aujourd’hui (0 point)",
            "Aujourd’hui (1 point)",
            "Aujourd’hui (2 points)",
            "Aujourd’hui (1\u202f234 points)",
        ),
    ),
    "report.change_line": (
        "points",
        ("X (0 points)", "X (1 point)", "X (2 points)", "X (1,234 points)"),
        ("X (0 point)", "X (1 point)", "X (2 points)", "X (1\u202f234 points)"),
    ),
    "report.search_by": (
        "months",
        (
            "(time to hire: 0 months)",
            "(time to hire: 1 month)",
            "(time to hire: 2 months)",
            "(time to hire: 1,234 months)",
        ),
        (
            "(délai de recrutement\u00a0: 0 mois)",
            "(délai de recrutement\u00a0: 1 mois)",
            "(délai de recrutement\u00a0: 2 mois)",
            "(délai de recrutement\u00a0: 1\u202f234 mois)",
        ),
    ),
    "report.search_now": ("months", *TO_HIRE),
    "report.search_late": ("months", *TO_HIRE),
    "report.pulse_shown": (
        "answered",
        (
            "X: 0 of 9 answered",
            "X: 1 of 9 answered",
            "X: 2 of 9 answered",
            "X: 1,234 of 9 answered",
        ),
        (
            "X\u00a0: 0 réponse sur 9",
            "X\u00a0: 1 réponse sur 9",
            "X\u00a0: 2 réponses sur 9",
            "X\u00a0: 1\u202f234 réponses sur 9",
        ),
    ),
    "report.compare_basis": (
        "before",
        (": 0 pulses before", ": 1 pulse before", ": 2 pulses before", ": 1,234 pulses before"),
        (": 0 pulse avant", ": 1 pulse avant", ": 2 pulses avant", ": 1\u202f234 pulses avant"),
    ),
    "report.sent": (
        "weeks",
        ("report (0 weeks)", "report (1 week)", "report (2 weeks)", "report (1,234 weeks)"),
        (
            "décision (0 semaine)",
            "décision (1 semaine)",
            "décision (2 semaines)",
            "décision (1\u202f234 semaines)",
        ),
    ),
    "report.hire_saved": (
        "months",
        (
            "takes 0 months here",
            "takes 1 month here",
            "takes 2 months here",
            "takes 1,234 months here",
        ),
        ("prend ici 0 mois", "prend ici 1 mois", "prend ici 2 mois", "prend ici 1\u202f234 mois"),
    ),
    "actions.summary": (
        "open",
        (
            "*Actions*: 0 open,",
            "*Actions*: 1 open,",
            "*Actions*: 2 open,",
            "*Actions*: 1,234 open,",
        ),
        ("0 ouverte, dont", "1 ouverte, dont", "2 ouvertes, dont", "1\u202f234 ouvertes, dont"),
    ),
    "actions.summary_on_time": (
        "open",
        (
            "*Actions*: 0 open, 0 overdue",
            "*Actions*: 1 open, 0 overdue",
            "*Actions*: 2 open, 0 overdue",
            "*Actions*: 1,234 open, 0 overdue",
        ),
        (
            "0 ouverte, aucune",
            "1 ouverte, aucune",
            "2 ouvertes, aucune",
            "1\u202f234 ouvertes, aucune",
        ),
    ),
    "teams.people": (
        "count",
        ("0 people", "1 person", "2 people", "1,234 people"),
        ("0 personne", "1 personne", "2 personnes", "1\u202f234 personnes"),
    ),
    "teams.too_many": (
        "most",
        (
            "have 0 teams, the most",
            "have 1 team, the most",
            "have 2 teams, the most",
            "have 1,234 teams, the most",
        ),
        (
            "déjà 0 équipe, le maximum",
            "déjà 1 équipe, le maximum",
            "déjà 2 équipes, le maximum",
            "déjà 1\u202f234 équipes, le maximum",
        ),
    ),
    "team_results.participation": (
        "answered",
        ("0/9 answered", "1/9 answered", "2/9 answered", "1,234/9 answered"),
        (
            "0 personne sur 9 a répondu",
            "1 personne sur 9 a répondu",
            "2 personnes sur 9 ont répondu",
            "1\u202f234 personnes sur 9 ont répondu",
        ),
    ),
    "quiet.setting": (
        "own",
        ("0 of your own", "1 of your own", "2 of your own", "1,234 of your own"),
        (
            "0 choisi par vous",
            "1 choisi par vous",
            "2 choisis par vous",
            "1\u202f234 choisis par vous",
        ),
    ),
    "quiet.away": (
        "count",
        ("(0 away)", "(1 away)", "(2 away)", "(1,234 away)"),
        (
            "(0 personne absente)",
            "(1 personne absente)",
            "(2 personnes absentes)",
            "(1\u202f234 personnes absentes)",
        ),
    ),
    "evidence.team_low": (
        "count",
        (
            "over the last 0 pulses",
            "over the last 1 pulse",
            "over the last 2 pulses",
            "over the last 1,234 pulses",
        ),
        (
            "sur 0 pulse",
            "sur 1 pulse",
            "sur les 2 derniers pulses",
            "sur les 1\u202f234 derniers pulses",
        ),
    ),
    "evidence.team_falling": (
        "count",
        (
            "over the last 0 pulses,",
            "over the last 1 pulse,",
            "over the last 2 pulses,",
            "over the last 1,234 pulses,",
        ),
        (
            "sur 0 pulse,",
            "sur 1 pulse,",
            "sur les 2 derniers pulses,",
            "sur les 1\u202f234 derniers pulses,",
        ),
    ),
    "results.within_noise": (
        "count",
        (
            "within noise for 0 answers",
            "within noise for 1 answer",
            "within noise for 2 answers",
            "within noise for 1,234 answers",
        ),
        ("avec 0 réponse", "avec 1 réponse", "avec 2 réponses", "avec 1\u202f234 réponses"),
    ),
    "digest.change_noise": (
        "count",
        (
            "within noise for 0 answers)",
            "within noise for 1 answer)",
            "within noise for 2 answers)",
            "within noise for 1,234 answers)",
        ),
        ("avec 0 réponse)", "avec 1 réponse)", "avec 2 réponses)", "avec 1\u202f234 réponses)"),
    ),
    "delivery.now": (
        "trend",
        (
            "trend over 0 weeks:",
            "trend over 1 week:",
            "trend over 2 weeks:",
            "trend over 1,234 weeks:",
        ),
        (
            "tendance sur 0 semaine\u00a0:",
            "tendance sur 1 semaine\u00a0:",
            "tendance sur 2 semaines\u00a0:",
            "tendance sur 1\u202f234 semaines\u00a0:",
        ),
    ),
    "delivery.days": (
        "value",
        ("0 days", "1 day", "2 days", "1,234 days"),
        ("0 jour", "1 jour", "2 jours", "1\u202f234 jours"),
    ),
    "delivery.sync.started": (
        "count",
        (
            "Reading 0 delivery sources…",
            "Reading 1 delivery source…",
            "Reading 2 delivery sources…",
            "Reading 1,234 delivery sources…",
        ),
        (
            "Lecture de 0 source de",
            "Lecture de 1 source de",
            "Lecture de 2 sources de",
            "Lecture de 1\u202f234 sources de",
        ),
    ),
    "delivery.evidence.lead_rise": (
        "end",
        ("to 0 days over", "to 1 day over", "to 2 days over", "to 1,234 days over"),
        ("à 0 jour en", "à 1 jour en", "à 2 jours en", "à 1\u202f234 jours en"),
    ),
    "delivery.evidence.sprints_under": (
        "under",
        (
            "0 of the last X sprints finished under X of their scope",
            "1 of the last X sprints finished under X of its scope",
            "2 of the last X sprints finished under X of their scope",
            "1,234 of the last X sprints finished under X of their scope",
        ),
        (
            "0 des X derniers sprints a terminé",
            "1 des X derniers sprints a terminé",
            "2 des X derniers sprints ont terminé",
            "1\u202f234 des X derniers sprints ont terminé",
        ),
    ),
    "delivery.digest.fact_lead": (
        "end",
        ("to 0 days", "to 1 day", "to 2 days", "to 1,234 days"),
        ("à 0 jour", "à 1 jour", "à 2 jours", "à 1\u202f234 jours"),
    ),
    "delivery.evidence.failure_rate": (
        "weeks",
        (
            "over the last 0 weeks",
            "over the last week",
            "over the last 2 weeks",
            "over the last 1,234 weeks",
        ),
        (
            "la semaine dernière",
            "la semaine dernière",
            "ces 2 dernières semaines",
            "ces 1\u202f234 dernières semaines",
        ),
    ),
    "delivery.source_line": (
        "deploys",
        ("0 deploys a week", "1 deploy a week", "2 deploys a week", "1,234 deploys a week"),
        (
            "0 mise en production par",
            "1 mise en production par",
            "2 mises en production",
            "1\u202f234 mises en production",
        ),
    ),
    "export.sent": (
        "rows",
        ("(0 rows)", "(1 row)", "(2 rows)", "(1,234 rows)"),
        ("(0 ligne)", "(1 ligne)", "(2 lignes)", "(1\u202f234 lignes)"),
    ),
}


def filled(key: str, lang: str, **given: object) -> str:
    entry = CATALOG.raw(key, lang)  # type: ignore[arg-type]
    forms = [entry["other"], *entry.values()] if is_plural(entry) else [entry]
    names = set().union(*(placeholders(form) for form in forms if isinstance(form, str)))
    values: dict[str, object] = {
        name: 9 if name in ("asked", "threshold") else "X" for name in names
    }
    return CATALOG.t(key, lang, **(values | given))  # type: ignore[arg-type]


@pytest.mark.parametrize("key", sorted(FORMS))
def test_every_count_agrees_with_its_words_in_both_languages(key: str) -> None:
    by, english, french = FORMS[key]
    for count, en, fr in zip(COUNTS, english, french, strict=True):
        assert en in filled(key, "en", **{by: count}), (key, count)
        assert fr in filled(key, "fr", **{by: count}), (key, count)


def test_every_message_with_a_count_is_covered() -> None:
    counted = {
        key
        for key in CATALOG.message_keys()
        if any(is_plural(CATALOG.raw(key, lang)) for lang in LANGS)
    }
    assert counted <= set(FORMS), sorted(counted - set(FORMS))


# Outside code spans, no ordinary space before ? ! : ; (an emoji code " :x:" is not
# punctuation).
_CODE = re.compile(r"`[^`]*`")
_LOOSE = re.compile(r" [?!;%]| :(?!\w+:)")


def french_copy() -> list[tuple[str, str]]:
    found = []
    for key in CATALOG.message_keys():
        entry = CATALOG.raw(key, "fr")
        if isinstance(entry, str) or is_plural(entry):
            counts = COUNTS if is_plural(entry) else (0,)
            by = str(entry.get("by", "count")) if is_plural(entry) else "count"
            for count in counts:
                found.append((key, filled(key, "fr", **{by: count})))
        elif isinstance(entry, list):
            found += [(key, str(item)) for item in entry]
    for entry in load_knowledge().entries:
        found += [(entry.id, entry.answer["fr"]), (entry.id, entry.title["fr"])]
    for spec in signals_config().signals.values():
        text = spec.text["fr"]
        found += [
            (spec.id, line)
            for line in (text.title, text.meaning, *text.steps, *text.steps_with_vpe)
        ]
    found += [(doc.id, doc.does["fr"]) for doc in command_docs()]
    content = pulse_content()
    found += [(item.id, item.statement["fr"]) for item in content.items]
    found += [("checkin", label) for label in content.operations.labels["fr"]]
    return found


def test_no_french_copy_has_an_ordinary_space_before_punctuation() -> None:
    loose = [(key, text) for key, text in french_copy() if _LOOSE.search(_CODE.sub("", text))]
    assert not loose, loose[:5]


def test_french_apostrophes_are_typographic_outside_code() -> None:
    straight = [
        (key, text) for key, text in french_copy() if re.search(r"\w'\w", _CODE.sub("", text))
    ]
    assert not straight, straight[:5]


def test_typography_leaves_code_mentions_emoji_urls_and_times_alone() -> None:
    from bot.core.typography import french

    text = (
        "Voir `/vpe ask qui ?` : <@U1> ! <https://x.fr/a?b=1|ici> ; <!here> :palm_tree: à 10:00 ?"
    )
    assert french(text) == (
        "Voir `/vpe ask qui ?`\u00a0: <@U1>\u202f! <https://x.fr/a?b=1|ici>\u202f; <!here> "
        ":palm_tree: à 10:00\u202f?"
    )


OPENED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_french_scores_and_dates_are_written_the_french_way() -> None:
    content = pulse_content()
    pulse = Pulse(
        id=7,
        team_id="T1",
        items=[item.id for item in content.items],
        timezone="Europe/Paris",
        opened_at=OPENED,
        closes_at=OPENED,
        closed_at=OPENED,
        audience_label="#tech",
    )
    items = tuple(ItemResult(item, 9, 3.44, 60.0, (1, 2, 3, 2, 1)) for item in content.items)
    shown = disclosure(Group(12, 9, 12, 9, 0), threshold=3)
    results = PulseResults(pulse, 12, 9, shown, items, ())
    french = str(render_results(results, CATALOG, "fr").blocks)
    assert "Moyenne 3,4/5" in french
    assert "3.4" not in french
    assert "Pulse du 28 nov. 2026, clos le 28 nov. 2026" in french
    english = str(render_results(results, CATALOG, "en").blocks)
    assert "Average 3.4/5" in english
    assert "Pulse of Nov 28, 2026" in english
    assert plain_date(OPENED, "Europe/Paris", "fr") == "28 nov. 2026, 10:00 (Europe/Paris)"
    # The notification text (the message's fallback) writes its averages the same way.
    fallback = render_results(results, CATALOG, "fr").text
    assert "3,4/5\u202f; " in fallback
    assert "3.44" not in fallback
    assert "3.4/5" in render_results(results, CATALOG, "en").text


def test_check_in_evidence_quotes_the_range_the_cto_chose_not_a_figure() -> None:
    # The CTO tapped "Over 75%" (stored as 85) and "More than 10" (stored as 12).
    evidence = CheckinsEvidence(((OPENED, 85, 12), (OPENED, 35, 1)))
    words = {
        lang: SignalWords(CATALOG, lang, signals_config(), pulse_content(), load_knowledge())
        for lang in LANGS
    }
    english = words["en"].evidence(evidence)
    assert "over 75% of the week on operations, more than 10 decisions waiting" in english
    assert "25–50% of the week on operations, 0–2 decisions waiting" in english
    french = words["fr"].evidence(evidence)
    assert "plus de 75\u202f% de la semaine dans l’opérationnel, plus de 10 décisions" in french
    assert "28 nov." in french
    for text in (english, french):
        assert "85" not in text
        assert "12 " not in text


def test_events_are_dated_in_words_and_their_months_agree() -> None:
    def words(lang: str) -> SignalWords:
        kb = load_knowledge()
        return SignalWords(CATALOG, lang, signals_config(), pulse_content(), kb)  # type: ignore[arg-type]

    soon = ComingEvent("fundraising", "2027-04", "", 1)
    assert words("en").evidence(soon) == "Fundraising planned for April 2027, in 1 month"
    assert words("fr").evidence(soon) == "Levée de fonds prévue pour avril 2027, dans 1 mois"


def test_the_later_features_write_figures_and_dates_the_french_way() -> None:
    from datetime import date

    from bot.blocks.actions import action_line
    from bot.signals.assess import FailureRate, MetricRise, SprintsUnder, TeamScore

    def words(lang: str) -> SignalWords:
        kb = load_knowledge()
        return SignalWords(CATALOG, lang, signals_config(), pulse_content(), kb)  # type: ignore[arg-type]

    french, english = words("fr"), words("en")
    assert french.evidence(FailureRate("", 0.12, 4)) == (
        "12\u202f% des changements ont échoué ou demandé un correctif ces 4 dernières semaines"
    )
    assert english.evidence(FailureRate("", 0.12, 4)).startswith("12% of changes failed")
    rise = MetricRise("lead_time", "api", 1.04, 3.46, 6)
    assert "passé de 1,0 à 3,5 jours en 6 semaines (api)" in french.evidence(rise)
    assert "rose from 1.0 to 3.5 days over 6 weeks" in english.evidence(rise)
    under = SprintsUnder("", 1, 4, 0.6)
    assert (
        french.evidence(under)
        == "1 des 4 derniers sprints a terminé moins de 60\u202f% de son périmètre"
    )
    team = TeamScore("Paiements", "workload", 2.44, 3, 3.56)
    assert "de 3,6 à 2,4/5 sur les 3 derniers pulses" in french.evidence(team)
    assert "0,5 mise en production par semaine" in DeliveryWords(CATALOG, "fr").t(
        "delivery.source_line", name="api", team="", deploys=0.5, lead="", failure="", restore=""
    )
    plan = Action(1234, "Revue", "U1", date(2027, 1, 15), "open")
    line = action_line(plan, date(2027, 1, 1), CATALOG, "fr")
    assert line.startswith("`n°1234` Revue")
    assert "pour le 15 janv. 2027" in line


def test_french_copy_names_the_french_form_of_results_mine() -> None:
    """The French help gives `/vpe results moi`; every French sentence that points a manager
    there says the same."""
    french = [doc.does["fr"] for doc in command_docs()]
    french += [str(CATALOG.raw(key, "fr")) for key in CATALOG.message_keys()]
    pointing = [text for text in french if "/vpe results m" in text]
    assert pointing, "some French copy points managers at their results"
    assert not [text for text in pointing if "/vpe results mine" in text]


def test_the_french_help_names_the_handover_by_its_french_word_on_every_row() -> None:
    rows = {doc.id: doc.usage_fr or doc.usage for doc in command_docs()}
    assert rows["handover.edit"].startswith("/vpe passation ")
    assert rows["handover.done"].startswith("/vpe passation ")
    assert rows["handover"] == "/vpe passation"
