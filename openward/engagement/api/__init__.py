"""Open Ward's own API for engagement, one module a concept (`events`, `records`, `bulletins`, `replies`,
`volunteering`), each adding its operations to the one router openward/api.py mounts under /api/v1/."""

from . import bulletins, events, records, replies, volunteering  # noqa: F401  (each adds its operations)
from .common import router

__all__ = ["router"]
