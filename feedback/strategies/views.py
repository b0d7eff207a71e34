"""Pages of a search-strategy review, all behind login and all inside one match: a
match the viewer is not in, or a strategy or file of another match, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from feedback.models import StrategyVersion
from feedback.strategies.forms import ReviewForm, StrategyForm
from feedback.strategies.selectors import (
    changes_since_draft,
    databases_text,
    match_strategies,
    partner_strategy,
)
from feedback.strategies.services import (
    StrategyError,
    review_save,
    strategy_review_only,
    strategy_share,
)
from feedback.strategies.uploads import ALLOWED
from pairing.emails.text import and_join
from pairing.kinds import kind_of
from pairing.models import Match
from pairing.selectors import match_of


def _own_match(request: HttpRequest, match_id: int) -> Match:
    """The viewer's own match of a kind that shares work; 404 otherwise."""
    match = get_object_or_404(
        match_of(user=request.user, pk=match_id).defer("pairing_round__draft")
    )
    if not kind_of(match.pairing_round.programme).shares_work:
        raise Http404("No strategies in this match")
    return match


def _closed_words(match: Match, strategies: dict) -> str:
    """Why nothing more is shared in `match`: the viewer left, or nobody else remains."""
    if strategies["i_left"]:
        programme = match.pairing_round.programme.name
        return f"You have left {programme}: nothing more is asked of you here."
    return (
        f"{capfirst(strategies['departed'])}: nobody else remains in this introduction "
        "to review a strategy."
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def strategy_share_page(request: HttpRequest, match_id: int) -> HttpResponse:
    match = _own_match(request, match_id)
    strategies = match_strategies(match=match, viewer=request.user)
    latest = strategies["mine"].latest
    if request.method == "GET" and strategies["closed"]:
        messages.info(request, _closed_words(match, strategies))
        return redirect("pairing:match_detail", pk=match.pk)
    if strategies["share_over"] and latest is None:
        # A revised version is still welcome; a first one after a later round is not.
        messages.info(
            request,
            f"Strategies for this round were due by {strategies['due_on']:%-d %B %Y}, and a "
            "later round has run since: none is needed from you now.",
        )
        return redirect("pairing:match_detail", pk=match.pk)
    if request.method == "POST":
        form = StrategyForm(request.POST, request.FILES, previous=latest)
        valid = form.is_valid()
        if not valid and request.FILES.get("file") and "file" not in form.errors:
            # Browsers never send a chosen file again: say so, rather than lose it quietly.
            form.add_error(
                "file",
                f"Choose {request.FILES['file'].name} again: for your safety, browsers do not "
                "keep a chosen file when a form comes back.",
            )
        if valid:
            try:
                version = strategy_share(
                    match=match,
                    author=request.user,
                    context=form.context(),
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data.get("file") or None,
                    checked=form.checked,
                    keep_file=form.keeps_file,
                )
            except StrategyError as error:
                form.add_error(None, str(error))
            else:
                partners = [p.author for p in strategies["partners"] if p.remains]
                who = and_join(partners) or "your partner"
                messages.success(
                    request,
                    f"Version {version.number} of your strategy is shared with {who}, "
                    f"who {'have' if len(partners) > 1 else 'has'} been emailed.",
                )
                # No #anchor: the confirmation is at the top of the page, where focus is.
                return redirect("pairing:match_detail", pk=match.pk)
    else:
        form = StrategyForm.from_version(latest)
    return render(
        request,
        "feedback/strategy_share.html",
        {
            "match": match,
            "form": form,
            "latest": latest,
            "due_on": strategies["due_on"],
            "late": strategies["late"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_review_only_page(request: HttpRequest, match_id: int) -> HttpResponse:
    match = _own_match(request, match_id)
    if request.method == "GET":  # the choice is a button on the match page
        return redirect("pairing:match_detail", pk=match.pk)
    review_only = request.POST.get("review_only") != "0"
    try:
        strategy_review_only(match=match, author=request.user, review_only=review_only)
    except StrategyError as error:
        messages.error(request, str(error))
        return redirect("pairing:match_detail", pk=match.pk)
    messages.success(
        request,
        "Noted: nothing of yours to review this time. You can still share one."
        if review_only
        else "You can share a strategy for review again.",
    )
    return redirect("pairing:match_detail", pk=match.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def strategy_review_page(request: HttpRequest, match_id: int, strategy_id: int) -> HttpResponse:
    match = _own_match(request, match_id)
    view = partner_strategy(
        strategies=match_strategies(match=match, viewer=request.user), strategy_id=strategy_id
    )
    if view is None or view.latest is None:
        raise Http404("No such strategy to review")
    sent = view.my_review is not None and view.my_review.submitted_at is not None
    if request.method == "POST" and sent:
        # Another tab sent it first: say that what this tab held was not sent.
        messages.warning(
            request,
            f"You had already sent this review on "
            f"{timezone.localtime(view.my_review.submitted_at):%-d %B %Y}; "
            "the changes on that page were not sent. A sent review cannot change.",
        )
    form = ReviewForm(
        request.POST if request.method == "POST" and not sent else None, saved=view.my_review
    )
    if request.method == "POST" and not sent and form.is_valid():
        submit = request.POST.get("action") == "submit"
        blank = not form.cleaned_data["overall"].strip() and not form.elements()
        if not submit and blank and view.my_review is None:
            # Nothing typed and no draft yet: "Your draft is saved" would be untrue.
            messages.info(request, "Nothing to save yet: choose a verdict or write a comment.")
            return redirect(request.path)
        if not submit or form.check_complete():
            try:
                review_save(
                    strategy=view.strategy,
                    reviewer=request.user,
                    elements=form.elements(),
                    overall=form.cleaned_data["overall"],
                    submit=submit,
                    now=timezone.now(),
                )
            except StrategyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Your review has been sent to {view.author}."
                    if submit
                    else "Your draft is saved. Only you can see it until you send it.",
                )
                if submit:
                    return redirect("pairing:match_detail", pk=match.pk)
                return redirect(request.path)
    return render(
        request,
        "feedback/strategy_review.html",
        {
            "match": match,
            "view": view,
            "form": form,
            "sent": sent,
            "databases": databases_text(view.latest),
            # A draft written for an older version: say so, with what changed since.
            "draft_changes": changes_since_draft(view),
        },
    )


@never_cache
@login_required
def strategy_file(request: HttpRequest, match_id: int, version_id: int) -> FileResponse:
    match = _own_match(request, match_id)
    version = get_object_or_404(
        StrategyVersion.objects.exclude(file=""), pk=version_id, strategy__match=match
    )
    content_type = ALLOWED.get(version.file_type, ("application/octet-stream",))[0]
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file_name or f"search-strategy.{version.file_type}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
