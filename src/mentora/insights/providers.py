"""Dashboard panels. Each provider reads one domain through that domain's selectors (or a read-only
query here where the domain has none), in a fixed number of queries whatever the data size, and
returns a Panel; a domain with no data yet gives an empty panel that says what to do.

Figures over sensitive attributes and survey answers are suppressed below 5 people and never
drill down (``Table.sensitive``); every other figure names a drill-down ``figure`` key that
``people()`` turns into the people behind it.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from mentora.core.vocabulary import CONCORDANCE_FIELDS
from mentora.ilps.models import Domain, Goal, SignOff
from mentora.ilps.selectors import (
    APPROVAL_WINDOW_DAYS,
    REVIEW_INTERVAL_MONTHS,
    add_months,
    review_due_on,
    review_interval_months,
)
from mentora.meetings import health as health_rules
from mentora.meetings.models import Agreement, Meeting, SurveyResponse
from mentora.meetings.selectors import survey_questions
from mentora.profiles.models import SensitiveAttributes
from mentora.programs.models import Program
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load
from mentora.scholarly.models import ScholarlyProject, StageChange
from mentora.scholarly.selectors import pipeline_counts, stalled_after_days, stalled_q

from .panels import Cell, Chart, Panel, Table
from .scope import Scope
from .suppression import relation, suppress

User = get_user_model()


class Provider:
    key = ""
    title = ""
    description = ""
    source = ""
    # How long the first computation takes, relative to the others (measured at 50,000 mentees with
    # bench/cold_paths.py): the heaviest panels are started first when panels are computed side by side.
    weight = 1

    def panel(self, scope: Scope) -> Panel:
        panel = Panel(key=self.key, title=self.title, description=self.description, source=self.source)
        self.fill(panel, scope)
        return panel

    def fill(self, panel: Panel, scope: Scope) -> None:
        raise NotImplementedError

    def people(self, scope: Scope, figure: str) -> QuerySet | None:
        """The people behind a figure, or None when the figure does not drill down."""
        return None


def _months(scope: Scope) -> list[datetime.date]:
    """First days of the months of the academic year up to today (at least one)."""
    months, day = [], scope.year_start
    last = min(scope.year_end, max(scope.today, scope.year_start))
    while day <= last:
        months.append(day)
        day = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _month_label(day: datetime.date) -> str:
    return day.strftime("%b %Y")


def _month_of(figure: str) -> tuple[datetime.date, datetime.date]:
    year, month = (int(x) for x in figure.split(":", 1)[1].split("-"))
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


# --------------------------------------------------------------------------------------------
class PeopleProvider(Provider):
    key = "people"
    weight = 2
    title = "Mentees and mentors"
    description = "Who is in the program this year and whether each mentee has a mentor."
    source = "Memberships and relationships"

    def _open_relationship(self):
        return Relationship.objects.filter(mentee=OuterRef("user_id"), program=OuterRef("program_id"),
                                           status__in=Relationship.OPEN_STATUSES)

    def fill(self, panel: Panel, scope: Scope) -> None:
        # The Exists goes straight into the filter: an annotated Exists referenced from an aggregate's
        # filter is silently false in Django 5.2.
        mentees = scope.mentee_memberships().aggregate(
            total=Count("user_id", distinct=True),
            matched=Count("user_id", filter=Exists(self._open_relationship()), distinct=True))
        mentors = scope.mentor_memberships().aggregate(total=Count("user_id", distinct=True))["total"]
        total, matched = mentees["total"], mentees["matched"]
        if not total and not mentors:
            panel.empty = ("Nobody is in this program for the chosen year yet. Invite residents and faculty, or "
                           "import them from a spreadsheet, then come back here.")
            return
        rows = [
            [Cell("Mentees"), Cell(total, "mentees")],
            [Cell("Mentees with a mentor"), Cell(matched, "matched")],
            [Cell("Mentees without a mentor"), Cell(total - matched, "unmatched")],
            [Cell("Mentors"), Cell(mentors, "mentors")],
        ]
        panel.tables.append(Table("people.counts", "People this academic year", ["Group", "People"], rows))
        panel.headline = [("Mentees", rows[0][1]), ("Without a mentor", rows[2][1]), ("Mentors", rows[3][1])]
        panel.charts.append(Chart("people.matched", "Mentees with and without a mentor", "barh",
                                  ["With a mentor", "Without a mentor"], {"Mentees": [matched, total - matched]},
                                  "people.counts", y_label="Mentees"))

    def people(self, scope, figure):
        memberships = scope.mentee_memberships()
        if figure == "mentors":
            return User.objects.filter(pk__in=scope.mentor_memberships().values("user_id"))
        if figure == "matched":
            memberships = memberships.filter(Exists(self._open_relationship()))
        elif figure == "unmatched":
            memberships = memberships.filter(~Exists(self._open_relationship()))
        elif figure != "mentees":
            return None
        return User.objects.filter(pk__in=memberships.values("user_id"))


# --------------------------------------------------------------------------------------------
LOAD_BUCKETS = [("over", "Over capacity"), ("at", "At capacity"), ("under", "Room for more"),
                ("no_offer", "Capacity not set")]


class MentorLoadProvider(Provider):
    key = "load"
    weight = 3
    title = "Mentor load against capacity"
    description = ("Open relationships (active, paused or proposed) each mentor carries, against the number of "
                   "mentees they offered to take. Training level does not apply to faculty.")
    source = "Mentor offers and relationships"

    def _rows(self, scope: Scope) -> list[tuple[int, int | None, bool | None, int]]:
        # The offer (one per mentor at most) joined once, not looked up by a subquery per column and mentor.
        return list(
            scope.mentor_memberships().order_by().values("user_id").distinct().annotate(
                capacity=F("user__mentor_offer__capacity"),
                accepting=F("user__mentor_offer__accepting_new_mentees"),
                load=mentor_load(outer_ref="user_id"),
            ).values_list("user_id", "capacity", "accepting", "load")
        )

    @staticmethod
    def _bucket(capacity, load) -> str:
        if capacity is None:
            return "no_offer"
        return "over" if load > capacity else "at" if load == capacity else "under"

    def fill(self, panel: Panel, scope: Scope) -> None:
        rows = self._rows(scope)
        if not rows:
            panel.empty = ("No mentors in this program this year. Invite faculty as mentors; each sets the number "
                           "of mentees they can take on their profile.")
            return
        buckets = Counter(self._bucket(capacity, load) for _u, capacity, _a, load in rows)
        capacity = sum(c or 0 for _u, c, _a, _l in rows)
        load = sum(n for *_x, n in rows)
        accepting_free = sum(max(0, (c or 0) - n) for _u, c, a, n in rows if a)
        table = Table("load.buckets", "Mentors by load against capacity", ["Load", "Mentors"],
                      [[Cell(label), Cell(buckets.get(key, 0), f"load:{key}")] for key, label in LOAD_BUCKETS])
        totals = Table("load.places", "Places for mentees", ["Measure", "Places"], [
            [Cell("Places offered (sum of capacities)"), Cell(capacity, "load:all")],
            [Cell("Places taken (open relationships)"), Cell(load, "load:all")],
            [Cell("Free places with mentors accepting new mentees"), Cell(accepting_free, "load:free")],
        ])
        panel.tables += [table, totals]
        panel.headline = [("Over capacity", table.rows[0][1]), ("Free places", totals.rows[2][1])]
        panel.charts.append(Chart("load.buckets", "Mentors by load against capacity", "bar",
                                  [label for _k, label in LOAD_BUCKETS],
                                  {"Mentors": [buckets.get(k, 0) for k, _l in LOAD_BUCKETS]}, "load.buckets",
                                  y_label="Mentors"))

    def people(self, scope, figure):
        if not figure.startswith("load:"):
            return None
        wanted = figure.split(":", 1)[1]
        rows = self._rows(scope)
        if wanted == "all":
            ids = [u for u, *_ in rows]
        elif wanted == "free":
            ids = [u for u, c, a, n in rows if a and (c or 0) > n]
        else:
            ids = [u for u, c, _a, n in rows if self._bucket(c, n) == wanted]
        return User.objects.filter(pk__in=ids)


# --------------------------------------------------------------------------------------------
SOURCES = list(Relationship.Source.choices)
STATUSES = list(Relationship.Status.choices)


class MatchOutcomesProvider(Provider):
    key = "matches"
    weight = 3
    title = "Match outcomes"
    description = ("How the program's mentees found their mentors and where those relationships stand; and, for "
                   "mentees who asked to be matched on a shared identity, whether they were.")
    source = "Relationships, requests, referrals and batch matching"

    def _relationships(self, scope: Scope) -> QuerySet[Relationship]:
        return Relationship.objects.filter(scope.program_q(), mentee_id__in=scope.mentee_ids())

    def fill(self, panel: Panel, scope: Scope) -> None:
        grid = {(row["source"], row["status"]): row["n"] for row in self._relationships(scope).order_by()
                .values("source", "status").annotate(n=Count("id"))}
        if not grid:
            panel.empty = ("No mentoring relationships yet. Run a batch match, or let mentees request mentors from "
                           "the directory; outcomes appear here as relationships start.")
        else:
            rows = []
            for source, label in SOURCES:
                cells = [Cell(grid.get((source, status), 0), f"rel:{source}:{status}") for status, _l in STATUSES]
                rows.append([Cell(label), *cells, Cell(sum(c.value for c in cells), f"rel:{source}:all")])
            totals = [Cell(sum(grid.get((s, status), 0) for s, _l in SOURCES), f"rel:all:{status}")
                      for status, _l in STATUSES]
            rows.append([Cell("All sources"), *totals, Cell(sum(c.value for c in totals), "rel:all:all")])
            panel.tables.append(Table("matches.sources", "Relationships by how they started and their status",
                                      ["How it started", *[label for _s, label in STATUSES], "All"], rows))
            panel.charts.append(Chart(
                "matches.sources", "Relationships by how they started", "stacked", [label for _s, label in SOURCES],
                {label: [grid.get((source, status), 0) for source, _l in SOURCES] for status, label in STATUSES},
                "matches.sources", y_label="Relationships"))
        concordance = self._concordance(scope)
        if concordance is not None:
            panel.tables.append(concordance)
            rates = []
            for row in concordance.rows:
                asked, achieved = row[1], row[2]
                rates.append(None if asked.suppressed or achieved.suppressed or not asked.value
                             else round(100 * achieved.value / asked.value, 1))
            panel.charts.append(Chart("matches.concordance", "Concordance achieved, of mentees who asked", "bar",
                                      [row[0].value for row in concordance.rows], {"Achieved (%)": rates},
                                      "matches.concordance", y_label="% of mentees who asked", percent=True))
            if panel.empty:
                panel.empty = ""

    def _concordance(self, scope: Scope) -> Table | None:
        # Counted by the database: the mentees who asked, grouped by what they asked for, whether they have an
        # active mentor in the scope's programs, and for each shared identity whether one of those mentors (who
        # consented to share theirs) shares their own. Only each distinct wish is read into Python.
        active = Relationship.objects.filter(scope.program_q(), mentee=OuterRef("user_id"),
                                             status=Relationship.Status.ACTIVE)
        shared = {attribute: Case(When(Q(**{f"{attribute}__gt": ""}) & Exists(active.filter(**{
            "mentor__sensitive_attributes__consented_at__isnull": False,
            f"mentor__sensitive_attributes__{attribute}": OuterRef(attribute)})), then=Value(True)),
            default=Value(False), output_field=BooleanField()) for attribute in CONCORDANCE_FIELDS}
        groups = list(SensitiveAttributes.objects.filter(
            user_id__in=scope.mentee_ids(), consented_at__isnull=False).exclude(concordance_wanted=[]).order_by()
            .annotate(has_mentor=Exists(active), **{f"shares_{a}": shared[a] for a in CONCORDANCE_FIELDS})
            .values("concordance_wanted", "has_mentor", *(f"shares_{a}" for a in CONCORDANCE_FIELDS))
            .annotate(n=Count("id")))
        if not groups:
            return None
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for group in groups:
            wanted = group["concordance_wanted"]
            for attribute in CONCORDANCE_FIELDS:
                if attribute not in (wanted or []):
                    continue
                counts[(attribute, "asked")] += group["n"]
                if not group["has_mentor"]:
                    counts[(attribute, "unmatched")] += group["n"]
                elif group[f"shares_{attribute}"]:
                    counts[(attribute, "achieved")] += group["n"]
                else:
                    counts[(attribute, "other")] += group["n"]
        cells = {(a, c): counts.get((a, c), 0) for a in CONCORDANCE_FIELDS
                 for c in ("asked", "achieved", "other", "unmatched")}
        relations = [relation((a, "asked"), [(a, "achieved"), (a, "other"), (a, "unmatched")])
                     for a in CONCORDANCE_FIELDS]
        result = suppress(cells, relations)
        rows = []
        for attribute, label in CONCORDANCE_FIELDS.items():
            rows.append([Cell(label)] + [Cell(result.values[(attribute, c)], None, result.is_suppressed((attribute, c)))
                                         for c in ("asked", "achieved", "other", "unmatched")])
        return Table("matches.concordance", "Concordance asked for and achieved",
                     ["Shared identity asked for", "Mentees who asked", "Matched with a concordant mentor",
                      "Matched with another mentor", "No active mentor yet"], rows, sensitive=True,
                     note="Counts of fewer than 5 people, and cells that would reveal them, show as “<5”. "
                          "These figures never link to people.")

    def people(self, scope, figure):
        if not figure.startswith("rel:"):
            return None
        _prefix, source, status = figure.split(":")
        relationships = self._relationships(scope)
        if source != "all":
            relationships = relationships.filter(source=source)
        if status != "all":
            relationships = relationships.filter(status=status)
        return User.objects.filter(pk__in=relationships.values("mentee_id"))


# --------------------------------------------------------------------------------------------
class ScholarlyProvider(Provider):
    key = "scholarly"
    title = "Scholarly project pipeline"
    description = "Projects of the program's mentees by stage, and how many have stalled."
    source = "Scholarly project tracker"

    def _projects(self, scope: Scope):
        owned = ScholarlyProject.owners.through.objects.filter(user_id__in=scope.mentee_ids()).values(
            "scholarlyproject_id")
        return ScholarlyProject.objects.filter(scope.program_q(), id__in=owned)

    def fill(self, panel: Panel, scope: Scope) -> None:
        counts = pipeline_counts(projects=self._projects(scope))
        if not counts["total"]:
            panel.empty = ("No scholarly projects yet. Mentees start one from “Projects” (a case report is a good "
                           "first one); mentors and coordinators can start one for a mentee from their board.")
            return
        rows = [[Cell(row["label"]), Cell(row["count"], f"stage:{row['stage']}"),
                 Cell(row["stalled"], f"stalled:{row['stage']}")] for row in counts["stages"]]
        rows.append([Cell("All stages"), Cell(counts["total"], "stage:all"), Cell(counts["stalled"], "stalled:all")])
        panel.tables.append(Table("scholarly.stages", "Scholarly projects by stage",
                                  ["Stage", "Projects", f"Stalled (no change in {stalled_after_days()} days)"], rows))
        panel.headline = [("Projects", rows[-1][1]), ("Stalled", rows[-1][2])]
        panel.charts.append(Chart("scholarly.stages", "Scholarly projects by stage", "stacked",
                                  [row["label"] for row in counts["stages"]],
                                  {"Moving": [r["count"] - r["stalled"] for r in counts["stages"]],
                                   "Stalled": [r["stalled"] for r in counts["stages"]]},
                                  "scholarly.stages", y_label="Projects"))

    def people(self, scope, figure):
        kind, _sep, stage = figure.partition(":")
        if kind not in ("stage", "stalled"):
            return None
        projects = self._projects(scope)
        if stage != "all":
            projects = projects.filter(stage=stage)
        if kind == "stalled":
            projects = projects.filter(stalled_q())
        owners = ScholarlyProject.owners.through.objects.filter(scholarlyproject_id__in=projects.values("id"))
        return User.objects.filter(pk__in=owners.values("user_id"), id__in=scope.mentee_ids())


# --------------------------------------------------------------------------------------------
def _last_held_meeting() -> Subquery:
    """A relationship's last held meeting's start: the latest one, read from the end of the index
    (relationship, status, starts_at) with one probe per relationship (a grouped MAX made PostgreSQL
    read every held meeting of each relationship)."""
    return Subquery(Meeting.objects.filter(relationship=OuterRef("pk"), status=Meeting.Status.HELD)
                    .order_by("-starts_at").values("starts_at")[:1])


class CadenceProvider(Provider):
    key = "cadence"
    weight = 3
    title = "Meeting cadence adherence"
    description = ("Active relationships by how well they keep the meeting cadence they agreed: on track up to "
                   "1.5 cadences without a held meeting, at risk up to 3, lapsed beyond.")
    source = "Meetings"

    def _health(self, scope: Scope) -> dict[int, tuple[int, str]]:
        """relationship id -> (mentee id, health state), with the meetings app's own health rules."""
        agreement = Agreement.objects.filter(relationship=OuterRef("pk"))
        rows = Relationship.objects.filter(
            scope.program_q(), mentee_id__in=scope.mentee_ids(), status=Relationship.Status.ACTIVE,
        ).annotate(
            last_held=_last_held_meeting(), cadence=Subquery(agreement.values("cadence_days")[:1]),
            recommitted=Subquery(agreement.values("recommitted_at")[:1]),
        ).values_list("pk", "mentee_id", "started_on", "created_at", "last_held", "cadence", "recommitted",
                      "program__meeting_cadence_days")
        result = {}
        zone = timezone.get_current_timezone()  # (timezone.localdate per value looks the zone up each time)
        for pk, mentee_id, started_on, created_at, last_held, cadence, recommitted, program_cadence in rows:
            since = health_rules.baseline(
                last_held=last_held.astimezone(zone).date() if last_held else None, started_on=started_on,
                recommitted_on=recommitted.astimezone(zone).date() if recommitted else None,
                created_on=created_at.astimezone(zone).date() if created_at else scope.today,
            )
            state = health_rules.health_of(cadence_days=health_rules.cadence_of(agreed=cadence, program=program_cadence),
                                           since=since, today=scope.today)
            result[pk] = (mentee_id, state.state)
        return result

    def _states(self, scope: Scope) -> Counter:
        """Active relationships per health state, as _health judges them, counted by the database in one pass.

        A relationship is lapsed when every date its cadence counts from (its last held meeting, start and
        recommitment, or else its creation) lies before today less lapsed_after(cadence) days, at risk likewise
        for slipping_after; a moment is before a day when it is before that day's local midnight, so no row is
        converted to a local date. The cadences to judge by are the ones agreements and programs use."""
        cadences = sorted({health_rules.cadence_of(agreed=agreed, program=None) for agreed in
                           Agreement.objects.order_by().values_list("cadence_days", flat=True).distinct().union(
                               Program.objects.order_by().values_list("meeting_cadence_days", flat=True).distinct())
                           } | {health_rules.cadence_of(agreed=None, program=None)})
        rows = Relationship.objects.filter(
            scope.program_q(), mentee_id__in=scope.mentee_ids(), status=Relationship.Status.ACTIVE,
        ).order_by().annotate(  # the agreement joined once (one per relationship), not looked up per column
            last_held=_last_held_meeting(), cadence=F("agreement__cadence_days"),
            recommitted=F("agreement__recommitted_at"),
        ).values("last_held", "started_on", "recommitted", "created_at", "cadence", "program__meeting_cadence_days")
        inner, params = rows.query.sql_with_params()
        ops, zone = connection.ops, timezone.get_current_timezone()
        cadence = (f"COALESCE(NULLIF(active.cadence, 0), NULLIF(active.program__meeting_cadence_days, 0), "
                   f"{health_rules.cadence_of(agreed=None, program=None)})")

        def before(days_ago: dict[int, int]) -> tuple[str, list]:
            """SQL true when the relationship's baseline is before today less days_ago[its cadence] days."""
            branches, values = [], []
            for each, days in days_ago.items():
                day = scope.today - datetime.timedelta(days=days)
                midnight = ops.adapt_datetimefield_value(datetime.datetime.combine(day, datetime.time.min, tzinfo=zone))
                branches.append(
                    f"WHEN {int(each)} THEN (CASE WHEN active.last_held IS NULL AND active.started_on IS NULL "
                    f"AND active.recommitted IS NULL THEN active.created_at IS NOT NULL AND active.created_at < %s "
                    f"ELSE (active.last_held IS NULL OR active.last_held < %s) AND (active.started_on IS NULL "
                    f"OR active.started_on < %s) AND (active.recommitted IS NULL OR active.recommitted < %s) END)")
                values += [midnight, midnight, ops.adapt_datefield_value(day), midnight]
            return f"CASE {cadence} {' '.join(branches)} END", values

        lapsed, lapsed_params = before({c: health_rules.lapsed_after(c) for c in cadences})
        slipping, slipping_params = before({c: health_rules.slipping_after(c) for c in cadences})
        # Materialized, so each relationship's last held meeting is looked up once, not once per comparison
        # (SQLite before 3.35 has no such keyword: the same figures, computed slower).
        materialized = "" if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35) else "MATERIALIZED"
        query = (f"WITH active AS {materialized} ({inner}) "
                 f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {lapsed} THEN 1 ELSE 0 END), 0), "
                 f"COALESCE(SUM(CASE WHEN {slipping} THEN 1 ELSE 0 END), 0) FROM active")
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, *lapsed_params, *slipping_params])
            total, lapsed_count, slipping_count = cursor.fetchone()
        return Counter({health_rules.LAPSED: lapsed_count, health_rules.AT_RISK: slipping_count - lapsed_count,
                        health_rules.ON_TRACK: total - slipping_count})

    def fill(self, panel: Panel, scope: Scope) -> None:
        states = +self._states(scope)
        if not states:
            panel.empty = ("No active mentoring relationships to follow yet. Once mentors and mentees agree a "
                           "cadence and log their meetings, adherence shows here.")
            return
        order = [health_rules.ON_TRACK, health_rules.AT_RISK, health_rules.LAPSED]
        total = sum(states.values())
        rows = [[Cell(health_rules.LABELS[s]), Cell(states.get(s, 0), f"health:{s}"),
                 Cell(round(100 * states.get(s, 0) / total, 1))] for s in order]
        rows.append([Cell("All active relationships"), Cell(total, "health:all"), Cell(100.0)])
        panel.tables.append(Table("cadence.health", "Active relationships by cadence adherence",
                                  ["Adherence", "Relationships", "Share (%)"], rows))
        panel.headline = [("On track", rows[0][1]), ("Lapsed", rows[2][1])]
        panel.charts.append(Chart("cadence.health", "Active relationships by cadence adherence", "bar",
                                  [health_rules.LABELS[s] for s in order], {"Relationships": [states.get(s, 0)
                                                                                             for s in order]},
                                  "cadence.health", y_label="Relationships"))

    def people(self, scope, figure):
        if not figure.startswith("health:"):
            return None
        wanted = figure.split(":", 1)[1]
        ids = {mentee for mentee, state in self._health(scope).values() if wanted in ("all", state)}
        return User.objects.filter(pk__in=ids)


