"""Writes for batch matching: create and run, edit the preview, re-run, publish.

The engine (mentora.matching) chooses the pairs; this module turns the program's people into an
instance (through mentora.directory.matching), keeps the coordinator's locks and exclusions, and
creates relationships only when the coordinator publishes.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mentora import matching as engine
from mentora.background.models import Job
from mentora.background.selectors import work_state
from mentora.background.services import JobResult, job_create, requeue_task
from mentora.conflicts.selectors import conflict_map, policy_of
from mentora.core.academic_year import current_academic_year
from mentora.core.errors import StateConflict
from mentora.core.vocabulary import RELATIONSHIP_KINDS, TRAINING_LEVELS
from mentora.directory.matching import (
    PROGRAM_STAFF,
    engine_people,
    mentee_entry,
    mentor_entries,
    pair_score,
    person_key,
    user_id_of,
)
from mentora.matching import SENSITIVE
from mentora.notifications.services import notify
from mentora.profiles.models import MentorOffer, Profile
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load
from mentora.relationships.services import relationship_start_many

from . import permissions, tasks
from .models import MatchConflictPage, MatchPair, MatchRun
from .selectors import STAFF_SENSITIVE_REASON, cohort_users, pool_offers

User = get_user_model()


def _clean_weights(weights: dict[str, Any] | None) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    for name, value in (weights or {}).items():
        if name not in engine.CRITERIA:
            raise ValidationError(f"Unknown criterion: {name}.")
        try:
            number = float(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"The weight of {name} must be a number.") from error
        if not 0 <= number <= 10:
            raise ValidationError(f"The weight of {name} must be between 0 and 10.")
        cleaned[name] = number
    return cleaned


@transaction.atomic
def match_run_create(*, program, by, kind: str = "career", cohort: str = MatchRun.Cohort.WITHOUT_MENTOR,
                     pool: str = MatchRun.Pool.PROGRAM, algorithm: str = MatchRun.Algorithm.OPTIMAL,
                     weights: dict[str, Any] | None = None, exclude_previous: bool = True,
                     institution_rule: str = MatchRun.InstitutionRule.ANY, enqueue: bool = True) -> MatchRun:
    if not permissions.can_run_for_program(by, program.pk):
        raise ValidationError("You can run batch matches only for the programs you coordinate.")
    if kind not in RELATIONSHIP_KINDS:
        raise ValidationError(f"Unknown kind of mentorship: {kind}.")
    for value, options, label in ((cohort, MatchRun.Cohort.values, "cohort"), (pool, MatchRun.Pool.values, "pool"),
                                  (algorithm, MatchRun.Algorithm.values, "algorithm"),
                                  (institution_rule, MatchRun.InstitutionRule.values, "institution rule")):
        if value not in options:
            raise ValidationError(f"Unknown {label}: {value}.")
    run = MatchRun.objects.create(
        program=program, created_by=by, academic_year=current_academic_year(), kind=kind, cohort=cohort, pool=pool,
        algorithm=algorithm, weights=_clean_weights(weights), exclude_previous=exclude_previous,
        institution_rule=institution_rule,
    )
    if enqueue:
        _enqueue(run)
    return run


def _enqueue(run: MatchRun) -> None:
    def enqueue() -> None:
        result = tasks.match_run_task.enqueue(run.pk)
        MatchRun.objects.filter(pk=run.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)


def _set_progress(run_id: int, percent: int, phase: str) -> None:
    MatchRun.objects.filter(pk=run_id).update(progress=max(0, min(100, percent)), phase=phase[:60])


def conflicts_of_interest(*, mentee_ids, mentor_ids, academic_year: int) -> dict[tuple[int, int], list[str]]:
    """(mentee_id, mentor_id) -> why the mentor also evaluates the mentee, for every such pair given."""
    found = conflict_map(mentee_ids=mentee_ids, mentor_ids=mentor_ids, academic_year=academic_year)
    return {pair: [conflict.text for conflict in conflicts] for pair, conflicts in sorted(found.items())}


def _flagged_conflicts(run: MatchRun, document: dict[str, Any], locks: list[list[int]]) -> list[dict[str, Any]]:
    """The conflict-of-interest pairs the run kept apart, as the preview lists them."""
    mentee_ids = [user_id_of(m["id"]) for m in document["mentees"]] + [a for a, _ in locks]
    mentor_ids = [user_id_of(m["id"]) for m in document["mentors"]] + [b for _, b in locks]
    if not mentee_ids or not mentor_ids:
        return []
    found = conflicts_of_interest(mentee_ids=mentee_ids, mentor_ids=mentor_ids, academic_year=run.academic_year)
    return [{"mentee": person_key(a), "mentor": person_key(b), "reasons": reasons}
            for (a, b), reasons in found.items()]


def _store_conflicts(run: MatchRun, conflicts: list[dict[str, Any]]) -> int:
    """Replace the run's stored conflict pairs by these, in pages (the preview reads one page alone)."""
    MatchConflictPage.objects.filter(run=run).delete()
    size = MatchConflictPage.SIZE
    MatchConflictPage.objects.bulk_create(
        (MatchConflictPage(run=run, number=start // size + 1, conflicts=conflicts[start:start + size])
         for start in range(0, len(conflicts), size)), batch_size=500)
    return len(conflicts)


def build_instance(run: MatchRun) -> tuple[dict[str, Any], list[list[int]]]:
    """The engine instance for a run, and the locked pairs kept out of it (they are fixed already)."""
    locks = [[int(a), int(b)] for a, b in run.locks]
    locked_mentees = {a for a, _ in locks}
    locked_load: dict[int, int] = {}
    for _, mentor_id in locks:
        locked_load[mentor_id] = locked_load.get(mentor_id, 0) + 1
    users = list(cohort_users(run).exclude(pk__in=locked_mentees).select_related(
        "profile__institution", "img_details", "sensitive_attributes", "match_preferences"))
    offers = pool_offers(run)
    # Program staff alone see the preview: a mentor's private value may count here (DESIGN.md).
    mentors = [entry for entry in mentor_entries(offers, audience=PROGRAM_STAFF) if run.kind in entry["_kinds"] or not entry["_kinds"]]
    for entry in mentors:
        entry["capacity"] = max(0, entry["capacity"] - locked_load.get(user_id_of(entry["id"]), 0))
    mentors = [entry for entry in mentors if entry["capacity"] > 0]
    mentees = [mentee_entry(user) for user in users]
    mentee_ids = [user.pk for user in users]
    mentor_ids = [user_id_of(entry["id"]) for entry in mentors]
    forbidden = {(int(a), int(b)) for a, b in run.exclusions}
    # Pairs already open in this kind can never be created twice.
    forbidden |= set(Relationship.objects.filter(
        mentee_id__in=mentee_ids, mentor_id__in=mentor_ids, kind=run.kind, status__in=Relationship.OPEN_STATUSES,
    ).values_list("mentee_id", "mentor_id"))
    # Conflicts of interest (a mentor who also evaluates the mentee) are never batch matched, whatever the
    # program's policy says about requests: they are excluded and listed, flagged, in the preview. Where the
    # policy lets a coordinator keep one, they do so in the preview with a reason (a locked pair).
    forbidden |= set(conflicts_of_interest(mentee_ids=mentee_ids, mentor_ids=mentor_ids,
                                           academic_year=run.academic_year))
    mentee_ids_set, mentor_ids_set = set(mentee_ids), set(mentor_ids)
    if run.institution_rule != MatchRun.InstitutionRule.ANY:
        mentee_institution = {user_id_of(m["id"]): m["attributes"].get("institution") for m in mentees}
        by_institution: dict[str | None, list[int]] = {}
        for entry in mentors:
            by_institution.setdefault(entry["attributes"].get("institution"), []).append(user_id_of(entry["id"]))
        if run.institution_rule == MatchRun.InstitutionRule.DIFFERENT:
            for mentee_id, institution in mentee_institution.items():
                if institution is not None:
                    forbidden |= {(mentee_id, mentor_id) for mentor_id in by_institution.get(institution, [])}
        else:
            wanted = {institution for institution in mentee_institution.values() if institution is not None}
            mentors = [m for m in mentors if m["attributes"].get("institution") in wanted]
            mentor_ids_set = {user_id_of(m["id"]) for m in mentors}
            for mentee_id, institution in mentee_institution.items():
                forbidden |= {(mentee_id, user_id_of(m["id"])) for m in mentors
                              if m["attributes"].get("institution") != institution}
    previous = set(Relationship.objects.filter(
        mentee_id__in=mentee_ids, mentor_id__in=mentor_ids,
    ).values_list("mentee_id", "mentor_id"))
    document: dict[str, Any] = {
        "mentees": mentees,
        "mentors": engine_people(mentors),
        "weights": dict(run.weights),
        "forbidden": sorted([person_key(a), person_key(b)] for a, b in forbidden
                            if a in mentee_ids_set and b in mentor_ids_set),
        "previous": sorted([person_key(a), person_key(b)] for a, b in previous
                           if a in mentee_ids_set and b in mentor_ids_set),
        "allow_previous": not run.exclude_previous,
    }
    return document, locks


def all_weights_zero(weights: dict[str, Any] | None) -> bool:
    """Whether the run's weights (over the engine's defaults) leave no profile criterion counting: every
    pair then scores the same (but for a concordance a mentee asked for) and the engine's choice among
    them says nothing."""
    effective = dict(engine.DEFAULT_WEIGHTS)
    effective.update({name: float(value) for name, value in (weights or {}).items() if name in engine.CRITERIA})
    return not any(value > 0 for name, value in effective.items() if name not in SENSITIVE)


def career_stages(user_ids) -> dict[int, str]:
    """Each person's training level as staff read it ("PGY-2", "Faculty, 13 years in practice")."""
    levels = dict(Profile.objects.filter(user_id__in=user_ids).exclude(training_level="")
                  .values_list("user_id", "training_level"))
    years = dict(MentorOffer.objects.filter(user_id__in=user_ids, years_in_practice__isnull=False)
                 .values_list("user_id", "years_in_practice"))
    stages = {}
    for user_id in set(levels) | set(years):
        label = TRAINING_LEVELS.get(levels.get(user_id, ""), "")
        if user_id in years and levels.get(user_id, "faculty") == "faculty":
            label = f"{label or 'Faculty'}, {years[user_id]} year{'s' if years[user_id] != 1 else ''} in practice"
        if label:
            stages[user_id] = label
    return stages


def staff_reasons(reasons: list[dict[str, Any]], *, mentee_id: int, mentor_id: int,
                  stages: dict[int, str]) -> list[dict[str, Any]]:
    """The engine's reasons (worded to the mentee) as program staff read them, points kept."""
    worded = []
    for reason in reasons:
        text, criterion = reason.get("text", ""), reason.get("criterion")
        if criterion in SENSITIVE:
            text = STAFF_SENSITIVE_REASON
        elif criterion == "research_interests":
            text = text.replace("Shares your interest in", "Shared interest in")
        elif criterion == "training_gap":
            mentee_stage, mentor_stage = stages.get(mentee_id), stages.get(mentor_id)
            text = (f"Career stages: mentee {mentee_stage}, mentor {mentor_stage}" if mentee_stage and mentor_stage
                    else "Mentor further along in training")
        worded.append({**reason, "text": text})
    return worded


def _scored_pair(run: MatchRun, mentee, mentor) -> dict[str, Any]:
    """Score and staff-worded reasons of one pair chosen by hand (a lock kept, a swap, an assignment)."""
    scored = pair_score(mentee, mentor, weights=run.weights, audience=PROGRAM_STAFF)
    stages = career_stages([mentee.pk, mentor.pk])
    return {"score": scored["score"],
            "reasons": staff_reasons(scored["reasons"], mentee_id=mentee.pk, mentor_id=mentor.pk, stages=stages)}


def _scoring_users(ids):
    return User.objects.select_related("profile__institution", "img_details", "sensitive_attributes",
                                       "match_preferences", "mentor_offer").in_bulk(ids)


def summary_of(rows: list[tuple[int | None, float | None, list]], concordance_asked: dict[str, int]
               ) -> dict[str, Any]:
    """Summary figures of a (possibly edited) preview from its rows (mentor_id, score, reasons).

    Concordance is counted from reason criteria only; no sensitive value appears anywhere.
    """
    matched = [(mentor, score, reasons) for mentor, score, reasons in rows if mentor is not None]
    scores = [score or 0.0 for _, score, _ in matched]
    load: dict[int, int] = {}
    for mentor, _, _ in matched:
        load[mentor] = load.get(mentor, 0) + 1
    counts: dict[str, int] = {}
    for value in load.values():
        counts[str(value)] = counts.get(str(value), 0) + 1
    return {
        "matched": len(matched),
        "unmatched": len(rows) - len(matched),
        "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
        "min_score": round(min(scores), 2) if scores else None,
        "concordance": {
            name: {"asked": concordance_asked.get(name, 0),
                   "met": sum(1 for _, _, reasons in matched if any(r.get("criterion") == name for r in reasons))}
            for name in SENSITIVE
        },
        "mentors_used": len(load),
        "max_load": max(load.values()) if load else 0,
        "load_counts": dict(sorted(counts.items())),
    }


def _refresh_summary(run: MatchRun) -> None:
    """Recount the run's summary from its rows (after an edit); the page reads only the stored figures."""
    rows = list(MatchPair.objects.filter(run=run).values_list("mentor_id", "score", "reasons"))
    result = dict(run.result or {})
    result["summary"] = summary_of(rows, result.get("concordance_asked", {}))
    run.result = result


@transaction.atomic
def match_runs_forget_sensitive(*, user) -> int:
    """A person withdrew consent: their pairs in stored runs lose the concordance reasons and points.

    A reason "concordance met" for a pair is derived from both people's answers, so it goes with
    them; the pair itself stays (a published run's relationships exist). The number of runs changed.
    """
    touched_runs: set[int] = set()
    pairs = MatchPair.objects.select_for_update().filter(Q(mentee=user) | Q(mentor=user)).order_by("pk")
    for pair in pairs:
        reasons = pair.reasons or []
        kept = [reason for reason in reasons if reason.get("criterion") not in SENSITIVE]
        if len(kept) == len(reasons):
            continue
        dropped = sum(reason.get("points", 0) for reason in reasons if reason.get("criterion") in SENSITIVE)
        pair.reasons = kept
        pair.score = round(max(0.0, (pair.score or 0.0) - dropped), 2)
        pair.save(update_fields=["reasons", "score"])
        touched_runs.add(pair.run_id)
    for run in MatchRun.objects.select_for_update().filter(pk__in=touched_runs).order_by("pk"):
        _refresh_summary(run)
        run.save(update_fields=["result"])
    return len(touched_runs)


def _store_pairs(run: MatchRun, assignments: list[dict[str, Any]], unmatched: list[dict[str, Any]],
                 stages: dict[int, str]) -> list[MatchPair]:
    """Replace the run's rows by the engine's answer: every cohort mentee once, matched or not."""
    mentee_ids = [user_id_of(a["mentee"]) for a in assignments] + [user_id_of(u["mentee"]) for u in unmatched]
    names = {pk: (full_name or email) for pk, full_name, email in
             User.objects.filter(pk__in=mentee_ids).values_list("pk", "full_name", "email")}
    rows: dict[int, MatchPair] = {}
    for a in assignments:
        mentee_id, mentor_id = user_id_of(a["mentee"]), user_id_of(a["mentor"])
        rows[mentee_id] = MatchPair(
            run=run, mentee_id=mentee_id, mentor_id=mentor_id, score=a["score"], locked=bool(a.get("locked")),
            reasons=staff_reasons(a.get("reasons", []), mentee_id=mentee_id, mentor_id=mentor_id, stages=stages),
            sort_name=names.get(mentee_id, "")[:200])
    for u in unmatched:
        mentee_id = user_id_of(u["mentee"])
        rows.setdefault(mentee_id, MatchPair(run=run, mentee_id=mentee_id, sort_name=names.get(mentee_id, "")[:200],
                                             unmatched_reason=str(u.get("reason", ""))[:200]))
    for kept in run.kept_conflicts or []:
        row = rows.get(int(kept["mentee"]))
        if row is not None and row.mentor_id == int(kept["mentor"]):
            row.conflict_kept = {key: kept[key] for key in ("reason", "by", "by_name", "conflicts") if key in kept}
    MatchPair.objects.filter(run=run).delete()
    return MatchPair.objects.bulk_create(rows.values(), batch_size=1000)


def match_run_execute(*, run_id: int) -> MatchRun:
    """Run the engine for a queued run and store the preview (the background task calls this).

    A run is claimed from QUEUED, or from RUNNING when the worker of a previous attempt died and the
    task runs again. A failure is recorded on the run (its page says why it stopped) and raised again,
    so the queue records it too: the task retries with back-off and admins see it.

    Each pair's score and reasons (worded for staff) are stored with it now, once: the preview pages
    through the stored rows and never scores anything.
    """
    claimed = MatchRun.objects.filter(pk=run_id, status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]).update(
        status=MatchRun.Status.RUNNING, progress=1, phase="Reading the cohort and the pool", error="")
    run = MatchRun.objects.select_related("program").get(pk=run_id)
    if not claimed:
        return run
    try:
        document, locks = build_instance(run)
        _set_progress(run_id, 15, "Scoring pairs")
        last = [0.0]

        def progress(phase: str, done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < 0.5:
                return
            last[0] = now
            fraction = done / total if total else 0
            _set_progress(run_id, 15 + int(75 * min(1.0, fraction)), f"Matching: {phase}")

        if document["mentees"] and document["mentors"]:
            result = engine.solve(
                document, algorithm="stable" if run.algorithm == MatchRun.Algorithm.STABLE else "optimal",
                fair=run.algorithm == MatchRun.Algorithm.FAIR, progress=progress,
            )
        else:
            result = {"assignments": [], "stats": {"concordance": {}},
                      "unmatched": [{"mentee": m["id"], "reason": "no mentor with a free place in the pool"}
                                    for m in document["mentees"]]}
        _set_progress(run_id, 92, "Explaining the pairs")
        for assignment in result["assignments"]:
            assignment["locked"] = False
        users = _scoring_users({x for pair in locks for x in pair})
        for mentee_id, mentor_id in locks:
            if mentee_id in users and mentor_id in users:
                scored = pair_score(users[mentee_id], users[mentor_id], weights=document.get("weights"),
                                    audience=PROGRAM_STAFF)
                result["assignments"].append({"mentee": person_key(mentee_id), "mentor": person_key(mentor_id),
                                              "locked": True, **scored})
        asked = {name: sum(1 for m in document["mentees"]
                           if name in m["attributes"].get("concordance_wanted", ())) for name in SENSITIVE}
        people = {user_id_of(a[side]) for a in result["assignments"] for side in ("mentee", "mentor")}
        with transaction.atomic():
            rows = _store_pairs(run, result["assignments"], result.get("unmatched", []), career_stages(people))
            stored = {
                "algorithm": run.algorithm,
                "concordance_asked": asked,
                "conflicts_total": _store_conflicts(run, _flagged_conflicts(run, document, locks)),
                "engine_stats": {k: v for k, v in result.get("stats", {}).items()
                                 if k in ("matched", "unmatched", "mean_score", "min_score", "seconds",
                                          "blocking_pairs")},
            }
            stored["summary"] = summary_of([(r.mentor_id, r.score, r.reasons) for r in rows], asked)
            MatchRun.objects.filter(pk=run_id).update(
                status=MatchRun.Status.READY, result=stored, progress=100, phase="Done", finished_at=timezone.now())
    except Exception as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error) or type(error).__name__
        MatchRun.objects.filter(pk=run_id).update(status=MatchRun.Status.FAILED, error=message[:2000],
                                                  phase="Failed", finished_at=timezone.now())
        raise
    run.refresh_from_db()
    return run


