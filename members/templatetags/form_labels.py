"""``{{ form|without_colons }}``: a form from a library (django-allauth) rendered with the
site's labels, which carry no trailing colon."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def without_colons(form: forms.BaseForm) -> forms.BaseForm:
    form.label_suffix = ""
    return form
