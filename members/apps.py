from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def import_models(self) -> None:
        super().import_models()
        # Invitations and announcements live in their own package (members/invitations/).
        import members.invitations.models  # noqa: F401

    def ready(self) -> None:
        # The signals come from libraries (a provider's webhook, allauth's confirmation and
        # its last wrong code); the receivers only record what they say.
        from allauth.account.signals import email_confirmed, email_verification_code_rejected
        from anymail.signals import tracking

        from members.adapters import code_rejected
        from members.invitations import emails  # noqa: F401  (outbox renderers)
        from members.mailing import address_confirmed, tracking_received

        tracking.connect(tracking_received, dispatch_uid="members.tracking_received")
        email_confirmed.connect(address_confirmed, dispatch_uid="members.address_confirmed")
        email_verification_code_rejected.connect(
            code_rejected, dispatch_uid="members.code_rejected"
        )
