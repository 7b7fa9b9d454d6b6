"""One place that turns a stored code into the words a person reads.

Countries and languages are named by pycountry (ISO 3166-1 and ISO 639, kept up to date by its
maintainers, through core/vocabulary.py); every other code by the vocabulary it comes from. Templates use the `label` and `labels` filters (core/templatetags/labels.py); code
calls `label(kind, code)` and `labels(kind, codes)`.
"""

from collections.abc import Iterable
from functools import cache

from . import vocabulary

country_name = cache(vocabulary.country_name)
language_name = cache(vocabulary.language_name)


# kind -> the vocabulary that names its codes
VOCABULARIES: dict[str, dict[str, str]] = {
    "specialty": vocabulary.SPECIALTIES,
    "subspecialty": vocabulary.SUBSPECIALTY_LABELS,
    "career_track": vocabulary.CAREER_TRACKS,
    "relationship_kind": vocabulary.RELATIONSHIP_KINDS,
    "img_status": vocabulary.IMG_STATUSES,
    "visa_status": vocabulary.VISA_STATUSES,
    "usmle_status": vocabulary.USMLE_STATUSES,
    "training_level": vocabulary.TRAINING_LEVELS,
    "meeting_mode": vocabulary.MEETING_MODES,
    "us_clinical_experience": vocabulary.US_CLINICAL_EXPERIENCE,
    "gender": vocabulary.GENDERS,
    "race_ethnicity": vocabulary.RACE_ETHNICITIES,
}
_NAMERS = {"country": country_name, "language": language_name}


def label(kind: str, code: str) -> str:
    """The label of one code of `kind`; an unknown code comes back unchanged rather than hidden."""
    if code in (None, ""):
        return ""
    if kind in _NAMERS:
        return _NAMERS[kind](str(code))
    if kind not in VOCABULARIES:
        raise KeyError(f"No vocabulary named {kind!r}; known: {', '.join(sorted([*VOCABULARIES, *_NAMERS]))}")
    return VOCABULARIES[kind].get(str(code), str(code))


def labels(kind: str, codes: Iterable[str] | None) -> list[str]:
    return [label(kind, code) for code in codes or ()]
