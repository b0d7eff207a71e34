"""allauth's password forms with the password rules in one line of the site's words
(Django's validators give four bullets), and its code and email forms in the site's words.
A module of its own: allauth's forms module imports `members.forms`
(ACCOUNT_SIGNUP_FORM_CLASS), so that one cannot import it."""

from __future__ import annotations

from allauth.account import forms as allauth_forms

from members.forms import LOGIN_RULES


class _OneLineRules:
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = LOGIN_RULES


class ChangePasswordForm(_OneLineRules, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(_OneLineRules, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordKeyForm(_OneLineRules, allauth_forms.ResetPasswordKeyForm):
    pass


class ConfirmEmailCodeForm(allauth_forms.ConfirmEmailVerificationCodeForm):
    """An empty code says what to do, as every other form does (walk 28: "This field is
    required.")."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = (
            "Enter the code from the email we sent you."
        )


ENTER_EMAIL = "Enter your email address."


class AddEmailForm(allauth_forms.AddEmailForm):
    """An empty address says what to do (walk 29: "This field is required.")."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")  # the site's labels: no trailing colon
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Change to"  # as the page asks it, and as the error summary names it
        field.error_messages["required"] = "Enter the new email address."
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs["autocomplete"] = "email"


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = ENTER_EMAIL
