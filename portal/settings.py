"""Settings for the Border Partnerships Portal.

Everything comes from environment variables (see .env.example) with safe development defaults:
no DATABASE_URL means SQLite, no REDIS_URL means Celery runs tasks eagerly in-process.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_log_level(name, default):
    """A level by name ("INFO") or by number ("40": Celery's worker exports CELERY_LOG_LEVEL that way)."""
    value = os.environ.get(name, default).strip()
    return int(value) if value.isdigit() else value.upper()


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
# Keys that were ever written down (this file, .env.example, the docs): never a production key.
PLACEHOLDER_SECRET_KEYS = {DEV_SECRET_KEY, "change-me-to-a-long-random-string", "changeme", "secret", "django-insecure"}
if not DEBUG and (SECRET_KEY.strip() in PLACEHOLDER_SECRET_KEYS or SECRET_KEY.startswith("django-insecure")
                  or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a long random string (50 characters or more, not the example's placeholder) when "
        "DJANGO_DEBUG is off: python -c 'import secrets; print(secrets.token_urlsafe(50))'")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "csp",  # its system checks catch CSP settings left in the pre-4.0 format
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "partnerships",
    "shiprider",
    "ibet",
    "best",
    "cbcf",
    "deconfliction",
    "webhooks",
    "django.contrib.postgres",  # trigram similarity for deconfliction on PostgreSQL; harmless on SQLite
]

MIDDLEWARE = [
    "portal.proxies.TrustedProxyMiddleware",  # first: everything after it sees the client's address
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "partnerships.audit.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.RefuseOversizedBodyMiddleware",  # after LocaleMiddleware, before anything reads the body
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.RefuseNulMiddleware",  # after LocaleMiddleware: the 400 is in the user's language
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "portal.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.OfficerTimezoneMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.officer",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",  # empty means unset
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before a request reuses it: after the database restarts (or drops
        # it) a dead one is replaced at once instead of failing the request (docs/operations.md).
        conn_health_checks=True,
        # Behind PgBouncer in transaction pooling (docker-compose.yml), a server-side cursor would outlive its
        # transaction's server connection: `.iterator()` then reads in chunks on the client side instead.
        disable_server_side_cursors=env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False),
    )
}
# Two roles on PostgreSQL: migrations run as the owner (DATABASE_OWNER_URL), everything else as the runtime role
# of DATABASE_URL, which may only SELECT and INSERT the audit tables (portal/db_roles.py, docs/operations.md).
# Unset (SQLite, a developer's machine) means one role for both.
DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")
# The TLS proxies in front of the portal (addresses or networks, comma-separated): X-Forwarded-For is believed only
# for hops through them (portal/proxies.py). Empty: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = [network.strip() for network in os.environ.get("DJANGO_TRUSTED_PROXIES", "").split(",")
                   if network.strip()]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The grants' index carries program and status as INCLUDE columns (PostgreSQL); SQLite builds it without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    "portal.backends.LockoutModelBackend",  # Django's ModelBackend, refusing locked accounts
    "guardian.backends.ObjectPermissionBackend",
]
# No anonymous user row: signed-out visitors see nothing and guardian needs no AnonymousUser.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's list of 20,000 passwords seen most often in breaches; no composition rules (CJIS IA-5, ASVS 6.2).
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # zxcvbn: repeated characters, sequences, keyboard rows, and its own 30,000 breached passwords.
    {"NAME": "portal.passwords.GuessablePasswordValidator"},
    {"NAME": "portal.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
# Sessions: 30 minutes idle and 12 hours in all (CJIS AC-11, AC-12), enforced by SessionLimitsMiddleware.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
OTP_TOTP_ISSUER = "Border Partnerships Portal"
# Deconfliction: names this alike (0-1) are possible matches; operations this close (m) while their times overlap.
DECONFLICTION_NAME_SIMILARITY = float(os.environ.get("DECONFLICTION_NAME_SIMILARITY", "0.5"))
DECONFLICTION_EVENT_DISTANCE_M = int(os.environ.get("DECONFLICTION_EVENT_DISTANCE_M", "1000"))
# Checks before entering an officer, and an API token, may make in an hour (each subject or operation counts once).
DECONFLICTION_CHECKS_PER_HOUR = int(os.environ.get("DECONFLICTION_CHECKS_PER_HOUR", "30"))
RATE_LIMIT_SIGN_IN = os.environ.get("RATE_LIMIT_SIGN_IN", "30/m")  # per address, on top of the lockout
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve static/ straight from the source tree when collectstatic has not run
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Case documents and agenda background papers (partnerships/attachments.py): kept outside the web root
# under random names, served only by the download views that check access. No URL maps to this folder.
ATTACHMENTS_ROOT = Path(os.environ.get("ATTACHMENTS_ROOT", BASE_DIR / "var" / "attachments"))
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # `make test` runs the suite in pytest-xdist workers (gw0, gw1, ...) beside one Redis: each worker takes its
    # own database number (the URL's plus its index plus one), so that one worker's cache.clear() or Celery queue
    # never reaches another's, as each already has its own PostgreSQL test database.
    _redis = urlsplit(REDIS_URL)
    _redis_db = int(_redis.path.strip("/") or 0) + 1 + int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_redis_db % 16}"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: see ../shared/TOOLING.md for why each of these matters.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "designations-daily": {"task": "partnerships.tasks.designations_daily_task",
                           "schedule": crontab(hour=5, minute=30)},
    "ibet-meetings-overdue": {"task": "ibet.tasks.meetings_overdue_task", "schedule": crontab(hour=5, minute=45)},
    "ibet-reports-review": {"task": "ibet.tasks.reports_review_task", "schedule": crontab(hour=6, minute=0)},
    "best-mlat-stalled": {"task": "best.tasks.mlat_stalled_task", "schedule": crontab(hour=6, minute=15)},
    "cbcf-actions-due": {"task": "cbcf.tasks.actions_due_task", "schedule": crontab(hour=6, minute=30)},
    "officers-inactive": {"task": "portal.tasks.officers_inactive_task", "schedule": crontab(hour=2, minute=0)},
    "case-counts-fold": {"task": "partnerships.tasks.case_counts_fold_task", "schedule": crontab(minute="*/10")},
    "webhooks-retry-due": {"task": "webhooks.tasks.webhooks_retry_due_task", "schedule": 60.0},
    "audit-checkpoint": {"task": "partnerships.tasks.audit_checkpoint_task",
                         "schedule": float(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "60"))},
}

