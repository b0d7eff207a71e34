from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from members.models import BouncedEmail, Interest, Profile, User
from members.services import verification_resend
from pairing.models import Membership, MembershipStatus, Programme


class VerifiedFilter(admin.SimpleListFilter):
    title = "email verified"
    parameter_name = "verified"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("yes", "Verified"), ("no", "Not verified")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        if self.value() == "yes":
            return queryset.filter(Exists(verified))
        if self.value() == "no":
            return queryset.exclude(Exists(verified))
        return queryset


class ProgrammeFilter(admin.SimpleListFilter):
    title = "programme"
    parameter_name = "programme"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in Programme.objects.values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() and not self.value().isdigit():
            return queryset.none()  # a tampered address: an empty list, not an error
        if self.value():
            return queryset.filter(
                Exists(
                    Membership.objects.filter(
                        user=OuterRef("pk"), programme_id=self.value()
                    ).exclude(status=MembershipStatus.LEFT)
                )
            )
        return queryset


class PausedFilter(admin.SimpleListFilter):
    title = "paused"
    parameter_name = "paused"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("yes", "Paused in a programme"), ("no", "Not paused")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        paused = Membership.objects.filter(
            user=OuterRef("pk"),
            status=MembershipStatus.PAUSED,
            paused_until__gt=timezone.localdate(),
        )
        if self.value() == "yes":
            return queryset.filter(Exists(paused))
        if self.value() == "no":
            return queryset.exclude(Exists(paused))
        return queryset


class BouncedFilter(admin.SimpleListFilter):
    title = "email bouncing"
    parameter_name = "bounced"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("yes", "Bounced or marked as spam"), ("no", "Arriving")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        bounced = BouncedEmail.objects.filter(email__iexact=OuterRef("email"))
        if self.value() == "yes":
            return queryset.filter(Exists(bounced))
        if self.value() == "no":
            return queryset.exclude(Exists(bounced))
        return queryset


@admin.register(BouncedEmail)
class BouncedEmailAdmin(admin.ModelAdmin):
    """Addresses we no longer email. Deleting a row lets email go to it again (the member
    can do the same by confirming the address or changing it)."""

    list_display = ["email", "kind", "detail", "source", "bounced_at"]
    list_filter = ["kind", "source"]
    search_fields = ["email"]
    readonly_fields = ["email", "kind", "detail", "source", "bounced_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ["interests"]
    readonly_fields = ["complete", "coc_accepted_at", "privacy_accepted_at", "wizard_done_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False  # a member leaves by themselves; its checkboxes had no labels
    fields = ["programme", "status", "paused_until", "skip_next_round", "mentoring_role"]
    readonly_fields = fields  # members enrol themselves; organisers only look


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "sector",
        "region",
        "verified",
        "complete",
        "is_staff",
        "date_joined",
    ]
    list_filter = [
        ProgrammeFilter,
        "profile__sector",
        "profile__region",
        VerifiedFilter,
        BouncedFilter,
        "profile__complete",
        PausedFilter,
        "is_staff",
        "is_active",
    ]
    search_fields = [
        "email",
        "profile__display_name",
        "profile__organisation",
        "profile__job_title",
    ]
    list_select_related = ["profile"]
    inlines = [ProfileInline, MembershipInline]
    actions = ["resend_verification"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    @admin.display(description="name", ordering="profile__display_name")
    def display_name(self, user: User) -> str:
        return getattr(getattr(user, "profile", None), "display_name", "")

    @admin.display(description="sector", ordering="profile__sector")
    def sector(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_sector_display() if profile else ""

    @admin.display(description="region", ordering="profile__region")
    def region(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_region_display() if profile else ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # Whether the address is verified comes with the page, not one query per row.
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        return super().get_queryset(request).annotate(has_verified=Exists(verified))

    @admin.display(description="verified", boolean=True, ordering="has_verified")
    def verified(self, user: User) -> bool:
        return user.has_verified

    @admin.display(description="complete", boolean=True, ordering="profile__complete")
    def complete(self, user: User) -> bool:
        return bool(getattr(getattr(user, "profile", None), "complete", False))

    @admin.action(description="Resend the verification email")
    def resend_verification(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = sum(verification_resend(user=user) for user in queryset)
        skipped = queryset.count() - sent
        messages.success(
            request,
            f"Verification email sent to {sent} member(s)."
            + (f" {skipped} already verified, skipped." if skipped else ""),
        )


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "member_count"]
    list_filter = ["active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interest]:
        return super().get_queryset(request).annotate(members=Count("profiles"))

    @admin.display(description="members", ordering="members")
    def member_count(self, interest: Interest) -> int:
        return interest.members


import members.invitations.admin  # noqa: E402, F401  (invitations and announcements)
