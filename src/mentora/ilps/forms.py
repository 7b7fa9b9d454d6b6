"""Forms of the learning-plan pages. Their checks are the services' (goal_errors), so a page and the
API reject the same input with the same words."""

import datetime

from django import forms
from django.utils import timezone

from .models import Domain, Goal, GoalDecision
from .services import GOAL_FIELDS, DecisionInput, goal_errors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: str, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=True, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class PlanForm(forms.Form):
    career_vision = _text(
        "Career vision", rows=4,
        help_text="Begin with the end in mind: where do you want to be in five years, and what kind of doctor?",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Domain.choices:
            self.fields[f"{value}_strengths"] = _text(f"{label}: strengths", rows=2)
            self.fields[f"{value}_growth"] = _text(f"{label}: areas for growth", rows=2)

    @classmethod
    def initial_from(cls, plan) -> dict:
        initial = {"career_vision": plan.career_vision}
        for domain, parts in (plan.self_assessment or {}).items():
            initial[f"{domain}_strengths"] = parts.get("strengths", "")
            initial[f"{domain}_growth"] = parts.get("growth", "")
        return initial

    def domain_fields(self):
        """(label, strengths field, growth field) per domain, for the template."""
        return [(label, self[f"{value}_strengths"], self[f"{value}_growth"]) for value, label in Domain.choices]

    def self_assessment(self) -> dict:
        data = self.cleaned_data
        return {
            value: {"strengths": data.get(f"{value}_strengths", ""), "growth": data.get(f"{value}_growth", "")}
            for value in Domain.values
        }


class GoalForm(forms.Form):
    statement = forms.CharField(
        label="Goal", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One sentence: what you will do, how much, and by when.",
    )
    measure = forms.CharField(
        label="Measure of success", required=False,
        help_text="How you and your mentor will know it is done, e.g. '10 supervised procedures'.",
    )
    target_date = forms.DateField(label="Target date", required=False, widget=DATE)
    why_it_matters = _text("Why it matters", rows=2)
    domain = forms.ChoiceField(label="Domain", choices=[("", "Choose a domain")] + Domain.choices, required=False)
    priority = forms.ChoiceField(label="Priority", choices=Goal.Priority.choices, initial=Goal.Priority.STANDARD)
    is_stretch = forms.BooleanField(label="This is a stretch goal", required=False)
    strategies = _text("Strategies and activities")
    resources = _text("Resources")
    evidence = _text("Evidence of completion")

    def __init__(self, *args, goal=None, today: datetime.date | None = None, **kwargs):
        self.goal = goal
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for name, message in goal_errors(data=data, today=self.today, goal=self.goal).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    @classmethod
    def initial_from(cls, goal) -> dict:
        return {name: getattr(goal, name) for name in GOAL_FIELDS}

    def goal_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["domain"] = data.get("domain") or ""
        return {name: data.get(name) for name in GOAL_FIELDS}


class ProgressForm(forms.Form):
    percent_done = forms.IntegerField(label="Percent done", min_value=0, max_value=100)
    on = forms.DateField(label="Date", widget=DATE, required=False)
    note = _text("What happened", rows=2)


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ChangeRequestForm(forms.Form):
    comment = forms.CharField(
        label="What should change?", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The mentee sees this on the goal, and is told by a notice.",
    )


class SignOffForm(forms.Form):
    note = _text("Note with your sign-off (optional)", rows=2)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="Milestone", required=False, help_text="e.g. 'USMLE Step 3 taken', 'Fellowship applications sent'.")
    due_on = forms.DateField(label="Date", widget=DATE, required=False)


class ReviewForm(forms.Form):
    """A reassessment: one outcome and reason per open goal, and the goal's new words where it changes."""

    held_on = forms.DateField(label="Date of the review", widget=DATE, required=False)
    summary = _text("Summary of the review", rows=3)
    sign_off = forms.BooleanField(label="Sign off the plan as reassessed", required=False)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            prefix = f"goal_{goal.pk}_"
            self.fields[prefix + "outcome"] = forms.ChoiceField(
                label="Decision", choices=GoalDecision.Outcome.choices, initial=GoalDecision.Outcome.KEPT,
                widget=forms.RadioSelect,
            )
            self.fields[prefix + "reason"] = forms.CharField(label="Reason", required=False)
            self.fields[prefix + "statement"] = forms.CharField(
                label="Goal (if revised or refocused)", required=False, initial=goal.statement,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[prefix + "measure"] = forms.CharField(
                label="Measure of success", required=False, initial=goal.measure
            )
            self.fields[prefix + "target_date"] = forms.DateField(
                label="Target date", required=False, initial=goal.target_date, widget=DATE
            )

    def goal_rows(self):
        for goal in self.goals:
            prefix = f"goal_{goal.pk}_"
            yield goal, [self[prefix + name] for name in ("outcome", "reason", "statement", "measure", "target_date")]

    def decisions(self):
        result = []
        for goal in self.goals:
            prefix = f"goal_{goal.pk}_"
            outcome = self.cleaned_data.get(prefix + "outcome")
            changes = None
            if outcome in (GoalDecision.Outcome.REVISED, GoalDecision.Outcome.REFOCUSED):
                changes = {
                    "statement": self.cleaned_data.get(prefix + "statement") or "",
                    "measure": self.cleaned_data.get(prefix + "measure") or "",
                    "target_date": self.cleaned_data.get(prefix + "target_date"),
                }
            result.append(DecisionInput(goal=goal, outcome=outcome or "", reason=self.cleaned_data.get(prefix + "reason") or "", changes=changes))
        return result
