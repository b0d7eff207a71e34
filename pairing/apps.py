from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "pairing"
    verbose_name = "Programmes and rounds"

    def ready(self) -> None:
        # Registers the introduction, left-out and notice renderers with the outbox.
        from pairing import emails  # noqa: F401
