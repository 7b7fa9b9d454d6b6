"""Import of mentees, mentors and memberships: column mapping, a dry-run plan, then one commit.

`plan_import` reads everything it needs in a few queries and returns a Plan: what each row will
do, and an error (row, column, reason) for each bad value. `import_commit` (services.py) writes a
Plan with no errors in one transaction, with bulk inserts and updates.

Matching: a row's external id (unique per program) finds the person first, then the email.
Re-importing the same file changes nothing and creates nobody twice.
Name and profile fields are updated only for people who belong to the program (below) or were
created by this import: a coordinator cannot rename someone who belongs elsewhere.

Consent: a new person is created with their membership (the invitation email that lets them set a
password is their agreement). An existing account that does not already belong to the program in
that role is never attached: the row becomes a MembershipInvitation they accept or decline, and
nothing else about them is written. "Belongs" means their membership of that academic year in the
program and role is active, or, with none that year yet, their latest one there is (a resident
rolling on); a person who left (an inactive membership) is asked again.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentora.core.time_zones import is_time_zone
from mentora.core.vocabulary import (
    COUNTRY_NAMES,
    IMG_STATUSES,
    LANGUAGES,
    SPECIALTIES,
    SUBSPECIALTIES,
    TRAINING_LEVELS,
    VISA_STATUSES,
)
from mentora.profiles.models import ImgDetails, MentorOffer, Profile
from mentora.programs.models import Membership, MembershipInvitation, Program

from .models import ExternalId, ImportBatch
from .reading import Sheet

User = get_user_model()
CHUNK = 2000


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped: 'E-mail Address' -> 'emailaddress'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


# Target field -> (label, header synonyms as normalize() gives them).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "email": ("Email", ("email", "emailaddress", "mail", "email1", "workemail", "primaryemail", "courriel",
                        "correoelectronico")),
    "external_id": ("External id", ("externalid", "id", "personid", "employeeid", "residentid", "studentid",
                                    "aamcid", "erasid", "nrmpid", "staffid")),
    "full_name": ("Full name", ("fullname", "name", "displayname", "residentname", "facultyname", "nom")),
    "first_name": ("First name", ("firstname", "givenname", "forename", "first", "prenom")),
    "last_name": ("Last name", ("lastname", "surname", "familyname", "last")),
    "preferred_name": ("Preferred name", ("preferredname", "nickname", "goesby")),
    "role": ("Role", ("role", "membertype", "type", "programrole")),
    "training_level": ("Training level", ("traininglevel", "pgy", "pgylevel", "level", "pgyyear", "year")),
    "specialty": ("Specialty", ("specialty", "speciality", "department")),
    "medical_school_country": ("Medical school country", ("medicalschoolcountry", "countryofmedicalschool",
                                                          "schoolcountry", "countryoftraining", "country")),
    "capacity": ("Mentee capacity", ("capacity", "menteecapacity", "maxmentees")),
    "subspecialty": ("Subspecialty", ("subspecialty", "subspeciality", "fellowship", "division")),
    "languages": ("Languages", ("languages", "language", "languagesspoken", "spokenlanguages")),
    "medical_school": ("Medical school", ("medicalschool", "medschool", "medicalschoolname", "school")),
    "graduation_year": ("Graduation year", ("graduationyear", "medicalschoolgraduationyear", "gradyear",
                                            "yearofgraduation", "mdgraduationyear", "graduated")),
    "img_status": ("IMG status", ("imgstatus", "img", "graduatetype")),
    "visa_status": ("Visa status", ("visastatus", "visa", "visatype", "immigrationstatus")),
    "ecfmg_certified": ("ECFMG certified", ("ecfmgcertified", "ecfmg", "ecfmgcertification")),
    "pronouns": ("Pronouns", ("pronouns",)),
    "time_zone": ("Time zone", ("timezone", "tz")),
}
# The profile fields a row may carry beyond name, role and level: what the commit writes on the person's
# Profile and ImgDetails (an empty cell leaves what is there).
PROFILE_FIELDS = ("specialty", "subspecialty", "languages", "pronouns", "time_zone")
IMG_FIELDS = ("country", "medical_school", "graduation_year", "img_status", "visa_status", "ecfmg_certified")
EARLIEST_GRADUATION = 1950
ROLES = {"mentee": "mentee", "resident": "mentee", "fellow": "mentee", "trainee": "mentee",
         "mentor": "mentor", "faculty": "mentor"}


def _lookup(vocabulary: dict[str, str]) -> dict[str, str]:
    table = {}
    for code, label in vocabulary.items():
        table[normalize(code)] = code
        table[normalize(label)] = code
    return table


TRAINING_LOOKUP = _lookup(TRAINING_LEVELS) | {f"pgy{n}": f"pgy{n}" for n in range(1, 8)} | {
    str(n): f"pgy{n}" for n in range(1, 8)}
COUNTRY_LOOKUP = _lookup(COUNTRY_NAMES)
LANGUAGE_LOOKUP = _lookup(LANGUAGES) | {"farsi": "fa", "mandarin": "zh", "cantonese": "zh", "filipino": "tl"}
VISA_LOOKUP = _lookup(VISA_STATUSES) | {
    "j1visa": "j1", "h1": "h1b", "h1bvisa": "h1b", "greencard": "permanent_resident", "lpr": "permanent_resident",
    "uscitizen": "citizen", "none": "citizen"}
IMG_LOOKUP = _lookup(IMG_STATUSES) | {"amg": "us_grad", "usmd": "us_grad", "usdo": "us_grad",
                                      "usgraduate": "us_grad", "nonusimg": "non_us_img", "foreignimg": "non_us_img"}
YES_NO = {"yes": True, "y": True, "true": True, "1": True, "certified": True, "x": True,
          "no": False, "n": False, "false": False, "0": False, "notcertified": False}

# Specialties as rosters write them: the product's names and codes, their common short forms, and
# subspecialties (which name their specialty: "Cardiology" is internal medicine, cardiology).
SPECIALTY_ALIASES: dict[str, str] = {
    "im": "internal_medicine", "medicine": "internal_medicine", "internalmed": "internal_medicine",
    "intmed": "internal_medicine", "generalinternalmedicine": "internal_medicine",
    "fm": "family_medicine", "familypractice": "family_medicine", "family": "family_medicine",
    "peds": "pediatrics", "paeds": "pediatrics", "paediatrics": "pediatrics", "pediatric": "pediatrics",
    "psych": "psychiatry", "neuro": "neurology", "surgery": "general_surgery", "gensurg": "general_surgery",
    "generalsurg": "general_surgery", "anesthesia": "anesthesiology", "anaesthesia": "anesthesiology",
    "anaesthesiology": "anesthesiology", "em": "emergency_medicine", "emergency": "emergency_medicine",
    "obgyn": "obstetrics_gynecology", "obstetricsgynecology": "obstetrics_gynecology",
    "obstetricsandgynaecology": "obstetrics_gynecology", "og": "obstetrics_gynecology",
    "path": "pathology", "radiology": "radiology", "rads": "radiology", "diagnosticimaging": "radiology",
    "pmr": "physical_medicine", "pmandr": "physical_medicine", "physiatry": "physical_medicine",
    "physicalmedicine": "physical_medicine", "rehabilitation": "physical_medicine",
}
SUBSPECIALTY_ALIASES: dict[str, str] = {
    "hemeonc": "hematology_oncology", "hemonc": "hematology_oncology", "oncology": "hematology_oncology",
    "hematology": "hematology_oncology", "medicaloncology": "hematology_oncology", "gi": "gastroenterology",
    "pulmonology": "pulmonary_critical_care", "pulmonary": "pulmonary_critical_care",
    "pccm": "pulmonary_critical_care", "criticalcare": "pulmonary_critical_care",
    "pulmonaryandcriticalcaremedicine": "pulmonary_critical_care", "id": "infectious_disease",
    "infectiousdiseases": "infectious_disease", "endo": "endocrinology", "rheum": "rheumatology",
    "geriatricmedicine": "geriatrics", "hospitalist": "hospital_medicine", "nicu": "neonatology",
    "childpsychiatry": "child_adolescent_psychiatry", "cap": "child_adolescent_psychiatry",
    "addictionmedicine": "addiction_psychiatry", "palliative": "palliative_care",
    "palliativemedicine": "palliative_care", "vascularneurology": "stroke",
}


def _specialty_table() -> dict[str, tuple[str, str]]:
    """normalized name -> (specialty, subspecialty or "")."""
    table = {key: (code, "") for key, code in _lookup(SPECIALTIES).items()}
    table.update({key: (code, "") for key, code in SPECIALTY_ALIASES.items()})
    parent = {}
    for specialty, items in SUBSPECIALTIES.items():
        for code, label in items:
            parent[code] = specialty
            table[normalize(code)] = table[normalize(label)] = (specialty, code)
    table.update({key: (parent[code], code) for key, code in SUBSPECIALTY_ALIASES.items()})
    return table


SPECIALTY_LOOKUP = _specialty_table()
SUBSPECIALTY_LOOKUP = {key: value for key, value in SPECIALTY_LOOKUP.items() if value[1]}


def specialty_of(raw: str) -> tuple[str, str] | None:
    """(specialty, subspecialty) for a roster's cell: "Cardiology", "IM", "Internal medicine - Nephrology",
    "Pediatrics (Neonatology)". None when nothing in it is a specialty Mentora knows."""
    found = SPECIALTY_LOOKUP.get(normalize(raw))
    if found:
        return found
    parts = [part for part in re.split(r"[-–—:/,;()|]+", raw) if normalize(part)]
    if len(parts) < 2:
        return None
    resolved = [SPECIALTY_LOOKUP.get(normalize(part)) for part in parts]
    if any(item is None for item in resolved):
        return None
    with_sub = [item for item in resolved if item[1]]
    if with_sub and all(item[0] == with_sub[0][0] for item in resolved):
        return with_sub[0]
    specialties = {item[0] for item in resolved}
    return (resolved[0][0], "") if len(specialties) == 1 else None


def languages_of(raw: str) -> tuple[list[str], list[str]]:
    """(codes, unknown names) of a cell listing languages: "Spanish; English", "es, en", "Hindi and Urdu"."""
    codes, unknown = [], []
    for part in re.split(r"[;,/|]+|\band\b", raw):
        if not part.strip():
            continue
        code = LANGUAGE_LOOKUP.get(normalize(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def auto_mapping(header: list[str]) -> dict[str, str]:
    """Target field -> file column, by header synonyms; each column is used once."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    normalized = {column: normalize(column) for column in header if column}
    for target, (_label, synonyms) in FIELDS.items():
        for synonym in synonyms:
            column = next((c for c, n in normalized.items() if n == synonym and c not in used), None)
            if column:
                mapping[target] = column
                used.add(column)
                break
    if "full_name" in mapping and ("first_name" in mapping or "last_name" in mapping):
        mapping.pop("first_name", None)
        mapping.pop("last_name", None)
    return mapping


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


