"""The mentor portfolio in the REST API: the page's figures and the rows of its CSV download."""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from . import permissions
from .downloads import portfolio_rows
from .selectors import mentor_portfolio

router = Router(tags=["portfolio"])


class PortfolioRow(Schema):
    section: str
    academic_year: str
    item: str
    detail: str
    value: str


class PortfolioOut(Schema):
    mentor_name: str
    generated_on: datetime.date
    mentee_count: int
    meetings_held: int | None
    goals_supported: int | None
    goals_achieved: int | None
    feedback_responses: int
    feedback_shown: bool
    rows: list[PortfolioRow]


@router.get("", response=PortfolioOut, summary="Your mentoring portfolio (mentors)")
def portfolio(request):
    if not permissions.can_view_portfolio(request.auth):
        raise PermissionDenied("The portfolio is a mentor's record of their mentoring.")
    found = mentor_portfolio(mentor=request.auth)
    return {
        "mentor_name": found.mentor_name, "generated_on": found.generated_on, "mentee_count": found.mentee_count,
        "meetings_held": found.meetings_held, "goals_supported": found.goals_supported,
        "goals_achieved": found.goals_achieved, "feedback_responses": found.feedback_responses,
        "feedback_shown": found.feedback_enough,
        "rows": [dict(zip(("section", "academic_year", "item", "detail", "value"), (str(v) for v in row), strict=True))
                 for row in portfolio_rows(found)],
    }
