"""What the organisers' preview says beside the groups: who shares what, and warnings
(a round run soon after the last, members who stopped taking part or changed their
profile since the draft, unbalanced mentoring, an exhausted pool, repeats, the unplaced,
broken rules)."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from members.models import Profile
from pairing.emails.text import and_join
from pairing.kinds import kind_of
from pairing.models import LeftOut, Round, RoundStatus
from pairing.rounds.eligibility import Eligibility
from pairing.rounds.reasons import Unplaced, cause_counts
from pairing.shared_topics import shared_summary


def group_shared(
    shared: list[str],
    members: list[str],
    interests: dict[str, set[str]],
    slugs: dict[str, str],
    names: dict[str, str],
) -> str:
    """The group's shared topics, saying who listed those only some of it share (as the
    introduction does)."""
    holders = {
        slugs.get(slug, slug): {m for m in members if slug in interests.get(m, ())}
        for slug in shared
    }
    return shared_summary(
        [slugs.get(slug, slug) for slug in shared],
        holders,
        {m: names.get(m, "a former member") for m in members},
    )


def too_soon_warning(pairing_round: Round) -> list[str]:
    """Run now, would this round follow the last one much sooner than the cadence (members
    introduced twice in a few days)? Said, not refused: the organiser may mean it."""
    programme = pairing_round.programme
    last = (
        Round.objects.filter(programme=programme, status=RoundStatus.DONE)
        .exclude(pk=pairing_round.pk)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None:
        return []
    now = timezone.now()
    days = (now - last).days
    if days * 2 >= programme.cadence_days:
        return []
    # Worded by calendar day: a round run at 23:00 ran "yesterday", not "today".
    ago = (timezone.localdate(now) - timezone.localdate(last)).days
    if ago <= 0:
        return []  # one round a day: the preview refuses the run and says from when
    if ago == 1:
        when, again = "yesterday", "a day after their last"
    else:
        when, again = f"{ago} days ago", f"{ago} days after their last"
    return [
        f"The last round ran {when}: run this one now and its members get another "
        f"introduction {again}, where the programme meets "
        f"{programme.get_cadence_days_display().lower()}. It is scheduled for "
        f"{pairing_round.scheduled_for:%-d %B %Y}."
    ]


def again_warning(pairing_round: Round, unplaced: list[str], names: dict[str, str]) -> list[str]:
    """Those the preview leaves out who were left out of the programme's last round too:
    priority did not place them, so the organiser is told, with what they can do."""
    last = (
        Round.objects.filter(programme=pairing_round.programme, status=RoundStatus.DONE)
        .exclude(pk=pairing_round.pk)
        .order_by("-finished_at", "-number")
        .values_list("pk", "number")
        .first()
    )
    if last is None or not unplaced:
        return []
    again = LeftOut.objects.filter(
        pairing_round_id=last[0], user_id__in=[int(i) for i in unplaced if i.isdigit()]
    ).values_list("user_id", flat=True)
    if not again:
        return []
    listed = and_join(sorted(names.get(str(i), "a member") for i in again))
    word = kind_of(pairing_round.programme).round_word
    were = "was" if len(again) == 1 else "were"
    return [
        f"Left out again: {listed} {were} also left out in {word} {last[1]}. To place someone "
        "this time, move them into a group under \u201cEdit the groups\u201d in the preview "
        "(the group takes one more member; a move that breaks a matching rule is refused)."
    ]


def changed_warning(ids: list[str], names: dict[str, str]) -> list[str]:
    if not ids:
        return []
    listed = and_join(sorted(names.get(i, "a member") for i in ids))
    # What changed may be the programme's, not theirs (walk 33: a cycle given a venue made
    # the draft say three members had changed their profiles).
    return [
        f"Since this draft was made, what the matching uses about {listed} has changed "
        "(their profile, such as meeting format or region, or the programme's settings, "
        "such as a cycle's meeting place). The draft keeps its groups, with them left "
        "out: reshuffle to see whether they can now be placed."
    ]


def dropped_warning(ids: list[str]) -> list[str]:
    if not ids:
        return []
    found = dict(
        Profile.objects.filter(user_id__in=[int(i) for i in ids]).values_list(
            "user_id", "display_name"
        )
    )
    listed = and_join(sorted(found.get(int(i)) or "a former member" for i in ids))
    return [
        f"Since this draft was made, {listed} stopped taking part in this round (left, "
        "paused or skipping it): the groups they were in were broken up, and the others "
        "in them, with anyone the matching had left out, placed again where they could be. "
        "Reshuffle to form every unlocked group afresh."
    ]


def round_warnings(
    problem: dict,
    groups: list[dict],
    unplaced: list[dict],
    after: dict[str, int],
    eligibility: Eligibility,
    may_repeat: bool,
    meets_again: bool = False,
) -> list[str]:
    """``meets_again``: the programme lets people meet again (a learning set), whatever
    window this round's matching used."""
    warnings = []
    roles = Counter(m.get("mentoring") for m in problem["members"])
    if problem["programme"].get("mentoring") and roles["seek"] != roles["offer"]:
        # Who actually waits (the rules may keep a pair apart), not the difference.
        role = {m["id"]: m.get("mentoring") for m in problem["members"]}
        waiting = sum(1 for u in unplaced if role.get(u["id"]) in {"seek", "offer"})
        warnings.append(
            f"Mentoring is unbalanced: {_n(roles['seek'], 'member seeks', 'members seek')} "
            "a mentor and "
            f"{roles['offer']} offer; {waiting} will wait, longest-waiting first next round."
        )
    exhausted = sum(1 for n in after.values() if n == 0) if len(after) > 1 else 0
    if exhausted:
        # Where meeting again is allowed (a learning set), say so: not an alarm (walk 41).
        again_ok = "; the next round may bring some of them together again, as this "
        warnings.append(
            f"Pool nearly exhausted: after this round, {_n(exhausted, 'member')} will have met "
            "everyone eligible" + (again_ok + "programme allows." if meets_again else ".")
        )
    again = sum(1 for g in groups if g["met_before"])
    if again:
        why = (
            "this programme allows it, and the matching prefers people who have not met"
            if may_repeat
            else "they have met everyone else they could meet"
        )
        warnings.append(
            f"{_n(again, 'group brings', 'groups bring')} together people who have met "
            f"before (marked \u201cmet before\u201d): {why}."
        )
    if unplaced:
        causes = cause_counts(
            [Unplaced(u["id"], u["reason"], u["cause"], u["first_in_line"]) for u in unplaced]
        )
        warnings.append(
            f"{_n(len(unplaced), 'member')} cannot be placed this round and will be told why: "
            + "; ".join(causes)
            + "."
        )
    broken = sum(1 for g in groups if g["violations"])
    if broken:
        warnings.append(
            f"{_n(broken, 'edited group breaks', 'edited groups break')} a matching rule: "
            "fix them before running."
        )
    if len(eligibility.eligible) < 2:
        warnings.append("Fewer than two members are eligible: nobody can be matched.")
    return warnings


def _n(count: int, one: str, many: str | None = None) -> str:
    """ "1 member", "3 members"; `many` where the plural is not `one` + "s"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def meets_again(programme: object) -> bool:
    """Whether the programme's kind lets people meet again (its repeat window is 0)."""
    return kind_of(programme).engine_options().get("repeat_window") == 0
