"""Settings for every environment, read from the environment.

Development (the default) runs on SQLite in WAL mode under ``var/``.
``MENTORA_ENV=production`` requires SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL and
switches on the secure-cookie, HSTS and proxy settings.
"""

import os
import re
import socket
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # src/mentora
VAR_DIR = Path(os.environ.get("MENTORA_VAR_DIR", Path.cwd() / "var"))

ENV = os.environ.get("MENTORA_ENV", "development")
PRODUCTION = ENV == "production"
TESTING = os.environ.get("MENTORA_TESTING") == "1" or "pytest" in sys.modules


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when MENTORA_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
    DATABASE_URL = _required("DATABASE_URL")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "mentora-development-only-not-secret")
    ALLOWED_HOSTS = [
        h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
    ]
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    DEBUG = os.environ.get("MENTORA_DEBUG", "1") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "ninja",
    "simple_history",
    "mentora.accounts",
    "mentora.programs",
    "mentora.profiles",
    "mentora.relationships",
    "mentora.notifications",
    "mentora.scholarly",
    "mentora.insights",
    "mentora.meetings",
    "mentora.ilps",
    "mentora.directory",
    "mentora.batchmatch",
    "mentora.core",
    "mentora.api",
    "mentora.sso",
    "mentora.provisioning",
    "mentora.conflicts",
    "mentora.dataio",
    "mentora.audit",
    "mentora.milestones",
    "mentora.privacy",
    "mentora.rollover",
    "mentora.portfolio",
    "mentora.home",
    "mentora.onboarding",
    "mentora.demo",
    "mentora.background",
    "mentora.webhooks",
    "mentora.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "mentora.sso.middleware.IdentityProviderFormActionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentora.core.middleware.PersonTimeZoneMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mentora.accounts.mfa.RequireMfaMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mentora.config.urls"
