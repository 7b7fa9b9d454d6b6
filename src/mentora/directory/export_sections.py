"""Find a mentor's part of a person's copy: their preferences, requests and referrals."""

from django.db.models import Q

from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import MatchPreferences, MentorshipRequest, ReferralProposal, ReferralRequest

EXEMPT["batchmatch.MatchRun"] = "a program's batch-match run; only who created or published it points at a person"
EXEMPT["batchmatch.MatchPair"] = (
    "a coordinator's draft pair in a batch-match preview; its reasons can rest on the other person's private "
    "answers, and once published it is a relationship, which is in the copy")


@person_section(
    "finding_a_mentor",
    models=["directory.MatchPreferences", "directory.MentorshipRequest", "directory.ReferralRequest",
            "directory.ReferralProposal"],
)
def finding_a_mentor(user):
    referrals = ReferralRequest.objects.filter(mentee=user)
    return {
        "what_matters_to_me": rows(MatchPreferences.objects.filter(user=user)),
        "requests": rows(MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user))),
        "referral_requests": rows(referrals),
        "referral_proposals": rows(ReferralProposal.objects.filter(Q(referral__in=referrals) | Q(mentor=user))),
    }