def _editable(run_id: int, user) -> MatchRun:
    run = MatchRun.objects.select_for_update().select_related("program").get(pk=run_id)
    if not permissions.can_run_for_program(user, run.program_id):
        raise ValidationError("You can edit only the runs of the programs you coordinate.")
    if run.status != MatchRun.Status.READY:
        raise StateConflict("Only a finished, unpublished preview can be edited.")
    return run


def _row(run: MatchRun, mentee_id: int, *, matched: bool | None = True) -> MatchPair:
    row = MatchPair.objects.select_for_update().filter(run=run, mentee_id=mentee_id).first()
    if row is None or (matched is True and not row.is_matched):
        raise ValidationError("That mentee has no pair in this preview.")
    if matched is False and row.is_matched:
        raise ValidationError("That mentee has a mentor in this preview already.")
    return row


def _is_conflict(run: MatchRun, mentee_id: int, mentor_id: int) -> bool:
    return (mentee_id, mentor_id) in conflicts_of_interest(mentee_ids=[mentee_id], mentor_ids=[mentor_id],
                                                           academic_year=run.academic_year)


def free_places(run: MatchRun, mentor_ids) -> dict[int, int]:
    """Places each mentor of the pool still has beside this preview: capacity, less open relationships,
    less the preview's pairs with them (the preview's pairs become relationships on publish)."""
    mentor_ids = list(mentor_ids)
    capacity = dict(pool_offers(run).filter(user_id__in=mentor_ids).values_list("user_id", "capacity"))
    load = mentor_load(mentor_ids=list(capacity))
    in_run = dict(MatchPair.objects.filter(run=run, mentor_id__in=list(capacity)).values_list("mentor_id")
                  .annotate(n=Count("id")).values_list("mentor_id", "n"))
    return {mentor: places - load.get(mentor, 0) - in_run.get(mentor, 0) for mentor, places in capacity.items()}


