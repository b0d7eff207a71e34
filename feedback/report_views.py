"""Evidence for organisers (report, CSV, printable pack), a member's own CPD record and the
takeaways members chose to share."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from feedback import reports
from feedback.charts import report_charts
from feedback.mentoring_evidence import ROUNDS_ON_PAGE, mentoring_evidence
from feedback.models import Met
from feedback.set_evidence import set_evidence
from feedback.strategies.evidence import strategy_evidence
from pairing.kinds import kind_of
from pairing.models import Programme
from pairing.sets.reports import session_cpd_rows

EVIDENCE_PACK_TAKEAWAYS = 3
EVIDENCE_PACK_ROUNDS = 4
TAKEAWAYS_PER_PAGE = 20
COMMENTS_PER_PAGE = 50


def _organised_programme(request: HttpRequest, pk: int) -> Programme:
    # Anyone but a superuser or this programme's own organisers gets a 404, never a 403:
    # we do not confirm the programme's evidence exists.
    user = request.user
    programmes = Programme.objects.all()
    if not user.is_superuser:
        if not user.is_staff:
            raise Http404
        programmes = programmes.filter(organisers=user)
    return get_object_or_404(programmes, pk=pk)


class _Echo:
    """A file-like object whose `write` hands the line back, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def _streamed_csv(filename: str, rows: Iterable[list[object]]) -> StreamingHttpResponse:
    """Each row written as it is read from the database: memory does not grow with rows."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"  # so Excel reads the file as UTF-8
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report_context(programme: Programme, *, exact: bool) -> dict:
    """`exact` on the organiser team's own page; the shareable pack follows the
    small-number rules (`feedback.small_numbers`)."""
    report = reports.programme_report(programme=programme, exact=exact)
    size = programme.group_size
    strategies = strategy_evidence(programme=programme, exact=exact)
    learning_sets = set_evidence(programme=programme, exact=exact)
    # The pack (not exact) has room for fewer rounds, as in its rounds table.
    mentoring = mentoring_evidence(
        programme=programme,
        exact=exact,
        rounds=ROUNDS_ON_PAGE if exact else EVIDENCE_PACK_ROUNDS,
    )
    evaluates_matches = kind_of(programme).evaluates_matches
    # The shares the pack prints (it leaves out the PRESS elements' table, and the
    # per-match figures for kinds without them): the † note goes only under a rounded one.
    shares = [f.percent for cycle in learning_sets for f in cycle.figures]
    shares += [(strategies or {}).get("revised_percent")]
    if evaluates_matches:
        shares += [report["met_percent"]]
        shares += [c.percent for c in (*report["usefulness"], *report["meet_again"])]
    return {
        "report": report,
        "charts": report_charts(report),
        "programme": programme,
        # What this kind of programme adds to its evidence (e.g. "Reviews use PRESS 2015").
        # Walk 33: "Sets of 4-7" where the programme promised sets of 5.
        "kind_notes": [
            note.format(size=size, fewer=size - 1, more=size + 1)
            for note in kind_of(programme).evidence_notes
        ],
        # Usefulness, meeting again and the round-by-round trend come from each match's
        # evaluation; a kind without one (learning sets) leaves them out.
        "evaluates_matches": evaluates_matches,
        # Search review: strategies shared, reviews, PRESS elements needing revision.
        "strategies": strategies,
        # Learning sets: sessions held, attendance, usefulness, before/after, by cycle.
        "learning_sets": learning_sets,
        # Mentoring: mentors and mentees now and so far, pairs and mentees left out by
        # round, usefulness as each side rated it.
        "mentoring": mentoring,
        # A figure rounded to the nearest 10 (marked †) is explained under the figures.
        "any_rounded": any(s is not None and s.rounded for s in shares),
    }


@login_required
def programme_report(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _organised_programme(request, pk)
    context = _report_context(programme, exact=True)
    # Newest first, a page at a time: years of comments never load at once.
    context["comments"] = reports.programme_comments_page(
        programme=programme, number=request.GET.get("comments"), per_page=COMMENTS_PER_PAGE
    )
    return render(request, "feedback/report.html", context)


@login_required
def programme_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    programme = _organised_programme(request, pk)
    filename = f"{programme.slug}-evaluations-{timezone.localdate():%Y-%m-%d}.csv"
    return _streamed_csv(filename, reports.evaluations_csv_rows(programme=programme))


@login_required
def checkins_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    programme = _organised_programme(request, pk)
    if not kind_of(programme).stable_groups:
        # Only learning sets have session check-ins (walk 43 opened a coffee programme's
        # and got an empty file of learning-set columns).
        raise Http404("Only learning-set programmes have session check-ins.")
    filename = f"{programme.slug}-check-ins-{timezone.localdate():%Y-%m-%d}.csv"
    return _streamed_csv(filename, reports.checkins_csv_rows(programme=programme))


@login_required
def evidence_pack(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _organised_programme(request, pk)
    context = _report_context(programme, exact=False)
    shared = reports.shared_takeaways(programme=programme)[:EVIDENCE_PACK_TAKEAWAYS]
    context["takeaways"] = [reports.takeaway_from(e) for e in shared]
    # One printed page: the chart shows every round, the table only the latest few.
    context["recent_trend"] = context["report"]["trend"][-EVIDENCE_PACK_ROUNDS:]
    context["trend_caption"] = (
        f"The latest {EVIDENCE_PACK_ROUNDS} rounds"
        if len(context["report"]["trend"]) > EVIDENCE_PACK_ROUNDS
        else "By round"
    )
    return render(request, "feedback/evidence_pack.html", context)


@login_required
def cpd_record(request: HttpRequest) -> HttpResponse:
    rows = reports.cpd_rows(user=request.user)
    met = [r for r in rows if r.met == Met.YES.label]
    set_sessions = session_cpd_rows(user=request.user)
    attended = [s for s in set_sessions if s.attended]
    return render(
        request,
        "feedback/cpd.html",
        {
            "rows": rows,
            "meetings_met": len(met),
            "sessions_attended": len(attended),
            "total_minutes": sum(r.minutes or 0 for r in met)
            + sum(s.minutes or 0 for s in attended),
            "today": timezone.localdate(),
            "set_sessions": set_sessions,
        },
    )


@login_required
def cpd_csv(request: HttpRequest) -> StreamingHttpResponse:
    # One table: meetings, learning sets and their sessions, one row each.
    filename = f"my-cpd-record-{timezone.localdate():%Y-%m-%d}.csv"
    return _streamed_csv(filename, reports.cpd_csv_rows(user=request.user))


@login_required
def takeaways(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports.shared_takeaways(), TAKEAWAYS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [reports.takeaway_from(e) for e in page.object_list]
    return render(request, "feedback/takeaways.html", {"page": page, "takeaways": items})
