from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo community (idempotent) and print the organiser's login."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            # The demo has a known organiser password: never in a real database.
            raise CommandError(
                "load_demo refuses to run with DEBUG off: it creates accounts with a "
                "published password. Use it only for `make run` on your own machine."
            )
        login = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Organiser login: {login['email']} / {login['password']} "
                "(members: member01@example.org ... member30@example.org, same password)"
            )
        )