def check_assignment(run: MatchRun, *, mentee_id: int, mentor_id: int, keeping_conflict: bool = False) -> None:
    """The checks every start of a relationship passes, for a pair the coordinator makes by hand (a
    conflict of interest refused, unless the coordinator is keeping one the policy lets them keep)."""
    if mentee_id == mentor_id:
        raise ValidationError("A person cannot mentor themself.")
    places = free_places(run, [mentor_id])
    if mentor_id not in places:
        raise ValidationError("That mentor is not in this run's pool, or takes no new mentees.")
    if places[mentor_id] <= 0:
        raise ValidationError("That mentor has no free place left.")
    offer = MentorOffer.objects.filter(user_id=mentor_id).only("kinds_offered").first()
    if offer is not None and offer.kinds_offered and run.kind not in offer.kinds_offered:
        raise ValidationError(f"That mentor does not offer {RELATIONSHIP_KINDS[run.kind].lower()} mentorship.")
    if [mentee_id, mentor_id] in [[int(a), int(b)] for a, b in run.exclusions]:
        raise ValidationError("That pair was removed earlier and stays excluded; undo the removal instead.")
    if not keeping_conflict and _is_conflict(run, mentee_id, mentor_id):
        raise ValidationError("That pair is a conflict of interest (the mentor also evaluates the mentee); batch "
                              "matching never pairs them.")
    if Relationship.objects.filter(mentee_id=mentee_id, mentor_id=mentor_id, kind=run.kind,
                                   status__in=Relationship.OPEN_STATUSES).exists():
        raise ValidationError("These two already have an open relationship of this kind.")


