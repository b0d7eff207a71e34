"""`{% email_bounce_banner %}`: on every page, tells a member whose address bounced."""

from __future__ import annotations

from django import template

from members.mailing import bounce_for

register = template.Library()


@register.inclusion_tag("members/includes/bounce_banner.html", takes_context=True)
def email_bounce_banner(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bounce": None}
    return {"bounce": bounce_for(user), "email": user.email}
