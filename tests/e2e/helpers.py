"""Helpers for the browser tests: a local SMTP sink, an axe-core auditor, keyboard moves."""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from playwright.sync_api import Page

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


# --- SMTP sink ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _StoringHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it is sent."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.controller = Controller(_StoringHandler(self), hostname=self.host, port=self.port)

    def start(self) -> None:
        # aiosmtpd logs every SMTP command at INFO: keep failing tests' output readable.
        self._mail_log = logging.getLogger("mail.log")
        self._mail_log_level = self._mail_log.level
        self._mail_log.setLevel(logging.WARNING)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self._mail_log.setLevel(self._mail_log_level)

    def mailer(self) -> dict:
        """A Django 6.1 MAILERS entry that sends here over SMTP."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": self.host, "port": self.port, "timeout": 10},
        }

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Wait until at least `count` messages arrived, then a moment more to catch extras."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    break
            time.sleep(0.05)
        time.sleep(0.3)
        with self.lock:
            return list(self.messages)


def plain_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, f"no text/plain part in {message['Subject']!r}"
    return part.get_content()


# --- Accessibility ----------------------------------------------------------------------


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    target {node['target']}: {node.get('failureSummary', '')!r}")
            lines.append(f"      html: {node['html'][:200]}")
    return "\n".join(lines)


class AxeAuditor:
    """Runs axe-core on pages, and records every document the page loads, so a test can
    assert that each one was scanned before the browser moved on."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.scanned: list[str] = []
        self.minor: dict[str, list[dict]] = {}  # moderate/minor findings, for the log
        self.unscanned: list[str] = []
        self._pending: str | None = None
        page.on("load", self._on_load)

    def _on_load(self, page: Page) -> None:
        if not page.url.startswith("http"):
            return
        if self._pending is not None:
            self.unscanned.append(self._pending)
        self._pending = urlsplit(page.url).path

    def check(self, label: str | None = None) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self._dump(label or urlsplit(page.url).path)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_PATH))
        result = page.evaluate(
            """async (tags) => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    helpUrl: v.helpUrl, nodes: v.nodes.map(n => ({target: n.target,
                    html: n.html, failureSummary: n.failureSummary}))}));
            }""",
            AXE_TAGS,
        )
        path = urlsplit(page.url).path
        self.scanned.append(path)
        self._pending = None
        blocking = [v for v in result if v["impact"] in BLOCKING_IMPACTS]
        others = [v for v in result if v["impact"] not in BLOCKING_IMPACTS]
        if others:
            self.minor[label or path] = others
        assert not blocking, (
            f"axe: serious or critical WCAG violations on {label or path} ({page.url}):\n"
            + _format_violations(blocking)
        )

    def _dump(self, label: str) -> None:
        """With E2E_DUMP_DIR set, save each scanned page's HTML and a screenshot."""
        dump_dir = os.environ.get("E2E_DUMP_DIR")
        if not dump_dir:
            return
        name = f"{len(self.scanned) + 1:02d}-{re.sub(r'\W+', '-', label).strip('-')}"
        stem = Path(dump_dir) / name
        stem.parent.mkdir(parents=True, exist_ok=True)
        stem.with_suffix(".html").write_text(self.page.content())
        self.page.screenshot(path=stem.with_suffix(".png"), full_page=True)

    def assert_every_page_scanned(self) -> None:
        missed = [*self.unscanned, *([self._pending] if self._pending else [])]
        assert not missed, f"pages loaded but never scanned with axe: {missed}"
        for label, violations in self.minor.items():  # shown with -s or when a test fails
            print(
                f"axe (moderate/minor, not failing) on {label}:\n" + _format_violations(violations)
            )


# --- Keyboard ---------------------------------------------------------------------------


def focused_description(page: Page) -> str:
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el) return 'nothing';
        return el.outerHTML.slice(0, 160);
    }""")


def tab_to(page: Page, selector: str, *, max_presses: int = 100, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_presses):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(
        f"{selector!r} never got the focus after {max_presses} x {key}; "
        f"focus is on {focused_description(page)}"
    )


def assert_focus_visible(page: Page, selector: str | None = None) -> None:
    """The focused element matches :focus-visible and draws a visible focus indicator."""
    state = page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
            focusVisible: el.matches(':focus-visible'),
            outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            boxShadow: style.boxShadow, html: el.outerHTML.slice(0, 160),
            onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
                && box.left < window.innerWidth && box.top < window.innerHeight,
        };
    }""")
    assert state is not None, "nothing has the focus"
    if selector is not None:
        assert page.evaluate("(s) => document.activeElement.matches(s)", selector), (
            f"expected focus on {selector!r}, got {state['html']}"
        )
    assert state["focusVisible"], f"focused element is not :focus-visible: {state['html']}"
    has_outline = state["outlineStyle"] != "none" and state["outlineWidth"] > 0
    has_shadow = state["boxShadow"] not in ("", "none")
    assert has_outline or has_shadow, f"no visible focus indicator on {state['html']}: {state}"
    assert state["onScreen"], f"focused element is off screen: {state['html']}"


def value_of(page: Page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => el.value")


def extract_code(body: str) -> str:
    """The code on its own line after "Your verification code is:" (allauth's default format
    is 8 characters in two dashed halves, e.g. BWCL-NQCX)."""
    match = re.search(r"verification code is:\s*\n\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*\n", body)
    assert match, f"no verification code in the email:\n{body}"
    return match.group(1)


def log_in_as(page: Page, base: str, client, user) -> None:
    """Log the browser in as `user` without the login form: Django's test client makes the
    session, and the browser is given its cookie for the live server at `base`."""
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