def may_keep_conflicts(program) -> bool:
    """Whether the program's policy lets its coordinators keep a conflict-of-interest pair, with a reason."""
    return policy_of(program=program).coordinator_may_override


def _keep_conflict(run: MatchRun, row: MatchPair, *, mentor_id: int, reason: str, user,
                   kept: list[dict[str, Any]]) -> None:
    """Give the row's mentee the mentor who also evaluates them, as the coordinator decided (and why)."""
    if not may_keep_conflicts(run.program):
        raise ValidationError("The program's conflict-of-interest policy does not let a coordinator keep such a "
                              "pair.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this pair is kept although the mentor evaluates the mentee."})
    found = conflict_map(mentee_ids=[row.mentee_id], mentor_ids=[mentor_id], academic_year=run.academic_year)
    conflicts = found.get((row.mentee_id, mentor_id))
    if not conflicts:
        raise ValidationError("That pair is not a conflict of interest; assign the mentor instead.")
    if any(c.forbidden for c in conflicts):
        raise ValidationError("The program never pairs a mentee with a mentor who evaluates them.")
    if row.mentor_id != mentor_id:
        check_assignment(run, mentee_id=row.mentee_id, mentor_id=mentor_id, keeping_conflict=True)
    users = _scoring_users([row.mentee_id, mentor_id])
    scored = _scored_pair(run, users[row.mentee_id], users[mentor_id])
    note = {"reason": reason[:1000], "by": user.pk, "by_name": user.display_name,
            "conflicts": [c.text for c in conflicts]}
    row.mentor_id, row.score, row.reasons = mentor_id, scored["score"], scored["reasons"]
    row.locked, row.removed, row.unmatched_reason, row.conflict_kept = True, None, "", note
    row.save(update_fields=["mentor", "score", "reasons", "locked", "removed", "unmatched_reason",
                            "conflict_kept"])
    kept[:] = [k for k in kept if int(k["mentee"]) != row.mentee_id]
    kept.append({"mentee": row.mentee_id, "mentor": mentor_id, **note})


