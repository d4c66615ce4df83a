"""Django settings of the test site: SQLite in the folder the fixture gives (INDIEWEB_TEST_DIR),
django-indieweb's endpoints under /indieweb/, entries kept by `handler.FileHandler`."""

from __future__ import annotations

import os
from pathlib import Path

STATE = Path(os.environ.get("INDIEWEB_TEST_DIR", "."))

SECRET_KEY = "test-only-not-secret-5f0e3c8a"  # a throwaway site on 127.0.0.1
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",  # django-indieweb's models need them
    "django.contrib.staticfiles",
    "indieweb",
]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",  # APPEND_SLASH: a slashless POST gets a 301, as on real sites
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.indieweb_site.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(STATE / "site.sqlite3")}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "DIRS": [],
              "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}]
STATIC_URL = "/static/"
SITE_ID = 1
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INDIEWEB_MICROPUB_HANDLER = "tests.indieweb_site.handler.FileHandler"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "CRITICAL"}}
