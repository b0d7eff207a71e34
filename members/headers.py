"""Header values sent as written. Python's email policies fold a header wider than 78
characters, and a word wider than that (a one-click URL is about 150) is folded into
RFC 2047 encoded words ("=?utf-8?q?=3Chttp...?="). RFC 2369 wants List-Unsubscribe as
plain "<URL>" items, and mail providers do not read the encoded form as one, so the
one-click unsubscribe their interface offers would be lost."""

from __future__ import annotations

from email.policy import Policy


class ListHeader(str):
    """A comma-separated header of <URL> items, folded only between items, never inside
    a URL (the lines stay under the 998 characters RFC 5322 allows).

    The email package keeps a value that carries a ``name`` as the header itself
    (``EmailPolicy.header_store_parse``) and asks it to ``fold`` itself when the message
    is written; Django passes a ``str`` subclass through unchanged."""

    name: str

    def __new__(cls, name: str, items: list[str]) -> ListHeader:
        value = super().__new__(cls, ", ".join(items))
        value.name = name
        return value

    def __reduce__(self) -> tuple:  # copied and pickled by mail backends and task queues
        return (ListHeader, (self.name, self.split(", ")))

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: " + f",{policy.linesep} ".join(self.split(", ")) + policy.linesep