@transaction.atomic
def match_run_edit(*, run_id: int, by, action: str, mentee_id: int, other_mentee_id: int | None = None,
                   mentor_id: int | None = None, reason: str = "") -> MatchRun:
    """Edit the preview: lock/unlock a pair; remove it (the pair is excluded on re-run) or undo that; swap
    two pairs' mentors; give an unmatched mentee a mentor with a free place ("assign"); or keep a
    conflict-of-interest pair with a reason, where the program's policy allows it ("keep")."""
    run = _editable(run_id, by)
    locks = [[int(a), int(b)] for a, b in run.locks]
    exclusions = [[int(a), int(b)] for a, b in run.exclusions]
    kept = [dict(k) for k in run.kept_conflicts or []]
    if action in ("lock", "unlock"):
        row = _row(run, mentee_id)
        if row.conflict_kept and action == "unlock":
            raise ValidationError("A kept conflict-of-interest pair stays locked; remove it instead.")
        row.locked = action == "lock"
        locks = [pair for pair in locks if pair[0] != mentee_id]
        if row.locked:
            locks.append([mentee_id, row.mentor_id])
        row.save(update_fields=["locked"])
    elif action == "remove":
        row = _row(run, mentee_id)
        row.removed = {"mentor": row.mentor_id, "score": row.score, "reasons": row.reasons, "locked": row.locked,
                       "conflict_kept": row.conflict_kept}
        locks = [pair for pair in locks if pair[0] != mentee_id]
        kept = [k for k in kept if int(k["mentee"]) != mentee_id]
        if [mentee_id, row.mentor_id] not in exclusions:
            exclusions.append([mentee_id, row.mentor_id])
        row.mentor, row.score, row.reasons, row.locked, row.conflict_kept = None, None, [], False, None
        row.unmatched_reason = "pair removed by the coordinator"
        row.save(update_fields=["removed", "mentor", "score", "reasons", "locked", "unmatched_reason",
                                "conflict_kept"])
    elif action == "undo":
        row = _row(run, mentee_id, matched=False)
        if not row.removed:
            raise ValidationError("There is no removal of this mentee's pair to undo.")
        previous = row.removed
        mentor = int(previous["mentor"])
        exclusions = [pair for pair in exclusions if pair != [mentee_id, mentor]]
        run.exclusions = exclusions
        if previous.get("conflict_kept"):
            _keep_conflict(run, row, mentor_id=mentor, reason=previous["conflict_kept"].get("reason", ""),
                           user=by, kept=kept)
            locks = [pair for pair in locks if pair[0] != mentee_id] + [[mentee_id, mentor]]
            run.locks, run.kept_conflicts = locks, kept
            _refresh_summary(run)
            run.save(update_fields=["locks", "exclusions", "kept_conflicts", "result"])
            return run
        check_assignment(run, mentee_id=mentee_id, mentor_id=mentor)
        row.mentor_id, row.score, row.reasons = mentor, previous.get("score"), previous.get("reasons", [])
        row.locked, row.removed, row.unmatched_reason = bool(previous.get("locked")), None, ""
        if row.locked:
            locks.append([mentee_id, mentor])
        row.save(update_fields=["mentor", "score", "reasons", "locked", "removed", "unmatched_reason"])
    elif action == "assign":
        row = _row(run, mentee_id, matched=False)
        if mentor_id is None:
            raise ValidationError("Choose a mentor.")
        check_assignment(run, mentee_id=mentee_id, mentor_id=mentor_id)
        users = _scoring_users([mentee_id, mentor_id])
        scored = _scored_pair(run, users[mentee_id], users[mentor_id])
        row.mentor_id, row.score, row.reasons = mentor_id, scored["score"], scored["reasons"]
        row.locked, row.removed, row.unmatched_reason = True, None, ""
        locks = [pair for pair in locks if pair[0] != mentee_id] + [[mentee_id, mentor_id]]
        row.save(update_fields=["mentor", "score", "reasons", "locked", "removed", "unmatched_reason"])
    elif action == "keep":
        row = MatchPair.objects.select_for_update().filter(run=run, mentee_id=mentee_id).first()
        if row is None:
            raise ValidationError("That mentee is not in this preview.")
        if mentor_id is None:
            raise ValidationError("Choose the pair to keep.")
        _keep_conflict(run, row, mentor_id=mentor_id, reason=reason, user=by, kept=kept)
        exclusions = [pair for pair in exclusions if pair != [mentee_id, mentor_id]]
        locks = [pair for pair in locks if pair[0] != mentee_id] + [[mentee_id, mentor_id]]
    elif action == "swap":
        if other_mentee_id is None or other_mentee_id == mentee_id:
            raise ValidationError("Choose another pair to swap mentors with.")
        row, other = _row(run, mentee_id), _row(run, other_mentee_id)
        mentor, other_mentor = row.mentor_id, other.mentor_id
        if other_mentor == mentor:
            raise ValidationError("Both pairs have the same mentor; swapping changes nothing.")
        excluded = {(a, b) for a, b in exclusions}
        if (mentee_id, other_mentor) in excluded or (other_mentee_id, mentor) in excluded:
            raise ValidationError("One of the new pairs was removed earlier and stays excluded.")
        if conflicts_of_interest(mentee_ids=[mentee_id, other_mentee_id], mentor_ids=[mentor, other_mentor],
                                 academic_year=run.academic_year).keys() & {(mentee_id, other_mentor),
                                                                             (other_mentee_id, mentor)}:
            raise ValidationError("One of the new pairs is a conflict of interest (the mentor also evaluates the "
                                  "mentee); batch matching never pairs them.")
        users = _scoring_users([mentee_id, other_mentee_id, mentor, other_mentor])
        for changed, new_mentor in ((row, other_mentor), (other, mentor)):
            scored = _scored_pair(run, users[changed.mentee_id], users[new_mentor])
            changed.mentor_id, changed.score, changed.reasons = new_mentor, scored["score"], scored["reasons"]
            changed.locked, changed.removed, changed.conflict_kept = True, None, None
            changed.save(update_fields=["mentor", "score", "reasons", "locked", "removed", "conflict_kept"])
        kept = [k for k in kept if int(k["mentee"]) not in (mentee_id, other_mentee_id)]
        locks = [pair for pair in locks if pair[0] not in (mentee_id, other_mentee_id)]
        locks += [[mentee_id, other_mentor], [other_mentee_id, mentor]]
    else:
        raise ValidationError(f"Unknown edit: {action}.")
    run.locks = locks
    run.exclusions = exclusions
    run.kept_conflicts = kept
    _refresh_summary(run)
    run.save(update_fields=["locks", "exclusions", "kept_conflicts", "result"])
    return run


