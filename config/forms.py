"""Form pieces shared by the apps: a form base whose labels carry no trailing colon, the
length limit every free-text answer uses, and whole-number fields that state the model's
own range."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

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


def model_number_ranges(form: forms.ModelForm) -> None:
    """Each whole-number field whose model field sets a range (``MinValueValidator(1)``,
    say) checks that range alone, with one message: "Enter a whole number from 1 to 26.".
    A positive model field also gives its form field a minimum of 0, so -2 was refused
    with "greater than or equal to 0" and then 0 with "greater than or equal to 1" (walk
    28); the browser's own arrows now stop at the range too."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField):
            continue
        try:
            model_field = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        own = getattr(model_field, "_validators", [])
        lows = [v.limit_value for v in own if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in own if isinstance(v, MaxValueValidator)]
        if not lows and not highs:
            continue
        lows += [field.min_value] if field.min_value is not None else []
        low, high = max(lows, default=None), min(highs, default=None)
        if low is not None and high is not None:
            message = f"Enter a whole number from {low} to {high}."
        elif low is not None:
            message = f"Enter a whole number of {low} or more."
        else:
            message = f"Enter a whole number of {high} or less."
        field.min_value, field.max_value = low, high
        field.validators = [
            v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        limits = ((low, MinValueValidator, "min"), (high, MaxValueValidator, "max"))
        for limit, validator, attr in limits:
            if limit is not None:
                field.validators.append(validator(limit, message=message))
                field.widget.attrs[attr] = limit
        field.error_messages["invalid"] = message
