"""Form bases shared by the apps: the site's labels carry no trailing colon."""

from __future__ import annotations

from django import forms


class Form(forms.Form):
    """A form whose labels carry no trailing colon (the site's style: "Pause until")."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
