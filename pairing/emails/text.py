"""Small wording helpers shared by every app's emails."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def dashboard_url() -> str:
    return settings.SITE_URL + reverse("members:dashboard")