WSGI_APPLICATION = "mentora.config.wsgi.application"

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
                "csp.context_processors.nonce",
                "mentora.home.context_processors.navigation",
                "mentora.console.context_processors.console_navigation",
            ],
            # Every page writes dates one way: {{ value|day }} and {{ value|moment }}.
            "builtins": ["mentora.core.templatetags.mentora_dates", "mentora.core.templatetags.labels"],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL says otherwise. On SQLite (the default or a
# sqlite:// URL) Mentora's backend (mentora.core.sqlite: why it exists) and these options let web requests
# and workers write at the same time: a write waits up to MENTORA_SQLITE_BUSY_SECONDS for another one.
SQLITE_BUSY_MILLISECONDS = int(float(os.environ.get("MENTORA_SQLITE_BUSY_SECONDS", "30")) * 1000)
# The worker waits longer: nobody is looking at a page, and a task should outlast a long transaction.
MENTORA_WORKER_SQLITE_PATIENCE_SECONDS = float(os.environ.get("MENTORA_WORKER_SQLITE_PATIENCE_SECONDS", "900"))
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA busy_timeout={SQLITE_BUSY_MILLISECONDS}; PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_MILLISECONDS / 1000,
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "mentora.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: the planner turns it on for the dashboards' counting queries at a
    # network's size, where compiling costs more than it saves (up to 77 ms of a 207 ms query at
    # 50,000 mentees). A `-c jit=...` in the URL's options wins.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit=" not in _pg_options.get("options", ""):
        _pg_options["options"] = (_pg_options.get("options", "") + " -c jit=off").strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "mentora.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    # The test database lives in memory, one per test process (Django's default for SQLite, written
    # out: under another engine name, pytest-xdist's per-worker suffix would be added to the file name).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
elif TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, emptying tables after a transactional test faster (mentora.core.postgresql_tests: why).
    DATABASES["default"]["ENGINE"] = "mentora.core.postgresql_tests"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and django-allauth's backends, reading the person signed in with a query compiled once
# (mentora/accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "mentora.accounts.backends.ModelBackend",
    "mentora.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is the slowest part of creating users in tests; production keeps the default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentora] "
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("MENTORA_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "mentora.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "mentora.accounts.forms.SignupForm"}
ACCOUNT_PREVENT_ENUMERATION = True  # with the sign-up form of mentora.accounts.forms, whatever the verification
# Failed logins (mentora.accounts.adapter): "key" is the client and the account together, so a
# stranger's wrong passwords never lock the account's owner out; "login_failed_account" counts one
# account's failures from every client, high enough that reaching it takes many addresses.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,30/h/ip,5/5m/key",
    "login_failed_account": "100/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
# Rate limits count per client address: behind the TLS-terminating proxy every request comes from the
# proxy, so the client is read from X-Forwarded-For, trusting as many hops as there are proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("MENTORA_TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))
# Self-service sign-up: invitation-only in production unless MENTORA_ALLOW_SIGNUPS=1 (invited and
# imported people set their password from their invitation link); MENTORA_SIGNUP_DOMAINS limits it
# to addresses at those domains. Read by mentora.accounts.adapter and mentora.accounts.forms.
_allow_signups = os.environ.get("MENTORA_ALLOW_SIGNUPS", "0" if PRODUCTION else "1").strip()
if _allow_signups not in {"0", "1"}:
    raise ImproperlyConfigured("MENTORA_ALLOW_SIGNUPS takes 1 (open) or 0 (invitation only)")
MENTORA_ALLOW_SIGNUPS = _allow_signups == "1"
MENTORA_SIGNUP_DOMAINS = sorted({
    domain.strip().lower().lstrip("@")
    for domain in os.environ.get("MENTORA_SIGNUP_DOMAINS", "").split(",") if domain.strip()
})
# Institutional single sign-on (OpenID Connect, one provider per institution, configured in the
# database: see mentora.sso). An institutional login is linked to an existing account only by an
# email address the provider asserts as verified, at a domain the institution lists; the adapter
# refuses unverified addresses and never links an account holding a staff role by email: its owner
# connects the institution while logged in, confirming with their password or authenticator code.
SOCIALACCOUNT_ADAPTER = "mentora.sso.adapter.InstitutionSignOnAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider verified it; unverified ones are refused
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REAUTHENTICATION_REQUIRED = True  # connecting or removing a sign-on asks to confirm it
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mentora"
# Roles that must use two-factor authentication (admin, coordinator, network_coordinator, mentor,
# mentee), comma-separated; enforced by mentora.accounts.mfa.RequireMfaMiddleware.
MENTORA_MFA_REQUIRED_ROLES = frozenset(
    role.strip()
    for role in os.environ.get("MENTORA_MFA_REQUIRED_ROLES", "admin" if PRODUCTION else "").split(",")
    if role.strip()
)
if MENTORA_MFA_REQUIRED_ROLES - {"admin", "coordinator", "network_coordinator", "mentor", "mentee"}:
    raise ImproperlyConfigured(
        "MENTORA_MFA_REQUIRED_ROLES takes admin, coordinator, network_coordinator, mentor, mentee"
    )

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way to write dates everywhere (the `day` and `moment` filters of core/templatetags/mentora_dates.py).
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (resource documents) live outside the web root and no URL serves the folder: each
# file is handed out by a view that checks who may read it (mentora.core.uploads.attachment_response).
MEDIA_ROOT = Path(os.environ.get("MENTORA_UPLOADS_DIR", VAR_DIR / "uploads"))
STORAGES = {
    "default": {"BACKEND": "mentora.core.uploads.PrivateUploadStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production, WhiteNoise looks a static file up when it is asked for, instead of listing every
# app's static files each time a handler starts: the test client starts one handler per client, and that
# listing cost about a third of the test suite's time. Production serves the collected, hashed files,
# listed once at start.
WHITENOISE_AUTOREFRESH = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic is for production only

# Cache and rate limits: the database cache by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Django's database cache keeps 300 entries by default and, past that, deletes a third of them in key
    # order on the next write: the coordinators' home rows ("core:…") and the recommendations' mentor side
    # ("directory:…") went first, a few dashboards' panels and charts after the first sign-ins. Expired
    # entries are deleted first; the rest are bounded by their own lifetimes well below this.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mentora_cache",
                    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("MENTORA_CACHE_MAX_ENTRIES", "50000"))}}
    }

# Background work: Django's task API (django-tasks backport) on a database-backed queue.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend"
        )
    }
}
# How many of a dashboard's panels are computed at once, each on its own database connection, when none is
# cached (insights.selectors): the work is the database's, so about one per core of the database's host.
MENTORA_PANEL_THREADS = int(os.environ.get("MENTORA_PANEL_THREADS", "2"))
# After a data change the worker fills the caches of the slowest first requests (mentora.core.warmup).
MENTORA_WARM_AHEAD = os.environ.get("MENTORA_WARM_AHEAD", "0" if TESTING else "1") == "1"
# Workers on several hosts share the queue. A worker holds the task it runs under a lease that a heartbeat
# renews every third of it; a lease left to expire (its worker died) is taken over by any other worker, so
# a lost host delays its tasks by at most about MENTORA_WORKER_LEASE_SECONDS. A task whose workers died this
# many times fails instead of killing the next one. The host identity names this host's workers (it
# defaults to the host name; give each host its own when several share one name, e.g. containers).
MENTORA_WORKER_LEASE_SECONDS = float(os.environ.get("MENTORA_WORKER_LEASE_SECONDS", "60"))
MENTORA_WORKER_MAX_TAKEOVERS = int(os.environ.get("MENTORA_WORKER_MAX_TAKEOVERS", "3"))
MENTORA_WORKER_HOST = (os.environ.get("MENTORA_WORKER_HOST", "").strip() or socket.gethostname())[:40]
if ":" in MENTORA_WORKER_HOST:
    raise ImproperlyConfigured("MENTORA_WORKER_HOST must not contain ':'")

# Long work writes a bounded batch per transaction, so that on SQLite (one writer at a time) a web request
# never waits behind it longer than one batch: the rollover moves this many people per transaction.
ROLLOVER_PEOPLE_PER_TRANSACTION = 100

