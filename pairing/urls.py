from django.urls import path

from pairing import views

app_name = "pairing"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("membership/<int:pk>/leave/", views.membership_leave, name="membership_leave"),
    path("membership/<int:pk>/pause/", views.membership_pause, name="membership_pause"),
    path("membership/<int:pk>/resume/", views.membership_resume, name="membership_resume"),
    path("membership/<int:pk>/skip/", views.membership_skip, name="membership_skip"),
]
