from django.urls import path

from pairing import links, match_views, views

app_name = "pairing"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("membership/<int:pk>/leave/", views.membership_leave, name="membership_leave"),
    path("membership/<int:pk>/pause/", views.membership_pause, name="membership_pause"),
    path("membership/<int:pk>/resume/", views.membership_resume, name="membership_resume"),
    path("membership/<int:pk>/skip/", views.membership_skip, name="membership_skip"),
    path("matches/<int:pk>/", match_views.match_detail, name="match_detail"),
    path("matches/<int:pk>/block/", match_views.match_block, name="match_block"),
    path("matches/<int:pk>/concern/", match_views.match_concern, name="match_concern"),
    path("link/<str:token>/skip/", links.link_skip, name="link_skip"),
    path("link/<str:token>/pause/", links.link_pause, name="link_pause"),
]
