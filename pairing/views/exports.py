"""Organisers' CSV lists (members, memberships, a round's matches), streamed as they are
read. Only the organiser's own programmes (a superuser's: all); anything else, and any
page for a member who is not staff, is a 404."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairing import exports
from pairing.models import Round
from pairing.organiser_home import programmes_organised_by


class _Echo:
    """A file-like object whose write returns the line: csv.writer then yields lines."""

    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterable[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel reads the file as UTF-8
    for row in rows:
        yield writer.writerow(row)


def _csv(name: str, rows: Iterable[list[object]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def members_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    programme = get_object_or_404(programmes_organised_by(request.user).only("slug"), pk=pk)
    rows = exports.members_csv_rows(
        programme=programme, with_email=request.user.has_perm("members.view_user")
    )
    return _csv(f"{programme.slug}-members", rows)


@login_required
def memberships_csv(request: HttpRequest) -> StreamingHttpResponse:
    if not request.user.is_staff:
        raise Http404("Organisers only")
    programmes = programmes_organised_by(request.user)
    return _csv("memberships", exports.memberships_csv_rows(programmes=programmes))


@login_required
def matches_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    try:
        pairing_round = exports.round_for_export(pk)
    except Round.DoesNotExist:
        raise Http404("No such round") from None
    if not programmes_organised_by(request.user).filter(pk=pairing_round.programme_id).exists():
        raise Http404("No such round")
    rows = exports.matches_csv_rows(pairing_round=pairing_round)
    return _csv(f"{pairing_round.programme.slug}-round-{pairing_round.number}-matches", rows)
