"""Response headers every page gets, and a guard for the admin's bulk actions.

- `Permissions-Policy`: the site uses no camera, microphone, location, payment or USB;
  saying so stops an injected script or frame from asking.
- `Cache-Control: private, no-store` on every response to a logged-in member (dashboards,
  "download my data", CSV exports, shared strategies) and on the signed no-login pages,
  so no shared computer's cache or proxy keeps a copy. Static files are untouched.
- An admin bulk action whose selected rows are not row numbers (a tampered form) is a
  400 with a page in words, not a 500 from the database."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
# Pages that show one member's data without a login (signed links in emails).
SIGNED_PREFIXES = ("/feedback/", "/programmes/link/")


class BadAdminAction(SuspiciousOperation):
    """A bulk action posted with selected rows that are not row numbers."""


class SiteHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.startswith("/admin/"):
            selected = request.POST.getlist("_selected_action")
            if any(not value.isdigit() for value in selected):
                raise BadAdminAction("Selected rows must be row numbers.")
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        private = (user is not None and user.is_authenticated) or request.path.startswith(
            SIGNED_PREFIXES
        )
        if private and not request.path.startswith("/static/"):
            patch_cache_control(response, private=True, no_store=True)
        return response
