"""What engagement's API operations share: the router (mounted under /api/v1/ by openward/api.py), the
400 answer for a refused write, and the bounds of a number of places."""

from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Router
from ninja.errors import HttpError

router = Router(tags=["engagement"])


def bad_request(exc: ValidationError):
    raise HttpError(400, " ".join(exc.messages))


# Places at one event or task: enough for a borough-wide meeting, small enough for any column.
Places = Annotated[int, Field(ge=1, le=100_000)]
