"""Per-team figures: below K, complementary suppression, overlapping teams, known people."""

from __future__ import annotations

from bot.pulses.reporting import Asked, teams_shown

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
