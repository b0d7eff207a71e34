"""The pages behind an invitation email's links, for someone who may have no account:
the invitation (sign-up with the address filled in, then the programme's join page) and
"never invite me again" (GET asks, POST acts: link scanners fetch every link)."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from allauth.account.views import LoginView, SignupView
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members.invitations import services
from members.invitations.mailing import email_normalise, invite_read, opt_out_read
from members.invitations.models import Invitation, InvitationOptOut
from members.invitations.selectors import State, invitation_for_link
from members.models import Region, Sector, User
from pairing.views.programmes import JOIN_AFTER_PROFILE


def has_account(email: str) -> bool:
    """Someone can already log in with this address (their login or another of theirs)."""
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _invitation_from(token: str) -> Invitation:
    invitation_id = invite_read(token)
    invitation = invitation_for_link(invitation_id)
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def _programme_url(invitation: Invitation) -> str:
    return reverse("pairing:programme_detail", args=[invitation.programme.slug])


def _problem(
    request: HttpRequest, heading: str, text: str, status: int, **extra: object
) -> HttpResponse:
    context = {"heading": heading, "text": text, **extra}
    return render(request, "members/invitations/link_problem.html", context, status=status)


def _broken(request: HttpRequest) -> HttpResponse:
    """A link that is cut short, changed, or for an invitation we no longer hold: the same
    page in words for all of them."""
    text = (
        "This invitation link is not complete or has been changed. Copy the whole link from "
        "the email, or ask the organiser who invited you to send it again."
    )
    if request.user.is_authenticated:
        text += " If the invitation was sent to another address of yours, log out first."
    return _problem(request, "This link does not work", text, 404, browse=True)


def _not_yours(request: HttpRequest) -> HttpResponse:
    """An intact link opened while logged in with another address: the likely cause first
    (whose login this is) and a way out, never whom the invitation was for."""
    text = (
        f"You are logged in as {request.user.email}. An invitation link works only for the "
        "person it was sent to: log out, then open the link again."
    )
    return _problem(request, "Log out to use this invitation", text, 404, logout_next=request.path)


class InvitationSignupView(SignupView):
    """allauth's sign-up, opened from an invitation: the address (and name) filled in;
    after sign-up and the email code, the programme's join page. Joining stays the
    invitee's own action."""

    template_name = "members/invitations/signup.html"
    invitation: Invitation

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            invitation_id = invite_read(kwargs["token"])
        except signing.SignatureExpired:
            return self._expired(request, None)
        except signing.BadSignature:
            return _broken(request)
        invitation = invitation_for_link(invitation_id)
        if invitation is None:
            return _broken(request)
        self.invitation = invitation
        if request.user.is_authenticated:
            # Opened while logged in as someone else: not theirs to use. The page names
            # only the current login, so it says nothing about whom it was for.
            if email_normalise(request.user.email) != invitation.email:
                return _not_yours(request)
            return redirect(self._programme_url())
        if invitation.state == State.JOINED:
            messages.info(
                request,
                f"This invitation has already been used to join {invitation.programme.name}. "
                "Log in to continue (forgotten your password? Reset it from the log-in page).",
            )
            return redirect(self._login_url())
        if invitation.state == State.EXPIRED:
            return self._expired(request, invitation)
        if has_account(invitation.email):
            # Signing up again would only send "you already have an account" by email and
            # leave them at a code page: log in instead, then the join page.
            login = reverse("invitations:login", args=[kwargs["token"]])
            return redirect(f"{login}?{urlencode({'next': self._programme_url()})}")
        return super().dispatch(request, *args, **kwargs)

    def _expired(self, request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
        programme = invitation.programme if invitation else None
        text = (
            "Invitation links work for a limited time. If you were sent a newer invitation, "
            "use its link; or ask the organiser who invited you to send it again."
        )
        return _problem(request, "This invitation has expired", text, 410, programme=programme)

    def _programme_url(self) -> str:
        return _programme_url(self.invitation)

    def _login_url(self) -> str:
        return f"{reverse('account_login')}?{urlencode({'next': self._programme_url()})}"

    def get_initial(self) -> dict:
        return {"email": self.invitation.email, "display_name": self.invitation.name}

    def get_success_url(self) -> str:
        return self._programme_url()

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        context["programme"] = self.invitation.programme
        context["login_url"] = self._login_url()
        context["sector_label"] = dict(Sector.choices).get(self.invitation.sector, "")
        context["region_label"] = dict(Region.choices).get(self.invitation.region, "")
        return context

    def form_valid(self, form: object) -> HttpResponse:
        response = super().form_valid(form)
        user = getattr(self, "user", None)
        if user is not None and user.pk:
            services.invitation_signed_up(invitation=self.invitation, user=user)
            # The profile wizard (after a later log-in too) ends on the programme's page.
            self.request.session[JOIN_AFTER_PROFILE] = self.invitation.programme.slug
        return response


accept = InvitationSignupView.as_view()


class InvitationLoginView(LoginView):
    """allauth's login page, for an invitee who already has an account: their address
    filled in, and after logging in the programme's join page (the `next` the
    invitation link sets)."""

    invitation: Invitation

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            self.invitation = _invitation_from(kwargs["token"])
        except (signing.BadSignature, Http404):  # the invitation link itself says why
            return redirect("invitations:accept", kwargs["token"])
        if request.user.is_authenticated:
            return redirect("invitations:accept", kwargs["token"])
        if request.method == "GET":
            messages.info(
                request,
                f"You already have an account: log in to join {self.invitation.programme.name}.",
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {**super().get_initial(), "login": self.invitation.email}

    def get_success_url(self) -> str:
        return super().get_success_url() or _programme_url(self.invitation)


login = InvitationLoginView.as_view()


# RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" with no cookies and no
# CSRF token; the signed token is the authority.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    try:
        hashed = opt_out_read(token)
    except signing.SignatureExpired:
        text = "This link is more than a year old. Reply to the invitation to tell us instead."
        return _problem(request, "This link has expired", text, 400)
    except signing.BadSignature:
        text = "This link is not complete or has been changed. Copy the whole link from the email."
        return _problem(request, "This link does not work", text, 400)
    if request.method == "POST":
        if request.POST.get("action") == "undo":
            services.invitation_opt_in(hashed=hashed)
        else:
            services.invitation_opt_out(hashed=hashed)
    context = {
        "stopped": InvitationOptOut.objects.filter(email_hash=hashed).exists(),
        "done": request.method == "POST",
    }
    return render(request, "members/invitations/opt_out.html", context)
