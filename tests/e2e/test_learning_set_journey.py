"""A member joins a learning-set programme (accepting the ground rules), sees their set,
its sessions and the rota, swaps a turn with another member (who accepts), and checks in
after a session; axe runs on every page, and the set page fits a 360 px screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from pairing.sets.models import Presenter, Session, SessionCheckIn
from pairing.sets.plan import rota
from pairing.sets.selectors import set_member_ids
from tests.e2e.helpers import AxeAuditor
from tests.factories import MembershipFactory, UserFactory
from tests.pairing.set_helpers import RULES, form_cycle, learning_set_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def _arrange_the_rota(ada, grace) -> tuple[Session, Session, Session]:
    """Session 1 was held yesterday; the round-robin rota has Ada presenting at session 2
    and Grace at session 3."""
    sessions = list(Session.objects.order_by("number"))
    first = sessions[0]
    yesterday = timezone.now() - dt.timedelta(days=1)
    Session.objects.filter(pk=first.pk).update(
        starts_at=yesterday - dt.timedelta(hours=3), ends_at=yesterday
    )
    others = [m for m in set_member_ids(first.learning_set) if m not in {ada.pk, grace.pk}]
    order = [others[0], ada.pk, grace.pk, *others[1:]]
    Presenter.objects.filter(session__in=sessions).delete()
    Presenter.objects.bulk_create(
        [
            Presenter(session=session, user_id=user_id)
            for session, turn in zip(sessions, rota(order, len(sessions)), strict=True)
            for user_id in turn
        ]
    )
    return first, sessions[1], sessions[2]


def test_a_member_joins_sees_the_set_swaps_a_turn_and_checks_in(
    page: Page, browser: Browser, live_server: object
) -> None:
    programme = learning_set_programme(name="Action learning, spring cohort")
    ada = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    grace = UserFactory(email="grace@example.org", profile__display_name="Grace Hopper")
    others = [UserFactory() for _ in range(3)]
    for user in [grace, *others]:
        MembershipFactory(user=user, programme=programme, ground_rules_accepted_at=timezone.now())
    base = live_server.url

    # --- Ada joins, accepting the ground rules ----------------------------------------
    _log_in(page, base, "ada@example.org")
    expect(page).to_have_url(re.compile("/me/"))
    axe = AxeAuditor(page)  # the log-in page is scanned in the sign-up journey
    page.goto(f"{base}/programmes/{programme.slug}/")
    expect(page.get_by_role("main")).to_contain_text(RULES)
    axe.check("programme page")
    page.get_by_role("button", name=re.compile("Join")).click()
    expect(page.locator("#error-summary")).to_contain_text("accept the ground rules")
    axe.check("join refused without the ground rules")
    page.get_by_label("I accept the ground rules above").check()
    page.get_by_role("button", name=re.compile("Join")).click()
    expect(page.get_by_role("main")).to_contain_text("You have joined")
    axe.check("dashboard after joining")

    # --- The organiser forms the sets (tested in the admin elsewhere) ------------------
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    first, second, third = _arrange_the_rota(ada, grace)

    # --- Ada sees her set, the sessions and the rota -----------------------------------
    page.goto(f"{base}/me/")
    expect(page.get_by_role("main")).to_contain_text("My learning sets")
    axe.check("dashboard with a set")
    page.get_by_role("link", name=re.compile("Action learning, spring cohort: set 1")).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Grace Hopper")
    expect(main).to_contain_text("Session 6")
    expect(main).to_contain_text("Rota: who brings an issue")
    expect(main).not_to_contain_text("grace@example.org")
    expect(page.locator("#session-2")).to_contain_text("Your turn")
    axe.check("set page")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})

    # --- Ada proposes a swap; Grace accepts ------------------------------------------------
    page.get_by_label("My turn to give").select_option(str(second.pk))
    page.get_by_label("The turn I would take instead").select_option(f"{grace.pk}-{third.pk}")
    page.get_by_role("button", name="Propose the swap").click()
    expect(page.get_by_role("main")).to_contain_text("Waiting for them to accept")
    axe.check("set page with a swap proposed")

    grace_page = browser.new_context(bypass_csp=True).new_page()
    _log_in(grace_page, base, "grace@example.org")
    expect(grace_page).to_have_url(re.compile("/me/"))
    grace_axe = AxeAuditor(grace_page)
    grace_page.goto(f"{base}/programmes/sets/{learning_set.pk}/")
    expect(grace_page.get_by_role("main")).to_contain_text("Ada Lovelace asks to swap turns")
    grace_axe.check("set page, swap asked")
    grace_page.get_by_role("button", name="Accept the swap").click()
    expect(grace_page.get_by_role("main")).to_contain_text("Swap accepted")
    grace_axe.check("set page, swap accepted")
    grace_axe.assert_every_page_scanned()
    assert Presenter.objects.filter(session=third, user=ada).exists()
    assert Presenter.objects.filter(session=second, user=grace).exists()

    # --- Ada checks in after session 1 -------------------------------------------------
    page.reload()
    expect(page.locator("#session-3")).to_contain_text("Your turn")
    axe.check("set page after the swap")
    page.get_by_role("link", name=re.compile("Check in")).first.click()
    axe.check("check-in form")
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.locator("#error-summary")).to_contain_text("Say whether you attended")
    axe.check("check-in with errors")
    page.get_by_label("Yes").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Time spent, in minutes").fill("200")
    page.get_by_label("Private reflection (optional)").fill("Open questions helped me.")
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_role("main")).to_contain_text("your check-in is in your CPD record")
    expect(page.locator("#session-1")).to_contain_text("Checked in")
    axe.check("set page after checking in")
    checkin = SessionCheckIn.objects.get(user=ada)
    assert (checkin.session_id, checkin.attended, checkin.usefulness, checkin.minutes) == (
        first.pk,
        True,
        4,
        200,
    )
    axe.assert_every_page_scanned()
