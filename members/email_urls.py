"""Email links that work without logging in (signed), and the provider's webhook."""

from django.urls import path

from members import email_views

app_name = "email"
urlpatterns = [
    path("unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    path("confirm/<str:token>/", email_views.email_confirm, name="confirm"),
    path("mailgun/tracking/", email_views.mailgun_tracking, name="mailgun_tracking"),
]
