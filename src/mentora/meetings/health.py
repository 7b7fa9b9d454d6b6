"""Relationship health from cadence adherence: pure functions, no database."""

import datetime
from dataclasses import dataclass

from .vocabulary import DEFAULT_CADENCE_DAYS, LAPSED_FACTOR, SLIPPING_FACTOR

ON_TRACK, AT_RISK, LAPSED = "on_track", "at_risk", "lapsed"
LABELS = {ON_TRACK: "On track", AT_RISK: "At risk", LAPSED: "Lapsed"}
BADGES = {ON_TRACK: "badge-ok", AT_RISK: "badge-warn", LAPSED: "badge-danger"}


@dataclass(frozen=True)
class Health:
    state: str
    days_since: int
    cadence_days: int

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def badge(self) -> str:
        return BADGES[self.state]

    @property
    def explanation(self) -> str:
        return f"{self.days_since} days since the last meeting (or the start) on a {self.cadence_days}-day cadence"


def cadence_of(*, agreed: int | None, program: int | None) -> int:
    """The cadence a relationship is judged by, everywhere (pages, reminders, dashboards): the one its
    agreement sets, else its program's, else monthly."""
    return agreed or program or DEFAULT_CADENCE_DAYS


def slipping_after(cadence_days: int) -> int:
    """Days without a meeting after which the cadence is slipping: 45 on a monthly (30-day) cadence."""
    return round(cadence_days * SLIPPING_FACTOR)


def lapsed_after(cadence_days: int) -> int:
    return round(cadence_days * LAPSED_FACTOR)


def health_of(*, cadence_days: int, since: datetime.date, today: datetime.date) -> Health:
    """On track up to 1.5 cadences without a held meeting, at risk up to 3, lapsed beyond."""
    days = max(0, (today - since).days)
    if days > lapsed_after(cadence_days):
        state = LAPSED
    elif days > slipping_after(cadence_days):
        state = AT_RISK
    else:
        state = ON_TRACK
    return Health(state=state, days_since=days, cadence_days=cadence_days)


def baseline(*, last_held: datetime.date | None, started_on: datetime.date | None,
             recommitted_on: datetime.date | None, created_on: datetime.date) -> datetime.date:
    """The day the cadence counts from: the latest of the last held meeting, the start and a recommitment."""
    candidates = [d for d in (last_held, started_on, recommitted_on) if d is not None]
    return max(candidates) if candidates else created_on
