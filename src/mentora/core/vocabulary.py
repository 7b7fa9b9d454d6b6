"""The controlled vocabularies of the domain: plain data, no Django.

Country regions are UN M49 subregions, as the matching engine's `country` criterion expects. Country and
language names are pycountry's (ISO 3166-1, ISO 639), not a list of our own.
"""

import pycountry

SPECIALTIES: dict[str, str] = {
    "internal_medicine": "Internal medicine",
    "family_medicine": "Family medicine",
    "pediatrics": "Pediatrics",
    "psychiatry": "Psychiatry",
    "neurology": "Neurology",
    "general_surgery": "General surgery",
    "anesthesiology": "Anesthesiology",
    "emergency_medicine": "Emergency medicine",
    "obstetrics_gynecology": "Obstetrics and gynecology",
    "pathology": "Pathology",
    "radiology": "Diagnostic radiology",
    "physical_medicine": "Physical medicine and rehabilitation",
}

SUBSPECIALTIES: dict[str, list[tuple[str, str]]] = {
    "internal_medicine": [
        ("cardiology", "Cardiology"),
        ("nephrology", "Nephrology"),
        ("hematology_oncology", "Hematology and oncology"),
        ("gastroenterology", "Gastroenterology"),
        ("pulmonary_critical_care", "Pulmonary and critical care"),
        ("infectious_disease", "Infectious disease"),
        ("endocrinology", "Endocrinology"),
        ("rheumatology", "Rheumatology"),
        ("geriatrics", "Geriatric medicine"),
        ("hospital_medicine", "Hospital medicine"),
    ],
    "pediatrics": [
        ("neonatology", "Neonatology"),
        ("pediatric_cardiology", "Pediatric cardiology"),
        ("pediatric_hematology_oncology", "Pediatric hematology and oncology"),
    ],
    "psychiatry": [
        ("child_adolescent_psychiatry", "Child and adolescent psychiatry"),
        ("addiction_psychiatry", "Addiction psychiatry"),
        ("geriatric_psychiatry", "Geriatric psychiatry"),
    ],
    "neurology": [("stroke", "Vascular neurology"), ("epilepsy", "Epilepsy")],
    "general_surgery": [("surgical_oncology", "Surgical oncology"), ("trauma_surgery", "Trauma surgery")],
    "family_medicine": [("sports_medicine", "Sports medicine"), ("palliative_care", "Hospice and palliative care")],
}
SUBSPECIALTY_LABELS: dict[str, str] = {code: label for items in SUBSPECIALTIES.values() for code, label in items}

# ISO 3166-1 alpha-2 -> UN M49 subregion. The names come from pycountry (see country_name below).
COUNTRY_REGIONS: dict[str, str] = {
    "IN": "Southern Asia",
    "PK": "Southern Asia",
    "BD": "Southern Asia",
    "NP": "Southern Asia",
    "LK": "Southern Asia",
    "IR": "Southern Asia",
    "AF": "Southern Asia",
    "PH": "South-eastern Asia",
    "VN": "South-eastern Asia",
    "MY": "South-eastern Asia",
    "CN": "Eastern Asia",
    "KR": "Eastern Asia",
    "JP": "Eastern Asia",
    "TW": "Eastern Asia",
    "EG": "Northern Africa",
    "SD": "Northern Africa",
    "MA": "Northern Africa",
    "TN": "Northern Africa",
    "NG": "Western Africa",
    "GH": "Western Africa",
    "ET": "Eastern Africa",
    "KE": "Eastern Africa",
    "ZA": "Southern Africa",
    "SA": "Western Asia",
    "SY": "Western Asia",
    "LB": "Western Asia",
    "JO": "Western Asia",
    "IQ": "Western Asia",
    "TR": "Western Asia",
    "IL": "Western Asia",
    "MX": "Central America",
    "CU": "Caribbean",
    "DO": "Caribbean",
    "GD": "Caribbean",
    "DM": "Caribbean",
    "JM": "Caribbean",
    "VE": "South America",
    "CO": "South America",
    "BR": "South America",
    "PE": "South America",
    "AR": "South America",
    "RU": "Eastern Europe",
    "UA": "Eastern Europe",
    "PL": "Eastern Europe",
    "RO": "Eastern Europe",
    "IT": "Southern Europe",
    "ES": "Southern Europe",
    "GR": "Southern Europe",
    "DE": "Western Europe",
    "FR": "Western Europe",
    "IE": "Northern Europe",
    "GB": "Northern Europe",
    "CA": "Northern America",
    "US": "Northern America",
    "AU": "Australia and New Zealand",
}


