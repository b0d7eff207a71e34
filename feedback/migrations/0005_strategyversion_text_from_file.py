"""A version records whether its text is its own plain-text or RIS file's text, so the
match page no longer opens every stored file (a read from S3 each) to word the download
line. Existing versions are checked once here, as the page checked them until now.

The decoding is copied from `feedback.strategies.services.uploaded_text` rather than
imported: a migration must keep working however the app's service module changes later
(and importing it would load the other apps' current models into a migration)."""

from __future__ import annotations

import logging

from django.db import migrations, models

log = logging.getLogger(__name__)

TEXT_TYPES = ("txt", "ris")


def _file_text(data: bytes) -> str:
    # As a plain-text or RIS upload was read when it was shared: UTF-8, else Windows-1252.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def record_text_from_file(apps, schema_editor) -> None:
    StrategyVersion = apps.get_model("feedback", "StrategyVersion")
    versions = (
        StrategyVersion.objects.filter(file_type__in=TEXT_TYPES)
        .exclude(file="")
        .exclude(text="")
        .only("pk", "file", "text")
    )
    for version in versions.iterator():
        try:
            with version.file.open("rb") as stored:
                data = stored.read()
        except Exception as error:  # any storage error: S3's are not OSError
            # Missing or unreadable: the version keeps the plainer wording ("shared as well
            # as the pasted text"); a line of wording never stops a deploy's migrations.
            log.warning("Strategy version %s: its file was not read (%s)", version.pk, error)
            continue
        if _file_text(data).rstrip() == version.text:
            StrategyVersion.objects.filter(pk=version.pk).update(text_from_file=True)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_reviews_stay_with_reviewer"),
    ]

    operations = [
        migrations.AddField(
            model_name="strategyversion",
            name="text_from_file",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(record_text_from_file, migrations.RunPython.noop),
    ]
