"""Response shapes: police.uk-compatible records (for the OpenAPI schema) and Open Ward's crime summaries."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema


class Problem(Schema):
    detail: str


# police.uk shapes ----------------------------------------------------------


class Street(Schema):
    id: int
    name: str


class Location(Schema):
    latitude: str
    longitude: str
    street: Street


class OutcomeStatus(Schema):
    category: str
    date: str


class CrimeRecord(Schema):
    category: str
    location_type: str | None
    location: Location | None
    context: str
    outcome_status: OutcomeStatus | None
    persistent_id: str
    id: int
    location_subtype: str
    month: str


class CrimeWithoutOutcome(Schema):
    category: str
    location_type: str | None
    location: Location | None
    context: str
    persistent_id: str
    id: int
    location_subtype: str
    month: str


class OutcomeCategory(Schema):
    code: str
    name: str


class OutcomeRecord(Schema):
    category: OutcomeCategory
    date: str
    person_id: int | None


class OutcomeAtLocation(OutcomeRecord):
    crime: CrimeWithoutOutcome


class CaseHistory(Schema):
    crime: CrimeWithoutOutcome
    outcomes: list[OutcomeRecord]


class CategoryItem(Schema):
    url: str
    name: str


class LastUpdated(Schema):
    date: str


class StreetDate(Schema):
    date: str
    stop_and_search: list[str] = Field(..., alias="stop-and-search")


class OutcomeObject(Schema):
    id: str
    name: str


class StopRecord(Schema):
    age_range: str | None
    outcome: str | bool | None
    involved_person: bool
    self_defined_ethnicity: str | None
    gender: str | None
    legislation: str | None
    outcome_linked_to_object_of_search: bool | None
    datetime: str
    removal_of_more_than_outer_clothing: bool | None
    outcome_object: OutcomeObject | None
    location: Location | None
    operation: bool | None
    officer_defined_ethnicity: str | None
    type: str
    operation_name: str | None
    object_of_search: str | None


# Open Ward's own crime summaries -----------------------------------------------


class ChangeOut(Schema):
    recent: int | None = Field(..., description="Count in the latest 12 months; null when fewer than 10.")
    earlier: int | None = Field(..., description="Count in the 12 months before; null when fewer than 10.")
    recent_shown: str
    earlier_shown: str
    suppressed: bool
    percent_change: float | None
    ratio_ci_low: float | None = Field(..., description="95% exact interval for recent/earlier rate ratio.")
    ratio_ci_high: float | None
    p_value: float | None = Field(..., description="Exact conditional binomial test of no change.")
    statement: str
    rate_per_1000: float | None
    rate_shown: str = Field(..., description='The rate as shown, or "not available" when it cannot be computed.')


class FigureOut(ChangeOut):
    key: str
    label: str
    harm_weight: str = Field("", description='The category\'s harm weight, or "no sourced weight" (categories only).')


class HarmOut(Schema):
    recent: float | None = Field(..., description="Harm of the latest 12 months' crimes; null when not available.")
    earlier: float | None
    ratio_ci_low: float | None = Field(..., description="95% parametric bootstrap interval for recent/earlier harm.")
    ratio_ci_high: float | None
    statement: str = Field(..., description='In words, e.g. "not available (no sourced weight for Burglary)".')


class MonthOut(Schema):
    month: str
    crimes: int | None = Field(..., description="null when fewer than 10, or when no data is loaded for the month.")
    asb: int | None
    crimes_shown: str = Field(..., description='The count as shown: a number, "fewer than 10" or "no data loaded".')
    asb_shown: str


class BreakdownOut(Schema):
    label: str
    count: int | None
    count_shown: str
    share: float | None


class OutcomesOut(Schema):
    category: str
    outcomes: list[BreakdownOut]


class StopsOut(Schema):
    period: str
    total: int | None
    total_shown: str
    arrests: int | None
    arrest_rate: float | None
    arrest_rate_shown: str = Field(..., description="The arrest rate in words, or why it is not available.")
    finds: int | None
    linked_recorded: int | None
    find_rate: float | None = Field(
        ..., description="Share of searches, where recorded, whose outcome was linked to the object of the search."
    )
    find_rate_shown: str = Field(..., description="The find rate in words, or why it is not available.")
    coverage_note: str = Field(..., description="Where the forces' stop and search data ends, when not in step.")
    by_month: list[BreakdownOut]
    breakdowns: dict[str, list[BreakdownOut]]
    ethnicity_rate_note: str


class SourceOut(Schema):
    name: str
    url: str
    licence: str
    period: str
    last_updated: str | None
    is_demo: bool
    snap_point_caveat: str


class AreaOut(Schema):
    kind: Literal["ward", "borough", "cluster", "force", "polygon"]
    code: str
    name: str
    population: int | None
    population_note: str


class DroppedOut(Schema):
    reason: Literal["identical-row", "repeated-api-id"]
    why: str
    count: int = Field(..., description="Crime rows left out on import as copies of another over the two years.")


class SummaryOut(Schema):
    area: AreaOut
    force: str | None = Field(..., description="The one force shown, or null for all forces together.")
    latest_month: str | None
    recent_period: str
    earlier_period: str
    comparable_note: str
    coverage_note: str = Field(
        ..., description="Why the figures end where they do, when the area's forces have different months loaded."
    )
    total: FigureOut | None
    anti_social_behaviour: FigureOut | None
    categories: list[FigureOut]
    by_force: list[FigureOut]
    duplicates_removed: int
    dropped_on_import: list[DroppedOut]
    months: list[MonthOut]
    outcomes: list[OutcomesOut]
    snap_points: int
    concentration_top_points: int
    concentration_share: float | None
    harm: HarmOut | None
    stops: StopsOut | None
    source: SourceOut | None