@transaction.atomic
def match_run_rerun(*, run_id: int, by) -> MatchRun:
    """Run the engine again, keeping locked pairs and leaving removed pairs out."""
    run = _editable(run_id, by)
    run.status = MatchRun.Status.QUEUED
    run.progress = 0
    run.phase = "Queued"
    run.save(update_fields=["status", "progress", "phase"])
    _enqueue(run)
    return run


@transaction.atomic
def match_run_retry(*, run_id: int, by) -> MatchRun:
    """Run again a run that failed or whose worker stopped (the coordinator's "Retry")."""
    run = MatchRun.objects.select_for_update().get(pk=run_id)
    if not permissions.can_run_for_program(by, run.program_id):
        raise ValidationError("You can retry only the runs of the programs you coordinate.")
    state = work_state(run.task_id, work_running=run.status == MatchRun.Status.RUNNING)
    if run.status != MatchRun.Status.FAILED and not (state and state.stopped):
        raise StateConflict("Only a run that failed or stopped can be retried.")
    if run.task_id and requeue_task(run.task_id):
        run.refresh_from_db()
        return run
    run.status, run.progress, run.phase, run.error = MatchRun.Status.QUEUED, 0, "Queued again", ""
    run.save(update_fields=["status", "progress", "phase", "error"])
    _enqueue(run)
    return run


