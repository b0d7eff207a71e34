"""Small wording helpers shared by every app's emails."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def site_url(name: str, *args: object) -> str:
    """The address of a page of the site, for an email: SITE_URL + the named URL."""
    return settings.SITE_URL + reverse(name, args=args)


def dashboard_url() -> str:
    return site_url("members:dashboard")
