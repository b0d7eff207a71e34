"""What organisers see of search-strategy reviews: who has shared a strategy (or chose
review only) and whether it was reviewed, so they can chase a pair; never the strategy,
the file or the review itself, which only the pair see (product.md)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from feedback.exports import member_name
from feedback.models import Strategy
from pairing.models import Programme


class StrategyProgrammeFilter(admin.SimpleListFilter):
    """Only the programmes that have strategies (search review), by name."""

    title = "programme"
    parameter_name = "programme"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        programmes = Programme.objects.filter(rounds__matches__strategies__isnull=False)
        return [(str(pk), name) for pk, name in programmes.distinct().values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and not value.isdigit():
            return queryset.none()
        return queryset.filter(match__pairing_round__programme_id=value) if value else queryset


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["member", "programme", "round_number", "shared", "reviews_received"]
    list_filter = [StrategyProgrammeFilter, "review_only"]
    search_fields = ["author__profile__display_name", "author__email"]
    fields = ["member", "programme", "round_number", "shared", "reviews_received"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Strategy]:
        queryset = (
            super()
            .get_queryset(request)
            .select_related("author__profile", "match__pairing_round__programme")
            .defer("match__pairing_round__draft")
            .annotate(
                version_count=Count("versions", distinct=True),
                sent_count=Count(
                    "reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True
                ),
            )
        )
        if not request.user.is_superuser:
            queryset = queryset.filter(match__pairing_round__programme__organisers=request.user)
        return queryset

    @admin.display(description="member")
    def member(self, strategy: Strategy) -> str:
        return member_name(strategy.author)

    @admin.display(description="programme")
    def programme(self, strategy: Strategy) -> str:
        return strategy.match.pairing_round.programme.name

    @admin.display(description="round")
    def round_number(self, strategy: Strategy) -> int:
        return strategy.match.pairing_round.number

    @admin.display(description="shared")
    def shared(self, strategy: Strategy) -> str:
        if strategy.version_count:
            count = strategy.version_count
            return f"Yes ({count} version{'s' if count > 1 else ''})"
        return "Review only" if strategy.review_only else "Not yet"

    @admin.display(description="reviews received (sent by a partner)")
    def reviews_received(self, strategy: Strategy) -> int:
        return strategy.sent_count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
