"""The round preview page a page of groups at a time: a national network's round has
thousands of groups, and the edit forms offer the members a page shows, not everyone."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

from members.models import Profile
from pairing.models import Round
from pairing.rounds import Preview

# Groups shown on one page of the preview (a round of up to this many shows no pages).
PER_PAGE = 50


def preview_page_context(request: HttpRequest, preview: Preview) -> dict:
    """The page of groups asked for, the members its edit forms offer (those of its
    groups and everyone left out, by name) and the links to the other pages."""
    page = Paginator(preview.groups, PER_PAGE).get_page(request.GET.get("page"))
    grouped = sorted(
        [m for g in page.object_list for m in g["members"]],
        key=lambda m: m.user.profile.display_name.lower(),
    )
    members = sorted(
        grouped + [u["membership"] for u in preview.unplaced],
        key=lambda m: m.user.profile.display_name.lower(),
    )
    return {
        "page": page,
        "members": members,
        # A swap trades two grouped members: those left out are moved, not swapped.
        "grouped": grouped,
        "paged": page.paginator.num_pages > 1,
        "page_links": _page_links(page, request.GET),
        "previous_query": _query(request.GET, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_query": _query(request.GET, page.next_page_number()) if page.has_next() else "",
        **chosen(request.GET),
    }


def _page_links(page: Page, query: QueryDict) -> list[dict]:
    """Links to the first, last and nearby pages (a gap between), for the page nav; the
    rest of the query (an open confirmation) is kept."""
    if page.paginator.num_pages <= 1:
        return []
    links: list[dict] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"gap": True})
        else:
            links.append(
                {"number": number, "href": _query(query, number), "current": number == page.number}
            )
    return links


def _query(query: QueryDict, number: int) -> str:
    """`query` with its page set to `number` (page 1 needs none), as "?..." or ""."""
    kept = query.copy()
    for name in ("page", "chose", *CHOSEN):
        kept.pop(name, None)
    if number > 1:
        kept["page"] = str(number)
    text = kept.urlencode()
    return f"?{text}" if text else ""


# What a refused move or swap chose, kept in the address so the forms show it again.
CHOSEN = ("member", "other", "group", "group_number")


def number_in(text: str) -> int | None:
    """A whole number typed or posted in ASCII digits ("12"), else None ("²", "١٢", "x")."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def page_after_edit(post: QueryDict, *, refused: bool = False) -> str:
    """The query to return to after an edit: the page of groups the form was on, and
    after a refused move or swap, what it chose (to correct, not to choose again)."""
    kept = QueryDict(mutable=True)
    number = number_in(post.get("page", ""))
    if number is not None and number > 1:
        kept["page"] = str(number)
    action = post.get("action", "")
    if refused and action in {"move", "swap"}:
        kept["chose"] = action
        for name in CHOSEN:
            if number_in(post.get(name, "")) is not None:
                kept[name] = post[name].strip()
    return f"?{kept.urlencode()}" if kept else ""


def chosen(query: QueryDict) -> dict:
    """The refused edit's choices for the move and swap forms ("" where none)."""
    action = query.get("chose", "")
    return {
        f"{form}_{name}": query.get(name, "") if action == form else ""
        for form in ("move", "swap")
        for name in CHOSEN
    }


def group_from(post: QueryDict) -> int | None:
    """The group an edit names: its index (`group`), or its number as the organiser
    typed it (`group_number`, on a paged preview)."""
    group = number_in(post.get("group", ""))
    if group is not None:
        return group
    number = number_in(post.get("group_number", ""))
    return None if number is None else number - 1  # group 0 is refused as "no group 0"


def edit_words(action: str, post: QueryDict, alone: list[str], draft: dict) -> str:
    """What an edit that went through did, in the organiser's words, with the groups'
    numbers as they are now (a group left with one member is gone, so later groups move
    up a number)."""
    ids = [post.get("member", "").strip(), post.get("other", "").strip()]
    names = dict(
        Profile.objects.filter(user_id__in=[n for i in ids if (n := number_in(i))]).values_list(
            "user_id", "display_name"
        )
    )
    member, other = (names.get(number_in(i), "") for i in ids)
    now_in = {m: i + 1 for i, g in enumerate(draft.get("groups", [])) for m in g["members"]}
    group = group_from(post)
    number = "" if group is None else f"group {group + 1}"
    words = {
        "move": f"{member} moved to group {now_in.get(ids[0], '?')}.",
        "swap": f"{member} (now in group {now_in.get(ids[0], '?')}) and {other} (now in "
        f"group {now_in.get(ids[1], '?')}) swapped.",
        "lock": f"{number.capitalize()} locked: a reshuffle keeps it as it is.",
        "unlock": f"{number.capitalize()} unlocked: a reshuffle may form it afresh.",
    }
    return f"Preview updated: {words[action]}" + _left_alone(alone)


def _left_alone(ids: list[str]) -> str:
    if not ids:
        return ""
    names = Profile.objects.filter(user_id__in=ids).values_list("display_name", flat=True)
    return (
        f" {', '.join(sorted(names))} now has no group and will be told the organisers could "
        "not fit them in, unless you move them into one."
    )


def unlocked(pairing_round: Round) -> set[frozenset]:
    groups = (pairing_round.draft or {}).get("groups", [])
    return {frozenset(g["members"]) for g in groups if not g.get("locked")}


def reshuffled(before: set[frozenset], after: set[frozenset]) -> str:
    new = len(after - before)
    if new:
        return f"Unlocked groups reshuffled: {new} of {len(after)} are new."
    return (
        "Reshuffled, and the same groups came out best again. To vary them, raise the "
        "programme's \u201crandomness\u201d, or lock, move and swap members yourself."
    )
