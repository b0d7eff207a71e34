"""The organiser home: the admin index, where an organiser lands after logging in, opens
with how each of their programmes is doing (`pairing.organiser_home`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pairing.organiser_home import programme_summaries


def with_organiser_home(index: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap `AdminSite.index` so its page also shows the organiser's programmes."""

    def view(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        user = request.user
        context = {
            "title": "Organiser home",
            "organiser_home": True,
            "programme_summaries": programme_summaries(user=user, today=timezone.localdate()),
            # Links only to the lists this account may open.
            "can_view_memberships": user.has_perm("pairing.view_membership"),
            "can_view_concerns": user.has_perm("pairing.view_concern"),
            **(extra_context or {}),
        }
        return index(request, extra_context=context)

    return view
