"""The ILP app's part of a person's copy of their data: their own plans, as mentee or as reviewer."""

from django.db.models import Q

from mentora.core.export_registry import person_section, rows

from .models import (
    Goal,
    GoalChangeRequest,
    GoalComment,
    GoalVersion,
    LearningPlan,
    ProgressUpdate,
    Review,
    SignOff,
)


@person_section(
    "learning_plans",
    models=["ilps.LearningPlan", "ilps.GoalVersion", "ilps.ProgressUpdate", "ilps.GoalComment", "ilps.SignOff",
            "ilps.Review", "ilps.GoalChangeRequest"],
)
def learning_plans(user):
    plans = LearningPlan.objects.filter(mentee=user)
    return {
        "plans": rows(plans),
        "goals": rows(Goal.objects.filter(plan__in=plans)),
        "goal_versions": rows(GoalVersion.objects.filter(goal__plan__in=plans)),
        "progress_updates": rows(ProgressUpdate.objects.filter(Q(goal__plan__in=plans) | Q(author=user))),
        "comments": rows(GoalComment.objects.filter(Q(goal__plan__in=plans) | Q(author=user))),
        "sign_offs": rows(SignOff.objects.filter(Q(mentee=user) | Q(mentor=user))),
        "reviews": rows(Review.objects.filter(Q(plan__in=plans) | Q(reviewer=user))),
        # Changes asked on their goals, and changes they asked on their mentees' goals.
        "change_requests": rows(GoalChangeRequest.objects.filter(Q(goal__plan__in=plans) | Q(requested_by=user))),
    }
