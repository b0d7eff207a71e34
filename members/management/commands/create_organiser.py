"""The first organiser of a new site: asks for an email address (and a name), creates a
staff account with no password, and emails a link to choose one. No password is ever
typed on the command line, printed or stored in a file."""

from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from members.models import User
from members.services import profile_create


class Command(BaseCommand):
    help = "Create an organiser (staff, all permissions) and email them a link to set a password."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--email", help="the organiser's email address (asked if missing)")
        parser.add_argument("--name", help="the name members will see (asked if missing)")

    def handle(self, *args: object, **options: object) -> None:
        email = (options.get("email") or input("Organiser's email address: ")).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        name = (options.get("name") or input("Their name, as members will see it: ")).strip()
        with transaction.atomic():
            user, created = User.objects.get_or_create(email=email)
            user.is_staff = user.is_superuser = True
            if created:
                user.set_unusable_password()
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if created or not hasattr(user, "profile"):
                profile_create(user=user, display_name=name or email.split("@")[0])
        key = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
        )
        send_mail(
            subject=f"[{settings.SITE_NAME}] You are an organiser: choose your password",
            message=(
                f"Hello {name or email},\n\nYou are an organiser of {settings.SITE_NAME}. "
                f"Choose your password here (the link works once, for "
                f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days):\n"
                f"{settings.SITE_URL}{path}\n\nThen log in and open the organiser admin: "
                f"{settings.SITE_URL}{reverse('admin:index')}\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Updated'} organiser {email}; a link to choose "
                "a password has been emailed. If it does not arrive, check EMAIL_URL."
            )
        )
