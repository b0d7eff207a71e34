"""HTTP helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

AGAIN = "Nothing was changed: use the button on this page to do that."


def post_only(fallback: str, *, keep_pk: bool = False) -> Callable:
    """Like ``require_POST``, except that a GET (a button's address opened again after
    logging in, from the history or a bookmark) goes to the page the button is on, the
    URL named ``fallback`` (given the view's ``pk`` with ``keep_pk``), with a message,
    instead of a blank 405 page. Other methods still get a 405."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in {"GET", "HEAD"}:
                return HttpResponseNotAllowed(["POST"])
            messages.info(request, AGAIN)
            return redirect(reverse(fallback, kwargs={"pk": kwargs["pk"]} if keep_pk else None))

        return wrapper

    return decorate
