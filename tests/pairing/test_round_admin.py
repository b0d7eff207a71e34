from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Match, Round
from tests.factories import InterestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_members(programme):
    users = [
        UserFactory(profile__display_name=name)
        for name in ("Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Mary Jackson")
    ]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    return users


def _preview(client, programme):
    response = client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    pairing_round = Round.objects.get(programme=programme)
    assert response.url == reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    return pairing_round


def test_next_round_page_lists_who_is_not_eligible_and_why(
    organiser_client, programme, four_members
):
    unverified = UserFactory(verified=False, profile__display_name="Nadia Newcomer")
    MembershipFactory(user=unverified, programme=programme)

    body = organiser_client.get(
        reverse("admin:pairing_programme_next_round", args=[programme.pk])
    ).content.decode()

    assert "4 members eligible" in body
    assert "Nadia Newcomer" in body and "email address not verified" in body


def test_preview_shows_groups_and_saves_no_match(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)

    body = organiser_client.get(
        reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    ).content.decode()

    assert "Ada Lovelace" in body and "Mary Jackson" in body
    assert "Open access, Systematic searching" in body
    assert Match.objects.count() == 0


def test_preview_of_a_trio_says_which_two_share_a_topic_the_third_did_not_list(
    organiser_client, programme
):
    access = InterestFactory(name="Accessibility")
    both = [access, InterestFactory(name="Archives")]
    for name, interests in [("Lee Ash", both), ("Max Birch", both), ("Tim Cole", [access])]:
        MembershipFactory(
            user=UserFactory(profile__display_name=name, profile__interests=interests),
            programme=programme,
        )
    pairing_round = _preview(organiser_client, programme)

    body = organiser_client.get(
        reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    ).content.decode()

    assert "Accessibility (all); Archives (Lee Ash and Max Birch)" in body


def test_organiser_swaps_members_then_runs_after_confirming(
    organiser_client, programme, four_members
):
    pairing_round = _preview(organiser_client, programme)
    groups = pairing_round.__class__.objects.get(pk=pairing_round.pk).draft["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    organiser_client.post(url, {"action": "swap", "member": a, "other": b})
    confirm = organiser_client.get(url + "?confirm=1").content.decode()
    response = organiser_client.post(url, {"action": "run"})

    assert "Run this round?" in confirm
    assert response.url == reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    pairing_round.refresh_from_db()
    assert pairing_round.status == "done"
    together = {
        tuple(sorted(str(s.user_id) for s in m.members.all())) for m in pairing_round.matches.all()
    }
    assert tuple(sorted([b, groups[0]["members"][1]])) in together
    progress = organiser_client.get(response.url).content.decode()
    assert "Introductions and notices delivered" in progress


def test_swap_within_one_group_is_refused_with_a_message(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)
    first = pairing_round.__class__.objects.get(pk=pairing_round.pk).draft["groups"][0]
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    response = organiser_client.post(
        url,
        {"action": "swap", "member": first["members"][0], "other": first["members"][1]},
        follow=True,
    )

    assert "Choose two members from different groups to swap." in response.content.decode()


def test_staff_who_do_not_organise_the_programme_are_refused(client, programme, four_members):
    helper = UserFactory(is_staff=True)
    client.force_login(helper)

    response = client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk]))

    assert response.status_code == 404


def test_reshuffle_says_whether_the_groups_changed(organiser_client, programme, four_members):
    programme.randomness = 0
    programme.save()
    pairing_round = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    page = organiser_client.post(url, {"action": "reshuffle"}, follow=True).content.decode()

    assert "the same groups came out best again" in page
    assert "raise the programme" in page


def test_a_failed_round_page_leads_to_a_working_preview(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)
    Round.objects.filter(pk=pairing_round.pk).update(
        status="failed", error="the matching stopped with an unexpected error"
    )
    progress = reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    preview = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    failed_page = organiser_client.get(progress).content.decode()
    preview_page = organiser_client.get(preview)
    run = organiser_client.post(preview, {"action": "run"}, follow=True)

    assert "the matching stopped with an unexpected error" in failed_page
    assert f'href="{preview}"' in failed_page
    assert preview_page.status_code == 200
    assert "preview-groups" in preview_page.content.decode()
    assert Round.objects.get(pk=pairing_round.pk).status == "done"
    assert run.status_code == 200


