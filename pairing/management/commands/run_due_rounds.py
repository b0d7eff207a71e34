from django.core.management.base import BaseCommand
from django.utils import timezone

from config.schedule import schedule_tick
from pairing.models import OutboxEmail
from pairing.outbox import outbox_send_pending


class Command(BaseCommand):
    help = (
        "Do what the beat's tick does, with no worker: resume pauses, notices, due "
        "rounds; then send every pending email from this process."
    )

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        schedule_tick(now=now)
        outbox_send_pending(now=now)
        # Counted by when they went: with tasks in-process (`make run`) the tick has sent
        # them already (walk 33: "0 pending email(s) sent" after 56 emails).
        sent = OutboxEmail.objects.filter(sent_at__gte=now).count()
        self.stdout.write(f"Due rounds run; {sent} email(s) sent.")
