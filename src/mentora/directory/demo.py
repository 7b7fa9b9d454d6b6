"""The find-a-mentor part of the demo network: preferences, requests in every state, referrals.

Bulk inserts only (about 2 s at 50,000 mentees). Requests go to mentors of the mentee's program
who accept new mentees; none is accepted here (accepted requests need their relationship, which
the base network makes without requests).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from mentora.profiles.models import MentorOffer
from mentora.relationships.models import Relationship

from .models import MatchPreferences, MentorshipRequest, ReferralProposal, ReferralRequest

WHY = [
    "Your work on {topic} is exactly what I want to learn.",
    "I am an IMG like you and would value your advice on {topic}.",
    "A colleague said you mentor residents interested in {topic}.",
]
HOPES = [
    "In five years I want to be in an academic fellowship; this year I hope to present one abstract.",
    "I want a clear plan for my first research project and a poster at a national meeting.",
    "Help me prepare for fellowship applications and build a professional network.",
]
TOPICS = ["outcomes research", "medical education", "quality improvement", "global health", "career planning"]


def generate(context) -> None:
    rng = context.rng
    now = timezone.now()
    offers = dict(MentorOffer.objects.filter(accepting_new_mentees=True).values_list("user_id", "kinds_offered"))
    by_program: dict[int, list[int]] = defaultdict(list)
    for mentor_id, program_id in context.mentor_program.items():
        if mentor_id in offers:
            by_program[program_id].append(mentor_id)

    context.bulk_create(MatchPreferences, (
        MatchPreferences(
            user_id=mentee_id, specialty=rng.choice([1, 2, 3, 3, 5]), research_interests=rng.choice([1, 2, 3, 5]),
            career_tracks=rng.choice([0, 1, 2, 3]), img_background=rng.choice([0, 1, 2, 3]),
            country=rng.choice([0, 1, 1, 2, 3]), languages=rng.choice([0, 1, 1, 2, 5]),
            concordance=rng.choice([1, 2, 3]),
        )
        for mentee_id in context.mentee_ids if rng.random() < 0.25
    ), "match preferences")

    requests = []
    mentor_login, mentee_login = context.logins["mentor"], context.logins["mentee"]
    for mentee_id in context.mentee_ids:
        if rng.random() > 0.07:
            continue
        candidates = by_program.get(context.mentee_program.get(mentee_id), [])
        if not candidates:
            continue
        mentor_id = rng.choice(candidates)
        kind = rng.choice(offers[mentor_id] or ["career"])
        status = rng.choices(["pending", "declined", "expired", "withdrawn"], weights=[55, 20, 20, 5], k=1)[0]
        created = now - datetime.timedelta(days=rng.randint(1, 13) if status == "pending" else rng.randint(15, 120))
        topic = rng.choice(TOPICS)
        requests.append(MentorshipRequest(
            mentee_id=mentee_id, mentor_id=mentor_id, kind=kind, program_id=context.mentee_program.get(mentee_id),
            network_id=context.network.pk, why=rng.choice(WHY).format(topic=topic), hopes=rng.choice(HOPES),
            status=status, expires_at=created + datetime.timedelta(days=14),
            answered_at=None if status == "pending" else created + datetime.timedelta(days=rng.randint(1, 14)),
            answer_note="I am at capacity this year; please ask Dr. Okafor's network for a referral."
            if status == "declined" and rng.random() < 0.5 else "",
        ))
    # The demo mentor has a request waiting from a demo-program mentee.
    demo_mentees = [m for m in context.mentee_ids if context.mentee_program.get(m) == context.demo_program.pk]
    taken = {(r.mentee_id, r.mentor_id, r.kind) for r in requests}
    if demo_mentees and (demo_mentees[0], mentor_login.pk, "research") not in taken:
        requests.append(MentorshipRequest(
            mentee_id=demo_mentees[0], mentor_id=mentor_login.pk, kind="research", program=context.demo_program,
            network=context.network, why=WHY[0].format(topic="heart failure outcomes"), hopes=HOPES[1],
            expires_at=now + datetime.timedelta(days=10),
        ))
    context.bulk_create(MentorshipRequest, requests, "mentorship requests")

    referrals = []
    for mentee_id in context.mentee_ids:
        if rng.random() < 0.006 and mentee_id != mentee_login.pk:
            referrals.append(ReferralRequest(
                mentee_id=mentee_id, network=context.network, kind=rng.choice(["career", "research", "sponsor"]),
                looking_for=rng.choice([
                    "A mentor who went through the J-1 waiver process and now works in academic medicine.",
                    "Someone who can help me plan a research year before fellowship.",
                    "A sponsor in my specialty who knows the fellowship programs in the Northeast.",
                ]),
                status=rng.choice(["open", "open", "proposed", "picked", "cancelled"]),
            ))
    # At least two mentees chose a mentor, so the history shows a request waiting and one declined.
    for referral in referrals[:2]:
        referral.status = "picked"
    # Answered ones show in the coordinators' history: who answered, when.
    network_login = context.logins.get("network")
    for referral in referrals:
        if referral.status in ("proposed", "picked"):
            referral.answered_by = network_login
            referral.answered_at = now - datetime.timedelta(days=rng.randint(1, 40))
    created = context.bulk_create(ReferralRequest, referrals, "referral requests")
    accepting = [m for m in context.mentor_ids if m in offers]
    proposals = []
    for referral in created:
        if referral.status in ("proposed", "picked") and len(accepting) >= 2:
            for position, mentor_id in enumerate(rng.sample(accepting, k=2)):
                proposals.append(ReferralProposal(referral=referral, mentor_id=mentor_id, position=position))
    context.bulk_create(ReferralProposal, proposals, "referral proposals")
    _chosen_mentor_requests(context, created, proposals, taken, now)


def _chosen_mentor_requests(context, referrals, proposals, taken, now) -> None:
    """What happened after a mentee chose a proposed mentor: the request to that mentor waits, was declined
    or lapsed; and a few relationships the base network started from a referral get the referral and the
    accepted request behind them, so the coordinators' history shows every outcome."""
    rng = context.rng
    first_proposed = {}
    for proposal in proposals:
        first_proposed.setdefault(proposal.referral_id, proposal.mentor_id)
    requests = []
    outcomes = ["pending", "declined", "pending", "expired", "withdrawn"]
    picked = [r for r in referrals if r.status == "picked" and r.pk in first_proposed]
    for position, referral in enumerate(picked):
        mentor_id, status = first_proposed[referral.pk], outcomes[position % len(outcomes)]
        if (referral.mentee_id, mentor_id, referral.kind) in taken:
            continue
        taken.add((referral.mentee_id, mentor_id, referral.kind))
        created = referral.answered_at + datetime.timedelta(hours=rng.randint(2, 72))
        if status == "pending":
            created = max(created, now - datetime.timedelta(days=5))
        requests.append(MentorshipRequest(
            mentee_id=referral.mentee_id, mentor_id=mentor_id, kind=referral.kind, network=context.network,
            referral=referral, why="My network's coordinators proposed you. " + WHY[2].format(topic="career planning"),
            hopes=HOPES[2], status=status, expires_at=created + datetime.timedelta(days=14),
            answered_at=created + datetime.timedelta(days=3) if status in ("declined", "withdrawn") else None,
        ))
    started = list(Relationship.objects.filter(
        network=context.network, source="referral", request__isnull=True, started_on__isnull=False,
    ).exclude(mentee_id=context.logins["mentee"].pk).order_by("pk")[:3])
    accepted_referrals = context.bulk_create(ReferralRequest, [ReferralRequest(
        mentee_id=relationship.mentee_id, network=context.network, kind=relationship.kind,
        looking_for="Someone who can help me plan a research year before fellowship.", status="picked",
        answered_by=context.logins.get("network"),
        answered_at=timezone.make_aware(datetime.datetime.combine(
            relationship.started_on - datetime.timedelta(days=6), datetime.time(10))),
    ) for relationship in started], "referral requests (accepted)")
    context.bulk_create(ReferralProposal, [
        ReferralProposal(referral=referral, mentor_id=relationship.mentor_id, position=0)
        for referral, relationship in zip(accepted_referrals, started, strict=True)
    ], "referral proposals (accepted)")
    for referral, relationship in zip(accepted_referrals, started, strict=True):
        asked = referral.answered_at + datetime.timedelta(days=1)
        requests.append(MentorshipRequest(
            mentee_id=relationship.mentee_id, mentor_id=relationship.mentor_id, kind=relationship.kind,
            program_id=relationship.program_id, network=context.network, referral=referral,
            why="My network's coordinators proposed you. " + WHY[0].format(topic="outcomes research"),
            hopes=HOPES[1], status="accepted", relationship=relationship,
            expires_at=asked + datetime.timedelta(days=14), answered_at=asked + datetime.timedelta(days=2),
        ))
    context.bulk_create(MentorshipRequest, requests, "referral requests to the chosen mentors")
