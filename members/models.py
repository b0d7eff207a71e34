from __future__ import annotations

from importlib import resources

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A login. Email is the identity; everything a member says about themselves is on
    `Profile`."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    # Retention: when this inactive account was told it will be deleted (once; cleared
    # when the member is active again). See members/retention.py.
    retention_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        profile = getattr(self, "profile", None)
        return profile.display_name if profile and profile.display_name else self.email

    def get_full_name(self) -> str:
        # There are no first and last names (AbstractUser's would read "None None" in
        # the admin's history): the name members see is the profile's display name.
        profile = getattr(self, "profile", None)
        return profile.display_name if profile else ""

    def get_short_name(self) -> str:
        return self.get_full_name()


class RoleBand(models.TextChoices):
    STUDENT = "student", "Student"
    ASSISTANT = "assistant", "Library assistant"
    PROFESSIONAL = "professional", "Librarian / information professional"
    MANAGER = "manager", "Manager / head of service"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    ACADEMIC = "academic", "Academic / higher education"
    FURTHER_EDUCATION = "further_education", "Further education"
    SCHOOL = "school", "School"
    PUBLIC = "public", "Public libraries"
    HEALTH = "health", "Health / NHS"
    LAW = "law", "Law"
    CORPORATE = "corporate", "Corporate / special"
    GOVERNMENT = "government", "Government"
    ARCHIVES = "archives", "Archives / records"
    OTHER = "other", "Other"


class Region(models.TextChoices):
    NORTH_EAST = "north-east", "North East England"
    NORTH_WEST = "north-west", "North West England"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East England"
    SOUTH_WEST = "south-west", "South West England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"
    IRELAND = "ireland", "Republic of Ireland"
    ELSEWHERE = "elsewhere", "Outside the UK and Ireland"


class Experience(models.IntegerChoices):
    # Bands that do not overlap, from the start (walk 34: "2-5" and "5-15" shared 5).
    NEW = 0, "Student, or under 2 years"
    EARLY = 1, "2-5 years"
    MID = 2, "6-15 years"
    SENIOR = 3, "More than 15 years"


class MeetingFormat(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"
    EITHER = "either", "Either"


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
WEEKDAY_LABELS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
}
# Parts of a working day, in the member's own time zone: (label, start hour, end hour).
DAY_PARTS = {
    "morning": ("Morning (9-12)", 9, 12),
    "lunch": ("Lunchtime (12-2)", 12, 14),
    "afternoon": ("Afternoon (2-5)", 14, 17),
}
AVAILABILITY_CHOICES = [
    (f"{day}-{part}", f"{WEEKDAY_LABELS[day]} {label[0].lower()}{label[1:]}")
    for day in WEEKDAYS
    for part, (label, _start, _end) in DAY_PARTS.items()
]


def _tz_table(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


# One zone per place, as the tz database lists them for the world's countries (zone.tab:
# about 420): no deprecated aliases (Asia/Calcutta beside Asia/Kolkata) or legacy names
# (Canada/Eastern), which made the list about 600 long. From the tzdata package, so the
# list does not depend on the machine.
TIME_ZONE_CHOICES = [
    (tz, tz.replace("_", " "))
    for tz in sorted(
        {line.split("\t")[2] for line in _tz_table("zone.tab").splitlines() if line[:1] != "#"}
    )
]
# A retired name (alias) -> the zone it now is (tzdata.zi's "L target alias" lines).
TIME_ZONE_ALIASES = {
    parts[2]: parts[1]
    for parts in (line.split() for line in _tz_table("tzdata.zi").splitlines())
    if len(parts) == 3 and parts[0] == "L"
}


class Interest(models.Model):
    """A topic from the organiser-curated list members pick from."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    active = models.BooleanField(default=True, help_text="Inactive topics are hidden from members.")

    class Meta:
        ordering = [Lower("name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class Profile(models.Model):
    """What a member says about themselves. Organisation is private unless
    `show_organisation`; everything else is shared only with matched partners."""

    REQUIRED_FOR_MATCHING = (
        "display_name",
        "role_band",
        "sector",
        "region",
        "time_zone",
        "experience",
        "meeting_format",
    )

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80)
    pronouns = models.CharField(max_length=30, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    role_band = models.CharField(max_length=20, choices=RoleBand.choices, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    organisation = models.CharField(
        max_length=120,
        blank=True,
        help_text="Used so you are not paired with colleagues. Hidden unless you choose to "
        "show it.",
    )
    show_organisation = models.BooleanField(
        "show my organisation to people I am matched with", default=False
    )
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/London")
    experience = models.PositiveSmallIntegerField(choices=Experience.choices, null=True, blank=True)
    interests = models.ManyToManyField(Interest, blank=True, related_name="profiles")
    meeting_format = models.CharField(
        max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.EITHER
    )
    availability = models.JSONField(default=list, blank=True)
    about = models.TextField("about me", max_length=600, blank=True)
    access_notes = models.TextField("meeting-access notes", max_length=300, blank=True)
    coc_accepted_at = models.DateTimeField(null=True, blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    wizard_done_at = models.DateTimeField(null=True, blank=True)
    complete = models.BooleanField(
        "profile complete",
        default=False,
        editable=False,
        help_text="Every field matching needs is filled (kept up to date by the services).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(experience__lte=3) | models.Q(experience__isnull=True),
                name="members_profile_experience_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.email

    @property
    def missing_fields(self) -> list[str]:
        """Labels of the fields matching needs that are still empty (interests included)."""
        # As the profile form labels them ("Role", not the field's "role band").
        shown = {"role_band": "role"}
        missing = [
            shown.get(name) or str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_FOR_MATCHING
            if getattr(self, name) in ("", None)
        ]
        if self.pk and not self.interests.exists():
            missing.append("interests")
        return missing


class EmailCategory(models.TextChoices):
    """What a member can stop with one click (List-Unsubscribe). Introductions are not
    here: they are what a member joined a programme for (pausing or leaving stops them),
    and one introduction goes to the whole group."""

    REMINDERS = "reminders", "Reminders and follow-ups"
    NOTICES = "notices", "Round and cycle notices"
    UPDATES = "updates", "Partners' shares and learning-set invitations"
    ANNOUNCEMENTS = "announcements", "Announcements from your programmes' organisers"


class EmailOptOut(models.Model):
    """A member stopped one category of email (one-click unsubscribe or their settings)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    category = models.CharField(max_length=20, choices=EmailCategory.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="members_emailoptout_one_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.category}"


class BounceKind(models.TextChoices):
    BOUNCED = "bounced", "Bounced (the address refused email)"
    COMPLAINED = "complained", "Marked an email as spam"


class BouncedEmail(models.Model):
    """An address that refused our email permanently or reported it as spam: the outbox
    sends nothing more to it until the member fixes or re-confirms it. Keyed by address
    (lower case), not by account: a facilitator or an organisers' mailbox can bounce too."""

    email = models.EmailField(unique=True)
    kind = models.CharField(max_length=12, choices=BounceKind.choices)
    detail = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=40)  # "smtp" or the provider's name
    bounced_at = models.DateTimeField()

    class Meta:
        ordering = ["-bounced_at"]
        verbose_name = "bounced email address"
        verbose_name_plural = "bounced email addresses"

    def __str__(self) -> str:
        return self.email
