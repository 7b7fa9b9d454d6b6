"""The dashboard's panels, counted in the database, show what the providers' first definitions showed
(tests/insights/reference_providers.py), figure for figure, suppression included: on a generated network,
for every program, every program at once, a training level and a past year, in two time zones; and the
number of queries a panel costs does not grow with the data."""

import datetime
import uuid
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.ilps.models import Goal, LearningPlan, SignOff
from mentora.insights.providers import PROVIDERS
from mentora.insights.scope import Scope
from mentora.meetings.models import Agreement, Meeting, SurveyResponse
from mentora.programs.models import Membership, Program
from mentora.relationships.models import Relationship

from . import reference_providers as reference

pytestmark = pytest.mark.django_db

ZONES = ["UTC", "America/New_York", "Asia/Kolkata"]


def _oddities(year: int) -> None:
    """Rows the generator does not make: answers that are not whole numbers, a mentee in two programs,
    meetings and sign-offs near local midnight, an agreement's own cadence and a recommitment."""
    programs = list(Program.objects.order_by("pk")[:2])
    responses = list(SurveyResponse.objects.order_by("pk")[:4])
    odd = [{"communication": True}, {"communication": 3.0, "aligning_expectations": "5"}, None,
           {"fostering_independence": True}]
    for response, ratings in zip(responses, odd, strict=False):
        response.ratings = {**response.ratings, **ratings} if ratings is not None else {}
        response.save()
    mentee = Membership.objects.filter(program=programs[0], role="mentee", academic_year=year).first()
    if mentee and len(programs) > 1:
        Membership.objects.get_or_create(user_id=mentee.user_id, program=programs[1], academic_year=year,
                                         defaults={"role": "mentee", "training_level": mentee.training_level})
    utc = datetime.UTC
    for index, relationship in enumerate(Relationship.objects.filter(status="active").order_by("pk")[:6]):
        moment = datetime.datetime(year, 10, 1 + index, 3, 30, tzinfo=utc)  # evening before in New York
        Meeting.objects.create(relationship=relationship, starts_at=moment, status=Meeting.Status.HELD)
        agreement = Agreement.objects.filter(relationship=relationship).first()
        if agreement is not None:
            agreement.cadence_days = [7, 14, 30, 60, 90, 30][index]
            agreement.recommitted_at = moment + datetime.timedelta(days=20 * index)
            agreement.save()
    plan = LearningPlan.objects.filter(academic_year=year, submitted_at__isnull=False).first()
    if plan is not None:
        plan.last_reviewed_on = None
        plan.submitted_at = datetime.datetime(year, 7, 1, 2, 0, tzinfo=utc)
        plan.save()
        SignOff.objects.filter(plan=plan).update(signed_at=timezone.now() - datetime.timedelta(days=364, hours=23))


def _cadence_boundaries(today: datetime.date) -> None:
    """Active relationships whose cadence counts from exactly the days (and local midnights) where a monthly
    cadence turns at risk (45 days) and lapsed (90 days), and one day either side."""
    zone = timezone.get_current_timezone()
    active = Relationship.objects.filter(status="active").order_by("-pk")[:12]
    for index, relationship in enumerate(active):
        days = [44, 45, 46, 89, 90, 91][index % 6]
        day = today - datetime.timedelta(days=days)
        Meeting.objects.filter(relationship=relationship, status=Meeting.Status.HELD).delete()
        Agreement.objects.filter(relationship=relationship).update(cadence_days=30, recommitted_at=None)
        if index < 6:
            Relationship.objects.filter(pk=relationship.pk).update(started_on=day)
        else:
            Relationship.objects.filter(pk=relationship.pk).update(started_on=day - datetime.timedelta(days=200))
            midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
            Meeting.objects.create(relationship=relationship, status=Meeting.Status.HELD,
                                   starts_at=midnight - datetime.timedelta(seconds=index % 2))


def _review_boundaries(today: datetime.date) -> None:
    """Submitted plans whose last review, or local day of submission, is one day either side of the day a review
    turns overdue (the generated network's plans are mostly in its first program: quarterly reviews there, the
    other frequencies in the next programs)."""
    from mentora.ilps.selectors import add_months

    zone = timezone.get_current_timezone()
    frequencies = [Program.ReviewFrequency.QUARTERLY, Program.ReviewFrequency.SEMIANNUAL, Program.ReviewFrequency.ANNUAL]
    for program, frequency in zip(Program.objects.order_by("pk"), frequencies * 3, strict=False):
        Program.objects.filter(pk=program.pk).update(review_frequency=frequency)
    plans = LearningPlan.objects.filter(academic_year=current_academic_year()).exclude(status="draft").order_by("pk")
    for index, plan in enumerate(plans.select_related("program")[:24]):
        months = {"quarterly": 3, "semiannual": 6}.get(plan.program.review_frequency, 12)
        anchor = today - datetime.timedelta(days=31 * months + 3)
        while add_months(anchor, months) < today:
            anchor += datetime.timedelta(days=1)
        anchor += datetime.timedelta(days=[-1, 0, 1, 0][index % 4])
        if index % 8 < 4:
            LearningPlan.objects.filter(pk=plan.pk).update(last_reviewed_on=anchor)
        else:
            midnight = datetime.datetime.combine(anchor, datetime.time.min, tzinfo=zone)
            LearningPlan.objects.filter(pk=plan.pk).update(
                last_reviewed_on=None, submitted_at=midnight - datetime.timedelta(seconds=index // 2 % 2))


@pytest.fixture
def network(demo_network):
    _oddities(current_academic_year())
    return demo_network


def _scopes(today: datetime.date) -> list[tuple[str, Scope]]:
    year = current_academic_year()
    programs = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    scopes = [("every program", Scope(program_ids=None, academic_year=year, today=today)),
              ("every program, PGY-1", Scope(program_ids=None, academic_year=year, training_level="pgy1", today=today)),
              ("two programs", Scope(program_ids=tuple(programs[:2]), academic_year=year, today=today)),
              ("last year", Scope(program_ids=None, academic_year=year - 1, today=today))]
    scopes += [(f"program {index}", Scope(program_ids=(pk,), academic_year=year, program=pk, today=today))
               for index, pk in enumerate(programs)]
    return scopes


@pytest.mark.parametrize("zone", ZONES)
def test_every_panel_shows_what_its_first_definition_showed(network, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        today = timezone.localdate()
        _cadence_boundaries(today)
        _review_boundaries(today)
        for name, scope in _scopes(today):
            for provider in PROVIDERS:
                expected = reference.BY_KEY[provider.key].panel(scope)
                assert provider.panel(scope) == expected, (name, provider.key)


def test_a_panels_query_count_does_not_grow_with_the_data(network, grow):
    def counts() -> dict[str, int]:
        scope = Scope(program_ids=None, academic_year=current_academic_year())
        found = {}
        for provider in PROVIDERS:
            with CaptureQueriesContext(connection) as captured:
                provider.panel(scope)
            found[provider.key] = len(captured)
        return found

    before = counts()
    grow(Program.objects.order_by("pk").first(), 12)
    for model in (Goal, Meeting):
        model.objects.bulk_create([_copy(row) for row in model.objects.order_by("pk")[:200]])
    assert counts() == before


def _copy(row):
    row.pk = None
    if hasattr(row, "uid"):
        row.uid = uuid.uuid4()
    return row
