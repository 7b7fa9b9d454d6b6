"""Who may see and do what in finding a mentor. Used by pages, the API and list queries alike."""

from django.db.models import Q, QuerySet

from mentora.programs.models import Network
from mentora.programs.selectors import user_roles

from .models import MentorshipRequest, ReferralRequest


def can_request_mentor(viewer, mentor) -> bool:
    """Anyone signed in may ask a mentor in the directory, but not themselves."""
    return viewer.is_authenticated and viewer.pk != mentor.pk and hasattr(mentor, "mentor_offer")


def can_answer_request(viewer, request: MentorshipRequest) -> bool:
    return viewer.is_authenticated and viewer.pk == request.mentor_id and request.is_pending


def can_withdraw_request(viewer, request: MentorshipRequest) -> bool:
    return viewer.is_authenticated and viewer.pk == request.mentee_id and request.is_pending


def visible_requests(viewer) -> QuerySet[MentorshipRequest]:
    """The requests a person may see: the ones they sent and the ones they received."""
    if not viewer.is_authenticated:
        return MentorshipRequest.objects.none()
    return MentorshipRequest.objects.filter(Q(mentee=viewer) | Q(mentor=viewer))


def _coordinates_network(viewer, network_id: int) -> bool:
    roles = user_roles(user=viewer)
    return roles.is_admin or network_id in roles.coordinated_network_ids


def askable_networks(viewer) -> QuerySet[Network]:
    """The networks a person may ask for a referral: those of the programs they are a mentee in; a person
    whose programs belong to no network (an unaffiliated graduate, a mentor looking for their own mentor)
    may ask any. The one definition behind the referral form's choices and the check of every request."""
    if not viewer.is_authenticated:
        return Network.objects.none()
    theirs = Network.objects.filter(programs__id__in=user_roles(user=viewer).mentee_program_ids).distinct()
    return theirs if theirs.exists() else Network.objects.all()


def can_ask_network_for_referral(viewer, network) -> bool:
    return askable_networks(viewer).filter(pk=network.pk).exists()


def can_answer_referral(viewer, referral: ReferralRequest) -> bool:
    return (
        viewer.is_authenticated and viewer.pk != referral.mentee_id
        and _coordinates_network(viewer, referral.network_id)
        and referral.status in (ReferralRequest.Status.OPEN, ReferralRequest.Status.PROPOSED)
    )


def can_pick_referral(viewer, referral: ReferralRequest) -> bool:
    return viewer.is_authenticated and viewer.pk == referral.mentee_id and referral.status == ReferralRequest.Status.PROPOSED


def can_cancel_referral(viewer, referral: ReferralRequest) -> bool:
    return viewer.is_authenticated and viewer.pk == referral.mentee_id and referral.status in (
        ReferralRequest.Status.OPEN, ReferralRequest.Status.PROPOSED)


def visible_referrals(viewer) -> QuerySet[ReferralRequest]:
    if not viewer.is_authenticated:
        return ReferralRequest.objects.none()
    roles = user_roles(user=viewer)
    if roles.is_admin:
        return ReferralRequest.objects.all()
    return ReferralRequest.objects.filter(Q(mentee=viewer) | Q(network_id__in=roles.coordinated_network_ids))
