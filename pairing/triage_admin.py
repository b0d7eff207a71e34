"""Triage in the admin: members' concerns (status, who handles it, organisers' notes) and
the blocks members made ("don't pair me with this person again").

Both lists are scoped: a superuser sees every row; any other organiser (a staff user in a
programme's `organisers`) sees the rows of their own programmes only, and another
programme's row is a 404. A concern belongs to the programme of its match's round. A
block is between two members, not within a programme: it is shown to the organisers of
any programme *both* members belong to (whatever their membership's status), because it
changes who can be matched there and nowhere else; an organiser of a programme only one
of them is in never learns of it. Neither list is shown to members: the reporter never
sees the notes, the blocked member never sees the block.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from feedback.exports import member_name
from members.models import User
from pairing.choices import ConcernStatus
from pairing.models import Block, Concern, MatchMember, Membership, Programme
from pairing.organiser_home import programmes_organised_by

# What the lists read of a concern's round: never its engine input or draft.
ROUND_FIELDS = ("number", "scheduled_for", "finished_at", "programme__name")


def organises_any(request: HttpRequest) -> bool:
    """A staff user who organises at least one programme (once per request)."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if not hasattr(request, "_organises_any"):
        request._organises_any = user.is_superuser or user.organised_programmes.exists()
    return request._organises_any


