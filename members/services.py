"""Every write about members: profiles, data export, account deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members.models import BouncedEmail, Interest, Profile, User


def profile_create(*, user: User, display_name: str, now: dt.datetime | None = None) -> Profile:
    """Create the profile at sign-up, recording acceptance of the code of conduct and
    privacy notice (the sign-up form requires both)."""
    now = now or timezone.now()
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={"display_name": display_name, "coc_accepted_at": now, "privacy_accepted_at": now},
    )
    return profile


def profile_for(user: User) -> Profile:
    """The member's profile, created empty for accounts made outside sign-up (admin,
    createsuperuser)."""
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"display_name": user.email.split("@")[0]}
    )
    return profile


def profile_refresh_complete(*, profile: Profile) -> bool:
    complete = not profile.missing_fields
    if profile.complete != complete:
        Profile.objects.filter(pk=profile.pk).update(complete=complete)
        profile.complete = complete
    return complete


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    data: dict[str, Any],
    interests: Iterable[Interest] | None = None,
    finish_wizard: bool = False,
    now: dt.datetime | None = None,
) -> Profile:
    """Save validated profile fields (a form's cleaned_data without `interests`)."""
    for name, value in data.items():
        setattr(profile, name, value)
    if finish_wizard and profile.wizard_done_at is None:
        profile.wizard_done_at = now or timezone.now()
    profile.save()
    if interests is not None:
        profile.interests.set(interests)
    profile_refresh_complete(profile=profile)
    return profile


def _readable(instance: models.Model, field: models.Field) -> object:
    """A field as the member chose it on the form: a choice's label ("Online or in
    person", not "either"), an empty choice as empty; other values as JSON has them."""
    value = getattr(instance, field.name)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return _jsonable(value)


def member_export(*, user: User) -> dict[str, Any]:
    """Everything we hold about one member, as plain JSON-ready data."""
    profile = profile_for(user)
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in user.emailaddress_set.all()
            ],
            "emails_you_stopped": sorted(user.email_opt_outs.values_list("category", flat=True)),
            "email_problem": [
                {"kind": b.kind, "detail": b.detail, "at": b.bounced_at.isoformat()}
                for b in BouncedEmail.objects.filter(email=user.email.lower())
            ],
            "retention_warned_at": _jsonable(user.retention_warned_at),
            "invitations_to_your_address": _export_invitations(user),
        },
        "profile": {
            field.name: _readable(profile, field)
            for field in Profile._meta.concrete_fields
            if field.name not in {"id", "user"}
        },
    }
    data["profile"]["interests"] = [i.name for i in profile.interests.all()]
    data["memberships"] = [
        {
            "programme": m.programme.name,
            "status": m.get_status_display(),
            "paused_until": _jsonable(m.paused_until),
            "skip_next_round": m.skip_next_round,
            "mentoring_role": m.get_mentoring_role_display(),
            "joined_at": _jsonable(m.joined_at),
            "left_at": _jsonable(m.left_at),
        }
        for m in user.memberships.select_related("programme")
    ]
    data.update(_export_pairing(user))
    data.update(_export_feedback(user))
    data.update(_export_learning_sets(user))
    data["emails_sent_to_you"] = _export_emails(user)
    return data


def _export_invitations(user: User) -> list[dict[str, Any]]:
    """What organisers uploaded about this address to invite it to a programme."""
    from members.invitations.models import Invitation

    fields = ("name", "organisation", "sector", "region", "created_at", "expires_at")
    return [
        {"programme": i.programme.name, **{f: _jsonable(getattr(i, f)) for f in fields}}
        for i in Invitation.objects.filter(email=user.email.lower()).select_related("programme")
    ]


def _export_learning_sets(user: User) -> dict[str, Any]:
    """Learning-set check-ins (with the private reflections), evaluations, sets left."""
    from pairing.sets.reports import member_set_data

    return member_set_data(user=user)