ACTIONS = ("create", "update", "unchanged", "invite", "invited", "declined")


@dataclass
class RowPlan:
    row: int
    email: str
    external_id: str
    full_name: str
    preferred_name: str
    role: str
    training_level: str
    specialty: str
    country: str
    capacity: int | None
    user_id: int | None = None  # None: a new person
    # create | update | unchanged | invite (an existing account asked to join) | invited (asked already,
    # no answer yet) | declined (they said no: not asked again by an import)
    action: str = "create"
    subspecialty: str = ""
    languages: list[str] = field(default_factory=list)
    pronouns: str = ""
    time_zone: str = ""
    medical_school: str = ""
    graduation_year: int | None = None
    img_status: str = ""
    visa_status: str = ""
    ecfmg_certified: bool | None = None

    def given(self, name: str) -> bool:
        """Whether the row has a value for this profile field (an empty cell leaves what is there)."""
        return getattr(self, name) not in ("", None, [])

    def forget_details(self) -> None:
        """Someone outside the program is asked to join: nothing about them is written."""
        self.full_name = self.preferred_name = self.specialty = self.country = ""
        self.capacity = None
        for name in PROFILE_FIELDS + IMG_FIELDS:
            setattr(self, name, [] if name == "languages" else None if name in {
                "graduation_year", "ecfmg_certified"} else "")


