from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback and evaluation"

    def ready(self) -> None:
        # Registers the "did you meet?" follow-up and reminder renderers with the outbox,
        # the search-strategy emails, and the receiver that deletes a version's file.
        from feedback import emails  # noqa: F401
        from feedback.strategies import emails as strategy_emails  # noqa: F401
        from feedback.strategies import services as strategy_services  # noqa: F401
