"""Settings for the whole service, driven by environment variables.

With no variables set it runs on SQLite, runs background tasks in-process and prints email
to the console. `DATABASE_URL`, `REDIS_URL` and `EMAIL_URL` switch to PostgreSQL, Redis
(Celery broker and cache) and SMTP. Every variable is listed in `.env.example` and README.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.observability import admins_from, logging_config, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
# An empty value (as in .env.example) counts as unset.
SECRET_KEY = env("SECRET_KEY", default="") or _DEV_SECRET_KEY
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("Set SECRET_KEY (50+ random characters) when DEBUG is off.")
if not DEBUG and (len(SECRET_KEY) < 50 or "CHANGE" in SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or still the CHANGE placeholder: set 50+ random characters, "
        'e.g. from: python3 -c "import secrets; print(secrets.token_urlsafe(60))"'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", default="Library Coffee Trials")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",  # intcomma: "5,000" on the organiser home
    "allauth",
    "allauth.account",
    "members",
    "pairing",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Permissions-Policy, no-store on private pages, a 400 for tampered admin actions.
    "config.middleware.SiteHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A restarted PostgreSQL would otherwise break the first request on each old connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run` serves requests on threads and runs tasks in process: a transaction
    # takes SQLite's write lock when it begins, so two at once (a double-clicked "Send")
    # queue for up to 20 s instead of one failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif not DEBUG:
    # Rate limits (sign-in, sign-up) are counted in the cache: per-process memory would
    # give each gunicorn worker its own count, and tasks would run inside web requests.
    raise ImproperlyConfigured(
        "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) when DEBUG is off: the cache that "
        "counts rate limits must be shared by every web worker, and the worker needs it."
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# (memory:// with no host name makes kombu warn "No hostname was supplied" on every start.)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Without Redis the embedded default runs tasks in-process, at the moment they are queued.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # every task is idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # state lives in our tables
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
}
CELERY_TIMEZONE = "UTC"
# One static schedule (django-celery-beat does not support Django 6.1): `tick` runs
# whatever the database says is due; the sweeper re-queues emails a lost enqueue left.
# Beat's record of when each entry last ran: outside the repository (systemd gives it
# /var/lib/coffee; elsewhere the system's temporary folder).
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILE",
    default=str(Path(tempfile.gettempdir()) / "library-coffee-celerybeat-schedule"),
)
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "config.tasks.tick", "schedule": env.int("TICK_SECONDS", default=300)},
    "outbox-sweep": {"task": "pairing.tasks.outbox_sweep", "schedule": 60.0},
}

# --- Auth and accounts (django-allauth) ------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True  # link scanners cannot consume a code
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
# No "use a different address" on the code page: allauth can only offer it for a new
# account, so its presence would tell a stranger whether an address is registered.
# A member who mistyped presses Cancel and signs up again.
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
# A security notice for an email, password or reset change; an email change notice goes
# to the old address, so its owner hears of it (templates/account/email/).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
# The password rules in one line of the site's words, as on sign-up.
ACCOUNT_FORMS = {
    "change_password": "members.password_forms.ChangePasswordForm",
    "set_password": "members.password_forms.SetPasswordForm",
    "reset_password_from_key": "members.password_forms.ResetPasswordKeyForm",
    "confirm_email_verification_code": "members.password_forms.ConfirmEmailCodeForm",
    "add_email": "members.password_forms.AddEmailForm",
    "reset_password": "members.password_forms.ResetPasswordForm",
}
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Behind the documented reverse proxy (deploy/Caddyfile) the client's address is the
# last entry the proxy adds to X-Forwarded-For; without this every member would share
# the proxy's address in the rate limits. 0 for a site with no proxy in front.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "confirm_email": "1/10s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}

# --- Email --------------------------------------------------------------------------


def mailer_from_url(url: str) -> dict:
    """Turn EMAIL_URL (console:, file:///dir, locmem:, smtp[s]://user:pw@host:port?tls=1)
    into one Django 6.1 MAILERS entry."""
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    mailer: dict = {"BACKEND": backends[parts.scheme], "OPTIONS": {}}
    if parts.scheme == "file":
        mailer["OPTIONS"]["file_path"] = parts.path
    elif parts.scheme.startswith("smtp"):
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        mailer["OPTIONS"] = {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", "0") in {"1", "true", "yes"},
            "timeout": int(query.get("timeout", "20")),
        }
    return mailer


EMAIL_URL = env("EMAIL_URL", default="")
if not EMAIL_URL and not DEBUG:
    raise ImproperlyConfigured(
        "Set EMAIL_URL when DEBUG is off, e.g. smtp://USER:PASSWORD@smtp.example.org:587?tls=1 "
        "(or smtps://...:465); without it no introduction or sign-in code can be sent."
    )
MAILERS = {"default": mailer_from_url(EMAIL_URL or "console:")}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <coffee@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ORGANISERS_EMAIL = env("ORGANISERS_EMAIL", default="organisers@localhost")
# Bounces and spam complaints from the provider's webhook (django-anymail; README
# "Email that reaches inboxes"). Without a signing key the webhook URL is a 404.
ANYMAIL = {
    key: value
    for key, value in {
        "MAILGUN_WEBHOOK_SIGNING_KEY": env("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
        "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=""),
    }.items()
    if value
}

# --- Retention (members/retention.py, feedback free text) --------------------------------
# Accounts with no activity for this long are warned, then deleted RETENTION_WARNING_DAYS
# later; evaluation free text older than this is blanked (the counts stay).
RETENTION_INACTIVE_DAYS = env.int("RETENTION_INACTIVE_DAYS", default=730)
RETENTION_WARNING_DAYS = env.int("RETENTION_WARNING_DAYS", default=30)
# An invitation's link works this many days (a resend starts the count again).
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=30)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Sentence case for django-allauth's pages and emails (locale/en_GB: a .po and its .mo).
LOCALE_PATHS = [BASE_DIR / "locale"]
# 24-hour times in the admin as on the site's pages ("22:43", not "10:43 p.m.").
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (shared search strategies) are never served from MEDIA_URL: a view checks who
# asks and streams the file as an attachment. MEDIA_ROOT must not be under a web root.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"
S3_BUCKET = env("S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not S3_BUCKET
    else {
        # An S3-compatible bucket (AWS, MinIO, Backblaze, ...) through django-storages
        # (`pip install ".[s3]"`); keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "location": "uploads",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # An uptime monitor may ask the server itself over plain HTTP, behind the proxy (with
    # the site's host name in its Host header: ALLOWED_HOSTS applies, as to every page).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging and error reports (config/observability.py) -------------------------------
ADMINS = admins_from(env("ADMINS", default=""))
LOGGING = logging_config(
    level=env("LOG_LEVEL", default="INFO"),
    json_lines=env("LOG_FORMAT", default="text" if DEBUG else "json") == "json",
    admins=bool(ADMINS),
    in_process_tasks=CELERY_TASK_ALWAYS_EAGER,
)
SENTRY_ENABLED = sentry_init(
    dsn=env("SENTRY_DSN", default=""),
    environment=env("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
    traces=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
