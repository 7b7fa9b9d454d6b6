"""The controlled vocabularies of the domain: plain data, no Django.

Country regions are UN M49 subregions, as the matching engine's `country` criterion expects.
"""

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

# ISO 3166-1 alpha-2 -> (name, UN M49 subregion)
COUNTRIES: dict[str, tuple[str, str]] = {
    "IN": ("India", "Southern Asia"),
    "PK": ("Pakistan", "Southern Asia"),
    "BD": ("Bangladesh", "Southern Asia"),
    "NP": ("Nepal", "Southern Asia"),
    "LK": ("Sri Lanka", "Southern Asia"),
    "IR": ("Iran", "Southern Asia"),
    "AF": ("Afghanistan", "Southern Asia"),
    "PH": ("Philippines", "South-eastern Asia"),
    "VN": ("Viet Nam", "South-eastern Asia"),
    "MY": ("Malaysia", "South-eastern Asia"),
    "CN": ("China", "Eastern Asia"),
    "KR": ("Republic of Korea", "Eastern Asia"),
    "JP": ("Japan", "Eastern Asia"),
    "TW": ("Taiwan", "Eastern Asia"),
    "EG": ("Egypt", "Northern Africa"),
    "SD": ("Sudan", "Northern Africa"),
    "MA": ("Morocco", "Northern Africa"),
    "TN": ("Tunisia", "Northern Africa"),
    "NG": ("Nigeria", "Western Africa"),
    "GH": ("Ghana", "Western Africa"),
    "ET": ("Ethiopia", "Eastern Africa"),
    "KE": ("Kenya", "Eastern Africa"),
    "ZA": ("South Africa", "Southern Africa"),
    "SA": ("Saudi Arabia", "Western Asia"),
    "SY": ("Syria", "Western Asia"),
    "LB": ("Lebanon", "Western Asia"),
    "JO": ("Jordan", "Western Asia"),
    "IQ": ("Iraq", "Western Asia"),
    "TR": ("Türkiye", "Western Asia"),
    "IL": ("Israel", "Western Asia"),
    "MX": ("Mexico", "Central America"),
    "CU": ("Cuba", "Caribbean"),
    "DO": ("Dominican Republic", "Caribbean"),
    "GD": ("Grenada", "Caribbean"),
    "DM": ("Dominica", "Caribbean"),
    "JM": ("Jamaica", "Caribbean"),
    "VE": ("Venezuela", "South America"),
    "CO": ("Colombia", "South America"),
    "BR": ("Brazil", "South America"),
    "PE": ("Peru", "South America"),
    "AR": ("Argentina", "South America"),
    "RU": ("Russian Federation", "Eastern Europe"),
    "UA": ("Ukraine", "Eastern Europe"),
    "PL": ("Poland", "Eastern Europe"),
    "RO": ("Romania", "Eastern Europe"),
    "IT": ("Italy", "Southern Europe"),
    "ES": ("Spain", "Southern Europe"),
    "GR": ("Greece", "Southern Europe"),
    "DE": ("Germany", "Western Europe"),
    "FR": ("France", "Western Europe"),
    "IE": ("Ireland", "Northern Europe"),
    "GB": ("United Kingdom", "Northern Europe"),
    "CA": ("Canada", "Northern America"),
    "US": ("United States", "Northern America"),
    "AU": ("Australia", "Australia and New Zealand"),
}
COUNTRY_NAMES: dict[str, str] = {code: name for code, (name, _region) in COUNTRIES.items()}
REGIONS: list[str] = sorted({region for _name, region in COUNTRIES.values()})


def region_of(country_code: str) -> str:
    return COUNTRIES.get(country_code.upper(), ("", ""))[1] if country_code else ""


# ISO 639-1
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "hi": "Hindi",
    "ur": "Urdu",
    "bn": "Bengali",
    "ar": "Arabic",
    "fa": "Persian",
    "tl": "Tagalog",
    "zh": "Chinese",
    "ko": "Korean",
    "vi": "Vietnamese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "pt": "Portuguese",
    "fr": "French",
    "yo": "Yoruba",
    "ig": "Igbo",
    "am": "Amharic",
    "ta": "Tamil",
    "te": "Telugu",
    "ml": "Malayalam",
    "gu": "Gujarati",
    "pa": "Punjabi",
    "ne": "Nepali",
    "tr": "Turkish",
    "pl": "Polish",
    "ro": "Romanian",
    "it": "Italian",
    "de": "German",
    "sw": "Swahili",
}

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
# The sensitive attributes the matching engine can weigh as concordance.
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


def training_level_number(level: str) -> int:
    """A comparable number for training levels: applicant 0, PGY-n n, fellow 6, faculty 10."""
    if level.startswith("pgy"):
        return int(level[3:])
    return {"applicant": 0, "fellow": 6, "faculty": 10}.get(level, 0)


def choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return list(vocabulary.items())
