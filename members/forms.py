from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models.functions import Lower
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join

from config import forms as config_forms
from members.models import AVAILABILITY_CHOICES, EmailCategory, Interest, Profile


def _link_label(text: str, url_name: str, link_text: str) -> str:
    # Labels are built lazily: URLs are not resolvable when the module is imported.
    return format_html(
        '{} <a href="{}" target="_blank">{}</a>', text, reverse_lazy(url_name), link_text
    )


link_label = lazy(_link_label, str)


class LongSelect(forms.Select):
    """A select of hundreds of options without groups (the ~430 time zones), written in
    Python: Django renders each option through its own template include, about 25 ms of
    a profile page's 35 ms of CPU. Same markup: the field's attributes (id, required,
    aria-describedby) on the select, `selected` on the chosen option."""

    def render(self, name: str, value: object, attrs: dict | None = None, renderer=None) -> str:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


SIGNUP_REQUIRED = {
    "email": "Enter your email address: we send your introductions there.",
    "password1": "Choose a password of at least 10 characters.",
    "password2": "Type the same password again.",
}


LOGIN_RULES = (
    "At least 10 characters: not only numbers, and not a common password or one like "
    "your name or email address."
)


class SignupForm(forms.Form):
    """Extra sign-up fields, merged into allauth's form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label="Your name",
        help_text="As you would like other members to see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[config_forms.MaxLength(80)],
        error_messages={"required": "Enter your name as you would like others to see it."},
    )
    accept_code_of_conduct = forms.BooleanField(
        label=link_label("I agree to the", "code_of_conduct", "code of conduct"),
        error_messages={"required": "Please accept the code of conduct to join."},
    )
    accept_privacy = forms.BooleanField(
        label=link_label("I have read the", "privacy", "privacy notice"),
        error_messages={"required": "Please confirm you have read the privacy notice."},
    )

    field_order = [
        "display_name",
        "email",
        "password1",
        "password2",
        "accept_code_of_conduct",
        "accept_privacy",
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def __getitem__(self, name: str) -> forms.BoundField:
        # Django's four password-rule bullets, in one line of the site's words (walk 26).
        # Here, at rendering: allauth adds the password box after this form's __init__.
        if name == "password1" and name in self.fields:
            self.fields[name].help_text = LOGIN_RULES
        return super().__getitem__(name)

    def full_clean(self) -> None:
        # allauth's own boxes, empty, in the site's words (walk 25: "This field is
        # required."). Here, not in __init__: allauth adds the password boxes after it.
        for name, words in SIGNUP_REQUIRED.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = words
        super().full_clean()

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Please tell us your name.")
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        # allauth compares the two passwords only when the first passes its checks (which
        # run after this): a short password typed differently twice was refused twice, one
        # fault at a time. Said here, the error also takes password2 out of cleaned_data,
        # so allauth does not say it again.
        first, second = self.data.get("password1"), self.data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "You must type the same password each time.")
        return cleaned

    def signup(self, request: object, user: object) -> None:
        from members.services import profile_create

        profile_create(user=user, display_name=self.cleaned_data["display_name"])


class ProfileForm(forms.ModelForm):
    """Every profile field; the wizard steps below are slices of it."""

    interests = forms.ModelMultipleChoiceField(
        # "Accessibility" before "AI and machine learning", as a reader expects.
        queryset=Interest.objects.filter(active=True).order_by(Lower("name")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick the topics you would enjoy talking about. Shared topics drive "
        "who you are introduced to.",
    )
    availability = forms.MultipleChoiceField(
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # Every programme reads it: a coffee chat, a review, a learning set's sessions.
        label="When are you usually free to meet?",
        help_text="In your own time zone. We suggest times that suit everyone you meet.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "pronouns",
            "job_title",
            "role_band",
            "sector",
            "experience",
            "organisation",
            "show_organisation",
            "region",
            "time_zone",
            "meeting_format",
            "availability",
            "interests",
            "about",
            "access_notes",
        ]
        labels = {
            "display_name": "Your name",
            "role_band": "Role",
            "experience": "Experience in libraries and information work",
        }
        help_texts = {
            "pronouns": "Optional, e.g. she/her, they/them.",
            "about": "A few lines partners will read before meeting you (600 characters).",
            "access_notes": "Optional, shared with partners: e.g. camera off, phone "
            "preferred, captions, step-free venue, agenda in advance.",
            "meeting_format": "In-person meetings are only arranged within your region.",
        }
        widgets = {
            "about": forms.Textarea(attrs={"rows": 4, "maxlength": 600}),
            "access_notes": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
            "meeting_format": forms.RadioSelect,
            "time_zone": LongSelect,
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _friendly_messages(self.fields)
        # Wizard steps are slices: declared fields outside this slice do not belong here.
        for name in list(self.fields):
            if name not in self._meta.fields:
                del self.fields[name]
        for name in Profile.REQUIRED_FOR_MATCHING:
            if name in self.fields:
                self.fields[name].required = True
        if "interests" in self.fields:
            self.fields["interests"].required = True
        # Every answer that may be left empty says so (walk 21: "Pronouns" did, "Job
        # title" and "Organisation" did not); a lone checkbox is optional by nature.
        for field in self.fields.values():
            if field.required or isinstance(field.widget, forms.CheckboxInput):
                continue
            if not str(field.help_text).startswith("Optional"):
                field.help_text = f"Optional. {field.help_text}".strip()

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(PROFILE_REQUIRED["display_name"])
        return name


# What each profile answer says when it is missing (walk 24: Django's "This field is
# required." and "Ensure this value has at most 80 characters" were shown instead).
PROFILE_REQUIRED = {
    "display_name": "Enter your name as you would like others to see it.",
    "role_band": "Choose the role closest to yours.",
    "sector": "Choose the sector you work in.",
    "region": "Choose the region you work in.",
    "time_zone": "Choose your time zone.",
    "experience": "Choose how long you have worked in libraries and information work.",
    "meeting_format": "Choose how you would like to meet: online, in person or either.",
    "interests": "Pick at least one topic so we can find you good matches.",
}
PROFILE_INVALID_CHOICE = {
    "availability": "Choose times from the list.",
    "interests": "Choose topics from the list.",
    "time_zone": "Choose a time zone from the list.",
}


def _friendly_messages(fields: dict[str, forms.Field]) -> None:
    """The site's wording on every profile field, in the edit page and each wizard step:
    what is missing, a choice not on the list, and a length limit with both numbers
    written as the page writes them."""
    for name, field in fields.items():
        field.error_messages["required"] = PROFILE_REQUIRED.get(name, "Answer this question.")
        field.error_messages["invalid_choice"] = PROFILE_INVALID_CHOICE.get(
            name, "Choose one of the options given."
        )
        if "invalid_pk_value" in field.error_messages:
            field.error_messages["invalid_pk_value"] = PROFILE_INVALID_CHOICE.get(
                name, "Choose one of the options given."
            )
        limit = getattr(field, "max_length", None)
        if limit:
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [config_forms.MaxLength(limit)]
            # No maxlength in the page: a browser cuts a paste there without a word; the
            # message above says what is too long, and nothing typed is lost (walk 25).
            field.widget.attrs.pop("maxlength", None)


def _step(fields: list[str]) -> type[ProfileForm]:
    meta = type("Meta", (ProfileForm.Meta,), {"fields": fields})
    return type("ProfileStepForm", (ProfileForm,), {"Meta": meta})


WIZARD_STEPS: list[tuple[str, str, type[ProfileForm]]] = [
    (
        "about",
        "About you",
        _step(
            [
                "display_name",
                "pronouns",
                "job_title",
                "role_band",
                "sector",
                "experience",
                "organisation",
                "show_organisation",
            ]
        ),
    ),
    (
        "meeting",
        "How and when you meet",
        _step(["region", "time_zone", "meeting_format", "availability", "access_notes"]),
    ),
    ("interests", "What you care about", _step(["interests", "about"])),
]

WIZARD_STEP_NAMES = [name for name, _title, _form in WIZARD_STEPS]


def wizard_resume_step(profile) -> str:
    """The wizard step to come back to: the first with an answer matching needs still
    empty, or the last one (everything needed is there; "Finish" was not pressed). Each
    step is saved when the member moves on, so a login resumes where they stopped, not at
    the first step again (walk 21)."""
    needed = set(profile.REQUIRED_FOR_MATCHING)
    for name, _title, form_class in WIZARD_STEPS:
        for field in form_class._meta.fields:
            if field == "interests":
                if not profile.pk or not profile.interests.exists():
                    return name
            elif field in needed and getattr(profile, field) in ("", None):
                return name
    return WIZARD_STEPS[-1][0]


class DeleteAccountForm(config_forms.Form):
    confirm = forms.CharField(
        label='Type "delete my account" to confirm',
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "To confirm, type the three words: delete my account."},
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != "delete my account":
            raise forms.ValidationError("To confirm, type the three words: delete my account.")
        return value


# What each category holds, beside its name on the settings page (walk 21: "Round
# notices" alone said nothing).
CATEGORY_DETAILS = {
    EmailCategory.REMINDERS: "“did you meet?” after an introduction, a reminder to say how "
    "it went, to share your search strategy or review your partner's, and before and after "
    "each learning-set session",
    EmailCategory.NOTICES: "the day before a round runs or a learning set's new sets form, "
    "why you were left out of one, and when a partner deletes their account",
    EmailCategory.UPDATES: "when a partner shares a strategy or a review with you, and "
    "calendar invitations and changes for your learning-set sessions",
    EmailCategory.ANNOUNCEMENTS: "news the organisers send to everyone in a programme",
}


class EmailSettingsForm(config_forms.Form):
    receive = forms.MultipleChoiceField(
        label="Email me",
        choices=[
            (category.value, f"{category.label}: {CATEGORY_DETAILS[category]}")
            for category in EmailCategory
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Introductions to your partners always come while you are in a programme: "
        "pause or leave it to stop them.",
    )
