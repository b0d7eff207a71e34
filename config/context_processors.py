from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "ORGANISERS_EMAIL": settings.ORGANISERS_EMAIL,
    }