# A task that may run again (see mentora.core.task_policy) waits 30 s, 2 min, 8 min ... between attempts.
TASK_RETRY_BASE_SECONDS = float(os.environ.get("TASK_RETRY_BASE_SECONDS", "30"))

# Outbound webhooks (docs/webhooks.md): a subscription is switched off after this many failed tries in a
# row; in production a delivery reaches public addresses only, never this server's own network.
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "15"))
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = os.environ.get("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "" if PRODUCTION else "1") == "1"
# The Fernet keys that encrypt the subscriptions' signing secrets at rest, newest first (comma-separated;
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`). Unset: a key
# derived from SECRET_KEY (webhooks/crypto.py). Set it in production, apart from SECRET_KEY.
WEBHOOK_SECRET_KEYS = [k.strip() for k in os.environ.get("MENTORA_WEBHOOK_SECRET_KEYS", "").split(",") if k.strip()]
# The key that encrypts backups (`mentora backup`, the console's Backups page): 32 bytes in URL-safe
# base64, made with `mentora backup --new-key`. Keep it apart from the backups: without it they cannot
# be restored. Unset, backups are refused; the tests use a fixed key of their own.
BACKUP_DIR = Path(os.environ.get("MENTORA_BACKUP_DIR", VAR_DIR / "backups"))  # where the console's backups go
BACKUP_KEY = os.environ.get("MENTORA_BACKUP_KEY", "") or (
    "dGVzdHMtb25seS1iYWNrdXAta2V5LW5vdC1zZWNyZXQ=" if TESTING else "")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds: a hung mail server never holds a worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mentora <mentora@localhost>")

# Content-Security-Policy without unsafe-inline: every asset is served from this origin.
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
    }
}

# Django's database sessions, read with a query compiled once (mentora/accounts/sessions.py).
SESSION_ENGINE = "mentora.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto: https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("MENTORA_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("MENTORA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MENTORA_LOG_LEVEL", "WARNING")},
}

# The academic year starts on July 1 (US graduate medical education).
MENTORA_ACADEMIC_YEAR_START_MONTH = 7
MENTORA_DEMO_PASSWORD = "mentora-demo"
# The address people reach Mentora at (scheme and host, e.g. https://mentora.example.org): every link in an
# email, a calendar file or the calendar feed is built on it, never on the host a request came in by (behind
# a proxy that is an internal name). Required in production.
MENTORA_SITE_URL = (
    _required("MENTORA_SITE_URL") if PRODUCTION else os.environ.get("MENTORA_SITE_URL", "http://127.0.0.1:8000")
).rstrip("/")
if not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", MENTORA_SITE_URL):
    raise ImproperlyConfigured(
        f"MENTORA_SITE_URL must be the address people reach Mentora at, like https://mentora.example.org "
        f"(not {MENTORA_SITE_URL!r})"
    )
# SCIM 2.0 provisioning (django-scim2 routes, pages and filters; mentora.provisioning adapts it to each
# institution's records, authenticated by the institution's bearer token).
SCIM_SERVICE_PROVIDER = {
    "NETLOC": MENTORA_SITE_URL.split("://", 1)[1].split("/", 1)[0],
    "SCHEME": MENTORA_SITE_URL.split("://", 1)[0],
    "AUTHENTICATION_SCHEMES": [{
        "type": "oauthbearertoken", "name": "Bearer token", "primary": True,
        "description": "A token per institution, made by a site admin under Console → Provisioning",
        "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
    }],
    "USER_MODEL_GETTER": "mentora.provisioning.scim_filters.scim_user_model",
    "USER_ADAPTER": "mentora.provisioning.scim.ScimUserAdapter",
    "GROUP_MODEL": "mentora.provisioning.models.ScimGroup",
    "GROUP_ADAPTER": "mentora.provisioning.scim.ScimGroupAdapter",
    "USER_FILTER_PARSER": "mentora.provisioning.scim_filters.UserFilter",
    "GROUP_FILTER_PARSER": "mentora.provisioning.scim_filters.GroupFilter",
    "GET_EXTRA_MODEL_FILTER_KWARGS_GETTER": "mentora.provisioning.scim.institution_filter_kwargs",
    "GET_QUERYSET_POST_PROCESSOR_GETTER": "mentora.provisioning.scim.creation_order",
    "AUTH_CHECK_MIDDLEWARE": "mentora.provisioning.scim.BearerTokenCheck",
    "BASE_LOCATION_GETTER": "mentora.provisioning.scim.base_location",
    "SERVICE_PROVIDER_CONFIG_MODEL": "mentora.provisioning.scim.ServiceProviderConfig",
    "SCHEMAS_GETTER": "mentora.provisioning.scim.schemas",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="mentora-scim"',
}

# Scholarly projects with no stage change in this many days are flagged as stalled.
MENTORA_SCHOLARLY_STALLED_DAYS = int(os.environ.get("MENTORA_SCHOLARLY_STALLED_DAYS", "90"))
