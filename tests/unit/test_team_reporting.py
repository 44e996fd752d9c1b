"""Per-team figures: below K, complementary suppression, overlapping teams, known people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.pulses.reporting import AnonymityRules, Asked, teams_shown

ITEMS = ("predictability", "focus")


def people(count: int, *teams: str, counted: bool = True, answered: bool = True) -> list[Asked]:
    items = frozenset(ITEMS) if answered else frozenset()
    return [Asked(frozenset(teams), counted, items) for _ in range(count)]


def test_below_k_and_the_next_smallest_hidden_when_the_teams_make_the_whole() -> None:
    everyone = people(8, "a") + people(6, "b") + people(4, "c")
    shown = teams_shown(everyone, ["a", "b", "c"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "b": "complement", "c": "few"}
    assert shown.items["a"] == frozenset(ITEMS)
    assert not shown.items["b"]
    assert not shown.items["c"]


def test_with_k_people_outside_every_team_the_two_larger_teams_show() -> None:
    everyone = people(8, "a") + people(6, "b") + people(4, "c") + people(1)
    shown = teams_shown(everyone, ["a", "b", "c"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "b": None, "c": "few"}  # c and the one: 5 people
    fewer = people(8, "a") + people(6, "b") + people(4, "c")[:3] + people(1)
    assert teams_shown(fewer, ["a", "b", "c"], ITEMS, threshold=5).hidden["b"] == "complement"


def test_every_team_at_k_shows() -> None:
    everyone = people(8, "a") + people(6, "b") + people(5, "c")
    shown = teams_shown(everyone, ["a", "b", "c"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "b": None, "c": None}


def test_a_team_inside_another_hides_when_the_difference_is_below_k() -> None:
    """Platform (8) holds SRE (6): Platform minus SRE would be two people."""
    everyone = people(6, "platform", "sre") + people(2, "platform") + people(10)
    shown = teams_shown(everyone, ["platform", "sre"], ITEMS, threshold=5)
    assert shown.hidden == {"platform": None, "sre": "complement"}
    wider = people(6, "platform", "sre") + people(5, "platform") + people(10)
    assert teams_shown(wider, ["platform", "sre"], ITEMS, threshold=5).hidden["sre"] is None


def test_overlapping_teams_never_leave_a_shared_handful_alone() -> None:
    """Web (7) and Mobile (7) share two people: each minus the other would be five, but
    the organisation minus both, and the overlap, must hold K too."""
    everyone = people(5, "web") + people(2, "web", "mobile") + people(5, "mobile") + people(6)
    shown = teams_shown(everyone, ["web", "mobile"], ITEMS, threshold=5)
    assert [team for team, why in shown.hidden.items() if why is None] == ["web"]


def test_known_people_do_not_make_a_team_or_a_leftover_group_showable() -> None:
    everyone = people(8, "a") + people(6, "b") + people(5, "c", counted=False) + people(5, "c")
    shown = teams_shown(everyone, ["a", "b", "c"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "b": None, "c": None}
    leaders = people(8, "a") + people(6, "b") + people(2, counted=False)
    assert teams_shown(leaders, ["a", "b"], ITEMS, threshold=5).hidden["b"] == "complement"


def test_participation_counts_everyone_asked_and_scores_rest_on_who_answered() -> None:
    everyone = people(8, "a") + people(9, "b", answered=False) + people(6, "b")
    shown = teams_shown(everyone, ["a", "b"], ITEMS, threshold=5)
    assert shown.groups["b"].asked == 15
    assert shown.groups["b"].respondents == 6
    assert shown.hidden == {"a": None, "b": None}


def test_a_statement_few_answered_hides_for_that_team_only() -> None:
    skipped = [Asked(frozenset({"b"}), True, frozenset({"focus"})) for _ in range(2)]
    everyone = people(8, "a") + people(4, "b") + skipped + people(6)
    shown = teams_shown(everyone, ["a", "b"], ITEMS, threshold=5)
    assert shown.items["b"] == frozenset({"focus"})
    assert shown.items["a"] == frozenset(ITEMS)


def test_a_team_asked_nearly_the_same_days_ago_is_hidden() -> None:
    everyone = people(8, "a") + people(8, "b")
    shown = teams_shown(everyone, ["a", "b"], ITEMS, threshold=5, changed={"b"})
    assert shown.hidden == {"a": None, "b": "changed"}


def test_a_manager_does_not_count_toward_k_in_the_team_they_read() -> None:
    """Payments has five people, one of them its manager, who reads its results and knows
    their own answer: four remain, fewer than K = 5."""
    manager = Asked(frozenset({"payments"}), True, frozenset(ITEMS), frozenset({"payments"}))
    everyone = [manager, *people(4, "payments"), *people(8, "search"), *people(6)]
    shown = teams_shown(everyone, ["payments", "search"], ITEMS, threshold=5)
    assert shown.hidden["payments"] == "known"
    assert shown.hidden["search"] is None
    assert teams_shown([*everyone, *people(1, "payments")], ["payments"], ITEMS, 5).hidden == {
        "payments": None
    }


def test_a_team_short_of_answers_to_a_statement_costs_no_other_team_that_statement() -> None:
    """Team t (8 people) answered "predictability" only three times: t does not show it, and
    the smaller team u (6), which every one of its people answered, still does."""
    partial = [Asked(frozenset({"t"}), True, frozenset({"focus"})) for _ in range(5)]
    everyone = people(3, "t") + partial + people(6, "u") + people(6)
    shown = teams_shown(everyone, ["t", "u"], ITEMS, threshold=5)
    assert shown.items["u"] == frozenset(ITEMS)
    assert shown.items["t"] == frozenset({"focus"})
    assert shown.hidden == {"t": None, "u": None}


def test_a_statement_no_one_in_a_team_answered_is_not_shown_for_it() -> None:
    skipped = [Asked(frozenset({"t"}), True, frozenset({"focus"})) for _ in range(6)]
    everyone = skipped + people(8, "u") + people(6)
    shown = teams_shown(everyone, ["t", "u"], ITEMS, threshold=5)
    assert shown.items["t"] == frozenset({"focus"})
    assert shown.items["u"] == frozenset(ITEMS)


@pytest.mark.parametrize(("outsiders", "hidden"), [(4, "complement"), (5, None)])
def test_two_known_people_outside_every_team_leave_k_counted_or_not(
    outsiders: int, hidden: str | None
) -> None:
    """The organisation minus a and b is two known people and the counted outsiders: it
    must hold K counted answers for b to show beside a, whatever order people come in."""
    everyone = people(8, "a") + people(6, "b") + people(2, counted=False) + people(outsiders)
    for order in (everyone, everyone[::-1]):
        shown = teams_shown(order, ["a", "b"], ITEMS, threshold=5)
        assert shown.hidden == {"a": None, "b": hidden}


@pytest.mark.parametrize(("outsiders", "hidden"), [(4, "complement"), (5, None)])
def test_a_manager_outside_every_team_is_known_in_the_leftover_group(
    outsiders: int, hidden: str | None
) -> None:
    """b's manager, in no team's roster, reads b's results and knows their own answer: the
    people outside a and b are K counted only without them."""
    manager = Asked(frozenset(), True, frozenset(ITEMS), frozenset({"b"}))
    everyone = people(8, "a") + people(6, "b") + [manager] + people(outsiders)
    shown = teams_shown(everyone, ["a", "b"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "b": hidden}


@pytest.mark.parametrize(("answered", "shown"), [(4, False), (5, True), (6, True)])
def test_a_statement_shows_for_a_team_from_exactly_k_counted_answers(
    answered: int, shown: bool
) -> None:
    """Team c has six counted respondents; only `answered` of them gave "predictability"."""
    skipped = [Asked(frozenset({"c"}), True, frozenset({"focus"})) for _ in range(6 - answered)]
    everyone = people(8, "a") + people(answered, "c") + skipped + people(6)
    result = teams_shown(everyone, ["a", "c"], ITEMS, threshold=5)
    assert ("predictability" in result.items["c"]) is shown
    assert "focus" in result.items["c"]
    assert result.items["a"] == frozenset(ITEMS)


def test_a_known_persons_answer_never_makes_up_a_teams_k_for_a_statement() -> None:
    """Team c: six counted respondents, but "predictability" has four counted answers and one
    from a known person. c does not show it, and u (five) still does."""
    skipped = [Asked(frozenset({"c"}), True, frozenset({"focus"})) for _ in range(2)]
    known = people(1, "c", counted=False)
    everyone = people(4, "c") + skipped + known + people(5, "u") + people(6)
    shown = teams_shown(everyone, ["c", "u"], ITEMS, threshold=5)
    assert shown.items["c"] == frozenset({"focus"})
    assert shown.items["u"] == frozenset(ITEMS)


def test_a_teams_stored_figures_leave_out_its_manager_and_known_people() -> None:
    """Kept with each team at the close: asked and answered, and both without the people
    whose answers the readers can know (a known person, the team's own manager)."""
    manager = Asked(frozenset({"b"}), True, frozenset(ITEMS), frozenset({"b"}))
    silent = people(3, "b", answered=False)
    everyone = [manager, *people(6, "b"), *people(1, "b", counted=False), *silent, *people(9)]
    group = teams_shown(everyone, ["b"], ITEMS, threshold=5).groups["b"]
    assert (group.asked, group.respondents) == (11, 8)
    assert (group.counted_asked, group.counted_respondents) == (9, 6)


def test_the_rules_given_decide_a_teams_k() -> None:
    """With rules that allow K = 2, teams of two show; the shipped rules raise K to 3."""
    loose = AnonymityRules(
        min_threshold=2, max_threshold=20, distribution_floor=3, repeat_window=timedelta(days=2)
    )
    everyone = people(2, "a") + people(2, "b") + people(2)
    shown = teams_shown(everyone, ["a", "b"], ITEMS, threshold=2, rules=loose)
    assert shown.hidden == {"a": None, "b": None}
    assert shown.items["b"] == frozenset(ITEMS)
    assert teams_shown(everyone, ["a", "b"], ITEMS, threshold=2).hidden == {"a": "few", "b": "few"}


def test_a_team_hidden_for_one_statement_by_the_complement_still_shows_the_others() -> None:
    """Three of the people outside every team answered "predictability": shown for a and b,
    it would give those three away, so b (the smaller) loses it, and only it."""
    outside = people(3) + [Asked(frozenset(), True, frozenset({"focus"})) for _ in range(3)]
    everyone = people(8, "a") + people(6, "b") + outside
    shown = teams_shown(everyone, ["a", "b"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "b": None}
    assert shown.items["b"] == frozenset({"focus"})
    assert shown.items["a"] == frozenset(ITEMS)


def test_a_team_with_no_statement_at_k_is_not_said_to_be_hidden_by_the_complement() -> None:
    """Team c has six respondents but three answers to each statement: it shows nothing, for
    want of answers, not because of the other teams."""
    halves = [Asked(frozenset({"c"}), True, frozenset({item})) for item in ITEMS for _ in range(3)]
    shown = teams_shown(people(8, "a") + halves + people(6), ["a", "c"], ITEMS, threshold=5)
    assert shown.hidden == {"a": None, "c": None}
    assert shown.items["c"] == frozenset()
