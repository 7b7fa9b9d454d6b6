"""The criteria the engine scores on, their default weights and the algorithms it runs: plain data, importable
without the engine itself (numpy, SciPy, OR-Tools), for the forms, services and API that name them."""

from __future__ import annotations

from mentora.core.vocabulary import CONCORDANCE_FIELDS

ALGORITHMS: tuple[str, ...] = ("optimal", "stable")
CRITERIA: tuple[str, ...] = (
    "specialty",
    "research_interests",
    "career_tracks",
    "img_background",
    "country",
    "languages",
    "time_zone",
    "training_gap",
    "institution",
    "gender",
    "race_ethnicity",
)
DEFAULT_WEIGHTS: dict[str, float] = {
    "specialty": 3.0,
    "research_interests": 2.0,
    "career_tracks": 2.0,
    "img_background": 1.0,
    "country": 1.0,
    "languages": 1.0,
    "time_zone": 0.5,
    "training_gap": 0.5,
    "institution": 0.5,
    "gender": 2.0,
    "race_ethnicity": 2.0,
}
# The sensitive attributes the engine may weigh as concordance (plain data from the vocabulary).
SENSITIVE: tuple[str, ...] = tuple(CONCORDANCE_FIELDS)
SENSITIVE_REASON = "Matches a concordance you asked for"