# --------------------------------------------------------------------------------------------
def _rating_counts(responses: QuerySet[SurveyResponse]) -> tuple[bool, dict[tuple[str, str], Counter]]:
    """Whether there is any response, and per (role, question key) how many answers gave each whole number
    (a yes/no counts as 1/0, as Python counts it; text and fractions are no answer), counted by the database
    in one query: reading every response's answers into Python cost more than the rest of the panel."""
    sql, params = responses.order_by().values("role", "ratings").query.sql_with_params()
    if connection.vendor == "postgresql":
        answers = ("LEFT JOIN LATERAL jsonb_each(response.ratings) answer ON jsonb_typeof(answer.value) = 'boolean' "
                   "OR (jsonb_typeof(answer.value) = 'number' AND answer.value::text ~ '^-?[0-9]+$')")
        value = "CASE answer.value WHEN 'true'::jsonb THEN 1 WHEN 'false'::jsonb THEN 0 ELSE answer.value::text::bigint END"
    else:
        answers = "LEFT JOIN json_each(response.ratings) answer ON answer.type IN ('integer', 'true', 'false')"
        value = "answer.value"
    query = (f"SELECT response.role, answer.key, {value}, COUNT(*) FROM ({sql}) response {answers} "
             f"GROUP BY 1, 2, 3")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for role, key, given, n in rows:
        if key is not None:
            counts[(role, key)][given] += n
    return bool(rows), counts