@transaction.atomic
def match_run_publish_request(*, run_id: int, by):
    """Queue the publish of a preview; the worker creates the relationships (see match_run_publish)."""
    run = _editable(run_id, by)
    if not MatchPair.objects.filter(run=run, mentor__isnull=False).exists():
        raise ValidationError("There is no pair to publish.")
    active = Job.objects.filter(kind=Job.Kind.MATCH_PUBLISH, params__run_id=run.pk,
                                status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if active is not None:
        return active
    return job_create(kind=Job.Kind.MATCH_PUBLISH, title=f"Publish batch match #{run.pk}", by=by,
                      program=run.program, params={"run_id": run.pk}, task=tasks.match_publish_task)


def match_run_publish_job(*, job, progress):
    """The work of a publish job: publish, or report the publish a previous attempt committed."""
    run_id = job.params["run_id"]
    link = {"label": "See the pairs", "url": reverse("batchmatch:match_run_detail", args=[run_id])}
    progress(10, "Checking each mentor's free places")
    if MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.PUBLISHED).exists():
        return JobResult({"lines": ["This match was published already."], "links": [link]})
    progress(30, "Creating the relationships and telling both sides")
    created = match_run_publish(run_id=run_id, by=job.requested_by)
    return JobResult({"lines": [f"{len(created)} relationships created; both sides are told."],
                      "created": len(created), "links": [link]})


