"""Where the organiser pages hang in the admin: "Invitations and announcements" lists
the programmes a user organises; each programme's pages are URLs of this model admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path

from members.invitations import views
from members.invitations.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # Every organiser (staff) may open the list; each page then shows only the
    # programmes they organise. Invitations change only through the pages' actions.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        return views.programmes(request)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "programme/<int:pk>/",
                wrap(views.invitation_list),
                name="members_invitation_programme",
            ),
            path("import/<int:pk>/", wrap(views.import_report), name="members_invitation_import"),
            path(
                "<int:pk>/resend/", wrap(views.invitation_resend), name="members_invitation_resend"
            ),
            path(
                "programme/<int:pk>/announcements/",
                wrap(views.announcement_list),
                name="members_announcement_programme",
            ),
            path(
                "announcement/<int:pk>/",
                wrap(views.announcement_detail),
                name="members_announcement_detail",
            ),
            path(
                "programme/<int:pk>/announcements/new/",
                wrap(views.announcement_new),
                name="members_announcement_new",
            ),
            # Only the list of programmes: no add, change, history or delete pages, so
            # no invitation of another programme can be opened by its id.
            path("", wrap(self.changelist_view), name="members_invitation_changelist"),
        ]