class FeedbackProvider(Provider):
    key = "feedback"
    weight = 5
    title = "Feedback scores"
    description = ("Mentees' and mentors' ratings from the periodic feedback survey (1 = poor, 7 = excellent). "
                   "Survey answers are shown only as aggregates of at least 5 people and never link to people.")
    source = "Feedback surveys"

    def fill(self, panel: Panel, scope: Scope) -> None:
        start = datetime.datetime.combine(scope.year_start, datetime.time.min, tzinfo=datetime.UTC)
        end = datetime.datetime.combine(scope.year_end, datetime.time.max, tzinfo=datetime.UTC)
        responses = SurveyResponse.objects.filter(
            scope.program_q(), relationship__mentee_id__in=scope.mentee_ids(), submitted_at__range=(start, end))
        answered, answers = _rating_counts(responses)
        if not answered:
            panel.empty = ("No feedback survey answers this year yet. Mentees and mentors are asked for feedback "
                           "every few months; results show here once at least 5 people have answered.")
            return
        questions = survey_questions(program_id=scope.program)
        rows, means = [], {}
        for role, role_label in (("mentee", "Mentees"), ("mentor", "Mentors")):
            for question in questions:
                counts = answers.get((role, question["key"]), {})
                given = sum(counts.values())
                cells = {str(score): counts.get(score, 0) for score in range(1, 8)}
                cells["n"] = given
                result = suppress(cells, [relation("n", [str(s) for s in range(1, 8)])])
                enough = not result.is_suppressed("n")
                mean = round(sum(v * n for v, n in counts.items()) / given, 1) if enough and given else None
                means.setdefault(role_label, []).append(mean)
                rows.append([Cell(role_label), Cell(question["label"]),
                             Cell(result.values["n"], None, result.is_suppressed("n")),
                             Cell(mean, None, not enough)]
                            + [Cell(result.values[str(s)], None, result.is_suppressed(str(s))) for s in range(1, 8)])
        panel.tables.append(Table("feedback.ratings", "Feedback ratings by question",
                                  ["Who answered", "Question", "Answers", "Mean (1–7)",
                                   *[f"Rated {s}" for s in range(1, 8)]], rows, sensitive=True,
                                  note="Fewer than 5 answers, and cells that would reveal them, show as “<5”."))
        panel.charts.append(Chart("feedback.means", "Mean feedback rating by question", "barh",
                                  [q["label"] for q in questions], means, "feedback.ratings",
                                  y_label="Mean rating (1–7)"))


