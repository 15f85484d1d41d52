"""police.uk-compatible stops endpoints (see docs/POLICEUK_API.md)."""

from ninja import Router

router = Router()
