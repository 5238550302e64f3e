"""Test settings: production settings with a test secret, plain HTTP and fast password hashing."""

import os

os.environ.setdefault("MITRA_SECRET_KEY", "test-secret-key-for-the-mitra-test-suite-only-0123456789abcdef")
os.environ.setdefault("MITRA_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("MITRA_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault(
    "MITRA_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)

from mitra.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns about a missing folder)
