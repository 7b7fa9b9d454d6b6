"""Scholarly projects for the demo network: about a quarter of mentees have one, at every stage,
some stalled, with stage histories. Bulk inserts only."""

import datetime

from mentora.relationships.models import Relationship

from .models import ProjectKind, ScholarlyProject, Stage, StageChange

TITLES = {
    ProjectKind.CASE_REPORT: ["An unusual presentation of {}", "A rare complication of {}: a case report"],
    ProjectKind.QUALITY_IMPROVEMENT: ["Reducing delays in {} care on the wards", "A checklist for {} handoffs"],
    ProjectKind.ORIGINAL_RESEARCH: ["Outcomes of {} among immigrant patients", "Readmissions after {}: a cohort study"],
    ProjectKind.REVIEW: ["A narrative review of {}", "What residents should know about {}"],
    ProjectKind.EDUCATION: ["Teaching {} to interns: a curriculum", "A simulation session on {}"],
}
TOPICS = ["heart failure", "sepsis", "diabetic ketoacidosis", "stroke", "pneumonia", "tuberculosis",
          "atrial fibrillation", "acute kidney injury", "delirium", "anemia", "hepatitis B", "COPD"]
VENUES = ["ACP Internal Medicine Meeting", "SGIM Annual Meeting", "Journal of Graduate Medical Education",
          "BMJ Case Reports", "Cureus", "JAMA Network Open", "Academic Medicine", "regional ACP chapter meeting"]
STAGES = list(Stage.values)
STAGE_WEIGHTS = [18, 12, 8, 14, 10, 9, 9, 8, 5, 7]


def generate(context) -> None:
    rng, today = context.rng, context.today
    mentor_of: dict[int, int] = dict(
        Relationship.objects.filter(pk__in=context.relationship_ids, status=Relationship.Status.ACTIVE)
        .order_by("pk").values_list("mentee_id", "mentor_id")
    ) if len(context.relationship_ids) < 200_000 else {}
    demo_mentee = context.logins["mentee"]
    demo_mentor = context.logins["mentor"]
    plans: list[tuple[int, int | None, int | None]] = [(demo_mentee.pk, demo_mentor.pk, context.demo_program.pk)] * 3
    for mentee_id in context.mentee_ids:
        if rng.random() < 0.25:
            plans.append((mentee_id, mentor_of.get(mentee_id), context.mentee_program.get(mentee_id)))
    projects = []
    stage_indexes = []
    for index, (_mentee_id, _mentor_id, program_id) in enumerate(plans):
        kind = rng.choice(ProjectKind.values)
        if index < 3:  # the demo mentee: one fresh, one moving, one stalled
            stage_index, days_in_stage = [(0, 5), (3, 20), (4, 160)][index]
        else:
            stage_index = rng.choices(range(len(STAGES)), weights=STAGE_WEIGHTS, k=1)[0]
            days_in_stage = int(rng.expovariate(1 / 60)) + 1
        started = today - datetime.timedelta(days=days_in_stage)
        deadline = today + datetime.timedelta(days=rng.randint(-30, 200)) if rng.random() < 0.5 else None
        projects.append(ScholarlyProject(
            title=rng.choice(TITLES[kind]).format(rng.choice(TOPICS)), kind=kind, program_id=program_id,
            stage=STAGES[stage_index], stage_changed_on=started, target_venue=rng.choice(VENUES),
            submission_deadline=deadline,
        ))
        stage_indexes.append((stage_index, started))
    created = context.bulk_create(ScholarlyProject, projects, "scholarly projects")
    owners = ScholarlyProject.owners.through
    mentors = ScholarlyProject.mentors.through
    context.bulk_create(owners, (owners(scholarlyproject_id=p.pk, user_id=plan[0])
                                 for p, plan in zip(created, plans, strict=True)), "project owners")
    context.bulk_create(mentors, (mentors(scholarlyproject_id=p.pk, user_id=plan[1])
                                  for p, plan in zip(created, plans, strict=True) if plan[1]), "project mentors")

    def history():
        for project, (stage_index, entered) in zip(created, stage_indexes, strict=True):
            day = entered
            steps = []
            for step in range(stage_index, -1, -1):
                steps.append(StageChange(project_id=project.pk, from_stage=STAGES[step - 1] if step else "",
                                         to_stage=STAGES[step], changed_on=day))
                day = day - datetime.timedelta(days=rng.randint(7, 60))
            yield from reversed(steps)

    context.bulk_create(StageChange, history(), "project stage history")
