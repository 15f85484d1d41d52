"""Census population by ethnic group (mounted under /api/v1/)."""

from ninja import Router, Schema, Status

from openward.core import access

from .views import area_figures

router = Router(tags=["census"])


class GroupOut(Schema):
    group: str
    label: str
    people: int
    share: float | None


class TableOut(Schema):
    census_year: int
    table: str
    total: int
    groups: list[GroupOut]


class AreaOut(Schema):
    geography: str
    code: str
    name: str
    tables: list[TableOut]


class Problem(Schema):
    detail: str


@router.get("/census/{geography}/{code}", response={200: AreaOut, 404: Problem}, summary="Population by ethnic group")
@access.public
def census_area(request, geography: str, code: str):
    """Every census ethnic-group table loaded for an area (geography: lsoa, local-authority, police-force-area)."""
    figures = area_figures(geography, code)
    if "problem" in figures:
        return Status(404, {"detail": figures["problem"]})
    return Status(200, figures)
