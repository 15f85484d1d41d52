"""What accounts tell other apps, without importing them: they listen in their AppConfig.ready."""

from django.dispatch import Signal

# Sent inside the transaction that confirms a person's email address; `user` is the person.
email_confirmed = Signal()

# Sent inside the transaction where a person says yes to a purpose they had not agreed to; `user`, `purpose`.
consent_granted = Signal()
