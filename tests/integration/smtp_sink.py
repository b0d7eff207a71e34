"""A local SMTP sink (aiosmtpd on 127.0.0.1) that keeps every message it accepted.

Used by the integration tests and by `bench/round.py`. Its optional `delay` holds the
"250 accepted" reply back *after* the message is stored, as a slow real server would after
queueing it: a client killed inside that window has had its message delivered without
learning so, which is the one duplicate SMTP cannot rule out.
"""

from __future__ import annotations

import asyncio
import email
import logging
import socket
import threading
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class SinkMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    received_at: float


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.sink._store(envelope)
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, *, delay: float = 0.0, port: int | None = None) -> None:
        self.delay = delay
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
        self.port = port or free_port()
        self.messages: list[SinkMessage] = []
        self._lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=10"

    def mailers(self) -> dict:
        """A Django 6.1 MAILERS setting that sends here."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }

    def _store(self, envelope: object) -> None:
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        item = SinkMessage(envelope.mail_from, tuple(envelope.rcpt_tos), parsed, time.monotonic())
        with self._lock:
            self.messages.append(item)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def snapshot(self) -> list[SinkMessage]:
        with self._lock:
            return list(self.messages)

    def wait_for(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= count:
                return True
            time.sleep(0.05)
        return self.count() >= count
