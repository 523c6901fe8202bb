"""Settings shared by every environment, read from the environment (see .env.example).

Nothing outside the settings package reads the environment: everything else asks
``django.conf.settings``.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.rate_limit import parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Absolute links in emails and invites; the default follows `make run PORT=…`.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    # For its Swagger UI files, served from here (api/api.py).
    "ninja",
    "accounts",
    "events",
    "registrations",
    "notifications",
    "series",
    "webhooks",
    "workspace",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "events.middleware.CalendarPreferenceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# A form sent without a valid CSRF token: the site's own page, which never reads the body.
CSRF_FAILURE_VIEW = "config.error_views.csrf_failure"

# --- Security headers (README: Security headers) ----------------------------------------------
# Scripts and styles come only from our own static files: no inline <script>, <style> or
# style="" anywhere, so an injected tag or attribute does nothing. Emails are not pages and
# keep their inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: is the empty favicon in base.html.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# No page uses these: a script that got in could not ask for them either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL in production and CI; a SQLite file under var/ for `make run` on a bare machine.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'convene.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two registrations cannot
    # both read "one seat left" (docs/design.md, "Capacity"). The timeout lets writers queue
    # politely.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, and statements a connection has run 5 times prepared:
    # PostgreSQL then skips parsing and planning them again. A registration's statements
    # cost about a third less database CPU so (docs/benchmarks.md). Behind PgBouncer in
    # transaction mode, prepared statements need PgBouncer >= 1.21 with
    # max_prepared_statements set; otherwise set DATABASE_PREPARED_STATEMENTS=False.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": 5
            if env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
            else None,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, answering as an empty cache while Redis is down, so that
            # rate limits (ours and allauth's) let people through (config/redis_cache.py).
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # A task not acknowledged within this window is handed to another worker (acks_late keeps
    # a message unacknowledged while it runs, and while a retry waits for its countdown).
    # So the window must outlast the longest task (the time limits below) AND the longest
    # retry delay (OUTBOX_RETRY_MAX_DELAY), or Redis redelivers them again and again.
    # Reminders never use ETAs (a dispatcher claims due rows every minute; docs/design.md,
    # "Reminders").
    # It is also how long a message held by a worker killed outright (SIGKILL, OOM) waits
    # before Redis hands it out again; the outbox sweeper re-queues such emails long before.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Celery's filesystem transport: worker and beat on one machine with no server installed.
    # "localhost" only names this machine; without it kombu warns on every connection.
    CELERY_BROKER_URL = "filesystem://localhost//"
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }

# The anonymous event page, per process: a shared cache would cost a round trip per view, and
# each process rendering its own copy once per EVENT_PAGE_CACHE_SECONDS costs next to nothing
# (registrations/page_cache.py).
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "event-pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# How long a cached event page is served. Seats left, "full", closing and any edit of the
# event's own row show at once whatever this says; edits of other rows the page shows
# (questions, co-hosts, the organization) show within this many seconds.
EVENT_PAGE_CACHE_SECONDS = env.float("EVENT_PAGE_CACHE_SECONDS", default=30)

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# How long the worker waits for a result from a pool process that died before it gives the
# task back to the broker (reject_on_worker_lost). Celery's default; tests shorten it.
CELERY_WORKER_LOST_WAIT = env.float("CELERY_WORKER_LOST_WAIT", default=10.0)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Reconnects to a broker that came back within a second, not kombu's up to 30 (config/worker.py).
CELERY_WORKER_CONSUMER = "config.worker:Consumer"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Email gets its own queue so a burst of reminders never waits behind other work, and
# other work never waits behind a slow SMTP server. Workers must consume both queues.
CELERY_TASK_ROUTES = {"notifications.tasks.send_outbox_*": {"queue": "mail"}}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Re-queues emails whose task was lost (broker down at commit, worker killed mid-send).
    "outbox-requeue-stuck": {
        "task": "notifications.tasks.requeue_stuck_outbox_emails",
        "schedule": 120.0,
        "options": {"expires": 110},
    },
    # Sessions of every series up to its horizon (series.services.series_generate).
    "generate-series-sessions": {
        "task": "series.tasks.generate_series_sessions",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "delete-expired-exports": {
        "task": "workspace.tasks.delete_expired_exports",
        "schedule": 3600.0,
    },
    # Attendee data past its organization's retention window (docs/privacy.md).
    "erase-registrations-past-retention": {
        "task": "workspace.tasks.erase_registrations_past_retention",
        "schedule": 3600.0,
    },
    # At second 0 of every minute, so a reminder due at 09:00 leaves at 09:00, not 09:00:59.
    # A pass not started within the minute is dropped: the next one covers it.
    # Webhook retries due and deliveries whose task was lost (webhooks/tasks.py).
    "send-due-webhook-deliveries": {
        "task": "webhooks.tasks.send_due_webhook_deliveries",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "dispatch-due-reminders": {
        "task": "notifications.reminders.tasks.dispatch_due_reminders",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# --- Auth (django-allauth) --------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Attendees never made an account: "send me a sign-in code" makes a passwordless one for an
# address that has registrations (accounts/forms.py); entering the code verifies the address.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60  # mail can be slow; three wrong tries still end it
ACCOUNT_FORMS = {"request_login_code": "accounts.forms.AttendeeRequestLoginCodeForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The same answer and page whether or not an address is known (no account enumeration).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Convene] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
LOGIN_URL = "account_login"

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Convene <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
if EMAIL_HOST:
    # Django's SMTP backend with cheaper address checks (notifications/smtp_backend.py).
    EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"
else:
    # No SMTP server configured: every email is written as a file under var/mail/.
    EMAIL_BACKEND = "notifications.file_backend.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Outbox (notifications/sending.py; docs/notifications.md) ---------------------------------
# A transient SMTP failure (4xx, disconnect, timeout) is retried after
# base * 2^(attempt-1) seconds, ±20 % jitter, capped; after OUTBOX_MAX_ATTEMPTS the row fails.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_DELAY = env.float("OUTBOX_RETRY_BASE_DELAY", default=30.0)
# Well below the Redis visibility timeout above: a waiting retry is an unacknowledged message.
OUTBOX_RETRY_MAX_DELAY = env.float("OUTBOX_RETRY_MAX_DELAY", default=900.0)
# A row queued or sending for longer than this has lost its task; the sweeper re-queues it.
# Longer than the batch task's hard time limit, so a send in progress is never taken over.
OUTBOX_STUCK_AFTER = env.float("OUTBOX_STUCK_AFTER", default=600.0)
# Emails sent over one SMTP connection by one batch task.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
# The relay (notifications/relay.py, `manage.py outbox_relay`) hands new rows to Celery.
# Rows handed over per pass (one transaction; published in batches of OUTBOX_BATCH_SIZE).
OUTBOX_RELAY_PASS_LIMIT = env.int("OUTBOX_RELAY_PASS_LIMIT", default=1000)
# Passes at least this many seconds apart, so a burst gathers into a few batches.
OUTBOX_RELAY_INTERVAL = env.float("OUTBOX_RELAY_INTERVAL", default=0.2)
# PostgreSQL: the longest sleep on LISTEN before looking anyway (a missed NOTIFY).
OUTBOX_RELAY_LISTEN_TIMEOUT = env.float("OUTBOX_RELAY_LISTEN_TIMEOUT", default=2.0)
# SQLite (no NOTIFY): how often the relay looks for new rows.
OUTBOX_RELAY_POLL = env.float("OUTBOX_RELAY_POLL", default=0.5)
# While the broker is away: retries from 0.25 s, doubling up to this.
OUTBOX_RELAY_RETRY_MAX_DELAY = env.float("OUTBOX_RELAY_RETRY_MAX_DELAY", default=1.0)
# Touched by the relay every round; docker compose's health check reads its age.
OUTBOX_RELAY_HEARTBEAT = Path(
    env("OUTBOX_RELAY_HEARTBEAT", default=str(VAR_DIR / "relay-heartbeat"))
)
# Registering again with the same email re-sends the confirmation at most this often.
OUTBOX_RESEND_COOLDOWN = env.float("OUTBOX_RESEND_COOLDOWN", default=300.0)
# A batch renders each kind of email once and fills in each reader's own values
# (notifications/mail_merge.py). With this on, a template that reads a value of the reader's
# that the shared render was not given raises instead of rendering it empty: the test
# settings turn it on; in production the email still goes out.
MAIL_MERGE_STRICT = False

# --- Webhooks (webhooks/; docs/webhooks.md) -------------------------------------------------
# Loopback, private and http:// targets: only for development and tests (local.py, test.py).
# Never in production: they would let anyone with an owner's account reach the inside of the
# network from the server (docs/design.md, "Webhooks").
WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
# Seconds to wait before each retry (±20 % jitter): 9 attempts over about 27 hours.
WEBHOOKS_RETRY_DELAYS = tuple(
    env.list(
        "WEBHOOKS_RETRY_DELAYS",
        cast=float,
        default=[5, 60, 300, 1800, 7200, 18000, 36000, 36000],
    )
)
# A receiver's Retry-After is honoured up to this many seconds.
WEBHOOKS_RETRY_AFTER_MAX = env.float("WEBHOOKS_RETRY_AFTER_MAX", default=86400.0)
# Retries sooner than this are Celery countdowns; later ones wait for the dispatcher, because
# a countdown past the Redis visibility timeout is delivered again and again.
WEBHOOKS_COUNTDOWN_MAX = 300.0
# Seconds a receiver has to answer (at most 5 of them to connect; reading the answer's body
# stops after this long too).
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10.0)
# An endpoint that has accepted nothing for this long is disabled and its owners emailed.
WEBHOOKS_DISABLE_AFTER = env.float("WEBHOOKS_DISABLE_AFTER", default=24 * 3600.0)
# A delivery "sending" for longer than this lost its worker; the dispatcher re-queues it.
WEBHOOKS_STUCK_AFTER = env.float("WEBHOOKS_STUCK_AFTER", default=300.0)
# Characters of the receiver's answer kept for the workspace.
WEBHOOKS_RESPONSE_EXCERPT = 2000
# Seconds the old secret keeps signing (as a second signature) after an owner rotates it.
WEBHOOKS_SECRET_OVERLAP = env.float("WEBHOOKS_SECRET_OVERLAP", default=24 * 3600.0)

# --- Internationalization ---------------------------------------------------------------------
# LANGUAGES drives everything else: the picker, the registration form's email language and
# the catalogs in locale/<code>/ (docs/i18n.md: adding a language needs no code change).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The picker's choice outlives the browser session; without the cookie, Accept-Language
# decides (LocaleMiddleware), and English when it names no language of ours.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# A language whose readers use another calendar than the Gregorian one (events.time_display).
LANGUAGE_CALENDARS = {"fa": "persian"}

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Uploaded and generated files ---------------------------------------------------------------
# Never served directly: export files are only handed out by a member-checked view.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# --- Exports --------------------------------------------------------------------------------
# XLSX exports up to this many rows are built inside the request; bigger ones by a worker.
EXPORT_XLSX_INLINE_MAX_ROWS = env.int("EXPORT_XLSX_INLINE_MAX_ROWS", default=5000)
# Files built in the background are deleted (with their job) after this many hours.
EXPORT_FILE_MAX_AGE_HOURS = env.int("EXPORT_FILE_MAX_AGE_HOURS", default=24)

# --- Registration ---------------------------------------------------------------------------
# Per-IP limit on registration submissions, such as 20/m or 100/h (config/rate_limit.py),
# counted in the cache above: shared by every process with REDIS_URL, per process without.
REGISTRATION_RATE_LIMIT = env("REGISTRATION_RATE_LIMIT", default="20/m")
try:
    parse_rate(REGISTRATION_RATE_LIMIT)
except ValueError as error:
    raise ImproperlyConfigured(f"REGISTRATION_RATE_LIMIT: {error}") from None
# REST API (docs/api.md): requests per token, and per address for the token-free reads.
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/m")
API_PUBLIC_RATE_LIMIT = env("API_PUBLIC_RATE_LIMIT", default="120/m")
for _name, _rate in (
    ("API_RATE_LIMIT", API_RATE_LIMIT),
    ("API_PUBLIC_RATE_LIMIT", API_PUBLIC_RATE_LIMIT),
):
    try:
        parse_rate(_rate)
    except ValueError as error:
        raise ImproperlyConfigured(f"{_name}: {error}") from None
# Proxies of ours in front of the web server that append to X-Forwarded-For (an HTTPS proxy:
# 1). 0 trusts the header not at all and limits by the connection's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # its login and code rate limits

# --- Organizations --------------------------------------------------------------------------
# Who may create an organization (README, "Organizations"): "open" (anyone signed in with a
# confirmed address), "approval" (the same, but a site admin approves it in the admin first)
# or "closed" (only site admins, in the admin).
ORGANIZATION_CREATION = env("ORGANIZATION_CREATION", default="open")
if ORGANIZATION_CREATION not in {"open", "approval", "closed"}:
    raise ImproperlyConfigured("ORGANIZATION_CREATION must be open, approval or closed.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_email_addresses": {"()": "config.log_privacy.RedactEmailAddresses"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["redact_email_addresses"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
