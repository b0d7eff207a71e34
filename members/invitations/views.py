"""Organiser pages inside the admin: a programme's invitations (upload or paste, the
per-row report, send, resend) and its announcements (write, preview, send, past ones).
Anyone but a superuser or the programme's own organisers gets a 404."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from members.invitations import selectors, services
from members.invitations.forms import PASTED, AnnouncementForm, ImportForm, message_digest
from members.invitations.mailing import expiry_days
from members.invitations.models import Announcement, InvitationImport
from members.models import EmailCategory
from pairing.models import Programme

PER_PAGE = 100
REPORT_ROWS = 50
# The last pasted text and its import, so "Back: change what I pasted" on the check page
# returns to the box with it (the import keeps only the rows read from it).
PASTE_KEY = "invitations:pasted"


def _programme_for(request: HttpRequest, pk: int) -> Programme:
    return get_object_or_404(selectors.organised_programmes(request.user), pk=pk)


def _context(request: HttpRequest, title: str, programme: Programme, **extra: object) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "programme": programme,
        "opts": Programme._meta,
        **extra,
    }


def programmes(request: HttpRequest) -> HttpResponse:
    """The organiser's programmes, with links to their invitations and announcements."""
    organised = selectors.organised_programmes(request.user).annotate(
        active=Count("memberships", filter=Q(memberships__status="active"))
    )
    pending = selectors.invitations_pending([p.pk for p in organised])
    rows = [(programme, pending.get(programme.pk, 0)) for programme in organised]
    context = {**admin.site.each_context(request), "title": "Invitations and announcements"}
    return render(request, "admin/members/invitations/programmes.html", {**context, "rows": rows})


