from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from config.forms import model_number_ranges
from pairing.choices import PROGRAMME_HELP
from pairing.kinds import KINDS, kind_of
from pairing.models import Membership, Programme, Round, RoundStatus
from pairing.rounds.preview import OPEN
from pairing.rounds.schedule import moved_words, round_move_open
from pairing.rounds.waits import round_held_today
from pairing.sets.selectors import cycle_last_session
from pairing.views import organiser as admin_views

# Jitter adds 0..randomness points to each pair (matching.md); one shared interest is 6.
MAX_RANDOMNESS = 20


class ProgrammeForm(forms.ModelForm):
    """The programme's rules in words on the field, before the database's constraints
    (group size range, mentoring pairs) could refuse the row."""

    class Meta:
        model = Programme
        fields = ["name", "kind", "group_size"]  # the admin passes its fieldsets' fields
        help_texts = {
            "randomness": "0 makes rounds fully predictable; higher adds variety. From 0 to "
            f"{MAX_RANDOMNESS}: each pair gains up to this many points by chance, where one "
            "shared interest is worth 6.",
            **PROGRAMME_HELP,
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        model_number_ranges(self)

    def clean_name(self) -> str:
        name = self.cleaned_data.get("name")
        # Before the unique check's "Programme with this Name already exists.".
        taken = Programme.objects.filter(name=name).exclude(pk=self.instance.pk).exists()
        if name and taken:
            raise forms.ValidationError(
                f"There is already a programme called “{name}”: choose another name."
            )
        return name

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug")
        # The slug is the programme's web address, filled in from the name: a name taken
        # would otherwise add "Programme with this Slug already exists.".
        taken = Programme.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if slug and taken:
            raise forms.ValidationError(
                f"Another programme already has the web address “{slug}”: change the slug."
            )
        return slug

    def clean_next_round_on(self) -> dt.date | None:
        day = self.cleaned_data.get("next_round_on")
        # Only a date changed: an old past date can stay (the next run moves it on).
        if day and "next_round_on" in self.changed_data and day < timezone.localdate():
            ran = self.instance.pk and round_held_today(
                programme=self.instance, today=timezone.localdate()
            )
            raise forms.ValidationError(
                "The next round date cannot be in the past: choose "
                + ("tomorrow (a round ran today)" if ran else "today")
                + " or a later day."
            )
        # One round per day: a day whose round has run (perhaps early) would hold the
        # schedule on a round that is over.
        held = (
            Round.objects.filter(programme_id=self.instance.pk, scheduled_for=day)
            .exclude(status__in=OPEN)
            .first()
            if day and self.instance.pk and "next_round_on" in self.changed_data
            else None
        )
        if held is not None:
            raise forms.ValidationError(
                f"Round {held.number} was planned for {day:%-d %B %Y} and has already run "
                f"(on {held.held_on:%-d %B %Y}): choose a later day for the next round."
            )
        # One round a day: after a round ran today (perhaps early), today is taken.
        today = timezone.localdate()
        ran = (
            round_held_today(programme=self.instance, today=today)
            if day == today and self.instance.pk and "next_round_on" in self.changed_data
            else None
        )
        if ran is not None:
            raise forms.ValidationError(
                f"Round {ran.number} ran today: choose tomorrow or a later day for the next "
                "round, so nobody is introduced twice in a day."
            )
        # A learning set's sets meet until the cycle's last session: members would read
        # that new sets form on a day they cannot.
        last = (
            cycle_last_session(programme=self.instance, today=today)
            if day
            and self.instance.pk
            and "next_round_on" in self.changed_data
            and kind_of(self.instance).stable_groups
            else None
        )
        if last is not None and day <= last:
            after = last + dt.timedelta(days=1)
            raise forms.ValidationError(
                f"The current learning sets still meet until {last:%-d %B %Y} and stay "
                f"together for the whole cycle: choose {after:%-d %B %Y} or later for the "
                "next cycle's sets."
            )
        return day

    def clean_kind(self) -> str:
        kind = self.cleaned_data.get("kind")
        if not self.instance.pk or "kind" not in self.changed_data:
            return kind
        # Matches keep their roles, strategies and sessions by the kind they ran under: a
        # new kind would rewrite what members were introduced as and what they shared.
        held = Round.objects.filter(programme_id=self.instance.pk).filter(
            ~Q(status__in=OPEN) | Q(matches__isnull=False)
        )
        if held.exists():
            was = Programme.objects.only("kind").get(pk=self.instance.pk).get_kind_display()
            article = "an" if was[0].lower() in "aeiou" else "a"
            raise forms.ValidationError(
                f"This programme has already run rounds as {article} {was.lower()} programme, "
                "so its kind cannot change: set up a new programme instead."
            )
        return kind

    def clean_randomness(self) -> int | None:
        value = self.cleaned_data.get("randomness")
        if value is not None and value > MAX_RANDOMNESS and "randomness" in self.changed_data:
            raise forms.ValidationError(
                f"Choose a randomness from 0 to {MAX_RANDOMNESS}: above that, chance outweighs "
                "what members share and who they have met."
            )
        return value

    def clean(self) -> dict:
        data = super().clean()
        size, kind = data.get("group_size"), data.get("kind")
        # The kind's own rule first ("groups of 4 to 7"), then the engine's range.
        problem = KINDS[kind].group_size_error(size) if size is not None and kind in KINDS else ""
        if problem:
            self.add_error("group_size", problem)
        elif size is not None and not 2 <= size <= 7:
            self.add_error("group_size", "Choose a group size from 2 (pairs) to 7.")
        # Members accept a learning set's ground rules when they join, and its sets keep
        # them: a set with none would show members rules nobody agreed to.
        if kind in KINDS and KINDS[kind].stable_groups and not data.get("ground_rules", "x"):
            self.add_error(
                "ground_rules",
                "A learning set needs ground rules: members accept them when they join. "
                "For example: what is said in the set stays in the set; we listen without "
                "interrupting and ask open questions; each presenter decides what they take "
                "away.",
            )
        return data


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    form = ProgrammeForm
    list_display = [
        "name",
        "kind",
        "group_size",
        "cadence_days",
        "next_round_on",
        "signup_open",
        "active_members",
        "next_round_link",
        "evidence_link",
    ]
    list_filter = ["kind", "signup_open"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "kind", "signup_open", "organisers"]}),
        ("Rhythm", {"fields": ["group_size", "cadence_days", "next_round_on", "followup_days"]}),
        (
            "Matching preferences",
            {
                "fields": [
                    "sector_mix",
                    "avoid_same_organisation",
                    "repeat_window",
                    "when_all_met",
                    "randomness",
                ]
            },
        ),
        ("Search-strategy review", {"fields": ["strategy_due_days"], "classes": ["collapse"]}),
        # Open, not collapsed: the ground rules are required for a learning set, and a
        # closed section hid them until the form was rejected.
        (
            "Learning sets",
            {
                "fields": ["ground_rules"],
                "description": "For action learning set programmes only: their ground "
                "rules are required (members accept them when joining). Leave empty for "
                "other kinds.",
            },
        ),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # Whoever creates a programme usually runs it: they start as its organiser.
        return {"organisers": [request.user.pk], **super().get_changeform_initial_data(request)}

    def save_model(self, request: HttpRequest, obj: Programme, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and obj.next_round_on and "next_round_on" in form.changed_data:
            # The open round (and its draft) follows the date, not left on the old day.
            moved = round_move_open(programme=obj, to=obj.next_round_on)
            if moved is not None:
                messages.info(request, moved_words(moved))

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            return
        # A programme with no organisers reaches nobody: members' concerns go only to the
        # shared mailbox, and a staff organiser would not find it on their home page.
        organisers = form.instance.organisers
        if not organisers.exists():
            organisers.add(request.user)
        request._sole_organiser = list(organisers.values_list("pk", flat=True)) == [request.user.pk]
        request._added_programme = form.instance

    def message_user(
        self, request: HttpRequest, message: str, level=messages.INFO, *args, **kwargs
    ):
        if level == messages.SUCCESS and getattr(request, "_sole_organiser", False):
            message = format_html("{} You are its organiser; add others under Organisers.", message)
        if level == messages.SUCCESS and (added := getattr(request, "_added_programme", None)):
            urls = ["members_invitation_programme", "members_announcement_programme"]
            message = format_html(
                '{} Next: <a href="{}">invite members</a>, <a href="{}">announce it</a> '
                'or <a href="{}">see who is eligible for its first {}</a>.',
                message,
                *(reverse(f"admin:{name}", args=[added.pk]) for name in urls),
                reverse("admin:pairing_programme_next_round", args=[added.pk]),
                kind_of(added).round_word,
            )
        super().message_user(request, message, level, *args, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Programme]:
        active = Count("memberships", filter=Q(memberships__status="active"))
        return super().get_queryset(request).annotate(active_count=active)

    @admin.display(description="active members", ordering="active_count")
    def active_members(self, programme: Programme) -> int:
        return programme.active_count

    @admin.display(description="next round")
    def next_round_link(self, programme: Programme) -> str:
        url = reverse("admin:pairing_programme_next_round", args=[programme.pk])
        return format_html('<a href="{}">Eligibility, preview and run</a>', url)

    @admin.display(description="evidence")
    def evidence_link(self, programme: Programme) -> str:
        url = reverse("feedback:programme_report", args=[programme.pk])
        return format_html('<a href="{}">Evaluation report</a>', url)

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/next-round/",
                self.admin_site.admin_view(admin_views.next_round),
                name="pairing_programme_next_round",
            ),
            *super().get_urls(),
        ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "programme",
        "status",
        "paused_until",
        "skip_next_round",
        "mentoring_role",
        "joined_at",
    ]
    list_filter = ["programme", "status", "mentoring_role", "skip_next_round"]
    search_fields = ["user__email", "user__profile__display_name"]
    list_select_related = ["user__profile", "programme"]
    # Nobody is enrolled, re-activated or paused by anyone but themselves: organisers can
    # look, not add or change (a departed member stays departed until they rejoin).
    readonly_fields = [
        "user",
        "programme",
        "status",
        "paused_until",
        "skip_next_round",
        "mentoring_role",
        "joined_at",
        "left_at",
        "ground_rules_accepted_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "status", "match_count", "progress_link"]
    list_filter = ["programme", "status"]
    readonly_fields = [f.name for f in Round._meta.fields]

    list_select_related = ["programme"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rounds are planned from a programme's "Next round" page

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A round that ran holds members' introductions, feedback and delivery record;
        # a planned one is the organiser's preview. Neither is deleted from a list.
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        # The raw record (seed, draft, progress counters) means nothing to an organiser:
        # a round opens on its preview while planned, its delivery page once run.
        pairing_round = self.get_object(request, object_id)
        if pairing_round is None:
            raise Http404
        name = "preview" if pairing_round.status in OPEN else "progress"
        return redirect(f"admin:pairing_round_{name}", pairing_round.pk)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        # The list counts matches with the page and leaves each preview's draft out (a
        # round itself opens on its own pages: change_view below).
        rounds = super().get_queryset(request)
        return rounds.defer("draft").annotate(matches_made=Count("matches"))

    # `Round.held_on` in the database, in the current time zone as timezone.localdate.
    @admin.display(ordering=Coalesce(TruncDate("finished_at"), "scheduled_for"))
    def date(self, pairing_round: Round) -> str:
        """The day a round ran (an organiser may run it early), else the day planned."""
        if pairing_round.status == RoundStatus.DONE:
            return date_format(pairing_round.held_on, "j M Y")
        return f"planned {date_format(pairing_round.scheduled_for, 'j M Y')}"

    @admin.display(description="matches", ordering="matches_made")
    def match_count(self, pairing_round: Round) -> int:
        return pairing_round.matches_made

    @admin.display(description="")
    def progress_link(self, pairing_round: Round) -> str:
        name = "preview" if pairing_round.status in OPEN else "progress"
        return format_html(
            '<a href="{}">{}</a>',
            reverse(f"admin:pairing_round_{name}", args=[pairing_round.pk]),
            "Preview" if name == "preview" else "Delivery",
        )

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/", wrap(admin_views.round_preview), name="pairing_round_preview"
            ),
            path(
                "<int:pk>/progress/",
                wrap(admin_views.round_progress),
                name="pairing_round_progress",
            ),
            *super().get_urls(),
        ]


import pairing.sets.admin  # noqa: E402, F401  (learning-set cycles)
from pairing import triage_admin  # noqa: E402, F401  (concerns and blocks)
