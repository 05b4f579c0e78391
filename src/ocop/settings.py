"""ocop settings: one module, every value read from the environment (see .env.example).

Three environments, chosen by ``OCOP_ENV``:

* ``development`` (default): DEBUG on, SQLite under ``var/``, e-mail printed to the console.
* ``production``: refuses to start without ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and
  ``DATABASE_URL``; secure cookies, HSTS and HTTPS redirect on.
* ``test``: set by ``settings_test`` (fast hasher, in-memory e-mail and cache).
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

OCOP_ENV = env.str("OCOP_ENV", default="development")
if OCOP_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"OCOP_ENV must be development, production or test, not {OCOP_ENV!r}")
IS_PRODUCTION = OCOP_ENV == "production"


def _required_in_production(name: str) -> None:
    if IS_PRODUCTION and not env.str(name, default=""):
        raise ImproperlyConfigured(f"{name} must be set when OCOP_ENV=production (see .env.example)")


for _name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
    _required_in_production(_name)

DEBUG = env.bool("DJANGO_DEBUG", default=not IS_PRODUCTION)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-insecure-key-do-not-use-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "csp",
    "huey.contrib.djhuey",
    # ocop domain apps (layering: docs/architecture.md)
    "ocop.core",
    "ocop.geography",
    "ocop.accounts",
    "ocop.legal",
    "ocop.producers",
    "ocop.products",
    "ocop.evaluation",
    "ocop.notifications",
    "ocop.dossiers",
    "ocop.imports",
    "ocop.dashboard",
    "ocop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ocop.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocop.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "ocop.core.middleware.ChangeContextMiddleware",
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "ocop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "ocop.core.context_processors.ui",
                "ocop.notifications.context_processors.unread",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# ---------------------------------------------------------------------------------------------
# Database: SQLite is the embedded default, PostgreSQL the production database (ADR 0002)
# ---------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ocop.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Development default: a file cache under var/, so the background worker and the web server
# share job progress; production uses Redis (CACHE_URL=redis://...).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# ---------------------------------------------------------------------------------------------
# Background jobs (huey, stack.md): SQLite storage under var/ by default, Redis when
# OCOP_HUEY_REDIS_URL is set. `make run` starts the worker next to the web server.
# ---------------------------------------------------------------------------------------------
_huey_redis_url = env.str("OCOP_HUEY_REDIS_URL", default="")
_huey_file = env.path("OCOP_HUEY_FILE", default=VAR_DIR / "huey.sqlite3")
if not _huey_redis_url:
    # huey opens its SQLite queue when Django starts, so the folder must exist (fresh checkout).
    Path(_huey_file).parent.mkdir(parents=True, exist_ok=True)
HUEY = {
    "name": "ocop",
    "immediate": env.bool("OCOP_TASKS_IMMEDIATE", default=False),
    "results": False,
    "utc": True,
    "consumer": {"workers": env.int("OCOP_HUEY_WORKERS", default=1), "worker_type": "thread"},
    **(
        {"huey_class": "huey.RedisHuey", "url": _huey_redis_url}
        if _huey_redis_url
        else {"huey_class": "huey.SqliteHuey", "filename": str(_huey_file)}
    ),
}

# ---------------------------------------------------------------------------------------------
# Authentication and permissions (ADR 0003)
# ---------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.int("OCOP_SESSION_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# ---------------------------------------------------------------------------------------------
# Internationalisation (ADR 0005): Vietnamese by default, English available
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "ocop" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["ocop.formats"]

# ---------------------------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "ocop" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Private storage: files are served only through permission-checked views.
        "OPTIONS": {"location": env.path("OCOP_MEDIA_ROOT", default=VAR_DIR / "media"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Upload limits checked by the services with a clear message (the web server should also cap the
# request body a little above the largest of them).
OCOP_MAX_IMAGE_MB = env.int("OCOP_MAX_IMAGE_MB", default=10)
OCOP_MAX_DOCUMENT_MB = env.int("OCOP_MAX_DOCUMENT_MB", default=20)
OCOP_MAX_IMPORT_MB = env.int("OCOP_MAX_IMPORT_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------------------------
# E-mail: printed to the console in development; SMTP when EMAIL_URL is set
# ---------------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OCOP <no-reply@ocop.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------------------------
# Notifications: in-app always; e-mail through the settings above; SMS (later Zalo) only when
# OCOP_SMS_BACKEND names a gateway. Development may use ocop.notifications.backends.ConsoleBackend.
# ---------------------------------------------------------------------------------------------
OCOP_SMS_BACKEND = env.str("OCOP_SMS_BACKEND", default="ocop.notifications.backends.NullBackend")
# The public address of this site, for links in e-mails and text messages (no trailing slash).
OCOP_SITE_URL = env.str("OCOP_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------------------------
# UI libraries
# ---------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# ---------------------------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "ocop.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("OCOP_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------------------------
# ocop
# ---------------------------------------------------------------------------------------------
OCOP_SITE_NAME = _("OCOP management system")
OCOP_DEMO_PASSWORD = env.str("OCOP_DEMO_PASSWORD", default="ocop-demo-2026")
