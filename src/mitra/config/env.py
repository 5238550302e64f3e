"""Every setting Mitra reads from the environment, declared in one place.

The README's configuration table is generated from ``SETTINGS`` below, so the documentation cannot drift
from the code (see ``tests/test_config.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("MITRA_DEBUG", "false", "Development mode: detailed error pages, console e-mail, no HTTPS."),
    Setting(
        "MITRA_SECRET_KEY",
        "",
        "Signing key. Required when MITRA_DEBUG is off; production refuses to start without it.",
    ),
    Setting(
        "MITRA_ALLOWED_HOSTS", "localhost,127.0.0.1", "Comma-separated host names the server answers to."
    ),
    Setting(
        "MITRA_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (https://mitra.example.com) behind a proxy.",
    ),
    Setting(
        "MITRA_DATABASE_URL",
        "sqlite:///var/mitra.sqlite3",
        "Database URL; PostgreSQL in production: postgres://user:pass@host:5432/mitra.",
    ),
    Setting(
        "MITRA_CACHE_URL",
        "",
        "Shared cache for rate limits across app servers: redis://127.0.0.1:6379/0. Empty: per-process memory.",
    ),
    Setting("MITRA_VAR_DIR", "var", "Folder for the SQLite file and other local state."),
    Setting("MITRA_BASE_URL", "http://127.0.0.1:8000", "Public address used in e-mailed links."),
    Setting(
        "MITRA_EMAIL_BACKEND", "", "Django e-mail backend; default: console when debugging, SMTP otherwise."
    ),
    Setting("MITRA_EMAIL_HOST", "localhost", "SMTP host."),
    Setting("MITRA_EMAIL_PORT", "25", "SMTP port."),
    Setting("MITRA_EMAIL_HOST_USER", "", "SMTP user name."),
    Setting("MITRA_EMAIL_HOST_PASSWORD", "", "SMTP password."),
    Setting("MITRA_EMAIL_USE_TLS", "false", "Use STARTTLS for SMTP."),
    Setting("MITRA_DEFAULT_FROM_EMAIL", "Mitra <no-reply@mitra.local>", "Sender address of Mitra's e-mail."),
    Setting(
        "MITRA_SECURE_SSL_REDIRECT",
        "true",
        "Redirect HTTP to HTTPS in production (set false when the proxy does it).",
    ),
    Setting("MITRA_SECURE_PROXY_SSL_HEADER", "", "Set to X-Forwarded-Proto when a proxy terminates TLS."),
    Setting(
        "MITRA_TRUSTED_PROXY_COUNT",
        "0",
        "Proxies in front of Mitra that append to X-Forwarded-For (1 behind one nginx); rate limits and the security log then see the client's address.",
    ),
    Setting("MITRA_HSTS_SECONDS", "31536000", "HTTP Strict-Transport-Security max-age in production."),
    Setting("MITRA_LOG_LEVEL", "INFO", "Log level of the mitra loggers."),
    Setting("PORT", "8000", "Port of `make run` and `mitra serve`."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name, _DEFAULTS[name])


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in TRUE


def get_list(name: str) -> list[str]:
    return [item.strip() for item in get(name).split(",") if item.strip()]


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from exc