@transaction.atomic
def match_run_publish(*, run_id: int, by) -> list[Relationship]:
    """Create every previewed relationship and tell both sides; all or nothing.

    relationship_start_many runs the checks of every start (capacity under lock, conflicts of interest,
    no duplicate), so a publish never takes a mentor beyond capacity even if requests were accepted
    since the run.
    """
    run = _editable(run_id, by)
    rows = list(MatchPair.objects.filter(run=run, mentor__isnull=False).order_by("mentee_id")
                .values_list("mentee_id", "mentor_id", "conflict_kept"))
    if not rows:
        raise ValidationError("There is no pair to publish.")
    pairs = [(mentee_id, mentor_id) for mentee_id, mentor_id, _ in rows]
    kept = {(mentee_id, mentor_id): note for mentee_id, mentor_id, note in rows if note}
    program = run.program
    created = relationship_start_many(pairs=pairs, kind=run.kind, source=Relationship.Source.BATCH_MATCH,
                                      program=program, by=by, academic_year=run.academic_year,
                                      kept_conflicts={pair: note["reason"] for pair, note in kept.items()})
    kind_label = RELATIONSHIP_KINDS[run.kind].lower()
    for relationship in created:
        mentee, mentor = relationship.mentee, relationship.mentor
        mentee_id, mentor_id = mentee.pk, mentor.pk
        note = kept.get((mentee_id, mentor_id))
        why = ""
        if note:
            why = (f"\n\n{note.get('by_name') or 'The coordinator'} kept this pair although {mentor.display_name} "
                   f"also evaluates {mentee.display_name} ({'; '.join(note.get('conflicts', []))}): {note['reason']}")
        notify(user=mentee, kind="match_published", key=f"match:{run.pk}:{mentee_id}:{mentor_id}:mentee",
               title=f"Meet your {kind_label}: {mentor.display_name}",
               body=f"{program.name} matched you with {mentor.display_name}. Prepare your first meeting: "
                    "begin with the end in mind." + why, url=reverse("directory:mentoring_team"))
        notify(user=mentor, kind="match_published", key=f"match:{run.pk}:{mentee_id}:{mentor_id}:mentor",
               title=f"You are now {kind_label} to {mentee.display_name}",
               body=f"{program.name} matched {mentee.display_name} with you." + why,
               url=reverse("profiles:profile_detail", args=[mentee_id]))
    run.status = MatchRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.published_by = by
    run.save(update_fields=["status", "published_at", "published_by"])
    return created
