"""Pages about the email a member gets: the one-click unsubscribe (RFC 8058), their email
settings, re-confirming a bounced address, and the provider's tracking webhook."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.http import post_only
from members.forms import EmailSettingsForm
from members.mailing import (
    bounce_clear,
    bounce_for,
    email_opt_in,
    email_opt_out,
    email_preferences_set,
    recheck_read,
    recheck_token,
    stopped_categories,
    unsubscribe_read,
)
from members.models import EmailCategory, User


def _bad_link(request: HttpRequest, expired: bool) -> HttpResponse:
    context = {"expired": expired}
    return render(request, "members/email_link_invalid.html", context, status=400)


def _for_someone_else(request: HttpRequest, owner: User) -> HttpResponse | None:
    """As the one-click skip and pause links: a link used while logged in as another
    member is a 404 that changes and confirms nothing. Logged out, the token is the
    authority (a mail provider's one-click POST carries no cookies)."""
    if request.user.is_authenticated and request.user.pk != owner.pk:
        context = {"someone_else": True}
        return render(request, "members/email_link_invalid.html", context, status=404)
    return None


# RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" with no cookies and no
# CSRF token; the signed token is the authority. GET (which link scanners prefetch) only
# shows a page whose button POSTs.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, category = unsubscribe_read(token)
    except signing.SignatureExpired:
        return _bad_link(request, expired=True)
    except (signing.BadSignature, User.DoesNotExist):
        return _bad_link(request, expired=False)
    if refused := _for_someone_else(request, user):
        return refused
    if request.method == "POST":
        if request.POST.get("action") == "resubscribe":
            email_opt_in(user=user, category=category)
        else:
            email_opt_out(user=user, category=category)
    context = {
        "label": EmailCategory(category).label,
        "stopped": category in stopped_categories(user.pk),
        "done": request.method == "POST",
        # The owner already logged in goes straight to their settings: no "after logging in".
        "logged_in_owner": request.user.pk == user.pk,
    }
    return render(request, "members/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    stopped = stopped_categories(request.user.pk)
    initial = {"receive": [c for c in EmailCategory.values if c not in stopped]}
    form = EmailSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        receive = set(form.cleaned_data["receive"])
        email_preferences_set(user=request.user, stopped=set(EmailCategory.values) - receive)
        messages.success(request, "Your email settings have been saved.")
        return redirect("members:email_settings")
    context = {"form": form, "bounce": bounce_for(request.user)}
    return render(request, "members/email_settings.html", context)


@login_required
@post_only("members:email_settings")
def email_recheck(request: HttpRequest) -> HttpResponse:
    """Send a link to the member's current address; following it proves it works again.
    Sent directly (not through the outbox, which skips bounced addresses)."""
    user = request.user
    link = settings.SITE_URL + reverse("email:confirm", args=[recheck_token(user)])
    context = {"site_name": settings.SITE_NAME, "link": link}
    send_mail(
        subject=f"[{settings.SITE_NAME}] Does this address work?",
        message=render_to_string("emails/email_recheck.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    messages.success(request, f"We have sent a link to {user.email}. Follow it to confirm.")
    return redirect("members:email_settings")


@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = recheck_read(token)
    except signing.SignatureExpired:
        return _bad_link(request, expired=True)
    except (signing.BadSignature, User.DoesNotExist):
        return _bad_link(request, expired=False)
    if refused := _for_someone_else(request, user):
        return refused
    if request.method == "POST":
        bounce_clear(email=user.email)
    context = {"email": user.email, "done": request.method == "POST"}
    return render(request, "members/email_confirm.html", context)


@csrf_exempt
def mailgun_tracking(request: HttpRequest) -> HttpResponse:
    """Mailgun's tracking webhook, checked by django-anymail (signature; basic auth when
    the URL carries one). Not found until a signing key is set: anymail would treat an
    empty key as a key."""
    from anymail.webhooks.mailgun import MailgunTrackingWebhookView

    if not getattr(settings, "ANYMAIL", {}).get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404("Mailgun webhooks are not configured")
    return MailgunTrackingWebhookView.as_view()(request)
