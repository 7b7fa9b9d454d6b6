"""Mentora's matching engine: plain data in, plain data out, no Django.

Public API::

    solve(instance, algorithm="optimal" | "stable", fair=False, top_k=None, progress=None) -> dict
    score_mentee(instance, mentee_id, limit=20) -> list[dict]     # "recommended for you"
    check_instance(document, top_k=None) -> Instance               # raises InstanceError
    instance_schema() -> dict                                      # the shipped JSON Schema

See docs/matching.md and DESIGN.md ("Matching engine contract").
"""

from importlib import import_module

from mentora.matching.criteria import ALGORITHMS, CRITERIA, DEFAULT_WEIGHTS, SENSITIVE, SENSITIVE_REASON

# The engine itself (numpy, SciPy, OR-Tools: about a quarter of a second to import) loads when first used, so a
# process that never matches (the worker between batch runs, `mentora migrate`, a backup) does not import it.
_ENGINE_MODULES = {
    "prepare": "engine", "score_mentee": "engine", "solve": "engine", "Scorer": "scoring",
    "TextEmbedder": "text", "default_text_embedder": "text",
    "Instance": "validation", "InstanceError": "validation", "check_instance": "validation",
    "instance_schema": "validation",
}


def __getattr__(name: str):
    if name not in _ENGINE_MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_ENGINE_MODULES[name]}"), name)
    globals()[name] = value
    return value


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