@dataclass
class Plan:
    program: Program
    kind: str
    academic_year: int
    mapping: dict[str, str]
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    # Rows with problems the coordinator chose to leave out ("skip rows with errors").
    skipped: list[RowError] = field(default_factory=list)
    # Values of a vocabulary column Mentora does not know, to map on the preview:
    # target -> {normalized value: (the value as first written, rows)}
    unknown_values: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)
    # Columns of the file no field reads: shown on the preview, never dropped silently.
    unmapped_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    @property
    def skippable(self) -> bool:
        """Some rows are good and some have problems: the good ones may be imported on purpose."""
        return bool(self.errors) and bool(self.rows) and not self.file_errors

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        if self.skipped:
            counts["skipped"] = len({error.row for error in self.skipped})
        return counts


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def plan_import(*, sheet: Sheet, program: Program, kind: str, academic_year: int,
                mapping: dict[str, str] | None = None, value_mapping: dict[str, dict[str, str]] | None = None,
                skip_errors: bool = False) -> Plan:
    """What importing `sheet` would do. `value_mapping` gives, per vocabulary column, the code chosen for
    a value Mentora does not know ("" leaves it empty); with `skip_errors` the rows with problems are
    left out (listed in `plan.skipped`) and the others are imported."""
    mapping = dict(auto_mapping(sheet.header) if mapping is None else mapping)
    value_mapping = value_mapping or {}
    plan = Plan(program=program, kind=kind, academic_year=academic_year, mapping=mapping)
    plan.unmapped_columns = [column for column in sheet.header if column and column not in mapping.values()]
    for target, column in mapping.items():
        if target not in FIELDS:
            plan.file_errors.append(f"Unknown field “{target}”.")
        elif column not in sheet.header:
            plan.file_errors.append(f"{FIELDS[target][0]} is mapped to “{column}”, which is not a column of the file.")
    if "email" not in mapping:
        plan.file_errors.append("Map a column to Email: every row needs an email address.")
    if kind == ImportBatch.Kind.MEMBERSHIPS and "role" not in mapping:
        plan.file_errors.append("A memberships file needs a Role column (mentee or mentor).")
    if not sheet.rows:
        plan.file_errors.append("The file has a header row but no people: there is nothing to import.")
    if plan.file_errors:
        return plan
    index = {column: position for position, column in enumerate(sheet.header)}
    columns = {target: (column, index[column]) for target, column in mapping.items()}

    def cell(cells: list[str], target: str) -> str:
        if target not in columns:
            return ""
        position = columns[target][1]
        return cells[position].strip() if position < len(cells) else ""

    seen_email: dict[str, int] = {}
    seen_external: dict[str, int] = {}
    for number, cells in sheet.rows:
        errors: list[RowError] = []

        def bad(target: str, reason: str, number=number, errors=errors) -> None:
            errors.append(RowError(number, columns[target][0] if target in columns else FIELDS[target][0], reason))

        email = cell(cells, "email").lower()
        if not email:
            bad("email", "an email address is required")
        else:
            try:
                validate_email(email)
            except ValidationError:
                bad("email", f"“{email}” is not a valid email address")
            else:
                if email in seen_email:
                    bad("email", f"{email} is also on row {seen_email[email]}")
                else:
                    seen_email[email] = number
        external_id = cell(cells, "external_id")
        if len(external_id) > 100:
            bad("external_id", "longer than 100 characters")
        elif external_id:
            if external_id in seen_external:
                bad("external_id", f"“{external_id}” is also on row {seen_external[external_id]}")
            else:
                seen_external[external_id] = number
        full_name = " ".join(cell(cells, "full_name").split())
        if "full_name" not in columns:
            full_name = " ".join(f"{cell(cells, 'first_name')} {cell(cells, 'last_name')}".split())
        if len(full_name) > 200:
            bad("full_name" if "full_name" in columns else "last_name", "the name is longer than 200 characters")
        preferred_name = " ".join(cell(cells, "preferred_name").split())
        if len(preferred_name) > 100:
            bad("preferred_name", "longer than 100 characters")
        role = {"mentees": "mentee", "mentors": "mentor"}.get(kind, "")
        raw_role = cell(cells, "role")
        if raw_role:
            given = ROLES.get(normalize(raw_role))
            if given is None:
                bad("role", f"“{raw_role}” is not a role here; use mentee or mentor")
            elif role and given != role:
                bad("role", f"“{raw_role}” in a {kind} import")
            else:
                role = given
        elif not role:
            bad("role", "a role is required (mentee or mentor)")
        training_level = ""
        raw_level = cell(cells, "training_level")
        if raw_level:
            training_level = TRAINING_LOOKUP.get(normalize(raw_level), "")
            if not training_level:
                bad("training_level", f"“{raw_level}” is not a training level (PGY-1 … PGY-7, Fellow, Faculty)")
        elif role == "mentor":
            training_level = "faculty"
        specialty = subspecialty = ""
        raw_specialty = cell(cells, "specialty")
        if raw_specialty:
            key = normalize(raw_specialty)
            found = specialty_of(raw_specialty)
            if found is None and key in value_mapping.get("specialty", {}):
                chosen = value_mapping["specialty"][key]
                found = (chosen, "") if chosen in SPECIALTIES or not chosen else None
            if found is None:
                first, count = plan.unknown_values.setdefault("specialty", {}).get(key, (raw_specialty, 0))
                plan.unknown_values["specialty"][key] = (first, count + 1)
                bad("specialty", f"“{raw_specialty}” is not a specialty Mentora knows: choose one for it under "
                                 "“Values”")
            else:
                specialty, subspecialty = found
        raw_subspecialty = cell(cells, "subspecialty")
        if raw_subspecialty:
            found = SUBSPECIALTY_LOOKUP.get(normalize(raw_subspecialty))
            if found is None:
                bad("subspecialty", f"“{raw_subspecialty}” is not a subspecialty Mentora knows")
            elif specialty and found[0] != specialty:
                bad("subspecialty", f"“{raw_subspecialty}” is not a subspecialty of "
                                    f"{SPECIALTIES[specialty].lower()}")
            else:
                specialty, subspecialty = found
        details = _profile_details(lambda target, cells=cells: cell(cells, target), bad)
        country = ""
        raw_country = cell(cells, "medical_school_country")
        if raw_country:
            country = COUNTRY_LOOKUP.get(normalize(raw_country), "")
            if not country:
                bad("medical_school_country", f"“{raw_country}” is not a country name or two-letter code")
        capacity = None
        raw_capacity = cell(cells, "capacity")
        if raw_capacity:
            if not raw_capacity.isdecimal() or not 0 <= int(raw_capacity) <= 50:
                bad("capacity", f"“{raw_capacity}” is not a whole number from 0 to 50")
            elif role != "mentor":
                bad("capacity", "only mentors have a mentee capacity")
            else:
                capacity = int(raw_capacity)
        if errors:
            plan.errors.extend(errors)
            continue
        plan.rows.append(RowPlan(number, email, external_id, full_name, preferred_name, role, training_level,
                                 specialty, country, capacity, subspecialty=subspecialty, **details))
    _match_existing(plan, columns)
    if skip_errors and plan.errors and not plan.file_errors:
        plan.skipped, plan.errors = plan.errors, []
    if not plan.rows and not plan.errors and not plan.file_errors:
        plan.file_errors.append("Every row has a problem: there is nothing to import.")
    return plan


