from django.urls import path

from pairing.views import links, matches, programmes

app_name = "pairing"
urlpatterns = [
    path("", programmes.programme_list, name="programme_list"),
    path("<slug:slug>/", programmes.programme_detail, name="programme_detail"),
    path("membership/<int:pk>/leave/", programmes.membership_leave, name="membership_leave"),
    path("membership/<int:pk>/pause/", programmes.membership_pause, name="membership_pause"),
    path("membership/<int:pk>/resume/", programmes.membership_resume, name="membership_resume"),
    path("membership/<int:pk>/skip/", programmes.membership_skip, name="membership_skip"),
    path("matches/<int:pk>/", matches.match_detail, name="match_detail"),
    path("matches/<int:pk>/block/", matches.match_block, name="match_block"),
    path("matches/<int:pk>/concern/", matches.match_concern, name="match_concern"),
    path("link/<str:token>/skip/", links.link_skip, name="link_skip"),
    path("link/<str:token>/pause/", links.link_pause, name="link_pause"),
]
