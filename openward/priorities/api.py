"""Open Ward's own API for priorities (mounted under /api/v1/ by openward/api.py)."""

from ninja import Router

router = Router(tags=["priorities"])
