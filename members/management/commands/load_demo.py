from django.core.management.base import BaseCommand

from members.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo community (idempotent) and print the organiser's login."

    def handle(self, *args: object, **options: object) -> None:
        login = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Organiser login: {login['email']} / {login['password']} "
                "(members: member01@example.org ... member30@example.org, same password)"
            )
        )
