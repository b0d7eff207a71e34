from __future__ import annotations

from django.urls import path

from members.invitations import links

app_name = "invitations"
urlpatterns = [
    path("<str:token>/", links.accept, name="accept"),
    path("<str:token>/login/", links.login, name="login"),
    path("never/<str:token>/", links.opt_out, name="opt_out"),
]
