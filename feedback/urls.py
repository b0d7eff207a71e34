from django.urls import path

from feedback import report_views, views
from feedback.strategies import views as strategy_views

app_name = "feedback"
urlpatterns = [
    path("feedback/<str:token>/", views.evaluate, name="evaluate"),
    path("me/matches/<int:match_id>/feedback/", views.evaluate_own, name="evaluate_own"),
    path(
        "me/matches/<int:match_id>/strategy/",
        strategy_views.strategy_share_page,
        name="strategy_share",
    ),
    path(
        "me/matches/<int:match_id>/strategy/review-only/",
        strategy_views.strategy_review_only_page,
        name="strategy_review_only",
    ),
    path(
        "me/matches/<int:match_id>/strategies/<int:strategy_id>/review/",
        strategy_views.strategy_review_page,
        name="strategy_review",
    ),
    path(
        "me/matches/<int:match_id>/strategy-files/<int:version_id>/",
        strategy_views.strategy_file,
        name="strategy_file",
    ),
    path("me/cpd/", report_views.cpd_record, name="cpd"),
    path("me/cpd.csv", report_views.cpd_csv, name="cpd_csv"),
    path("takeaways/", report_views.takeaways, name="takeaways"),
    path(
        "organise/programmes/<int:pk>/evidence/",
        report_views.programme_report,
        name="programme_report",
    ),
    path(
        "organise/programmes/<int:pk>/evaluations.csv",
        report_views.programme_csv,
        name="programme_csv",
    ),
    path(
        "organise/programmes/<int:pk>/check-ins.csv",
        report_views.checkins_csv,
        name="checkins_csv",
    ),
    path(
        "organise/programmes/<int:pk>/evidence-pack/",
        report_views.evidence_pack,
        name="evidence_pack",
    ),
]
