"""The admin for learning-set cycles: organisers set a cycle up here (sessions,
interval, length, place, facilitation), then form its sets from the programme's "Next
round" page, and manage the sets from the cycle's "Sets and sessions" page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from pairing.kinds import KINDS
from pairing.sets.forms import CycleForm
from pairing.sets.models import Cycle
from pairing.views import set_organiser


class LearningSetProgrammeFilter(admin.RelatedFieldListFilter):
    """ "By programme" offers the learning-set programmes only: cycles are theirs alone."""

    def field_choices(self, field, request: HttpRequest, model_admin) -> list:
        sets = [slug for slug, kind in KINDS.items() if kind.stable_groups]
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to={"kind__in": sets}
        )


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    form = CycleForm
    list_display = ["__str__", "sessions", "interval_weeks", "formed", "sets_link"]
    list_filter = [("programme", LearningSetProgrammeFilter)]
    fieldsets = [
        (None, {"fields": ["programme", "first_session_on", "start_time"]}),
        ("Sessions", {"fields": ["sessions", "interval_weeks", "session_minutes"]}),
        ("Where", {"fields": ["venue", "online_link"]}),
        ("Facilitation", {"fields": ["facilitation", "facilitator_name", "facilitator_email"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Cycle | None = None) -> list[str]:
        # Once the sets are formed the series is fixed: sessions are moved one by one.
        if obj is not None and obj.forming_round_id:
            return [
                "programme",
                "first_session_on",
                "start_time",
                "sessions",
                "interval_weeks",
                "session_minutes",
                "facilitation",
                "facilitator_name",
                "facilitator_email",
            ]
        return []

    @admin.display(description="sets formed", boolean=True)
    def formed(self, cycle: Cycle) -> bool:
        return cycle.forming_round_id is not None

    @admin.display(description="")
    def sets_link(self, cycle: Cycle) -> str:
        if not cycle.forming_round_id:
            url = reverse("admin:pairing_programme_next_round", args=[cycle.programme_id])
            return format_html('<a href="{}">Form the sets (preview and run)</a>', url)
        url = reverse("admin:pairing_cycle_sets", args=[cycle.pk])
        return format_html('<a href="{}">Sets and sessions</a>', url)

    def response_add(
        self, request: HttpRequest, obj: Cycle, post_url_continue: str | None = None
    ) -> HttpResponse:
        """Back to the page the organiser came from (the preview's "Add a cycle"), when
        it is on this site and they did not ask to add another or keep editing (walk 34:
        they were left on the cycles list)."""
        back = request.GET.get("next", "")
        stay = "_addanother" in request.POST or "_continue" in request.POST
        if (
            back
            and not stay
            and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            added = f"The cycle “{obj}” was added: these sets will meet in it."
            self.message_user(request, added, messages.SUCCESS)
            return HttpResponseRedirect(back)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/sets/",
                self.admin_site.admin_view(set_organiser.cycle_sets),
                name="pairing_cycle_sets",
            ),
            *super().get_urls(),
        ]