class OrganiserScopedAdmin(admin.ModelAdmin):
    """Organisers open these lists without model permissions; a row outside their
    programmes is a 404, never a redirect that confirms it exists."""

    class Media:
        css = {"all": ["css/triage.css"]}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return organises_any(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return organises_any(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members make these rows, never organisers

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a record is kept: a concern is closed, not deleted

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such row in your programmes.")
        return obj


class ProgrammeFilter(admin.SimpleListFilter):
    """The organiser's own programmes, by name."""

    title = "programme"
    parameter_name = "programme"
    field = "match__pairing_round__programme_id"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return list(programmes_organised_by(request.user).values_list("pk", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{self.field: int(value)})


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return member_name(user) if hasattr(user, "profile") else user.email


class ConcernForm(forms.ModelForm):
    """A concern is closed with a note of what was done (walk 29: it could be closed with
    no handler and no notes, leaving no record of how it ended)."""

    class Meta:
        model = Concern
        fields = ["status", "handler", "notes"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == ConcernStatus.CLOSED and not (data.get("notes") or "").strip():
            self.add_error(
                "notes", "Before closing it, note what was done. Members never see the notes."
            )
        return data


@admin.register(Concern)
class ConcernAdmin(OrganiserScopedAdmin):
    form = ConcernForm
    list_display = [
        "reported_on",
        "programme",
        "round",
        "reporter_name",
        "partners",
        "status",
        "handler_name",
    ]
    list_display_links = ["reported_on"]
    list_filter = ["status", ProgrammeFilter]
    search_fields = ["text", "reporter__profile__display_name"]
    fields = [
        "reported_on",
        "programme",
        "round_link",
        "what_they_said",
        "same_introduction",
        "contact",
        "status",
        "handler",
        "notes",
    ]
    readonly_fields = [
        "reported_on",
        "programme",
        "round_link",
        "reporter_name",
        "partners",
        "what_they_said",
        "same_introduction",
        "contact",
    ]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Status, handler and notes are the organisers' to set.
        return organises_any(request) or super().has_change_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Concern]:
        user = request.user
        concerns = super().get_queryset(request)
        if not user.is_superuser:
            concerns = concerns.filter(match__pairing_round__programme__organisers=user)
        seats = MatchMember.objects.select_related("user__profile").order_by("pk")
        return (
            concerns.select_related(
                "reporter__profile", "handler__profile", "match__pairing_round__programme"
            )
            .only(
                *[f.name for f in Concern._meta.concrete_fields],
                "reporter__email",
                "reporter__profile__display_name",
                "handler__email",
                "handler__profile__display_name",
                "match__pairing_round_id",
                *[f"match__pairing_round__{name}" for name in ROUND_FIELDS],
            )
            .prefetch_related(Prefetch("match__members", queryset=seats))
        )

    def save_model(self, request: HttpRequest, obj: Concern, form, change: bool) -> None:
        # Moved on from "New" with nobody named: whoever moved it handles it.
        if obj.status != ConcernStatus.NEW and obj.handler_id is None and request.user.is_staff:
            obj.handler = request.user
        super().save_model(request, obj, form, change)

    def get_form(self, request: HttpRequest, obj: Concern | None = None, **kwargs: object):
        request._concern_handler_id = obj.handler_id if obj else None
        return super().get_form(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field: object, request: HttpRequest, **kwargs: object):
        if db_field.name == "handler":
            # A plain choice of names: no "add / change / delete a user" buttons beside it.
            return self.formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: object, request: HttpRequest, **kwargs: object):
        if db_field.name == "handler":
            # Who can handle it: the site's superusers and this organiser's co-organisers.
            who = Q(is_staff=True, is_active=True)
            if not request.user.is_superuser:
                mine = programmes_organised_by(request.user)
                who &= Q(is_superuser=True) | Q(organised_programmes__in=mine)
            # Whoever handles it now stays a choice, so saving never refuses the form.
            staff = User.objects.filter(who | Q(pk=getattr(request, "_concern_handler_id", None)))
            kwargs["queryset"] = staff.distinct().select_related("profile").order_by("email")
            kwargs["form_class"] = HandlerChoiceField
            kwargs["required"] = False
            kwargs["help_text"] = "Left empty, whoever moves the concern on from New is named."
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="reported", ordering="created_at")
    def reported_on(self, concern: Concern) -> str:
        return f"{timezone.localtime(concern.created_at):%-d %b %Y, %H:%M}"

    @admin.display(description="what they reported")
    def what_they_said(self, concern: Concern) -> str:
        return linebreaksbr(concern.text, autoescape=True)

    @admin.display(description="their other reports about this introduction")
    def same_introduction(self, concern: Concern) -> str:
        """A member adds to a concern by reporting again (the match page says so): each
        report is a row, linked here to the others."""
        others = Concern.objects.filter(reporter_id=concern.reporter_id, match_id=concern.match_id)
        others = others.exclude(pk=concern.pk).order_by("created_at").only("pk", "created_at")
        if concern.reporter_id is None or concern.match_id is None or not others:
            return "none"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            (
                (reverse("admin:pairing_concern_change", args=[o.pk]), self.reported_on(o))
                for o in others
            ),
        )

    @admin.display(description="handled by", ordering="handler__profile__display_name")
    def handler_name(self, concern: Concern) -> str:
        return member_name(concern.handler) if concern.handler_id else "nobody yet"

    @admin.display(description="programme", ordering="match__pairing_round__programme__name")
    def programme(self, concern: Concern) -> str:
        return concern.match.pairing_round.programme.name if concern.match else "-"

    @admin.display(description="round", ordering="match__pairing_round__scheduled_for")
    def round(self, concern: Concern) -> str:
        if concern.match is None:
            return "-"
        pairing_round = concern.match.pairing_round
        # A concern's round has run: dated the day it did (an organiser may run it early).
        return f"Round {pairing_round.number} ({pairing_round.held_on:%-d %b %Y})"

    @admin.display(description="round")
    def round_link(self, concern: Concern) -> str:
        # Its delivery page lists every group of the round, with who was introduced to whom.
        if concern.match is None:
            return "-"
        url = reverse("admin:pairing_round_progress", args=[concern.match.pairing_round_id])
        return format_html('<a href="{}">{}</a>', url, self.round(concern))

    @admin.display(description="to contact them")
    def contact(self, concern: Concern) -> str:
        # The member was told the organisers may contact them by email; the people in
        # the introduction are listed with theirs, reporter first.
        people = [("reported it", concern.reporter)] if concern.reporter else []
        if concern.match is not None:
            people += [
                ("in the introduction", seat.user)
                for seat in concern.match.members.all()
                if seat.user is not None and seat.user_id != concern.reporter_id
            ]
        # Said first, so nobody takes the person the concern is about for its reporter.
        gone = (
            "The member who reported it has since deleted their account: they cannot be contacted."
            if concern.reporter_id is None
            else ""
        )
        # A partner who deleted their account is said, not dropped (walk 29: the page then
        # read as if the reporter had been alone). The reporter's own emptied seat is not.
        seats = concern.match.members.all() if concern.match is not None else []
        partners_gone = sum(s.user_id is None for s in seats) - (concern.reporter_id is None)
        if partners_gone > 0:
            who = "A member" if partners_gone == 1 else f"{partners_gone} members"
            verb = "has" if partners_gone == 1 else "have"
            gone = " ".join(
                filter(None, [gone, f"{who} of the introduction {verb} since deleted their "
                               "account: they cannot be contacted."])
            )  # fmt: skip
        if not people:
            return gone or "nobody: the accounts were deleted"
        listed = format_html_join(
            mark_safe("<br>"),
            '{} ({}): <a href="mailto:{}">{}</a>',
            ((member_name(user), role, user.email, user.email) for role, user in people),
        )
        return format_html("{}<br>{}", gone, listed) if gone else listed

    @admin.display(description="reported by", ordering="reporter__profile__display_name")
    def reporter_name(self, concern: Concern) -> str:
        return member_name(concern.reporter)

    @admin.display(description="about")
    def partners(self, concern: Concern) -> str:
        if concern.match is None:
            return "-"
        others = [s for s in concern.match.members.all() if s.user_id != concern.reporter_id]
        return ", ".join(member_name(s.user) for s in others) or "-"


