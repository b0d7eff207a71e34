from django.urls import path

from pairing.views import links, matches, programmes, sets

app_name = "pairing"
urlpatterns = [
    path("", programmes.programme_list, name="programme_list"),
    path("<slug:slug>/", programmes.programme_detail, name="programme_detail"),
    path("<slug:slug>/sign-up/", programmes.programme_signup, name="programme_signup"),
    path("membership/<int:pk>/leave/", programmes.membership_leave, name="membership_leave"),
    path("membership/<int:pk>/pause/", programmes.membership_pause, name="membership_pause"),
    path("membership/<int:pk>/resume/", programmes.membership_resume, name="membership_resume"),
    path("membership/<int:pk>/skip/", programmes.membership_skip, name="membership_skip"),
    path("membership/<int:pk>/role/", programmes.membership_role, name="membership_role"),
    path("matches/<int:pk>/", matches.match_detail, name="match_detail"),
    path("matches/<int:pk>/block/", matches.match_block, name="match_block"),
    path("matches/<int:pk>/unblock/", matches.match_unblock, name="match_unblock"),
    path("matches/<int:pk>/concern/", matches.match_concern, name="match_concern"),
    path("sets/<int:pk>/", sets.set_detail, name="set_detail"),
    path("sets/<int:pk>/swap/", sets.set_swap, name="set_swap"),
    path("sets/<int:pk>/leave/", sets.set_leave, name="set_leave"),
    path("sets/<int:pk>/evaluate/", sets.set_evaluate, name="set_evaluate"),
    path("swaps/<int:pk>/", sets.swap_decide, name="swap_decide"),
    path("sessions/<int:pk>/calendar.ics", sets.session_ics, name="session_ics"),
    path("sessions/<int:pk>/move/", sets.session_move, name="session_move"),
    path("sessions/<int:pk>/cancel/", sets.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/check-in/", sets.session_checkin, name="session_checkin"),
    path("link/<str:token>/skip/", links.link_skip, name="link_skip"),
    path("link/<str:token>/pause/", links.link_pause, name="link_pause"),
]
