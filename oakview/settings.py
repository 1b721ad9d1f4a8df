"""Oakview settings: one file, every value from the environment (see .env.example).

Local runs need nothing set: SQLite in the project folder, Celery tasks run in-process,
mail printed to the console. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, CELERY_BROKER_URL and EMAIL_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# A fixed key is only acceptable for local runs; production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key-do-not-use")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oakview.core",
    "plans",
    "stakeholders",
    "risks",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "oakview.core.middleware.IdleTimeoutMiddleware",
    "oakview.core.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "oakview.core.middleware.AdminAuditMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oakview.urls"
WSGI_APPLICATION = "oakview.wsgi.application"
ASGI_APPLICATION = "oakview.asgi.application"

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
                "oakview.core.context_processors.navigation",
                "plans.context_processors.parts",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, for the test database: the live server, Celery worker threads
    # and the health check's "database down" test all need real connections to it.
    DATABASES["default"].setdefault(
        "TEST", {"NAME": str(BASE_DIR / f".test-db{env.str('OAKVIEW_TEST_DB_SUFFIX', default='')}.sqlite3")}
    )
    # Take the write lock when a transaction starts: two deferred transactions that both read
    # and then write (a web request and a worker on the same outbox row) would otherwise
    # deadlock and one would fail with "database is locked" instead of waiting its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
elif env.str("OAKVIEW_TEST_DB_SUFFIX", default=""):
    # Several test runs on one machine (developers working in parallel) each get their own.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{env.str('OAKVIEW_TEST_DB_SUFFIX')}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reuse connections between requests; workers hold one each.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# django-axes first: it refuses a locked-out username or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling (django-axes): LOGIN_FAILURE_LIMIT failures for one username, or from
# one address, lock sign-in for LOGIN_LOCKOUT_MINUTES. Attempts during a lockout do not
# extend it, so the owner gets back in when it ends; a superuser can unlock in the admin.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # else one valid account would reset its address's count
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "oakview.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "oakview.core.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # oakview.core's security event log records sign-ins
# Proxies in front of Django that append to X-Forwarded-For (0: use the socket's address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-step verification (django-otp, TOTP): required for the admin, offered to managers and approvers.
OTP_TOTP_ISSUER = "Oakview"

# Signed-in sessions end after this many seconds without a request (0: never).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)

# Rate limits ("<count>/<s|m|h|d>") by scope, for oakview.core.ratelimit.rate_limit.
RATE_LIMITS = {
    "password-reset-address": env.str("PASSWORD_RESET_RATE", default="3/h"),
    "password-reset-ip": env.str("PASSWORD_RESET_IP_RATE", default="20/h"),
}

# UK English, UK dates ("25 Nov 2026"), London time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
FORMAT_MODULE_PATH = ["oakview.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media is never served by URL: exports are streamed by permission-checked views.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Mail
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Oakview <no-reply@oakview.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process so a bare `make run` works.
_broker = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not _broker
# Eager tasks still borrow a producer to serialise their arguments; the in-memory transport
# gives them one without pointing at a broker that is not there.
CELERY_BROKER_URL = _broker or "memory://localhost/"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or _broker or None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A large PDF leaves a worker child holding what WeasyPrint grew to (about 2 MB a page); a
# child past this resident size (KiB) is replaced after its task, and every child after this
# many tasks, so memory returns to the machine (docs/deployment.md, docs/performance.md).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down so a web request can say "could not be queued".
# The visibility timeout: a job taken by a worker that died with it (kill -9, a lost machine)
# goes back to the queue after this long. Sized above the longest job: the PDF render's hard
# limit (90 s) and its longest retry wait (120 s); shorter would deliver long jobs twice
# (harmless, they are idempotent, but wasted), longer leaves a killed job waiting. The
# export sweeper (plans.tasks.export_sweep_task) sends a render stalled past 3 min again.
TASK_VISIBILITY_TIMEOUT = env.int("TASK_VISIBILITY_TIMEOUT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
}
# The Redis result backend subscribes to a task's result while it is sent; by default it
# retries 20 times (about 19 s) and then raises RuntimeError. Fail as fast as the broker.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)
CELERY_BEAT_SCHEDULE = {
    "overdue-action-reminders": {
        "task": "plans.tasks.send_overdue_reminders_task",
        "schedule": crontab(hour=REMINDER_HOUR, minute=0),
    },
    # Outbox rows the web could not hand to the broker (it was down), and rows handed over
    # but never done (a broker that lost its queue): each is tried again with backoff.
    "outbox-dispatch": {
        "task": "oakview.core.tasks.outbox_dispatch_task",
        "schedule": env.int("OUTBOX_DISPATCH_SECONDS", default=60),
    },
    # Exports whose worker died mid-render (or whose job the broker lost) are sent again.
    "export-sweep": {
        "task": "plans.tasks.export_sweep_task",
        "schedule": env.int("EXPORT_SWEEP_SECONDS", default=60),
    },
    "core-housekeeping": {
        "task": "oakview.core.tasks.housekeeping_task",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Crispy forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Security. Production values are the defaults when DEBUG is false; each can be overridden
# for a deployment behind a TLS-terminating proxy.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)  # one long shift
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the app never uses, switched off for every page (Permissions-Policy).
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS: list[str] = []

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "oakview": {"level": LOG_LEVEL},
        "plans": {"level": LOG_LEVEL},
        "risks": {"level": LOG_LEVEL},
    },
}

# Absolute links in emails, e.g. https://oakview.example.org (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# PDF export: bump when templates/pdf changes so a stored export is re-rendered.
PDF_TEMPLATE_VERSION = env.int("PDF_TEMPLATE_VERSION", default=1)
# The largest PDF an export makes: a revision with more table rows than PDF_MAX_ROWS is
# refused before rendering, and a layout longer than PDF_MAX_PAGES pages before the file is
# written, each with a message on the export page instead of running into the time limit.
PDF_MAX_ROWS = env.int("PDF_MAX_ROWS", default=4000)
PDF_MAX_PAGES = env.int("PDF_MAX_PAGES", default=400)
