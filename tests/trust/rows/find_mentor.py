"""Find a mentor (directory, recommendations, requests, referrals, team) and batch matching (issue 4).

Requests are visible to their mentee and mentor only; referrals to their mentee and the coordinators
of the network (and admins); batch match runs to the coordinators of their program (and admins).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from mentora.batchmatch.models import MatchPair, MatchRun
from mentora.batchmatch.services import summary_of
from mentora.core.academic_year import current_academic_year
from mentora.directory.models import MentorshipRequest, ReferralProposal, ReferralRequest
from mentora.matching import SENSITIVE_REASON
from mentora.profiles.models import SensitiveAttributes
from tests.factories import NetworkFactory
from tests.trust.matrix import Row

WHY = "Why probe 4K"
LOOKING_FOR = "Referral probe 9Z"
PROPOSAL_FORM = "Propose one to three mentors"


def _fresh_recommendations():
    """Recommendations cache the mentor side; rows roll back, so start from the database each time."""
    from django.core.cache import cache

    from mentora.directory import matching

    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)


def _request(c) -> int:
    """Mentee A asks the other mentor."""
    request = MentorshipRequest.objects.create(
        mentee=c.mentee_a, mentor=c.other_mentor, kind="career", why=WHY, hopes="h",
        expires_at=timezone.now() + datetime.timedelta(days=7))
    c["_request_url"] = reverse("directory:request_detail", args=[request.pk])
    return request.pk


def _referral(c, *, proposed: bool = False, status: str | None = None) -> int:
    _fresh_recommendations()
    referral = ReferralRequest.objects.create(mentee=c.mentee_a, network=c.network, looking_for=LOOKING_FOR,
                                              status=status or ("proposed" if proposed else "open"))
    if proposed:
        ReferralProposal.objects.create(referral=referral, mentor=c.other_mentor)
    return referral.pk


def _run(c) -> int:
    """A finished preview for A's program pairing mentee B with mentor A."""
    result = {"concordance_asked": {}, "summary": summary_of([(c.mentor_a.pk, 50.0, [])], {})}
    run = MatchRun.objects.create(program=c.program, academic_year=current_academic_year(), status="ready",
                                  result=result)
    MatchPair.objects.create(run=run, mentee=c.mentee_b, mentor=c.mentor_a, score=50.0,
                             sort_name=c.mentee_b.display_name)
    c["_run_link"] = f">#{run.pk}<"
    return run.pk


def _run_with_unmatched(c) -> int:
    """The same preview, with mentee A left unmatched (to be given a mentor by hand)."""
    run_id = _run(c)
    MatchPair.objects.create(run_id=run_id, mentee=c.mentee_a, unmatched_reason="no mentor with a free place",
                             sort_name=c.mentee_a.display_name)
    return run_id


def _recommended(c):
    _fresh_recommendations()
    return reverse("directory:recommended")


def _concordance(c, visibility: str) -> None:
    """Mentee A asks for race concordance; the other mentor shares A's race and agreed to be matched
    on it, keeping it private or showing it on their profile (issue 13: concordance is no oracle)."""
    _fresh_recommendations()
    now = timezone.now()
    SensitiveAttributes.objects.create(user=c.mentee_a, consented_at=now, race_ethnicity="black",
                                       concordance_wanted=["race_ethnicity"])
    SensitiveAttributes.objects.create(user=c.other_mentor, consented_at=now, race_ethnicity="black",
                                       race_ethnicity_visibility=visibility, concordance_consent=["race_ethnicity"])


def _concordance_url(visibility: str, url: str):
    return lambda c: (_concordance(c, visibility), url if url.startswith("/") else reverse(url))[1]


def _concordance_reason(c) -> str:
    return SENSITIVE_REASON


PREFERENCES = {"specialty": 3, "research_interests": 2, "career_tracks": 2, "img_background": 1, "country": 1,
               "languages": 5, "concordance": 2}
