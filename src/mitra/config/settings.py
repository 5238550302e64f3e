"""Django settings for Mitra. Every value comes from the environment through ``config.env``."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mitra.config import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get("MITRA_VAR_DIR")).resolve()

DEBUG = env.get_bool("MITRA_DEBUG")
SECRET_KEY = env.get("MITRA_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MITRA_SECRET_KEY is not set. Production refuses to start without a secret key; "
            "set it (python -c 'import secrets; print(secrets.token_urlsafe(50))') "
            "or set MITRA_DEBUG=1 for local development."
        )
    SECRET_KEY = "mitra-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.get_list("MITRA_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("MITRA_CSRF_TRUSTED_ORIGINS")
BASE_URL = env.get("MITRA_BASE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "ninja",
    "mitra.core",
    "mitra.accounts",
    "mitra.partnerships",
    "mitra.risks",
    "mitra.cases",
    "mitra.improvement",
    "mitra.value",
    "mitra.commitments",
    "mitra.moments",
    "mitra.pulse",
    "mitra.plans",
    "mitra.threads",
    "mitra.health",
    "mitra.planning",
    "mitra.transfer",
    "mitra.reviews",
    "mitra.web",
    "mitra.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mitra.core.middleware.RejectNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mitra.core.middleware.ActorMiddleware",
    "mitra.core.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "mitra.config.urls"
WSGI_APPLICATION = "mitra.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # mitra.web's templates come first so that they override allauth's layouts and elements.
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mitra.core.context_processors.actor",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------------
_db_url = env.get("MITRA_DATABASE_URL")
if _db_url.startswith("sqlite:///") and not _db_url.startswith("sqlite:////"):
    # A relative SQLite path lives under the var folder, whatever the current directory.
    _relative = _db_url.removeprefix("sqlite:///")
    _relative = _relative.removeprefix("var/")
    _db_url = f"sqlite:///{VAR_DIR / _relative}"
DATABASES = {
    "default": dj_database_url.parse(_db_url, conn_max_age=0 if DEBUG else 60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker and the web server read while the other writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write inside a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (rate limits) ----------------------------------------------------------------------------
_cache_url = env.get("MITRA_CACHE_URL")
if _cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mitra"}}

# --- background jobs ----------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- authentication ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
# Self-service sign-up is only through an invitation (to an organisation or to a partnership).
ACCOUNT_ADAPTER = "mitra.accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
# Behind N proxies the client's address is the Nth from the right in X-Forwarded-For; allauth's per-IP rate
# limits and Mitra's security log both read it from there (accounts.security.client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = env.get_int("MITRA_TRUSTED_PROXY_COUNT")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mitra"

# --- internationalisation ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mitra_language"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
MITRA_DEFAULT_CURRENCY = "IDR"

# --- static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- e-mail -------------------------------------------------------------------------------------------
EMAIL_BACKEND = env.get("MITRA_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.get("MITRA_EMAIL_HOST")
EMAIL_PORT = env.get_int("MITRA_EMAIL_PORT")
EMAIL_HOST_USER = env.get("MITRA_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get("MITRA_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("MITRA_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env.get("MITRA_DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- security -----------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.get_bool("MITRA_SECURE_SSL_REDIRECT")
    SECURE_HSTS_SECONDS = env.get_int("MITRA_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.get("MITRA_SECURE_PROXY_SSL_HEADER"):
        _header = "HTTP_" + env.get("MITRA_SECURE_PROXY_SSL_HEADER").upper().replace("-", "_")
        SECURE_PROXY_SSL_HEADER = (_header, "https")
    # Django's check warns about a secret key that is too short or looks generated by Django.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "MITRA_SECRET_KEY must be at least 50 characters with at least 5 distinct ones."
        )

# --- logging ------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "mitra": {"handlers": ["console"], "level": env.get("MITRA_LOG_LEVEL"), "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- API ----------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