def country_name(code: str) -> str:
    """The name people use ("Iran", "South Korea"), else ISO 3166's short name; an unknown code as it is."""
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def language_name(code: str) -> str:
    """ISO 639's name of a language ("Swahili", not "Swahili (macrolanguage)"); an unknown code as it is."""
    language = pycountry.languages.get(alpha_2=code.lower()) if code else None
    if language is None:
        return code
    return language.name.removesuffix(" (macrolanguage)")


COUNTRY_NAMES: dict[str, str] = {code: country_name(code) for code in COUNTRY_REGIONS}
# code -> (name, UN M49 subregion)
COUNTRIES: dict[str, tuple[str, str]] = {code: (COUNTRY_NAMES[code], region) for code, region in COUNTRY_REGIONS.items()}
REGIONS: list[str] = sorted(set(COUNTRY_REGIONS.values()))


def region_of(country_code: str) -> str:
    return COUNTRY_REGIONS.get(country_code.upper(), "") if country_code else ""


# ISO 639-1 codes of the languages offered; their names come from pycountry.
LANGUAGE_CODES: tuple[str, ...] = (
    "en", "es", "hi", "ur", "bn", "ar", "fa", "tl", "zh", "ko", "vi", "ru", "uk", "pt", "fr", "yo", "ig", "am", "ta", "te", "ml", "gu", "pa", "ne", "tr", "pl", "ro", "it", "de", "sw",
)
LANGUAGES: dict[str, str] = {code: language_name(code) for code in LANGUAGE_CODES}

CAREER_TRACKS: dict[str, str] = {
    "academic_medicine": "Academic medicine",
    "research": "Research",
    "clinical": "Clinical practice",
    "education": "Medical education",
    "leadership": "Leadership",
    "global_health": "Global health",
    "advocacy": "Advocacy",
}

RELATIONSHIP_KINDS: dict[str, str] = {
    "career": "Career mentor",
    "research": "Research mentor",
    "clinical": "Clinical mentor",
    "peer": "Peer mentor",
    "sponsor": "Sponsor",
    "coach": "Coach",
}

IMG_STATUSES: dict[str, str] = {
    "non_us_img": "Non-US IMG",
    "us_img": "US-citizen IMG",
    "us_grad": "US graduate",
}

VISA_STATUSES: dict[str, str] = {
    "j1": "J-1",
    "h1b": "H-1B",
    "o1": "O-1",
    "permanent_resident": "Permanent resident",
    "citizen": "US citizen",
    "other": "Other",
}

USMLE_STATUSES: dict[str, str] = {
    "not_taken": "Not taken",
    "scheduled": "Scheduled",
    "passed": "Passed",
    "failed_retaking": "Retaking",
}

TRAINING_LEVELS: dict[str, str] = {
    "applicant": "Applicant",
    "pgy1": "PGY-1",
    "pgy2": "PGY-2",
    "pgy3": "PGY-3",
    "pgy4": "PGY-4",
    "pgy5": "PGY-5",
    "pgy6": "PGY-6",
    "pgy7": "PGY-7",
    "fellow": "Fellow",
    "faculty": "Faculty",
}

# Agreed cadence, in days between meetings. Slipping and health are multiples of it.
CADENCES: dict[int, str] = {
    14: "Every 2 weeks",
    30: "Monthly (about every 4 weeks)",
    60: "Every 2 months (about 8 weeks)",
    90: "Quarterly",
}
DEFAULT_CADENCE_DAYS = 30  # a program that sets none: monthly

MEETING_MODES: dict[str, str] = {
    "in_person": "In person",
    "video": "Video call",
    "phone": "Phone",
    "chat": "Messaging",
}

US_CLINICAL_EXPERIENCE: dict[str, str] = {
    "observership": "Observership",
    "externship": "Externship",
    "research_position": "Research position",
    "none": "None yet",
}

SENSITIVE_FIELDS: dict[str, str] = {
    "gender": "Gender",
    "race_ethnicity": "Race or ethnicity",
    "lgbtq_identity": "LGBTQ+ identity",
}
# The sensitive attributes the matching engine can weigh as concordance: the one list of them
# (mentora.matching.SENSITIVE is its keys).
CONCORDANCE_FIELDS: dict[str, str] = {"gender": "Gender", "race_ethnicity": "Race or ethnicity"}

GENDERS: dict[str, str] = {
    "woman": "Woman",
    "man": "Man",
    "non_binary": "Non-binary",
    "self_described": "Self-described",
}
RACE_ETHNICITIES: dict[str, str] = {
    "asian": "Asian",
    "black": "Black or African American",
    "hispanic_latino": "Hispanic or Latino",
    "middle_eastern_north_african": "Middle Eastern or North African",
    "white": "White",
    "indigenous": "American Indian, Alaska Native or Indigenous",
    "pacific_islander": "Native Hawaiian or Pacific Islander",
    "multiracial": "Multiracial",
}


def choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return list(vocabulary.items())
