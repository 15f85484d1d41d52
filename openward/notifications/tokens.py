"""Signed tokens in email links: they name a subscriber (and an item) and cannot be forged."""

from __future__ import annotations

from django.core import signing

UNSUBSCRIBE_SALT = "openward.notifications.unsubscribe"
REPLY_SALT = "openward.notifications.reply"


class BadToken(Exception):
    """The link was changed or is not one of ours."""


def unsubscribe_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def subscriber_id_from(token: str) -> int:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise BadToken("This link has been changed or is incomplete.") from exc
    if not isinstance(value, int):
        raise BadToken("This link has been changed or is incomplete.")
    return value


def reply_token(subscriber_id: int, kind: str, object_id: int) -> str:
    return signing.dumps([subscriber_id, kind, object_id], salt=REPLY_SALT)


def reply_target_from(token: str) -> tuple[int, str, int]:
    try:
        subscriber_id, kind, object_id = signing.loads(token, salt=REPLY_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken("This reply link has been changed or is incomplete.") from exc
    return int(subscriber_id), str(kind), int(object_id)
