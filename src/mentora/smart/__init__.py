"""SMART goal coach: judges a goal statement on specific, measurable, achievable, relevant
and time-bound, with a concrete hint for each criterion it fails.

Pure Python (no Django): used by the ILP forms (live, through htmx), the API and
`mentora smart "GOAL TEXT" [--json]`.
"""

from .analyzer import CRITERIA, CriterionResult, GoalAssessment, analyze

__all__ = ["CRITERIA", "CriterionResult", "GoalAssessment", "analyze"]
