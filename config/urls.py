from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from config.health import healthz
from config.status import status_panel
from members import views as member_views
from pairing.views.home import with_organiser_home

admin.site.login = secure_admin_login(admin.site.login)
admin.site.index = with_organiser_home(admin.site.index)  # the organiser home
admin.site.site_header = "Library Coffee Trials: organisers"
admin.site.site_title = "Coffee Trials admin"


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico where a page names no icon: send them to the SVG the
    pages link. Resolved per request (the static name carries a hash in production), and
    temporary, so a browser never keeps an old hashed address."""
    return HttpResponseRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("", member_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("code-of-conduct/", member_views.code_of_conduct, name="code_of_conduct"),
    path("privacy/", member_views.privacy, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("members.urls")),
    path("email/", include("members.email_urls")),
    path("invitations/", include("members.invitations.urls")),
    path("programmes/", include("pairing.urls")),
    path("", include("feedback.urls")),
    path("organise/", include("pairing.organiser_urls")),
    path("admin/status/", status_panel, name="admin_status"),
    path("admin/", admin.site.urls),
]
