from __future__ import annotations

from django.contrib import admin

from pairing.models import Membership, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "group_size",
        "cadence_days",
        "next_round_on",
        "signup_open",
        "active_members",
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
            {"fields": ["sector_mix", "avoid_same_organisation", "repeat_window", "randomness"]},
        ),
        ("Learning sets", {"fields": ["ground_rules"], "classes": ["collapse"]}),
    ]

    @admin.display(description="active members")
    def active_members(self, programme: Programme) -> int:
        return programme.memberships.filter(status="active").count()


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
    # Nobody is enrolled without their own action: organisers can look, not add.
    readonly_fields = ["user", "programme", "joined_at", "left_at", "ground_rules_accepted_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
