"""What engagement's API operations share: the router (mounted under /api/v1/ by openward/api.py) and the
bounds of a number of places."""

from typing import Annotated

from ninja import Field, Router

router = Router(tags=["engagement"])


# Places at one event or task: enough for a borough-wide meeting, small enough for any column.
Places = Annotated[int, Field(ge=1, le=100_000)]