RUN_FORM = {"kind": "career", "cohort": "all", "pool": "program", "algorithm": "optimal", "exclude_previous": "on",
            "institution_rule": "any", **{f"weight_{n}": 1 for n in (
                "specialty", "research_interests", "career_tracks", "img_background", "country", "languages",
                "time_zone", "training_gap", "institution")}}

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("directory:directory", lambda c: reverse("directory:directory") + "?q=a&accepting=on&sort=room",
        "login 200   200   200   200   200   200   200   200"),
    Row("directory:recommended", _recommended,
        "login 200   200   200   200   200   200   200   200"),
    Row("directory:recommended", _concordance_url("private", "directory:recommended"), probe=_concordance_reason,
        note="a mentor's private race never shows as a concordance",
        expect="login 200-  200-  200-  200-  200-  200-  200-  200-"),
    Row("directory:recommended", _concordance_url("directory", "directory:recommended"), probe=_concordance_reason,
        note="a race the mentor shows on their profile may",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("directory:match_preferences", lambda c: reverse("directory:match_preferences"),
        "login 200   200   200   200   200   200   200   200"),
    Row("directory:match_preferences", lambda c: reverse("directory:match_preferences"), method="POST", data=PREFERENCES,
        note="one's own preferences only",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("directory:mentoring_team", lambda c: reverse("directory:mentoring_team"),
        "login 200   200   200   200   200   200   200   200"),
    Row("directory:request_list", lambda c: (_request(c), reverse("directory:request_list"))[1], probe=lambda c: c["_request_url"],
        expect="login 200+  200-  200-  200+  200-  200-  200-  200-"),
    Row("directory:request_new", lambda c: reverse("directory:request_new", args=[c.mentor_a.pk]), note="nobody asks themselves",
        expect="login 200   200   403   200   200   200   200   200"),
    Row("directory:request_new", lambda c: reverse("directory:request_new", args=[c.mentor_a.pk]), method="POST",
        data={"kind": "research", "why": "w", "hopes": "h"},
        note="mentee A is refused: A already is their mentor (for any kind)",
        expect="login 200   302   403   302   302   302   302   302"),
    Row("directory:request_detail", lambda c: reverse("directory:request_detail", args=[_request(c)]), note="A asks the other mentor",
        expect="login 200   404   404   200   404   404   404   404"),
    Row("directory:request_answer", lambda c: reverse("directory:request_answer", args=[_request(c), "accept"]), method="POST",
        note="accept: the mentor asked only",
        expect="login 403   404   404   302   404   404   404   404"),
    Row("directory:request_answer", lambda c: reverse("directory:request_answer", args=[_request(c), "withdraw"]), method="POST",
        note="withdraw: the mentee only",
        expect="login 302   404   404   403   404   404   404   404"),
    Row("directory:referral_list", lambda c: reverse("directory:referral_list"),
        "login 200   200   200   200   200   200   200   200"),
    Row("directory:referral_new", lambda c: reverse("directory:referral_new"),
        "login 200   200   200   200   200   200   200   200"),
    Row("directory:referral_new", lambda c: reverse("directory:referral_new"), method="POST",
        data=lambda c: {"network": c.network.pk, "kind": "career", "looking_for": "A cardiologist"},
        expect="login 302   302   302   302   302   302   302   302"),
    Row("directory:referral_detail", lambda c: reverse("directory:referral_detail", args=[_referral(c)]),
        probe=lambda c: PROPOSAL_FORM, note="A's referral; only the network's coordinators may propose",
        expect="login 200-  404   404   404   404   404   200+  200+"),
    Row("directory:referral_detail", lambda c: reverse("directory:referral_detail", args=[_referral(c)]), method="POST",
        data=lambda c: {"mentors": [c.other_mentor.pk], "note": "n"}, note="propose",
        expect="login 403   404   404   404   404   404   302   302"),
    Row("directory:referral_pick", lambda c: reverse("directory:referral_pick", args=[_referral(c, proposed=True)]), method="POST",
        data=lambda c: {"mentor": c.other_mentor.pk, "why": "w", "hopes": "h"},
        expect="login 302   404   404   404   404   404   403   403"),
    Row("directory:referral_cancel", lambda c: reverse("directory:referral_cancel", args=[_referral(c)]), method="POST",
        expect="login 302   404   404   404   404   404   403   403"),
    Row("directory:referral_pick", lambda c: reverse("directory:referral_pick", args=[_referral(c)]), method="POST",
        data=lambda c: {"mentor": c.other_mentor.pk, "why": "w", "hopes": "h"},
        note="nothing proposed yet: not even the mentee may pick",
        expect="login 403   404   404   404   404   404   403   403"),
    Row("directory:referral_cancel", lambda c: reverse("directory:referral_cancel", args=[_referral(c, status="cancelled")]),
        method="POST", note="already cancelled: not even the mentee may cancel it again",
        expect="login 403   404   404   404   404   404   403   403"),
    Row("batchmatch:match_run_list", lambda c: (_run(c), reverse("batchmatch:match_run_list"))[1], probe=lambda c: c["_run_link"],
        expect="login 403   403   403   403   200+  200-  403   200+"),
    Row("batchmatch:match_run_new", lambda c: reverse("batchmatch:match_run_new"),
        "login 403   403   403   403   200   200   403   200"),
    Row("batchmatch:match_run_new", lambda c: reverse("batchmatch:match_run_new"), method="POST",
        data=lambda c: {**RUN_FORM, "program": c.program.pk}, note="for A's program",
        expect="login 403   403   403   403   302   200   403   302"),
    Row("batchmatch:match_run_detail", lambda c: reverse("batchmatch:match_run_detail", args=[_run(c)]),
        "login 404   404   404   404   200   404   404   200"),
    Row("batchmatch:match_run_swap", lambda c: reverse("batchmatch:match_run_swap", args=[_run(c), c.mentee_b.pk]),
        "login 404   404   404   404   200   404   404   200"),
    Row("batchmatch:match_run_assign", lambda c: reverse("batchmatch:match_run_assign", args=[_run_with_unmatched(c), c.mentee_a.pk]),
        "login 404   404   404   404   200   404   404   200"),
    Row("batchmatch:match_run_action", lambda c: reverse("batchmatch:match_run_action", args=[_run_with_unmatched(c), "assign"]),
        method="POST", data=lambda c: {"mentee": c.mentee_a.pk, "mentor": c.other_mentor.pk}, note="assign",
        expect="login 404   404   404   404   302   404   404   302"),
    Row("batchmatch:match_run_progress", lambda c: reverse("batchmatch:match_run_progress", args=[_run(c)]), note="finished: refresh",
        expect="login 404   404   404   404   204   404   404   204"),
    Row("batchmatch:match_run_action", lambda c: reverse("batchmatch:match_run_action", args=[_run(c), "lock"]), method="POST",
        data=lambda c: {"mentee": c.mentee_b.pk},
        expect="login 404   404   404   404   302   404   404   302"),
    Row("batchmatch:match_run_action", lambda c: reverse("batchmatch:match_run_action", args=[_run(c), "keep"]), method="POST",
        data=lambda c: {"mentee": c.mentee_b.pk, "mentor": c.mentor_a.pk, "reason": "The only cardiologist"},
        note="keep a conflict-of-interest pair (the policy decides; refused on the page otherwise)",
        expect="login 404   404   404   404   302   404   404   302"),
    # The API: the same rules.
    Row("GET /api/directory/mentors", lambda c: "/api/directory/mentors?accepting=true",
        "401   200   200   200   200   200   200   200   200"),
    Row("GET /api/directory/recommendations",
        lambda c: (_fresh_recommendations(), "/api/directory/recommendations")[1],
        "401   200   200   200   200   200   200   200   200"),
    Row("GET /api/directory/recommendations", _concordance_url("private", "/api/directory/recommendations"),
        probe=_concordance_reason, note="a mentor's private race never shows as a concordance",
        expect="401   200-  200-  200-  200-  200-  200-  200-  200-"),
    Row("GET /api/directory/recommendations", _concordance_url("directory", "/api/directory/recommendations"),
        probe=_concordance_reason, note="a race the mentor shows on their profile may",
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("GET /api/directory/preferences", lambda c: "/api/directory/preferences",
        "401   200   200   200   200   200   200   200   200"),
    Row("PUT /api/directory/preferences", lambda c: "/api/directory/preferences", method="PUT",
        data={"languages": 2},
        expect="401   200   200   200   200   200   200   200   200"),
    Row("GET /api/directory/team", lambda c: "/api/directory/team",
        "401   200   200   200   200   200   200   200   200"),
    Row("GET /api/requests", lambda c: (_request(c), "/api/requests")[1], probe=lambda c: WHY,
        expect="401   200+  200-  200-  200+  200-  200-  200-  200-"),
    Row("POST /api/requests", lambda c: "/api/requests", method="POST",
        data=lambda c: {"mentor_id": c.mentor_a.pk, "kind": "research", "why": "w", "hopes": "h"},
        note="mentee A is refused: A already is their mentor (for any kind)",
        expect="401   422   201   403   201   201   201   201   201"),
    Row("GET /api/requests/{request_id}", lambda c: f"/api/requests/{_request(c)}",
        "401   200   404   404   200   404   404   404   404"),
    Row("POST /api/requests/{request_id}/accept", lambda c: f"/api/requests/{_request(c)}/accept", method="POST",
        expect="401   403   404   404   200   404   404   404   404"),
    Row("POST /api/requests/{request_id}/decline", lambda c: f"/api/requests/{_request(c)}/decline", method="POST",
        data={"note": "Full"},
        expect="401   403   404   404   200   404   404   404   404"),
    Row("POST /api/requests/{request_id}/withdraw", lambda c: f"/api/requests/{_request(c)}/withdraw",
        method="POST",
        expect="401   200   404   404   403   404   404   404   404"),
    Row("GET /api/referrals", lambda c: (_referral(c), "/api/referrals")[1], probe=lambda c: LOOKING_FOR,
        expect="401   200+  200-  200-  200-  200-  200-  200+  200+"),
    Row("POST /api/referrals", lambda c: "/api/referrals", method="POST",
        data=lambda c: {"network_id": c.network.pk, "looking_for": "A sponsor"},
        expect="401   201   201   201   201   201   201   201   201"),
    Row("POST /api/referrals", lambda c: "/api/referrals", method="POST",
        data=lambda c: {"network_id": NetworkFactory().pk, "looking_for": "A sponsor"},
        note="a network not of A's program: its mentees ask their own; the others, in no network's program, any",
        expect="401   403   403   201   201   201   201   201   201"),
    Row("GET /api/referrals/{referral_id}", lambda c: f"/api/referrals/{_referral(c)}",
        "401   200   404   404   404   404   404   200   200"),
    Row("POST /api/referrals/{referral_id}/proposal", lambda c: f"/api/referrals/{_referral(c)}/proposal",
        method="POST", data=lambda c: {"mentor_ids": [c.other_mentor.pk]},
        expect="401   403   404   404   404   404   404   200   200"),
    Row("POST /api/referrals/{referral_id}/pick", lambda c: f"/api/referrals/{_referral(c, proposed=True)}/pick",
        method="POST", data=lambda c: {"mentor_id": c.other_mentor.pk, "why": "w", "hopes": "h"},
        expect="401   201   404   404   404   404   404   403   403"),
    Row("GET /api/match-runs", lambda c: (_run(c), "/api/match-runs")[1],
        probe=lambda c: f'"program_id": {c.program.pk}, "kind"',
        expect="401   200-  200-  200-  200-  200+  200-  200-  200+"),
    Row("POST /api/match-runs", lambda c: "/api/match-runs", method="POST",
        data=lambda c: {"program_id": c.program.pk},
        expect="401   403   403   403   403   202   403   403   202"),
    Row("GET /api/match-runs/{run_id}", lambda c: f"/api/match-runs/{_run(c)}",
        "401   404   404   404   404   200   404   404   200"),
    Row("GET /api/match-runs/{run_id}/conflicts", lambda c: f"/api/match-runs/{_run(c)}/conflicts",
        "401   404   404   404   404   200   404   404   200"),
    Row("POST /api/match-runs/{run_id}/edit", lambda c: f"/api/match-runs/{_run(c)}/edit", method="POST",
        data=lambda c: {"action": "lock", "mentee_id": c.mentee_b.pk},
        expect="401   404   404   404   404   200   404   404   200"),
    Row("POST /api/match-runs/{run_id}/rerun", lambda c: f"/api/match-runs/{_run(c)}/rerun", method="POST",
        expect="401   404   404   404   404   202   404   404   202"),
    Row("POST /api/match-runs/{run_id}/publish", lambda c: f"/api/match-runs/{_run(c)}/publish", method="POST",
        expect="401   404   404   404   404   202   404   404   202"),
]
