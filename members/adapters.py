from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from members.forms import WIZARD_STEP_NAMES, wizard_resume_step

# Set in the session when the last wrong code is entered (allauth's signal), so the login
# page it sends the member to says why (walk 34: it said only "Too many attempts").
CODE_LOCKED = "members.code_locked"
TRIES = allauth_settings.EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS
CODE_LOCKED_WORDS = (
    f"That code has stopped working after {TRIES} wrong tries. Log in again in a minute, "
    "with your email address and password, and we will email you a new code."
)

CODE_SENT_TEMPLATE = "account/messages/email_confirmation_sent.txt"
CODE_RESENT_WORDS = "We've sent a new code to {email}. Use the code in the newest email."


def code_rejected(
    sender: object, request: HttpRequest, last_attempt: bool, **kwargs: object
) -> None:
    if last_attempt:
        request.session[CODE_LOCKED] = True


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth's wording blames a wrong password even when the limit was the
        # one-code-per-10-seconds rule.
        "too_many_login_attempts": "Too many attempts in a short time, or we sent a code to "
        "this address moments ago. Please wait a minute and try again.",
        # Warned before the lockout, not only after it (walk 21).
        "incorrect_code": "That code is not right. Check it against the newest email from us "
        "(a new code stops the old one working). After "
        f"{allauth_settings.EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS} wrong codes in a row this "
        "code stops working, and you start again with a new one.",
    }

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message == self.error_messages["too_many_login_attempts"] and request.session.pop(
            CODE_LOCKED, False
        ):
            message = CODE_LOCKED_WORDS
        if (
            message_template == CODE_SENT_TEMPLATE
            and allauth_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED
        ):
            # Every send lands on the code page, which says "We've sent a code to ..."
            # itself: allauth's "Confirmation email sent to ..." above it said it twice
            # (walk 38). A resend asked for on that page does get a line of its own.
            if request.method != "POST" or request.POST.get("action") != "resend":
                return
            message = CODE_RESENT_WORDS.format(email=(message_context or {}).get("email", ""))
        super().add_message(
            request, level, message_template, message_context, extra_tags, message=message
        )

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        # Done: back to the dashboard with "Password successfully changed.", not the form
        # again with empty fields under the message (walk 29). A password set (an account
        # with none) goes the same way.
        return reverse("members:dashboard")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Organisers land on the organiser home (their programmes, concerns, next rounds),
        # profile finished or not: it links to their own dashboard, which asks them to
        # complete it before they are matched. A `next` address still wins (allauth).
        if request.user.is_staff:
            return reverse("admin:index")
        # Until the wizard is finished, a member's login lands on it, at the step to resume.
        profile = getattr(request.user, "profile", None)
        if profile is None:
            return reverse("members:wizard", args=["about"])
        if profile.wizard_done_at is None:
            step = wizard_resume_step(profile)
            names = WIZARD_STEP_NAMES
            if step != names[0]:
                messages.info(
                    request,
                    "Welcome back. Your answers so far are saved: carry on from step "
                    f"{names.index(step) + 1} of {len(names)}.",
                )
            return reverse("members:wizard", args=[step])
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("members:wizard", args=["about"])

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context.setdefault("site_url", settings.SITE_URL)
        super().send_mail(template_prefix, email, context)
