"""A checkbox label that wraps at 360 px keeps its second line beside the box, not under
it (walk 21: "Career development and / Chartership" ran under the box in the wizard)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import log_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINES = """() => [...document.querySelectorAll('fieldset label')].map(label => {
  const box = label.querySelector('input').getBoundingClientRect();
  const rects = [];
  for (const node of label.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    rects.push(...[...range.getClientRects()].filter(r => r.width > 0));
  }
  return {text: label.textContent.trim(), boxRight: box.right,
          lefts: rects.map(r => Math.round(r.left)), tops: rects.map(r => Math.round(r.top))};
})"""


def _open(page: Page, live_server, client, path: str, width: int, **profile) -> None:
    """Log a new member in (``profile``: factory fields) and open ``path`` at ``width``."""
    log_in_as(page, live_server.url, client, UserFactory(**profile))
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{path}")


def test_a_wrapped_interest_stays_beside_its_box_at_360_px(page: Page, live_server, client):
    from members.models import Interest

    Interest.objects.get_or_create(
        slug="career-development-and-chartership",
        defaults={"name": "Career development and Chartership, with a long name that wraps"},
    )
    _open(page, live_server, client, "/me/profile/", 360, profile__wizard_done_at=None)

    labels = page.evaluate(LINES)
    wrapped = [label for label in labels if len(set(label["tops"])) > 1]

    assert wrapped, "no label wrapped: the test needs a long one"
    for label in wrapped:
        assert min(label["lefts"]) >= label["boxRight"] - 1, label


def test_a_lone_checkboxs_wrapped_label_stays_beside_it_at_360_px(page: Page, live_server, client):
    """Wizard step 1's "Show my organisation to people I am matched with" (walk 23: its
    label dropped under the box once it wrapped)."""
    _open(page, live_server, client, "/me/welcome/about/", 360, profile__wizard_done_at=None)

    box = page.locator("#id_show_organisation").bounding_box()
    label = page.locator('label[for="id_show_organisation"]').bounding_box()

    assert label["height"] > box["height"] * 1.5, "the label should wrap at 360 px"
    assert label["x"] >= box["x"] + box["width"] - 1, (box, label)
    assert label["y"] < box["y"] + box["height"], (box, label)


def test_a_choice_lists_help_text_spans_the_question_not_one_column_at_1280_px(
    page: Page, live_server, client
):
    """Walk 37: the grid that sets the wizard's options in columns also took the help text
    under "When are you usually free to meet?", squeezing it into the first column."""
    _open(page, live_server, client, "/me/welcome/meeting/", 1280, profile__wizard_done_at=None)

    question = page.locator("fieldset:has(#id_availability_helptext)").bounding_box()
    # The text's own extent (the help's box was full width, its text in a grid cell).
    text_width = page.evaluate(
        """() => {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById("id_availability_helptext"));
        return range.getBoundingClientRect().width;
    }"""
    )
    option = page.locator('label[for="id_availability_0"]').bounding_box()

    assert text_width > question["width"] * 0.5, (question, text_width)
    assert option["width"] < question["width"] * 0.5, "the options should still be in columns"


@pytest.mark.parametrize("width", [600, 800, 900, 1280])
def test_the_weeks_slots_read_a_day_a_row_or_one_column_never_zigzag(
    page: Page, live_server, client, width
):
    """Walk 38: between about 465 and 720 px the slots fell into two columns, putting
    "Monday afternoon" beside "Tuesday morning"."""
    _open(page, live_server, client, "/me/welcome/meeting/", width, profile__wizard_done_at=None)

    def box(code):
        return page.locator(f'input[value="{code}"]').bounding_box()

    morning, lunch, afternoon = box("mon-morning"), box("mon-lunch"), box("mon-afternoon")
    tuesday = box("tue-morning")
    if width >= 900:  # a day a row, each slot on one line
        assert morning["y"] == lunch["y"] == afternoon["y"] < tuesday["y"]
        assert morning["x"] == tuesday["x"]
        longest = page.locator('label:has(input[value="wed-afternoon"])').bounding_box()
        assert longest["height"] < 2 * box("wed-afternoon")["height"], longest
    else:  # one column, in order
        assert morning["x"] == lunch["x"] == afternoon["x"] == tuesday["x"]
        assert morning["y"] < lunch["y"] < afternoon["y"] < tuesday["y"]


def test_the_email_settings_options_read_down_one_column_at_1280_px(
    page: Page, live_server, client
):
    """Walk 38: each option is a sentence; in three columns they ran to 4-7 lines each."""
    _open(page, live_server, client, "/me/emails/", 1280)

    boxes = [page.locator(f"#id_receive_{i}").bounding_box() for i in range(4)]

    assert len({round(b["x"]) for b in boxes}) == 1, boxes
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