def _profile_details(cell, bad) -> dict:
    """The profile columns of a row beyond name, role, level and specialty, checked."""
    details: dict = {}
    raw = cell("languages")
    if raw:
        codes, unknown = languages_of(raw)
        if unknown:
            bad("languages", f"“{', '.join(unknown)}” {'is not a language' if len(unknown) == 1 else 'are not languages'}"
                             " Mentora knows")
        details["languages"] = codes
    raw = cell("graduation_year")
    if raw:
        latest = datetime.date.today().year + 1
        year = raw[:-2] if raw.endswith(".0") else raw  # a year read from a spreadsheet number
        if not year.isdecimal() or not EARLIEST_GRADUATION <= int(year) <= latest:
            bad("graduation_year", f"“{raw}” is not a year from {EARLIEST_GRADUATION} to {latest}")
        else:
            details["graduation_year"] = int(year)
    for target, lookup, what in (("visa_status", VISA_LOOKUP, "a visa status (J-1, H-1B, O-1, Permanent resident, "
                                                            "US citizen, Other)"),
                                 ("img_status", IMG_LOOKUP, "an IMG status (Non-US IMG, US-citizen IMG, US graduate)")):
        raw = cell(target)
        if raw:
            code = lookup.get(normalize(raw))
            if code is None:
                bad(target, f"“{raw}” is not {what}")
            else:
                details[target] = code
    raw = cell("ecfmg_certified")
    if raw:
        if normalize(raw) not in YES_NO:
            bad("ecfmg_certified", f"“{raw}” is not yes or no")
        else:
            details["ecfmg_certified"] = YES_NO[normalize(raw)]
    raw = cell("time_zone")
    if raw:
        if not is_time_zone(raw):
            bad("time_zone", f"“{raw}” is not a time zone (e.g. America/Chicago)")
        else:
            details["time_zone"] = raw
    for target, limit in (("pronouns", 40), ("medical_school", 200)):
        raw = " ".join(cell(target).split())
        if len(raw) > limit:
            bad(target, f"longer than {limit} characters")
        elif raw:
            details[target] = raw
    return details