def blocks_visible_to(user: User) -> QuerySet[Block]:
    """The blocks between two members of one of `user`'s programmes (all, for a
    superuser)."""
    if user.is_superuser:
        return Block.objects.all()
    shared = Membership.objects.filter(
        user=OuterRef("user_id"),
        programme__organisers=user,
        programme__memberships__user=OuterRef("blocked_id"),
    )
    return Block.objects.filter(Exists(shared))


class BlockProgrammeFilter(admin.SimpleListFilter):
    """Blocks between two members of one programme."""

    title = "programme"
    parameter_name = "programme"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return list(programmes_organised_by(request.user).values_list("pk", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        both = Membership.objects.filter(
            user=OuterRef("user_id"),
            programme_id=int(value),
            programme__memberships__user=OuterRef("blocked_id"),
        )
        return queryset.filter(Exists(both))


@admin.register(Block)
class BlockAdmin(OrganiserScopedAdmin):
    list_display = ["asked_on", "asked_by", "not_to_meet", "programmes"]
    list_display_links = None
    list_filter = [BlockProgrammeFilter]
    search_fields = ["user__profile__display_name", "blocked__profile__display_name"]
    fields = ["asked_on", "asked_by", "not_to_meet", "programmes"]
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a member's own choice: only they can make or undo it

    def get_queryset(self, request: HttpRequest) -> QuerySet[Block]:
        mine = programmes_organised_by(request.user).only("name")
        memberships = Membership.objects.filter(programme__in=mine).select_related("programme")
        return (
            blocks_visible_to(request.user)
            .select_related("user__profile", "blocked__profile")
            .prefetch_related(
                Prefetch("user__memberships", queryset=memberships),
                Prefetch("blocked__memberships", queryset=memberships),
            )
            .order_by("-created_at")
        )

    @admin.display(description="asked on", ordering="created_at")
    def asked_on(self, block: Block) -> str:
        return f"{timezone.localtime(block.created_at):%-d %b %Y}"

    @admin.display(description="asked by", ordering="user__profile__display_name")
    def asked_by(self, block: Block) -> str:
        return member_name(block.user)

    @admin.display(description="not to be paired with", ordering="blocked__profile__display_name")
    def not_to_meet(self, block: Block) -> str:
        return member_name(block.blocked)

    @admin.display(description="programmes they share")
    def programmes(self, block: Block) -> str:
        theirs: dict[int, Programme] = {
            m.programme_id: m.programme for m in block.user.memberships.all()
        }
        shared = {m.programme_id for m in block.blocked.memberships.all()} & set(theirs)
        return ", ".join(sorted(theirs[pk].name for pk in shared)) or "-"
