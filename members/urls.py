from django.urls import path

from members import email_views, views

app_name = "members"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("welcome/<slug:step>/", views.wizard, name="wizard"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("data.json", views.data_export, name="data_export"),
    path("delete/", views.account_delete, name="account_delete"),
    path("emails/", email_views.email_settings, name="email_settings"),
    path("emails/recheck/", email_views.email_recheck, name="email_recheck"),
]
