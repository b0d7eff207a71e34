"""Form pieces shared by the apps: a form base whose labels carry no trailing colon, and
the length limit every free-text answer uses."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

KEEP_IT_SHORT = "Keep this to at most %(limit_value)s characters (it has %(show_value)s)."


class Form(forms.Form):
    """A form whose labels carry no trailing colon (the site's style: "Pause until")."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MaxLength(MaxLengthValidator):
    """A length limit whose message writes both numbers as the page does, with a thousands
    separator: "at most 2,000 characters (it has 2,699)" (Django passes bare numbers, so the
    count read "2699" beside the limit's "2,000"). The message is always the site's own:
    Django's default formats the numbers with %d, which a "2,699" would break."""

    def __init__(self, limit_value: int, message: str = KEEP_IT_SHORT) -> None:
        super().__init__(limit_value, message=message)

    def __call__(self, value: object) -> None:
        try:
            super().__call__(value)
        except ValidationError as error:
            error.params = {
                **error.params,
                "limit_value": f"{error.params['limit_value']:,}",
                "show_value": f"{error.params['show_value']:,}",
            }
            raise
