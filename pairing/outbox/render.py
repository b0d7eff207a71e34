"""Turn an outbox row into a message: each app registers a renderer per kind of email,
which returns the template name, recipients, context and attachments; the message is a
subject/text/HTML template triple under `templates/emails/`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from pairing.models import OutboxEmail
from pairing.outbox.consent import list_unsubscribe, unsubscribe_context

Parts = tuple[str, list[str], dict, list]
RENDERERS: dict[str, Callable[[OutboxEmail], Parts]] = {}


def renderer(kind: str) -> Callable[[Callable[[OutboxEmail], Parts]], Callable]:
    """Register the decorated function as the renderer of outbox rows of `kind`."""

    def register(function: Callable[[OutboxEmail], Parts]) -> Callable[[OutboxEmail], Parts]:
        RENDERERS[str(kind)] = function
        return function

    return register


def build_message(outbox: OutboxEmail) -> EmailMultiAlternatives:
    """The complete message for one outbox row (not yet sent)."""
    name, to, context, attachments = RENDERERS[outbox.kind](outbox)
    # A renderer may say where replies go (an introduction: to everyone in it).
    reply_to = context.pop("reply_to", None)
    stop = unsubscribe_context(outbox, to)
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context, **stop}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = re.sub(r"\n{3,}", "\n\n", render_to_string(f"emails/{name}.txt", context)).strip()
    if stop:
        text += f"\n\nTo stop {stop['unsubscribe_label']}: {stop['unsubscribe_url']}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers={"Message-ID": message_id(outbox.key), **list_unsubscribe(outbox, to)},
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def message_id(key: str) -> str:
    # Derived from the outbox key, so a resend after a crash carries the same Message-ID
    # and mail clients and servers can recognise it as the same message.
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]
    return f"<outbox-{digest}@{site_domain()}>"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"