# --------------------------------------------------------------------------------------------
class TrendsProvider(Provider):
    key = "trends"
    weight = 6
    title = "Trends over the academic year"
    description = "Month by month: relationships started, meetings held and scholarly projects moving a stage."
    source = "Relationships, meetings and scholarly projects"

    def _series(self, scope: Scope) -> dict[str, dict[datetime.date, int]]:
        months = _months(scope)
        end = min(scope.year_end, scope.today)
        series: dict[str, dict[datetime.date, int]] = {}
        started = Relationship.objects.filter(scope.program_q(), mentee_id__in=scope.mentee_ids(),
                                              started_on__range=(months[0], end))
        series["Relationships started"] = self._by_month(started, "started_on", months)
        owned = ScholarlyProject.owners.through.objects.filter(user_id__in=scope.mentee_ids()).values(
            "scholarlyproject_id")
        moves = StageChange.objects.filter(scope.program_q("project__program_id"), project_id__in=owned,
                                           changed_on__range=(months[0], end)).exclude(from_stage="")
        series["Project stage moves"] = self._by_month(moves, "changed_on", months)
        start = datetime.datetime.combine(months[0], datetime.time.min, tzinfo=datetime.UTC)
        stop = datetime.datetime.combine(end, datetime.time.max, tzinfo=datetime.UTC)
        held = Meeting.objects.filter(scope.program_q("relationship__program_id"),
                                      relationship__mentee_id__in=scope.mentee_ids(),
                                      status=Meeting.Status.HELD, starts_at__range=(start, stop))
        series["Meetings held"] = self._by_month(held, "starts_at", months, local_days=True)
        return series

    @staticmethod
    def _by_month(qs, field_name: str, months: list[datetime.date], *, local_days: bool = False,
                  ) -> dict[datetime.date, int]:
        """Rows per month (months in the current time zone for a moment in time), counted between each month's
        bounds in one pass of the database: no function is called per row (on SQLite, truncating a date to its
        month is Python code run for every row, seconds for a year of the network's meetings)."""
        bounds: list[datetime.date | datetime.datetime] = [
            *months, datetime.date(months[-1].year + (months[-1].month == 12), months[-1].month % 12 + 1, 1)]
        if local_days:
            zone = timezone.get_current_timezone()
            bounds = [datetime.datetime.combine(day, datetime.time.min, tzinfo=zone) for day in bounds]
        counts = qs.order_by().aggregate(**{
            f"m{i}": Count("id", filter=Q(**{f"{field_name}__gte": bounds[i], f"{field_name}__lt": bounds[i + 1]}))
            for i in range(len(months))})
        return {month: counts[f"m{i}"] for i, month in enumerate(months) if counts[f"m{i}"]}

    FIGURES = {"Relationships started": "started", "Project stage moves": "moved", "Meetings held": "met"}

    def fill(self, panel: Panel, scope: Scope) -> None:
        months = _months(scope)
        series = self._series(scope)
        if not any(series.values()):
            panel.empty = ("Nothing has happened in this academic year yet. Trends appear as relationships start, "
                           "meetings are held and projects move.")
            return
        names = list(series)
        rows = [[Cell(_month_label(m))] + [Cell(series[name].get(m, 0), f"{self.FIGURES[name]}:{m:%Y-%m}")
                                           for name in names] for m in months]
        panel.tables.append(Table("trends.monthly", "Month by month", ["Month", *names], rows))
        panel.charts.append(Chart("trends.monthly", "Month by month", "line", [m.strftime("%b") for m in months],
                                  {name: [series[name].get(m, 0) for m in months] for name in names},
                                  "trends.monthly", y_label="Count"))

    def people(self, scope, figure):
        kind, _sep, _rest = figure.partition(":")
        if kind not in ("started", "moved", "met"):
            return None
        try:
            start, end = _month_of(figure)
        except ValueError:
            return None
        last = end - datetime.timedelta(days=1)
        if kind == "started":
            ids = Relationship.objects.filter(scope.program_q(), started_on__range=(start, last)).values("mentee_id")
        elif kind == "moved":
            projects = StageChange.objects.filter(scope.program_q("project__program_id"),
                                                  changed_on__range=(start, last)).exclude(from_stage="")
            ids = ScholarlyProject.owners.through.objects.filter(
                scholarlyproject_id__in=projects.values("project_id")).values("user_id")
        else:
            ids = Meeting.objects.filter(scope.program_q("relationship__program_id"), status=Meeting.Status.HELD,
                                         starts_at__date__range=(start, last)).values("relationship__mentee_id")
        return User.objects.filter(pk__in=ids, id__in=scope.mentee_ids())


