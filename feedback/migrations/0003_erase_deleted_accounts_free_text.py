"""Erase what deleted accounts wrote in their evaluations (deletion now does it, as the
privacy notice says; this catches accounts deleted before). The choices stay."""

from __future__ import annotations

from django.db import migrations

FREE_TEXT = ("not_met_reason", "topics_other", "next_steps", "private_comment", "takeaway")


def erase(apps, schema_editor) -> None:
    Evaluation = apps.get_model("feedback", "Evaluation")
    Evaluation.objects.filter(user__isnull=True).update(
        **dict.fromkeys(FREE_TEXT, ""),
        share_takeaway=False,
        show_name_with_takeaway=False,
        review={},
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_search_strategies")]

    operations = [migrations.RunPython(erase, migrations.RunPython.noop)]
