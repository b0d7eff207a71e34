"""Walk 24: the site has an icon. Every page links an SVG in the site's colours, the
organiser admin too, and a browser asking for /favicon.ico is sent to it (no 404)."""

from __future__ import annotations

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db
ICON = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


def test_the_home_page_links_an_svg_icon_that_is_served(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve static/ as `make run` does

    href = ICON.search(client.get(reverse("home")).content.decode()).group(1)
    icon = client.get(href)

    assert href == static("img/favicon.svg")
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_organiser_admin_links_the_same_icon(organiser_client):
    page = organiser_client.get(reverse("admin:index")).content.decode()

    assert ICON.search(page).group(1) == static("img/favicon.svg")
    assert 'href="data:,"' not in page


def test_favicon_ico_leads_to_the_icon_not_a_404(client, settings):
    settings.WHITENOISE_USE_FINDERS = True

    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    assert client.get(response["Location"]).status_code == 200


def test_the_error_pages_link_the_icon_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert ICON.search(response.content.decode()).group(1) == static("img/favicon.svg")