@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None, initial=_kept_paste(request))
    if request.method == "POST" and form.is_valid():
        invitation_import = services.invitation_import_create(
            programme=programme,
            reading=form.cleaned_data["reading"],
            source=form.cleaned_data["source"],
            by=request.user,
        )
        if invitation_import.source == PASTED:
            request.session[PASTE_KEY] = {
                "import": invitation_import.pk,
                "text": form.cleaned_data["pasted"],
            }
        ignored = form.cleaned_data["reading"].ignored_columns
        if ignored:
            names = ", ".join(name or "(no name)" for name in ignored)
            columns = "Column" if len(ignored) == 1 else "Columns"
            messages.info(request, f"{columns} not used: {names}.")
        return redirect("admin:members_invitation_import", invitation_import.pk)
    invitations = selectors.invitations_with_state().filter(programme=programme)
    counts = selectors.invitation_counts(programme)
    page = Paginator(invitations.order_by("-created_at", "email"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = _context(
        request,
        f"Invitations: {programme}",
        programme,
        form=form,
        page=page,
        summary=[(label, counts.get(state, 0)) for state, label in selectors.STATE_LABELS.items()],
        labels=selectors.STATE_LABELS,
        resendable=(selectors.State.SENT, selectors.State.EXPIRED),
        expiry_days=expiry_days(),
    )
    return render(request, "admin/members/invitations/list.html", context)


def _kept_paste(request: HttpRequest) -> dict:
    """The pasted text to show again, when coming back from its check page to change it."""
    kept = request.session.get(PASTE_KEY) or {}
    if request.method == "GET" and request.GET.get("change") == str(kept.get("import")):
        return {"pasted": kept["text"]}
    return {}


def _leave_report(
    request: HttpRequest, invitation_import: InvitationImport, action: str
) -> HttpResponse:
    """ "Back: change what I pasted" or "Cancel": nothing is sent either way."""
    url = reverse("admin:members_invitation_programme", args=[invitation_import.programme_id])
    if invitation_import.sent_at is not None:
        return redirect(url)
    if action == "back":
        messages.info(request, "Nothing was sent. Change what you pasted, then check it again.")
        return redirect(f"{url}?change={invitation_import.pk}#id_pasted")
    request.session.pop(PASTE_KEY, None)
    messages.info(request, "Nothing was sent.")
    return redirect(url)


@require_http_methods(["GET", "POST"])
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    invitation_import = get_object_or_404(InvitationImport, pk=pk)
    programme = _programme_for(request, invitation_import.programme_id)
    if request.method == "POST" and request.POST.get("action") in ("back", "cancel"):
        return _leave_report(request, invitation_import, request.POST["action"])
    if request.method == "POST":
        try:
            sent = services.invitation_import_send(
                invitation_import=invitation_import, by=request.user
            )
        except services.InvitationError as error:
            messages.error(request, str(error))
            return redirect("admin:members_invitation_import", invitation_import.pk)
        # Sent: the invitations hold who was invited; the pasted addresses are not kept.
        request.session.pop(PASTE_KEY, None)
        if sent:
            text = "invitation is on its way" if sent == 1 else "invitations are on their way"
            messages.success(request, f"{sent} {text}.")
        elif invitation_import.sent_at is None:
            messages.warning(request, "Nobody on this list can be invited now.")
        else:
            messages.info(request, "These invitations were sent already; nothing was sent again.")
        return redirect("admin:members_invitation_programme", programme.pk)
    context = _context(
        request,
        f"Check before sending: {programme}",
        programme,
        invitation_import=invitation_import,
        rows=invitation_import.rows[:REPORT_ROWS],
        more=max(0, len(invitation_import.rows) - REPORT_ROWS),
        problems=invitation_import.problems,
        pasted=invitation_import.source == PASTED,
        can_change=(request.session.get(PASTE_KEY) or {}).get("import") == invitation_import.pk,
        expiry_days=expiry_days(),
    )
    return render(request, "admin/members/invitations/report.html", context)


@require_http_methods(["GET", "POST"])
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (the one reminder cannot be taken back), then sends on "Yes"."""
    invitation = get_object_or_404(selectors.invitations_with_state(), pk=pk)
    programme = _programme_for(request, invitation.programme_id)
    if request.method == "GET" or request.POST.get("confirmed") != "yes":
        context = _context(
            request,
            f"Send a reminder to {invitation.email}?",
            programme,
            invitation=invitation,
            can_resend=invitation.resent_at is None
            and invitation.state in (selectors.State.SENT, selectors.State.EXPIRED),
            expires=timezone.now() + dt.timedelta(days=expiry_days()),
        )
        return render(request, "admin/members/invitations/resend_confirm.html", context)
    try:
        services.invitation_resend(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"A reminder with a new link is on its way to {invitation.email}."
        )
    return redirect("admin:members_invitation_programme", programme.pk)


def announcement_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for(request, pk)
    context = _context(
        request,
        f"Announcements: {programme}",
        programme,
        announcements=selectors.announcement_list(programme),
    )
    return render(request, "admin/members/invitations/announcements.html", context)


def _email_context(programme: Programme, subject: str, body: str, by: object) -> dict:
    """What a member's announcement email shows, for the preview and for a sent one."""
    profile = getattr(by, "profile", None)
    return {
        "announcement": Announcement(programme=programme, subject=subject, body=body),
        "signer": profile.display_name if profile and profile.display_name else "",
        "stop_label": EmailCategory.ANNOUNCEMENTS.label.lower(),
        "site_name": settings.SITE_NAME,
    }


def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One sent announcement as its members got it, with its delivery."""
    announcement = get_object_or_404(Announcement.objects.select_related("sent_by__profile"), pk=pk)
    programme = _programme_for(request, announcement.programme_id)
    delivery = next(a for a in selectors.announcement_list(programme) if a.pk == pk).delivery
    context = _context(
        request,
        f"Announcement: {announcement.subject}",
        programme,
        sent=announcement,
        delivery=delivery,
        **_email_context(programme, announcement.subject, announcement.body, announcement.sent_by),
    )
    return render(request, "admin/members/invitations/announcement_detail.html", context)


@require_http_methods(["GET", "POST"])
def announcement_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for(request, pk)
    form = AnnouncementForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "send" and form.matches_preview():
            announcement, new = services.announcement_send(
                programme=programme,
                subject=data["subject"],
                body=data["body"],
                nonce=data["nonce"] or secrets.token_hex(16),
                by=request.user,
            )
            text = "is on its way to" if new else "was sent already, once, to"
            messages.success(
                request,
                f"\u201c{announcement.subject}\u201d {text} {announcement.recipients} "
                f"member{pluralize(announcement.recipients)}.",
            )
            return redirect("admin:members_announcement_programme", programme.pk)
        if request.POST.get("action") == "send":
            messages.warning(request, "The message changed since the preview: check it again.")
        form = AnnouncementForm(
            initial={
                **data,
                "nonce": data["nonce"] or secrets.token_hex(16),
                "previewed": message_digest(data["subject"], data["body"]),
            }
        )
        preview = _email_context(programme, data["subject"], data["body"], request.user)
    context = _context(
        request,
        f"New announcement: {programme}",
        programme,
        form=form,
        preview=preview,
        recipients=selectors.announcement_recipients(programme).count(),
        stopped=selectors.announcements_stopped(programme),
    )
    return render(request, "admin/members/invitations/announcement_new.html", context)
