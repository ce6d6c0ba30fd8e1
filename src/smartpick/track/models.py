"""What the tracker answers (the API's and the CLI's JSON): typed, documented, keys only added."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AddProgramsOut", "EventOut", "ProgramTrackOut", "TrackStatus"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventOut(_Model):
    """A recorded event (appended; delete it by id to correct a mistake)."""

    id: str
    position: int = Field(description="Order of recording within the plan (1, 2, ...)")
    program_code: str
    status: str
    date: str = Field(description="ISO date of the event")
    note: str | None = None
    recorded_at: str = Field(description="When it was recorded (UTC, ISO 8601)")


class ProgramTrackOut(_Model):
    """One program of the season: its latest status and its updated interview chance."""

    program_code: str
    name: str
    specialty: str
    track: str
    tier: str | None = None
    added: bool = Field(description="Recorded by you but not on the saved list")
    status: str | None = Field(description="Latest status (none recorded: assumed applied)")
    status_date: str | None = None
    interview_probability_saved: float | None = Field(
        description="The chance when the plan was saved"
    )
    interview_probability: float = Field(description="Updated: 1 once invited, 0 once out")
    interview_probability_low: float
    interview_probability_high: float
    in_model: bool = Field(
        default=True, description="False when the program is no longer a candidate (left out)"
    )


class AddProgramsOut(_Model):
    """What adding the next-best unlisted programs now would do (our estimate)."""

    count: int
    program_codes: list[str]
    match_probability: float
    assumption: str


class TrackStatus(_Model):
    """The season so far: odds after the invitations and rejections, and warnings."""

    plan_id: str
    as_of: str = Field(description="The date the status is computed for")
    match_year: int
    match_probability: float = Field(description="Updated P(match), categorical positions")
    match_probability_low: float
    match_probability_high: float
    match_probability_any: float = Field(description="Any PGY-1 position (with a prelim year)")
    match_probability_saved: float = Field(description="P(match) when the plan was saved")
    expected_interviews: float = Field(description="Received plus expected from open programs")
    interviews_low: float
    interviews_high: float
    received_interviews: int
    invitations_expected_by_now: float = Field(
        description="Invitations the saved plan expected by this date (timing rule)"
    )
    rejections: int
    programs: list[ProgramTrackOut]
    events: list[EventOut]
    add_programs: AddProgramsOut | None = None
    warnings: list[str]
    timing: str = Field(description="When invitations arrive: source and our assumptions")
    assumptions: list[str]
