"""Mentora's matching engine: plain data in, plain data out, no Django.

Public API::

    solve(instance, algorithm="optimal" | "stable", fair=False, top_k=None, progress=None) -> dict
    score_mentee(instance, mentee_id, limit=20) -> list[dict]     # "recommended for you"
    check_instance(document, top_k=None) -> Instance               # raises InstanceError
    instance_schema() -> dict                                      # the shipped JSON Schema

See docs/matching.md and DESIGN.md ("Matching engine contract").
"""

from mentora.matching.engine import ALGORITHMS, prepare, score_mentee, solve
from mentora.matching.scoring import CRITERIA, DEFAULT_WEIGHTS, SENSITIVE, SENSITIVE_REASON, Scorer
from mentora.matching.text import TextEmbedder, default_text_embedder
from mentora.matching.validation import Instance, InstanceError, check_instance, instance_schema

__all__ = [
    "ALGORITHMS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "SENSITIVE",
    "SENSITIVE_REASON",
    "Instance",
    "InstanceError",
    "Scorer",
    "TextEmbedder",
    "check_instance",
    "default_text_embedder",
    "instance_schema",
    "prepare",
    "score_mentee",
    "solve",
]