def test_a_round_opens_on_its_preview_or_delivery_page_and_cannot_be_deleted(
    organiser_client, programme, four_members
):
    pairing_round = _preview(organiser_client, programme)
    change = reverse("admin:pairing_round_change", args=[pairing_round.pk])

    assert organiser_client.get(change).url == reverse(
        "admin:pairing_round_preview", args=[pairing_round.pk]
    )
    organiser_client.post(
        reverse("admin:pairing_round_preview", args=[pairing_round.pk]), {"action": "run"}
    )
    pairing_round.refresh_from_db()
    assert pairing_round.status == "done"
    assert organiser_client.get(change).url == reverse(
        "admin:pairing_round_progress", args=[pairing_round.pk]
    )

    listing = organiser_client.get(reverse("admin:pairing_round_changelist")).content.decode()
    deleted = organiser_client.post(
        reverse("admin:pairing_round_delete", args=[pairing_round.pk]), {"post": "yes"}
    )
    bulk = organiser_client.post(
        reverse("admin:pairing_round_changelist"),
        {"action": "delete_selected", "_selected_action": [pairing_round.pk], "post": "yes"},
    )

    assert "delete_selected" not in listing
    assert deleted.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Round.objects.filter(pk=pairing_round.pk).exists()
    assert Match.objects.filter(pairing_round=pairing_round).count() == 2


def _organiser_of(programme):
    from django.test import Client

    organiser = UserFactory(is_staff=True)
    programme.organisers.add(organiser)
    client = Client()
    client.force_login(organiser)
    return client


def test_a_learning_set_round_waits_for_the_last_session_and_says_from_when(db):
    import datetime as dt

    from django.utils import timezone
    from django.utils.formats import date_format

    from pairing.sets.models import Session
    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme()
    join(programme, 10)
    cycle, _ = form_cycle(programme, now=timezone.now())
    last = max(timezone.localdate(s.starts_at) for s in Session.objects.filter(
        learning_set__cycle=cycle))  # fmt: skip
    day_after = date_format(last + dt.timedelta(days=1), "j F Y")
    from_when = f"the next cycle's sets can be formed from {day_after}"
    client = _organiser_of(programme)
    next_url = reverse("admin:pairing_programme_next_round", args=[programme.pk])

    assert from_when in html.unescape(client.get(next_url).content.decode())
    # The next cycle can still be previewed, but not run: no run button, no confirmation.
    client.post(next_url)
    draft = Round.objects.filter(programme=programme).latest("pk")
    preview_url = reverse("admin:pairing_round_preview", args=[draft.pk])
    for url in (preview_url, preview_url + "?confirm=1"):
        body = html.unescape(client.get(url).content.decode())
        assert from_when in body and "You can preview it now" not in body
        assert "?confirm=1" not in body and 'value="run"' not in body
    # A run posted anyway (an old tab) is refused with the date, and the draft stays a draft.
    body = client.post(preview_url, {"action": "run"}, follow=True).content.decode()
    assert from_when in html.unescape(body)
    draft.refresh_from_db()
    assert draft.status == "planned" and not draft.matches.exists()


