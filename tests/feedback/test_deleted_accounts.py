"""What a deleted account leaves in the feedback, as the privacy notice says: its answers
to the questions with choices, without a name; never what it wrote (next steps, comments
to organisers, a takeaway, shared or not)."""

from __future__ import annotations

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse

from feedback.models import Evaluation
from members.services import member_delete
from tests.factories import UserFactory
from tests.feedback.builders import evaluate, make_match, make_round

pytestmark = pytest.mark.django_db

WRITTEN = {
    "not_met_reason": "",
    "topics_other": "Copyright",
    "next_steps": "Email the systematic review team",
    "private_comment": "Aisha was late",
    "takeaway": "Ask for the protocol first.",
}


@pytest.fixture
def written(programme):
    author = UserFactory(email="kj@example.org", profile__display_name="Katherine Johnson")
    evaluation = evaluate(
        make_match(make_round(programme, 1)),
        author,
        usefulness=4,
        minutes=45,
        meet_again="yes",
        share_takeaway=True,
        show_name_with_takeaway=True,
        **WRITTEN,
    )
    return author, evaluation


def _csv_row(client, programme) -> dict[str, str]:
    response = client.get(reverse("feedback:programme_csv", args=[programme.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    return dict(zip(header, row, strict=True))


def test_evaluations_csv_keeps_a_deleted_accounts_choices_without_its_words(
    organiser_client, programme, written
):
    member_delete(user=written[0])

    row = _csv_row(organiser_client, programme)

    assert row["Member"] == "A former member"
    assert (row["Met"], row["Usefulness (1-5)"], row["Minutes"]) == ("Yes, we met", "4", "45")
    assert row["Next steps"] == row["Comment for organisers"] == row["Takeaway"] == ""
    assert "Aisha was late" not in str(row) and "Copyright" not in str(row)


def test_evidence_pack_leaves_out_a_deleted_accounts_takeaway(organiser_client, programme, written):
    pack = reverse("feedback:evidence_pack", args=[programme.pk])
    assert "Ask for the protocol first." in organiser_client.get(pack).content.decode()

    member_delete(user=written[0])

    assert "Ask for the protocol first." not in organiser_client.get(pack).content.decode()


def test_migration_erases_what_accounts_deleted_before_it_wrote(written):
    _author, evaluation = written
    Evaluation.objects.filter(pk=evaluation.pk).update(user=None)  # deleted before the fix
    migration = importlib.import_module("feedback.migrations.0003_erase_deleted_accounts_free_text")

    migration.erase(apps, None)

    evaluation.refresh_from_db()
    assert (evaluation.next_steps, evaluation.private_comment, evaluation.takeaway) == ("",) * 3
    assert not evaluation.share_takeaway
    assert (evaluation.met, evaluation.usefulness) == ("yes", 4)
