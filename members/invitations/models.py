"""Invitations, the imports they come from, invitees' opt-outs, and announcements.
Imported into the members app by `MembersConfig.import_models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InvitationImport(models.Model):
    """An uploaded CSV or pasted list, read and checked: the rows that can be invited and
    the problems per row, kept until the organiser presses "Send" (once: `sent_at`)."""

    programme = models.ForeignKey(
        "pairing.Programme", on_delete=models.CASCADE, related_name="invitation_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=200, blank=True)  # the file's name, or "pasted"
    # [{"row": n, "name", "email", "organisation", "sector", "region", "note"}]
    rows = models.JSONField(default=list)
    # [{"row": n, "text": what the row said, "problem": in words}]
    problems = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.source or 'pasted'} for {self.programme_id}"


class Invitation(models.Model):
    """One address invited to one programme. Its state is read, not stored, where another
    table already says it (joined: a membership; bounced: a bounced address); see
    `selectors.invitation_states`."""

    programme = models.ForeignKey(
        "pairing.Programme", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()  # normalised: stripped, lower case
    # SHA-256 of `email`, to compare with "never invite me again" (InvitationOptOut).
    email_hash = models.CharField(max_length=64, editable=False)
    name = models.CharField(max_length=80, blank=True)
    organisation = models.CharField(max_length=120, blank=True)
    sector = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=20, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    resent_at = models.DateTimeField(null=True, blank=True)
    # When the invitee created an account with the invited address from the link.
    signed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "email"]
        # The admin index entry leads to both organiser pages (see admin.py).
        verbose_name_plural = "invitations and announcements"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "email"], name="members_invitation_one_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.email


class InvitationOptOut(models.Model):
    """Someone said "never invite me again". Kept as a SHA-256 of the normalised address,
    not the address: we must recognise it, never need to read it."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "invitation opt-out"

    def __str__(self) -> str:
        return self.email_hash[:12]


class Announcement(models.Model):
    """A message from the organisers to a programme's active members, sent once each."""

    programme = models.ForeignKey(
        "pairing.Programme", on_delete=models.CASCADE, related_name="announcements"
    )
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The preview's token: a second press of "Send" (or a reload) finds this row.
    nonce = models.CharField(max_length=64, unique=True)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def email_subject(self) -> str:
        """The subject line members get: theirs first, then the programme (whose name
        may have a colon of its own), unless their subject already names it."""
        name, subject = (
            " ".join(text.split()).casefold() for text in (self.programme.name, self.subject)
        )
        if name in subject:
            return self.subject
        return f"{self.subject} \u2014 {self.programme.name}"