def test_the_delivery_page_shows_one_introduction_status_per_learning_set(db):
    import re

    from django.utils import timezone

    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme()
    join(programme, 10)
    form_cycle(programme, now=timezone.now())  # each set also has session invitations
    forming = Round.objects.get(programme=programme)

    body = (
        _organiser_of(programme)
        .get(reverse("admin:pairing_round_progress", args=[forming.pk]))
        .content.decode()
    )

    table = body.split('id="round-matches"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)
    assert len(rows) == 2
    for row in rows:
        last_cell = re.findall(r"<td>(.*?)</td>", row, re.S)[-1]
        assert last_cell == "Pending"
    assert "best possible" not in body and ".0 is possible" not in body
    # A set's times are its sessions: no "suggested time", a link to the cycle's sets.
    assert "Suggested time" not in body
    cycle = forming.cycle
    assert reverse("admin:pairing_cycle_sets", args=[cycle.pk]) in body


def test_a_learning_set_preview_counts_who_each_member_met_in_earlier_sets(db):
    from django.utils import timezone

    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme()
    join(programme, 10)
    form_cycle(programme, now=timezone.now())  # two sets of five: each met four others
    client = _organiser_of(programme)
    client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    draft = Round.objects.filter(programme=programme).latest("pk")

    body = client.get(reverse("admin:pairing_round_preview", args=[draft.pk])).content.decode()

    assert body.count("5 not yet met") == 10 and "9 not yet met" not in body
    # Sets may bring people together again (no repeat window): not "met everyone else".
    assert "Met before:" in body  # ten members in sets of five: someone meets again
    assert "the matching prefers people who have not met" in body
    assert "they have met everyone else they could meet" not in body


def _draft_groups(pairing_round):
    pairing_round.refresh_from_db()
    return {frozenset(g["members"]) for g in pairing_round.draft["groups"]}


def test_previewing_the_next_round_again_keeps_the_edited_draft(
    organiser_client, programme, four_members
):
    pairing_round = _preview(organiser_client, programme)
    groups = pairing_round.draft["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    organiser_client.post(url, {"action": "swap", "member": a, "other": b})
    edited = _draft_groups(pairing_round)

    again = organiser_client.post(
        reverse("admin:pairing_programme_next_round", args=[programme.pk]), follow=True
    )

    assert again.redirect_chain[-1][0] == url
    assert "Your draft is kept as you left it" in again.content.decode()
    assert _draft_groups(pairing_round) == edited


def test_the_preview_says_who_stopped_taking_part_since_the_draft(
    organiser_client, programme, four_members
):
    from pairing import services

    pairing_round = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    leaver = four_members[0]
    services.membership_leave(membership=leaver.memberships.get(programme=programme))

    first = organiser_client.get(url).content.decode()
    second = organiser_client.get(url).content.decode()  # still said, until a reshuffle
    organiser_client.post(url, {"action": "reshuffle"})
    after = organiser_client.get(url).content.decode()

    said = "Since this draft was made, Ada Lovelace stopped taking part in this round"
    assert said in first and said in second
    assert said not in after
    assert str(leaver.pk) not in {m for g in _draft_groups(pairing_round) for m in g}


def test_moving_a_member_names_the_partner_left_alone_and_counts_them_rightly(
    organiser_client, programme, four_members
):
    pairing_round = _preview(organiser_client, programme)
    first, _ = (g["members"] for g in pairing_round.draft["groups"])
    moved, alone = first
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    response = organiser_client.post(
        url, {"action": "move", "member": moved, "group": "1"}, follow=True
    )

    body = response.content.decode()
    name = next(u for u in four_members if str(u.pk) == alone).profile.display_name
    assert f"{name} now has no group" in body
    assert "1 left without a group by an organiser&#x27;s edit" in body
    assert "moved out of a group" not in body
    # Run, they are told what the preview said they would be, not "the groups were full".
    organiser_client.post(url, {"action": "run"})
    (left,) = pairing_round.left_out.all()
    assert str(left.user_id) == alone
    assert left.reason.startswith("the organisers could not fit you into a group")


def test_the_round_pages_have_the_admins_breadcrumb_bar(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)
    urls = [
        reverse("admin:pairing_programme_next_round", args=[programme.pk]),
        reverse("admin:pairing_round_preview", args=[pairing_round.pk]),
        reverse("admin:pairing_round_progress", args=[pairing_round.pk]),
        reverse("admin_status"),
    ]
    for url in urls:
        body = organiser_client.get(url).content.decode()
        # The admin styles (and bars) only its own <ol class="breadcrumbs">.
        assert body.count('class="breadcrumbs"') == 1, url
        bar = body.split('<ol class="breadcrumbs">', 1)[1].split("</ol>", 1)[0]
        assert bar.startswith("<li><a href=") and bar.count('aria-current="page"') == 1, url


def test_previewing_a_round_just_after_the_last_one_ran_refuses_a_second_run_that_day(
    organiser_client, programme, four_members
):
    # One round a day (walk 24): what was a warning ("its members get another
    # introduction today") is a refusal that says from when.
    from django.utils import timezone

    programme.next_round_on = timezone.localdate()  # the next one is a cadence later
    programme.save(update_fields=["next_round_on"])
    first = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[first.pk])
    assert "The last round ran" not in organiser_client.get(url).content.decode()
    organiser_client.post(url, {"action": "run"})

    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    second = Round.objects.filter(programme=programme).latest("pk")
    assert second != first
    body = organiser_client.get(
        reverse("admin:pairing_round_preview", args=[second.pk])
    ).content.decode()

    assert "Round 1 ran today, and a programme runs one round a day" in body
    assert "the next round can run from tomorrow" in body
    assert "?confirm=1" not in body and "get another introduction today" not in body


def test_a_first_learning_set_preview_says_there_is_no_cycle_and_flags_a_small_set(db):
    from django.utils import timezone

    from pairing.sets.models import Cycle
    from tests.pairing.set_helpers import join, learning_set_programme

    programme = learning_set_programme(group_size=4)
    join(programme, 7)  # one set of four and one of three: below the minimum
    client = _organiser_of(programme)
    next_url = reverse("admin:pairing_programme_next_round", args=[programme.pk])
    client.post(next_url)
    draft = Round.objects.get(programme=programme)
    url = reverse("admin:pairing_round_preview", args=[draft.pk])

    body = client.get(url).content.decode()
    assert "No cycle is set up for these sets" in body
    assert reverse("admin:pairing_cycle_add") + f"?programme={programme.pk}" in body
    assert (
        "1 set is below the minimum of 4 members, because 7 members do not divide into sets "
        "of 4 or 5, so the size rule makes some sets of 3: lock, move or swap" in body
    )

    Cycle.objects.create(programme=programme, first_session_on=timezone.localdate(), venue="Room 1")
    body = client.get(url).content.decode()
    assert "No cycle is set up" not in body
    assert "The sets will meet 6 times, every 8 weeks, from the week starting" in body
    assert "at Room 1." in body


def test_a_re_check_keeps_out_who_the_draft_left_out_until_a_reshuffle(
    organiser_client, programme, four_members
):
    """Opening the preview again must not regroup members the draft left out (a large
    round's heuristic may leave some out that a re-solve of the few would group): the
    draft stays as the organiser saw it, the run follows it, and only members new to the
    round are grouped. A reshuffle forms groups afresh."""
    pairing_round = _preview(organiser_client, programme)
    kept, out = (g["members"] for g in pairing_round.draft["groups"])
    pairing_round.draft = {
        **pairing_round.draft,
        "groups": [{"members": kept, "locked": False}],
        "unplaced": [
            {"id": m, "reason": "no group could take you this round", "cause": "no group could "
             "take them", "first_in_line": True}
            for m in out
        ],
    }  # fmt: skip
    pairing_round.save(update_fields=["draft"])
    newcomers = [UserFactory(profile__display_name=n) for n in ("Dorothy Vaughan", "Ida Rhodes")]
    for user in newcomers:
        MembershipFactory(user=user, programme=programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    organiser_client.get(url)
    body = organiser_client.get(url).content.decode()

    fresh = frozenset(str(u.pk) for u in newcomers)
    assert _draft_groups(pairing_round) == {frozenset(kept), fresh}
    names = {str(u.pk): u.profile.display_name for u in four_members}
    assert all(names[m] in body for m in out)
    assert "2 members cannot be placed this round" in body
    organiser_client.post(url, {"action": "run"})
    assert {str(m.user_id) for m in pairing_round.left_out.all()} == set(out)
    assert Match.objects.filter(pairing_round=pairing_round).count() == 2


def test_a_reshuffle_groups_who_the_draft_left_out(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)
    kept, out = (g["members"] for g in pairing_round.draft["groups"])
    pairing_round.draft = {
        **pairing_round.draft,
        "groups": [{"members": kept, "locked": False}],
        "unplaced": [
            {"id": m, "reason": "no group could take you", "cause": "no group could take them",
             "first_in_line": True}
            for m in out
        ],
    }  # fmt: skip
    pairing_round.save(update_fields=["draft"])
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    organiser_client.post(url, {"action": "reshuffle"})

    assert len(_draft_groups(pairing_round)) == 2
    assert pairing_round.draft["unplaced"] == []


def test_the_preview_keeps_showing_the_bound_while_the_engine_input_is_unchanged(
    organiser_client, programme, four_members
):
    """A re-check keeps the draft's groups fixed, so the engine bounds only the rest: the
    bound proven for the same input is shown (edits included), and none once it changed."""
    import re

    pairing_round = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    said = re.compile(r"Total score (\d+) \(at most (\d+) is possible\)")

    first = said.search(organiser_client.get(url).content.decode())
    groups = pairing_round.draft["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]
    organiser_client.post(url, {"action": "swap", "member": a, "other": b})
    edited = said.search(organiser_client.get(url).content.decode())
    newcomer = UserFactory(profile__display_name="Dorothy Vaughan")
    MembershipFactory(user=newcomer, programme=programme)
    changed = organiser_client.get(url).content.decode()

    assert first and edited
    assert first.group(2) == edited.group(2)
    assert int(edited.group(1)) <= int(edited.group(2))
    assert "is possible)" not in changed and "Total score" in changed


def test_after_a_move_changes_group_sizes_no_best_possible_total_is_claimed(
    organiser_client, programme
):
    MembershipFactory.create_batch(6, programme=programme)
    pairing_round = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    moved = pairing_round.draft["groups"][0]["members"][0]

    organiser_client.post(url, {"action": "move", "member": moved, "group": "1"})
    page = organiser_client.get(url).content.decode()
    organiser_client.post(url, {"action": "run"})
    progress = organiser_client.get(
        reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    ).content.decode()

    assert "is possible)" not in page
    assert "you changed the size of a group, so the matching's best possible total" in page
    assert "Total score" in progress and "is possible)" not in progress
    pairing_round.refresh_from_db()
    assert pairing_round.bound is None


def test_a_reshuffle_that_gives_the_same_groups_shows_the_same_scores_and_hosts(programme):
    from pairing import rounds

    MembershipFactory.create_batch(2, programme=programme)
    programme.randomness = 3
    programme.save()
    today = timezone.localdate()
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=today)

    previews = [
        rounds.round_preview(pairing_round=pairing_round, today=today, reshuffle=True, seed=seed)
        for seed in range(1, 9)
    ]

    assert len({p.groups[0]["score"] for p in previews}) == 1
    assert len({p.objective for p in previews}) == 1
    assert len({p.groups[0]["host"].pk for p in previews}) == 1


def test_a_round_run_from_its_draft_records_the_bound_the_preview_showed(
    organiser_client, programme, four_members
):
    import re

    pairing_round = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    shown = re.search(r"at most (\d+) is possible", organiser_client.get(url).content.decode())

    organiser_client.post(url, {"action": "run"})

    pairing_round.refresh_from_db()
    assert shown and pairing_round.bound == float(shown.group(1))
    assert pairing_round.objective <= pairing_round.bound


def test_the_preview_links_from_the_top_to_editing_and_reshuffling(
    organiser_client, programme, four_members
):
    """A national round's preview lists every group first: the way to edit or reshuffle
    must not be only at the bottom of a very long page."""
    pairing_round = _preview(organiser_client, programme)
    body = organiser_client.get(
        reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    ).content.decode()

    link = body.index('href="#edit-groups"')
    assert link < body.index("<h2>Groups</h2>")
    target = body.index('id="edit-groups"')
    assert target < body.index('value="reshuffle"')


@pytest.mark.parametrize("days, says", [(14, "14 days from today"), (-1, "1 day ago")])
def test_confirming_a_run_off_its_planned_day_says_the_introductions_will_be_dated_today(
    organiser_client, programme, four_members, days, says
):
    import datetime as dt

    from django.utils import timezone

    pairing_round = _preview(organiser_client, programme)
    planned = timezone.localdate() + dt.timedelta(days=days)
    Round.objects.filter(pk=pairing_round.pk).update(scheduled_for=planned)
    programme.next_round_on = planned
    programme.save(update_fields=["next_round_on"])
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    confirm = organiser_client.get(url + "?confirm=1").content.decode()

    assert f"This round is planned for {planned:%-d %B %Y}, {says}." in confirm
    assert f"start from today ({timezone.localdate():%-d %B %Y})" in confirm
    # Run early, a cadence after the planned day; run late, a cadence after today.
    after = max(planned, timezone.localdate()) + dt.timedelta(days=programme.cadence_days)
    assert f"The next round will be planned for {after:%-d %B %Y}." in confirm


def test_confirming_a_run_on_its_planned_day_says_nothing_about_the_day(
    organiser_client, programme, four_members
):
    from django.utils import timezone

    pairing_round = _preview(organiser_client, programme)
    Round.objects.filter(pk=pairing_round.pk).update(scheduled_for=timezone.localdate())
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    confirm = organiser_client.get(url + "?confirm=1").content.decode()

    assert "Run this round?" in confirm and 'id="run-day"' not in confirm
