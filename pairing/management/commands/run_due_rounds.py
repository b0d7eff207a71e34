from django.core.management.base import BaseCommand
from django.utils import timezone

from config.schedule import schedule_tick
from pairing.outbox import outbox_send_pending


class Command(BaseCommand):
    help = (
        "Do what the beat's tick does, with no worker: resume pauses, notices, due "
        "rounds; then send every pending email from this process."
    )

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        schedule_tick(now=now)
        sent = outbox_send_pending(now=now)
        self.stdout.write(f"Due rounds run; {sent} pending email(s) sent.")
