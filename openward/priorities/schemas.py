"""API shapes for priorities."""

from datetime import date, datetime

from ninja import Field, Schema


class ConcernOut(Schema):
    slug: str
    name: str
    description: str
    synonyms: list[str]
    crime_categories: list[str]


class ConsultationOut(Schema):
    id: int
    title: str
    question: str
    ward: str | None = Field(None, description="Ward GSS code, for a ward consultation.")
    ward_id: int | None = None
    cluster: str | None = Field(None, description="Cluster slug, for a cluster consultation.")
    opens_at: datetime
    closes_at: datetime
    min_level: int
    status: str
    concerns: list[str]
    results_url: str | None = None


class ConsultationIn(Schema):
    title: str
    question: str = ""
    opens_at: datetime
    closes_at: datetime
    min_level: int = Field(
        1, ge=0, le=2, description="0 anyone signed up, 1 email confirmed in the ward, 2 address verified."
    )
    concerns: list[str] = Field(default_factory=list, description="Concern slugs; empty: every active concern.")
    allow_free_text: bool = True
    ask_demographics: bool = True


class BallotIn(Schema):
    choices: list[str] = Field(..., description="Concern slugs, most important first (one to three).")
    other_text: str = ""
    age_band: str = ""
    ethnicity: str = ""
    relationship: str = ""
    receipt: str = Field("", max_length=100, description="To change your ballot: the receipt you got when you voted.")


class BallotOut(Schema):
    detail: str
    receipt: str = Field(
        ...,
        description="Keep it to change your ballot before the consultation closes; it is the only way back to it.",
    )


class Message(Schema):
    detail: str


class ActionOut(Schema):
    taken_on: date
    description: str


class ReviewOut(Schema):
    reviewed_on: date
    outcome: str
    before_start: date | None
    before_end: date | None
    before_count: int | None
    after_start: date | None
    after_end: date | None
    after_count: int | None
    rate_ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    p_value: float | None
    note: str


class PriorityOut(Schema):
    id: int
    ward: str
    ward_id: int
    statement: str
    status: str
    concern: str | None
    crime_categories: list[str]
    consultation_id: int | None
    meeting_id: int | None
    meeting_ref: str
    agreed_on: date
    review_on: date
    evidence: str
    baseline_start: date | None
    baseline_end: date | None
    baseline_count: int | None
    carried_from_id: int | None
    actions: list[ActionOut]
    review: ReviewOut | None
    data_for_review: str | None = Field(None, description="While open: what recorded crime there is to review it with.")


class PriorityIn(Schema):
    statement: str
    agreed_on: date
    review_on: date
    concern: str | None = Field(None, description="Concern slug.")
    consultation_id: int | None = None
    meeting_id: int | None = Field(None, description="The panel meeting (an engagement event id) that agreed it.")
    meeting_ref: str = ""
    evidence_note: str = ""


class ActionIn(Schema):
    taken_on: date
    description: str


class ReviewIn(Schema):
    outcome: str = Field(..., description="achieved, not_achieved or carried_over")
    note: str = ""
    reviewed_on: date | None = None
