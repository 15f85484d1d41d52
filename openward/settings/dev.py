"""Local development: the embedded default (SQLite, database task worker, email to var/mail)."""

from .base import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