def _match_existing(plan: Plan, columns: dict[str, tuple[str, int]]) -> None:
    """Find who exists already, flag conflicts, and decide create / update / unchanged per row."""
    program = plan.program
    emails = [row.email for row in plan.rows]
    users: dict[str, tuple] = {}
    fields = ("id", "email", "full_name", "preferred_name")
    for chunk in _chunks(emails):
        for values in User.objects.filter(email__in=chunk).values_list(*fields):
            users[values[1]] = values
    by_value = dict(ExternalId.objects.filter(program=program).values_list("value", "user_id"))
    value_of = {user_id: value for value, user_id in by_value.items()}
    emails_by_id: dict[int, tuple] = {}
    wanted = [user_id for row in plan.rows if row.external_id and (user_id := by_value.get(row.external_id))]
    for chunk in _chunks(wanted):
        for values in User.objects.filter(pk__in=chunk).values_list(*fields):
            emails_by_id[values[0]] = values
    belongs = _belonging(program=program, academic_year=plan.academic_year,
                         user_ids=[found[0] for found in users.values()] + list(emails_by_id))
    asked = {(user_id, role): status for user_id, role, status in MembershipInvitation.objects.filter(
        program=program, academic_year=plan.academic_year).values_list("user_id", "role", "status")}
    memberships = {(user_id, role): level for user_id, role, level in Membership.objects.filter(
        program=program, academic_year=plan.academic_year, is_active=True).values_list(
        "user_id", "role", "training_level")}
    column = {target: columns[target][0] if target in columns else FIELDS[target][0] for target in FIELDS}
    kept: list[RowPlan] = []
    existing: list[tuple[RowPlan, tuple]] = []
    for row in plan.rows:
        by_email = users.get(row.email)
        known_id = by_value.get(row.external_id) if row.external_id else None
        if known_id is not None and by_email is not None and by_email[0] != known_id:
            plan.errors.append(RowError(row.row, column["email"],
                                        f"{row.email} belongs to someone else than external id “{row.external_id}”"))
            continue
        if known_id is None and by_email is not None and row.external_id and by_email[0] in value_of:
            plan.errors.append(RowError(row.row, column["external_id"],
                                        f"{row.email} already has external id “{value_of[by_email[0]]}” here"))
            continue
        current = emails_by_id.get(known_id) if known_id is not None else by_email
        if current is None:
            if not row.full_name:
                plan.errors.append(RowError(row.row, column["full_name"], "a name is required for a new person"))
                continue
            row.action = "create"
            kept.append(row)
            continue
        row.user_id = current[0]
        if (row.user_id, row.role) not in belongs:  # not theirs to attach: they are asked, nothing is written
            if current[1] != row.email:
                plan.errors.append(RowError(row.row, column["email"],
                                            "the email of someone outside this program cannot be changed"))
                continue
            status = asked.get((row.user_id, row.role))
            row.action = {MembershipInvitation.Status.PENDING: "invited",
                          MembershipInvitation.Status.DECLINED: "declined"}.get(status, "invite")
            row.forget_details()
            kept.append(row)
            continue
        existing.append((row, current))
        kept.append(row)
    details = _details_of([row.user_id for row, _current in existing])
    for row, current in existing:
        profile = details["profile"].get(row.user_id, {})
        changes = (
            (row.external_id and value_of.get(row.user_id) != row.external_id)
            or (row.user_id, row.role) not in memberships
            or (row.training_level and memberships[(row.user_id, row.role)] != row.training_level)
            or current[1] != row.email
            or (row.full_name and current[2] != row.full_name)
            or (row.preferred_name and current[3] != row.preferred_name)
            or any(row.given(name) and profile.get(name) != getattr(row, name) for name in PROFILE_FIELDS)
            or any(row.given(name) and details["img"].get(row.user_id, {}).get(name) != getattr(row, name)
                   for name in IMG_FIELDS)
            or (row.role == "mentor" and (row.user_id not in details["capacity"] or (
                row.capacity is not None and details["capacity"][row.user_id] != row.capacity)))
        )
        row.action = "update" if changes else "unchanged"
    plan.rows = kept
    plan.errors.sort(key=lambda error: error.row)


