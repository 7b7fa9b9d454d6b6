"""Who may see and change whose profile. Used by pages, the API and list queries alike."""

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.programs.selectors import user_roles

from .models import MentorOffer, SensitiveAttributes


# Relationships and requests are read through the person (their reverse relations), not imported:
# those apps sit above profiles (a relationship's start reads the mentor's offer).
def _is_mentor_of(viewer, person) -> bool:
    relationships = person.relationships_as_mentee
    return relationships.filter(mentor=viewer, status__in=relationships.model.OPEN_STATUSES).exists()


def _asked_by(viewer, person) -> bool:
    """A mentor the person asked to mentor them, while the request waits: they decide with the profile in view."""
    requests = person.requests_sent
    return requests.filter(mentor=viewer, status=requests.model.Status.PENDING).exists()


def _coordinates_person(viewer, person) -> bool:
    """A member of one of the viewer's programs now or for the coming year. A pending invitation, a
    program the person left, or a past year gives only what the directory shows everyone."""
    roles = user_roles(user=viewer)
    if not roles.coordinated_program_ids:
        return False
    return Membership.objects.filter(
        user=person, program_id__in=roles.coordinated_program_ids, academic_year__gte=current_academic_year(),
        is_active=True,
    ).exists()


def can_view_profile(viewer, person) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or viewer.is_superuser:
        return True
    if MentorOffer.objects.filter(user=person).exists():
        return True  # mentors are in the directory
    return _is_mentor_of(viewer, person) or _asked_by(viewer, person) or _coordinates_person(viewer, person)


def can_edit_profile(viewer, person) -> bool:
    """A person edits their own profile, IMG details, mentor offer and photo, and gives or withdraws their
    optional attributes; nobody else does (not their mentor, not a coordinator, not a site admin: consent
    cannot be given or taken back for someone else, and every page and endpoint edits one's own)."""
    return viewer.is_authenticated and viewer.pk == person.pk


def can_view_visa(viewer, person) -> bool:
    """Visa and immigration details: the person, and their mentors only if the person allows it."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    details = getattr(person, "img_details", None)
    return bool(details and details.visa_visible_to_mentors and _is_mentor_of(viewer, person))


def can_view_sensitive_field(viewer, person, visibility: str) -> bool:
    """One consented sensitive attribute with the given per-field visibility."""
    if visibility == SensitiveAttributes.Visibility.DIRECTORY:
        return True
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    return visibility == SensitiveAttributes.Visibility.MENTORS and _is_mentor_of(viewer, person)


def can_rank_on_sensitive_field(attributes: SensitiveAttributes, field: str) -> bool:
    """May this mentor's sensitive value move them in a mentee's self-service ranking or show as a reason?

    Only if its owner consented, agreed to be matched on it, and shows it on their profile: what the
    mentee could read in the directory anyway. A private value ("Only me") or one shown to the
    person's own mentors only is never used there, so a mentee who varies their own attributes and
    weights learns nothing about it. Coordinator batch matching may still use it (the adapter's
    program-staff audience).
    """
    return (
        attributes.has_consented
        and bool(getattr(attributes, field, None))
        and field in (attributes.concordance_consent or ())
        and getattr(attributes, f"{field}_visibility", None) == SensitiveAttributes.Visibility.DIRECTORY
    )


def visible_sensitive_fields(viewer, person) -> dict[str, str]:
    """Sensitive values the viewer may see, by field label; empty for almost everyone."""
    try:
        attributes = person.sensitive_attributes
    except SensitiveAttributes.DoesNotExist:
        return {}
    if not attributes.has_consented:
        return {}
    shown = {}
    for field, label in (("gender", "Gender"), ("race_ethnicity", "Race or ethnicity")):
        value = getattr(attributes, field)
        if value and can_view_sensitive_field(viewer, person, getattr(attributes, f"{field}_visibility")):
            shown[label] = getattr(attributes, f"get_{field}_display")()
    if attributes.lgbtq_identity is not None and can_view_sensitive_field(
        viewer, person, attributes.lgbtq_identity_visibility
    ):
        shown["LGBTQ+"] = "Yes" if attributes.lgbtq_identity else "No"
    return shown


def can_change_photo(viewer, person) -> bool:
    """A person puts up and takes down their own photo; the site's admins may take one down (moderation)."""
    if not viewer.is_authenticated:
        return False
    return viewer.pk == person.pk or viewer.is_superuser