# Webhooks (webhooks/): each request to a receiver has this deadline (s) and reads at most this much of its answer;
# a failed delivery is retried with exponential backoff (first wait, longest wait) for a day, and an endpoint that
# has failed for a day without a success is disabled. A rotated secret signs beside the new one for at most a week.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_RESPONSE_MAX_BYTES = int(os.environ.get("WEBHOOK_RESPONSE_MAX_BYTES", str(64 * 1024)))
WEBHOOK_RETRY_FIRST_SECONDS = float(os.environ.get("WEBHOOK_RETRY_FIRST_SECONDS", "30"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", str(6 * 3600)))
WEBHOOK_RETRY_FOR_SECONDS = float(os.environ.get("WEBHOOK_RETRY_FOR_SECONDS", str(24 * 3600)))
WEBHOOK_DISABLE_AFTER_SECONDS = float(os.environ.get("WEBHOOK_DISABLE_AFTER_SECONDS", str(24 * 3600)))
WEBHOOK_SECRET_GRACE_MAX_HOURS = 168

# The audit trail (partnerships/audit.py). Records are sealed into the hash chain by `manage.py seal_audit --loop`
# (about every second) and by each checkpoint; without Redis (a developer's machine) each commit seals at once.
AUDIT_SEAL_ON_COMMIT = env_bool("AUDIT_SEAL_ON_COMMIT", default=not REDIS_URL)
# verify_audit reports records left unsealed longer than this many seconds.
AUDIT_SEAL_MAX_DELAY = int(os.environ.get("AUDIT_SEAL_MAX_DELAY", "300"))
# On, the record of a read (a case or team record shown, a list, an export) written in a transaction of its own
# commits without waiting for its WAL flush (PostgreSQL's synchronous_commit off for that transaction only): faster
# reads, but a crash of PostgreSQL itself (not of the portal) loses up to about 0.6 s of read records. A decision
# for the owner of the audit policy: off by default (docs/security.md).
AUDIT_READS_ASYNC_COMMIT = env_bool("AUDIT_READS_ASYNC_COMMIT", default=False)
# Checkpoints go outside the database, signed with a key that is not in it: "file" (append-only lines in
# AUDIT_CHECKPOINT_DIR), "syslog" (to AUDIT_CHECKPOINT_SYSLOG_ADDRESS), or both, comma-separated.
AUDIT_CHECKPOINT_SINKS = [sink.strip() for sink in os.environ.get("AUDIT_CHECKPOINT_SINKS", "file").split(",")
                          if sink.strip()]
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", BASE_DIR / "var" / "audit-checkpoints"))
AUDIT_CHECKPOINT_SYSLOG_ADDRESS = os.environ.get("AUDIT_CHECKPOINT_SYSLOG_ADDRESS", "/dev/log")
# Unset, it is derived from DJANGO_SECRET_KEY (also outside the database); set it in production so that rotating the
# secret key does not orphan the checkpoints already written (`manage.py check --deploy` warns).
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "") or f"derived-from-secret-key:{SECRET_KEY}"
# bench/audit_trail.py only: the baseline with no audit record at all. A system check refuses it elsewhere.
AUDIT_SKIP_WRITES_FOR_BENCH = env_bool("AUDIT_SKIP_WRITES_FOR_BENCH", default=False)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
# Where links in emails point: the address officers reach the portal at.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def env_country_agencies(name, default):
    """"US:RCMP,CA:USCG" as {"US": "RCMP", "CA": "USCG"}: a country code and an agency acronym per item."""
    pairs = [item.split(":") for item in env_list(name, default)]
    if any(len(pair) != 2 or pair[0].strip().upper() not in {"CA", "US"} or not pair[1].strip() for pair in pairs):
        raise ImproperlyConfigured(f"{name} takes COUNTRY:ACRONYM items separated by commas, e.g. {default}")
    return {country.strip().upper(): acronym.strip() for country, acronym in pairs}


# ShipRider cross-designations are given by the other country's designating authority: officers of the United
# States (US) by RCMP, Canadian officers (CA) by the United States Coast Guard. Only that agency's administrators
# grant, renew, suspend, revoke and reinstate them (docs/operations.md).
SHIPRIDER_DESIGNATING_AUTHORITIES = env_country_agencies("SHIPRIDER_DESIGNATING_AUTHORITIES", "US:RCMP,CA:USCG")
# The agency that leads every BEST unit: its administrators manage the units' members.
BEST_LEAD_AGENCY = os.environ.get("BEST_LEAD_AGENCY", "HSI").strip()

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnerships.api.base.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["partnerships.api.base.PortalPermission"],
    "DEFAULT_FILTER_BACKENDS": ["partnerships.api.base.StrictFilterBackend"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "partnerships.api.base.StrictContentNegotiation",
    # The portal's JSON parser and renderer (partnerships/api/parsers.py): a body nested too deeply or holding text
    # that is not Unicode is refused with 400, and an answer that quotes such text back is still sent.
    "DEFAULT_PARSER_CLASSES": [
        "partnerships.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "partnerships.api.parsers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "partnerships.api.base.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["partnerships.api.base.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_RATE_LIMIT", "600/min")},
    "EXCEPTION_HANDLER": "partnerships.api.base.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "partnerships.api.schema.PortalAutoSchema",
    "UNAUTHENTICATED_USER": None,
}
# Searches and exports per signed-in user (pages) or per token (API), over which both answer 429 with
# Retry-After (ASVS V11.1.4; portal/ratelimits.py). Rate syntax shared by django-ratelimit and DRF: N/s, N/m, N/h, N/d.
RATE_LIMIT_SEARCH = os.environ.get("RATE_LIMIT_SEARCH", "60/m")
RATE_LIMIT_EXPORT = os.environ.get("RATE_LIMIT_EXPORT", "20/m")
# Invalid API tokens per client address, past which the address's further invalid tokens answer 429 with Retry-After
# (docs/api.md). Syntax as the rates above.
API_BAD_TOKEN_RATE = os.environ.get("API_BAD_TOKEN_RATE", "20/m")
RATELIMIT_VIEW = "portal.ratelimits.too_many_requests"
# A CSRF refusal under /api/ is problem details, as every API error is (partnerships/api/base.py).
CSRF_FAILURE_VIEW = "partnerships.api.base.csrf_failure"
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] += [
    "partnerships.api.base.SearchRateThrottle", "partnerships.api.base.ExportRateThrottle",
]
SPECTACULAR_SETTINGS = {
    "TITLE": "Border Partnerships Portal API",
    "DESCRIPTION": "Case summaries, sharing and incremental sync for agency systems. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["partnerships.api.base.PortalPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",  # served from the package, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partnerships.api.schema.document_problems",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AccessLevelEnum": "partnerships.models.AccessLevel",
        "PurposeEnum": "partnerships.models.Purpose",
        "AgencyLevelEnum": "partnerships.models.Agency.Level",
        "CaseStatusEnum": "partnerships.models.JointCase.Status",
        "PatrolStatusEnum": "shiprider.models.Patrol.Status",
        "DesignationStatusEnum": "partnerships.models.CrossDesignation.Status",
        "CountryEnum": "partnerships.models.Country",
        "DesignationKindEnum": "partnerships.models.CrossDesignation.Kind",
        "ActivityKindEnum": "shiprider.models.Activity.Kind",
        "OccurrenceKindEnum": "ibet.models.Occurrence.Kind",
        "HandlingCodeEnum": "partnerships.models.JointCase.HandlingCode",
        "MembershipRoleEnum": "best.models.Membership.Role",
        "HitKindEnum": "deconfliction.models.Hit.Kind",
        "AgendaPurposeEnum": "cbcf.models.AgendaItem.Purpose",
        "RadioBandwidthEnum": "shiprider.models.RadioChannel.Bandwidth",
        "ResultCategoryEnum": "partnerships.models.EnforcementResult.Category",
        "WebhookEventTypeEnum": "webhooks.models.EventType",
        "MeetingLevelEnum": "cbcf.models.Meeting.Level",
        "ProgramEnum": "partnerships.models.Program",
        "AgendaStateEnum": "cbcf.models.Meeting.AgendaState",
        "InitiativeStatusEnum": "cbcf.models.Initiative.Status",
        "ActionStatusEnum": "cbcf.models.ActionItem.Status",
        "CrewRoleEnum": "shiprider.models.CrewMember.Role",
        "ReleasabilityEnum": "partnerships.models.JointCase.Releasability",
        "ResultKindEnum": "partnerships.models.EnforcementResult.Kind",
        "UnitStatusEnum": "best.models.Unit.Status",
        "SubjectKindEnum": "partnerships.models.Subject.Kind",
        "PlannedEventKindEnum": "deconfliction.models.PlannedEvent.Kind",
        "TargetKindEnum": "best.models.TargetOrganization.Kind",
        "ParticipantRoleEnum": "cbcf.models.Participant.Role",
    },
}

# Security headers and cookies (OWASP ASVS L2, CJIS). With DEBUG on (development over http) cookies keep their
# plain names and no https is demanded; with DEBUG off everything below is in force.
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token in the page, and the browsable API and Swagger UI get
# it from their templates.
CSRF_COOKIE_HTTPONLY = True
# Lax rather than Strict: an officer following a case link from a notification email (a cross-site, top-level
# GET) arrives signed in. Cross-site POSTs still go without the cookies, GETs change nothing, and every POST
# is CSRF-checked besides.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # __Host- cookies must be Secure, for path / and without a Domain: no sibling subdomain can set or
    # shadow them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # The load balancer probes these over plain http inside the network (paths without the leading slash).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    # One year, subdomains too, and eligible for the browsers' preload list. Turn preload off (or the
    # seconds down) before a first rollout on a new domain: it is hard to undo.
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): the portal's own origin only, no inline script or style anywhere (the
# templates carry none; portal/tests/test_security_headers.py keeps it so), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the SVG icons inside Swagger UI's stylesheet
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_log_level("LOG_LEVEL", "INFO")},
    "loggers": {"celery": {"level": env_log_level("CELERY_LOG_LEVEL", "WARNING")}},
}
