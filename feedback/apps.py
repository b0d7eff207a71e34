from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback and evaluation"

    def ready(self) -> None:
        # Registers the "did you meet?" follow-up and reminder renderers with the outbox.
        from feedback import emails  # noqa: F401
