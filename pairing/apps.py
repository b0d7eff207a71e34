from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "pairing"
    verbose_name = "Programmes and rounds"

    def import_models(self) -> None:
        super().import_models()
        # Learning-set models (cycles, sets, sessions, rota, check-ins) live in their own
        # module, so pairing/models.py stays within the house size.
        import pairing.sets.models  # noqa: F401

    def ready(self) -> None:
        # Registers the introduction, left-out and notice renderers with the outbox, and
        # the learning-set session emails.
        from pairing import emails  # noqa: F401
        from pairing.sets import emails as set_emails  # noqa: F401