def _belonging(*, program: Program, academic_year: int, user_ids: list[int]) -> set[tuple[int, str]]:
    """(person, role) pairs that already belong to the program for that year, by the rule in the docstring."""
    latest: dict[tuple[int, str], tuple[int, bool]] = {}
    for chunk in _chunks(user_ids):
        for user_id, role, year, active in Membership.objects.filter(
                program=program, user_id__in=chunk, academic_year__lte=academic_year).values_list(
                "user_id", "role", "academic_year", "is_active"):
            key = (user_id, role)
            if key not in latest or year > latest[key][0]:
                latest[key] = (year, active)
    return {key for key, (_year, active) in latest.items() if active}


IMG_COLUMNS = {name: "medical_school_country" if name == "country" else name for name in IMG_FIELDS}


def _details_of(user_ids: list[int]) -> dict[str, dict]:
    found: dict[str, dict] = {"profile": {}, "img": {}, "capacity": {}}
    for chunk in _chunks(user_ids):
        found["profile"].update((values["user_id"], values) for values in Profile.objects.filter(
            user_id__in=chunk).values("user_id", *PROFILE_FIELDS))
        found["img"].update(
            (values["user_id"], {name: values[column] for name, column in IMG_COLUMNS.items()})
            for values in ImgDetails.objects.filter(user_id__in=chunk).values("user_id", *IMG_COLUMNS.values()))
        found["capacity"].update(MentorOffer.objects.filter(user_id__in=chunk).values_list("user_id", "capacity"))
    return found