def _export_pairing(user: User) -> dict[str, Any]:
    from pairing.models import Block, Concern, LeftOut, MatchMember

    seats = (
        MatchMember.objects.filter(user=user)
        .select_related("match__pairing_round__programme", "match__host__profile")
        .prefetch_related("match__members__user__profile")
    )
    return {
        "introductions": [
            {
                "programme": seat.match.pairing_round.programme.name,
                "round": seat.match.pairing_round.number,
                "date": _jsonable(seat.match.pairing_round.held_on),
                "partners": [
                    other.user.profile.display_name if other.user else "A former member"
                    for other in seat.match.members.all()
                    if other.user_id != user.pk
                ],
                "shared_interests": seat.match.shared_interests,
                "you_hosted": seat.match.host_id == user.pk,
                "your_role": seat.get_role_display() if seat.role else "",
            }
            for seat in seats
        ],
        "not_placed": [
            {
                "programme": item.pairing_round.programme.name,
                "date": _jsonable(item.pairing_round.held_on),
                "reason": item.reason,
            }
            for item in LeftOut.objects.filter(user=user).select_related("pairing_round__programme")
        ],
        "asked_not_to_be_paired_with": [
            getattr(getattr(b.blocked, "profile", None), "display_name", "")
            for b in Block.objects.filter(user=user).select_related("blocked__profile")
        ],
        "concerns_reported": [
            {"date": _jsonable(c.created_at), "text": c.text}
            for c in Concern.objects.filter(reporter=user)
        ],
    }


def _export_feedback(user: User) -> dict[str, Any]:
    """The member's own evaluations (reflections, takeaways, comments to organisers and any
    search-strategy review they wrote) and where each "did you meet?" check-in stands."""
    from feedback.models import CheckIn, Evaluation
    from feedback.strategies.selectors import strategies_export
    from pairing.kinds import kind_of

    evaluations = (
        Evaluation.objects.filter(user=user)
        .select_related("match__pairing_round__programme")
        .prefetch_related("topics")
        .order_by("match__pairing_round__scheduled_for", "pk")
    )
    checkins = (
        CheckIn.objects.filter(seat__user=user)
        .select_related("seat__match__pairing_round__programme")
        .order_by("seat__match__pairing_round__scheduled_for", "pk")
    )
    return {
        "evaluations": [
            {
                **_round_of(e.match.pairing_round),
                # Every field, so one added to the model later is exported without a change here.
                **_fields_of(e, skip={"id", "match", "user", "review"}),
                "topics": [t.name for t in e.topics.all()],
                "search_strategy_review": _review_export(
                    e.review, kind_of(e.match.pairing_round.programme).review_headings
                ),
            }
            for e in evaluations
        ],
        "check_ins": [
            {**_round_of(c.seat.match.pairing_round), **_fields_of(c, skip={"id", "seat"})}
            for c in checkins
        ],
        # Search review: strategies shared, reviews received and written.
        **strategies_export(user=user),
    }


