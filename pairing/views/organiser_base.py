"""What every organiser page in the admin starts from: the programme or round asked for,
if this organiser may see it (another programme's page is a 404), its title, and the
admin's context."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from pairing.models import Programme, Round
from pairing.templatetags.programme_words import round_name


def programme_for(request: HttpRequest, pk: int) -> Programme:
    programme = get_object_or_404(Programme, pk=pk)
    if not (
        request.user.is_superuser
        or programme.organisers.filter(pk=request.user.pk).exists()
        or request.user.has_perm("pairing.change_programme")
    ):
        # Another programme's pages do not exist for this organiser: a 404, never a 403.
        raise Http404
    return programme


def round_for(request: HttpRequest, pk: int) -> Round:
    pairing_round = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
    programme_for(request, pairing_round.programme_id)
    return pairing_round


def named(pairing_round: Round) -> str:
    """ "Coffee: Round 3", "Action learning: Cycle 2" (walk 34): a page title's round."""
    return f"{pairing_round.programme}: {round_name(pairing_round)}"


def admin_context(request: HttpRequest, title: str, **extra: object) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}