class IlpComplianceProvider(Provider):
    key = "ilps"
    weight = 4
    title = "ILP compliance"
    description = ("Individualized learning plans approved within the last 12 months, and reviews overdue "
                   "against the program's review frequency.")
    source = "Individualized learning plans"

    BUCKETS = [("none", "No plan this year"), ("draft", "Draft"), ("submitted", "Waiting for sign-off"),
               ("approved", "Signed off")]

    def _rows(self, scope: Scope) -> dict[int, tuple]:
        """user id -> (plan status or "none", signed off in the last 12 months, review overdue)."""
        window_start = timezone.now() - datetime.timedelta(days=APPROVAL_WINDOW_DAYS)
        # The year's plan joined once (one plan per mentee and year), not looked up once per column.
        rows = scope.mentee_memberships().order_by("user_id").annotate(
            plan=FilteredRelation("user__learning_plans",
                                  condition=Q(user__learning_plans__academic_year=scope.academic_year)),
            frequency=F("program__review_frequency"),
            approved=Exists(SignOff.objects.filter(mentee=OuterRef("user_id"), signed_at__gte=window_start)),
        ).values_list("user_id", "plan__status", "plan__last_reviewed_on", "plan__submitted_at", "frequency",
                      "approved")
        result = {}
        for user_id, status, reviewed, submitted, frequency, approved in rows:
            due = review_due_on(last_reviewed_on=reviewed, submitted_at=submitted, frequency=frequency) \
                if status and status != "draft" else None
            result.setdefault(user_id, (status or "none", approved, due is not None and due < scope.today))
        return result

    @staticmethod
    def _first_anchor_due(today: datetime.date, months: int) -> datetime.date:
        """The earliest anchor whose review, `months` after it, is due today or later: a plan anchored before
        it is overdue (add_months never goes back as its day goes forward)."""
        day = today - datetime.timedelta(days=31 * months + 3)
        while add_months(day, months) < today:
            day += datetime.timedelta(days=1)
        return day

    def _counts(self, scope: Scope) -> dict[str, int]:
        """The figures of _rows counted by the database in one pass: each mentee once (the membership of their
        first program in the scope), a review overdue when the plan's anchor (last review, else the local day
        of submission) is before the first anchor still due today for its program's frequency."""
        window_start = timezone.now() - datetime.timedelta(days=APPROVAL_WINDOW_DAYS)
        zone = timezone.get_current_timezone()
        frequencies = [(frequency, REVIEW_INTERVAL_MONTHS[frequency]) for frequency in REVIEW_INTERVAL_MONTHS]
        frequencies.append((None, review_interval_months(None)))
        overdue = Q()
        for frequency, months in frequencies:
            anchor = self._first_anchor_due(scope.today, months)
            midnight = datetime.datetime.combine(anchor, datetime.time.min, tzinfo=zone)
            program = (Q(program__review_frequency=frequency) if frequency is not None
                       else ~Q(program__review_frequency__in=list(REVIEW_INTERVAL_MONTHS)))
            overdue |= program & (Q(plan__last_reviewed_on__lt=anchor)
                                  | Q(plan__last_reviewed_on__isnull=True, plan__submitted_at__lt=midnight))
        overdue &= Q(plan__status__isnull=False) & ~Q(plan__status__in=["", "draft"])
        earlier = scope.mentee_memberships().filter(user_id=OuterRef("user_id"), program_id__lt=OuterRef("program_id"))
        signed = SignOff.objects.filter(mentee=OuterRef("user_id"), signed_at__gte=window_start)
        statuses = [key for key, _label in self.BUCKETS if key != "none"]
        return scope.mentee_memberships().filter(~Exists(earlier)).order_by().annotate(
            plan=FilteredRelation("user__learning_plans",
                                  condition=Q(user__learning_plans__academic_year=scope.academic_year)),
        ).aggregate(
            total=Count("user_id"), approved=Count("user_id", filter=Exists(signed)),
            overdue=Count("user_id", filter=overdue),
            status_none=Count("user_id", filter=Q(plan__status__isnull=True) | Q(plan__status="")),
            **{f"status_{key}": Count("user_id", filter=Q(plan__status=key)) for key in statuses})

    def fill(self, panel: Panel, scope: Scope) -> None:
        counts = self._counts(scope)
        if not counts["total"]:
            panel.empty = ("No mentees in this program for the chosen year yet. Once they start their learning plans "
                           "and mentors sign them off, compliance shows here.")
            return
        by_status = {key: counts[f"status_{key}"] for key, _label in self.BUCKETS}
        approved, overdue = counts["approved"], counts["overdue"]
        status_table = Table("ilps.status", "Mentees by the status of this year's plan", ["Plan", "Mentees"],
                             [[Cell(label), Cell(by_status.get(key, 0), f"ilps:{key}")] for key, label in self.BUCKETS])
        compliance = Table("ilps.compliance", "ILP compliance", ["Measure", "Mentees"], [
            [Cell("ILP signed off in the last 12 months"), Cell(approved, "ilps:compliant")],
            [Cell("No ILP signed off in the last 12 months"), Cell(counts["total"] - approved, "ilps:noncompliant")],
            [Cell("Review overdue"), Cell(overdue, "ilps:overdue")],
        ])
        panel.tables += [compliance, status_table]
        panel.headline = [("Without an approved ILP", compliance.rows[1][1]), ("Reviews overdue", compliance.rows[2][1])]
        panel.charts.append(Chart("ilps.status", "Mentees by the status of this year's plan", "barh",
                                  [label for _k, label in self.BUCKETS],
                                  {"Mentees": [by_status.get(k, 0) for k, _l in self.BUCKETS]}, "ilps.status",
                                  y_label="Mentees"))

    def people(self, scope, figure):
        if not figure.startswith("ilps:"):
            return None
        wanted = figure.split(":", 1)[1]
        rows = self._rows(scope)
        tests = {
            "compliant": lambda s, a, o: a, "noncompliant": lambda s, a, o: not a, "overdue": lambda s, a, o: o,
        }
        test = tests.get(wanted, lambda s, a, o: s == wanted)
        return User.objects.filter(pk__in=[u for u, row in rows.items() if test(*row)])


