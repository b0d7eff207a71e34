"""A review stays with its reviewer when the author deletes their account: it keeps its
match and the number of the version it reviewed, and its strategy and version may go."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


def keep_what_was_reviewed(apps, schema_editor) -> None:
    StrategyReview = apps.get_model("feedback", "StrategyReview")
    for review in StrategyReview.objects.select_related("strategy", "version").iterator():
        review.match_id = review.strategy.match_id
        review.version_number = review.version.number
        review.save(update_fields=["match", "version_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_erase_deleted_accounts_free_text"),
        ("pairing", "0012_round_snapshot_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="strategyreview",
            name="match",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="pairing.match",
            ),
        ),
        migrations.AddField(
            model_name="strategyreview",
            name="version_number",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="of version"),
        ),
        migrations.RunPython(keep_what_was_reviewed, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="strategyreview",
            name="match",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="pairing.match"
            ),
        ),
        migrations.AlterField(
            model_name="strategyreview",
            name="version_number",
            field=models.PositiveSmallIntegerField(verbose_name="of version"),
        ),
        migrations.AlterField(
            model_name="strategyreview",
            name="strategy",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviews",
                to="feedback.strategy",
            ),
        ),
        migrations.AlterField(
            model_name="strategyreview",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="feedback.strategyversion",
            ),
        ),
    ]
