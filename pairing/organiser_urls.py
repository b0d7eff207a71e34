"""Organisers' CSV lists, under /organise/ beside the evidence pages."""

from django.urls import path

from pairing.views import exports

app_name = "organise"
urlpatterns = [
    path("programmes/<int:pk>/members.csv", exports.members_csv, name="members_csv"),
    path("memberships.csv", exports.memberships_csv, name="memberships_csv"),
    path("rounds/<int:pk>/matches.csv", exports.matches_csv, name="matches_csv"),
]