class GoalsProvider(Provider):
    key = "goals"
    weight = 5
    title = "Goal status and progress"
    description = "The S.M.A.R.T. goals in mentees' learning plans, by status, with their recorded progress."
    source = "Individualized learning plans"

    def _goals(self, scope: Scope):
        return Goal.objects.filter(plan__mentee_id__in=scope.mentee_ids(), plan__academic_year=scope.academic_year)

    def fill(self, panel: Panel, scope: Scope) -> None:
        # One pass over the goals, every figure a filtered count or sum: no GROUP BY, whose sort of every goal
        # cost more than reading them (the goals come from the index (plan, status, domain, percent_done)).
        statuses, domains = Goal.Status.values, [key for key, _label in Domain.choices]
        counts = self._goals(scope).order_by().aggregate(
            total=Count("id"),
            **{f"n_{s}": Count("id", filter=Q(status=s)) for s in statuses},
            **{f"done_{s}": Sum("percent_done", filter=Q(status=s)) for s in statuses},
            **{f"domain_{i}": Count("id", filter=Q(domain=d)) for i, d in enumerate(domains)})
        by_status = {s: {"n": counts[f"n_{s}"], "done": counts[f"done_{s}"] or 0} for s in statuses
                     if counts[f"n_{s}"]}
        by_domain = {d: counts[f"domain_{i}"] for i, d in enumerate(domains)}
        for row in by_status.values():
            row["progress"] = row["done"] / row["n"]
        if not counts["total"]:
            panel.empty = ("No goals yet for this year. Mentees add S.M.A.R.T. goals to their learning plans; "
                           "their status and progress show here.")
            return
        status_rows = []
        for key, label in Goal.Status.choices:
            row = by_status.get(key, {})
            progress = row.get("progress")
            status_rows.append([Cell(label), Cell(row.get("n", 0), f"goals:{key}"),
                                Cell(round(progress, 1) if progress is not None else None)])
        panel.tables.append(Table("goals.status", "Goals by status", ["Status", "Goals", "Average % done"],
                                  status_rows))
        panel.tables.append(Table("goals.domain", "Goals by domain", ["Domain", "Goals"],
                                  [[Cell(label), Cell(by_domain.get(key, 0), f"goals:domain:{key}")]
                                   for key, label in Domain.choices]))
        panel.headline = [("Goals", Cell(counts["total"], "goals:all")), ("Achieved", status_rows[2][1])]
        panel.charts.append(Chart("goals.status", "Goals by status", "bar", [label for _k, label in Goal.Status.choices],
                                  {"Goals": [by_status.get(k, {}).get("n", 0) for k in Goal.Status.values]},
                                  "goals.status", y_label="Goals"))

    def people(self, scope, figure):
        if not figure.startswith("goals:"):
            return None
        goals = self._goals(scope)
        wanted = figure.split(":", 1)[1]
        if wanted.startswith("domain:"):
            goals = goals.filter(domain=wanted.split(":", 1)[1])
        elif wanted != "all":
            goals = goals.filter(status=wanted)
        return User.objects.filter(pk__in=goals.values("plan__mentee_id"))


PROVIDERS: list[Provider] = [
    PeopleProvider(), IlpComplianceProvider(), CadenceProvider(), GoalsProvider(), MentorLoadProvider(),
    MatchOutcomesProvider(), FeedbackProvider(), ScholarlyProvider(), TrendsProvider(),
]
BY_KEY = {p.key: p for p in PROVIDERS}