def _review_export(review: Any, headings: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    """A review as stored ({heading key: {verdict, comment}}), with the kind's headings and
    the verdicts in words; keys the kind no longer asks about are kept, so nothing is lost."""
    from feedback.models import ReviewVerdict

    if not isinstance(review, dict):
        return [{"heading": "", "verdict": "", "comment": review}] if review else []
    names, verdicts = dict(headings), dict(ReviewVerdict.choices)
    order = [key for key in names if key in review] + [k for k in review if k not in names]
    items = []
    for key in order:
        entry = review[key] if isinstance(review[key], dict) else {"comment": review[key]}
        verdict = entry.get("verdict", "")
        items.append(
            {
                "heading": names.get(key, key),
                "verdict": verdicts.get(verdict, verdict),
                "comment": entry.get("comment", ""),
            }
        )
    return items


def _export_emails(user: User) -> list[dict[str, Any]]:
    """Every email addressed to the member: their own rows, and the introductions of the
    matches they sat in (one row per match, addressed to all its members). Only what the
    email was and what became of it: never its key or delivery errors, which can carry a
    partner's address."""
    from django.db.models import Q

    from pairing.models import MatchMember, OutboxEmail, OutboxKind, OutboxStatus

    their_matches = MatchMember.objects.filter(user=user).values("match_id")
    rows = (
        OutboxEmail.objects.filter(
            Q(user=user) | Q(kind=OutboxKind.INTRO, match_id__in=their_matches)
        )
        .order_by("created_at", "pk")
        .values(
            "kind",
            "status",
            "created_at",
            "sent_at",
            "pairing_round__number",
            "pairing_round__programme__name",
            "match__pairing_round__number",
            "match__pairing_round__programme__name",
        )
    )
    kinds, statuses = dict(OutboxKind.choices), dict(OutboxStatus.choices)
    return [
        {
            "kind": kinds.get(row["kind"], row["kind"]),
            "programme": row["pairing_round__programme__name"]
            or row["match__pairing_round__programme__name"],
            "round": row["pairing_round__number"] or row["match__pairing_round__number"],
            "status": statuses.get(row["status"], row["status"]),
            "queued_at": _jsonable(row["created_at"]),
            "sent_at": _jsonable(row["sent_at"]),
        }
        for row in rows
    ]


def _round_of(pairing_round: Any) -> dict[str, Any]:
    return {
        "programme": pairing_round.programme.name,
        "round": pairing_round.number,
        "round_date": _jsonable(pairing_round.held_on),
    }


def _fields_of(obj: Any, *, skip: set[str]) -> dict[str, Any]:
    """An object's own fields, choices in words, ready for JSON."""
    data = {}
    for field in type(obj)._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(obj, field.name)
        if field.choices and value not in (None, ""):
            value = str(dict(field.flatchoices).get(value, value))
        data[field.name] = _jsonable(value)
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@transaction.atomic
def member_delete(*, user: User, now: dt.datetime | None = None) -> None:
    """Delete the account and everything personal that hangs off it (profile,
    memberships, email addresses, sessions go with the cascade), what the member wrote in
    their evaluations and learning-set check-ins (the choices stay, without a name, as the
    privacy notice says), any record that email to the address bounced, the invitations
    sent to it, and the strategy reviews nobody would then keep. A learning set with
    sessions to come is left first, as leaving it does, and the others in each current
    introduction are emailed that nobody is to wait for this member."""
    from feedback.models import EVALUATION_FREE_TEXT, Evaluation, StrategyReview
    from members.invitations.models import Invitation
    from pairing.emails.partner_gone import partners_told_account_deleted
    from pairing.sets.leaving import sets_account_deleted
    from pairing.sets.models import SessionCheckIn

    now = now or timezone.now()
    sets_account_deleted(user=user, now=now)
    partners_told_account_deleted(user=user, now=now)
    SessionCheckIn.objects.filter(user=user).update(reflection="")

    # A review given stays its reviewer's record when its author goes (and is the
    # author's while they stay); one neither keeps goes now.
    StrategyReview.objects.kept_by_nobody_without(user).delete()

    Evaluation.objects.filter(user=user).update(
        **dict.fromkeys(EVALUATION_FREE_TEXT, ""),
        takeaway="",
        share_takeaway=False,
        show_name_with_takeaway=False,
        review={},
    )
    BouncedEmail.objects.filter(email=user.email.lower()).delete()
    Invitation.objects.filter(email=user.email.lower()).delete()
    User.objects.filter(pk=user.pk).delete()


def verification_resend(*, user: User) -> bool:
    """Email an unverified member a link to log in; logging in sends them a fresh code.

    Verification is by code (link scanners cannot consume one), and a code belongs to the
    browser that asked for it, so an organiser cannot send one on the member's behalf.
    Returns False, sending nothing, when the member is already verified."""
    from allauth.account.models import EmailAddress

    if EmailAddress.objects.filter(user=user, verified=True).exists():
        return False
    context = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "login_path": reverse("account_login"),
        "email": user.email,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Please confirm your email address",
        message=render_to_string("emails/verification_reminder.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
