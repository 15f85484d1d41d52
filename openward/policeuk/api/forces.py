"""police.uk-compatible forces endpoints (see docs/POLICEUK_API.md)."""

from ninja import Router

router = Router()
