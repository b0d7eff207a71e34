"""Filters for search-strategy pages."""

from __future__ import annotations

from django import template

from feedback.models import StrategyVersion
from feedback.report_rows import mid_sentence as mid_sentence_name
from feedback.strategies.selectors import databases_text, has_own_numbers

register = template.Library()


@register.filter
def databases(version: StrategyVersion) -> str:
    """ "MEDLINE via Ovid, Embase, LILACS": the databases a version says were searched."""
    return databases_text(version)


@register.filter
def own_numbers(text: str) -> bool:
    """True when the pasted strategy carries its own search line numbers."""
    return has_own_numbers(text)


@register.filter
def text_from_file(version: StrategyVersion) -> bool:
    """True when the text shown is the version's uploaded plain-text or RIS file (recorded
    when it was shared: the page never opens the stored file)."""
    return version.text_from_file


@register.filter
def mid_sentence(name: object) -> str:
    """ "Review by {{ name|mid_sentence }}": a stand-in name ("A former member") without its
    capital mid-sentence; a member's own name unchanged."""
    return mid_sentence_name(str(name))
