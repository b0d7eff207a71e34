"""In a browser: an organiser opens a round's run confirmation, a member leaves before
"Yes, run" is pressed; nothing runs, the confirmation comes back as a run would now save
it, and the second "Yes, run" saves the group of three it showed. The member who left
sees that they have left on the leave page, with a way to rejoin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pairing.models import Match, Membership, Round, RoundStatus
from pairing.services import membership_leave
from tests.e2e.helpers import AxeAuditor
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def test_a_member_leaving_after_the_confirmation_was_shown_stops_the_run(
    page: Page, live_server: object, tasks_in_process: None
) -> None:
    programme = ProgrammeFactory(name="North West coffee")
    UserFactory(email="org@example.org", is_staff=True, is_superuser=True)
    users = {
        name: UserFactory(email=f"{name[:3].lower()}@example.org", profile__display_name=name)
        for name in ("Lee Ash", "Max Birch", "Tim Cole", "Kay Dunn")
    }
    for user in users.values():
        MembershipFactory(user=user, programme=programme)
    base = live_server.url

    _log_in(page, base, "org@example.org")
    page.goto(f"{base}/admin/pairing/programme/{programme.pk}/next-round/")
    page.get_by_role("button", name="Preview the next round").click()
    page.get_by_role("link", name="Run this round…").click()
    confirm = page.locator("#confirm-run")
    expect(confirm).to_contain_text("This saves 2 matches")

    lee = Membership.objects.get(user=users["Lee Ash"], programme=programme)
    membership_leave(membership=lee)
    page.get_by_role("button", name="Yes, run the round and send the introductions").click()

    expect(page.get_by_role("main")).to_contain_text(
        "Nothing has run yet: since this confirmation was shown, Lee Ash stopped taking part "
        "(left the programme)"
    )
    expect(confirm).to_contain_text("This saves 1 match and")
    assert Round.objects.get(programme=programme).status == RoundStatus.PLANNED
    AxeAuditor(page).check("run confirmation shown again")

    page.get_by_role("button", name="Yes, run the round and send the introductions").click()

    expect(page.get_by_role("main")).to_contain_text("has run: 1 match")
    (match,) = Match.objects.all()
    assert {s.user.profile.display_name for s in match.members.all()} == {
        "Max Birch",
        "Tim Cole",
        "Kay Dunn",
    }

    # The member who left reopens the leave page: it says so, and offers to rejoin.
    page.context.clear_cookies()
    _log_in(page, base, "lee@example.org")
    page.goto(f"{base}/programmes/membership/{lee.pk}/leave/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have left North West coffee")
    expect(page.get_by_role("button", name="Leave the programme")).to_have_count(0)
    page.get_by_role("link", name="Rejoin North West coffee").click()
    expect(page.get_by_role("button", name="Join North West coffee")).to_be_visible()
    AxeAuditor(page).check("programme page after leaving")
