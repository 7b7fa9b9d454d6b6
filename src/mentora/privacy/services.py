"""Offboarding and privacy rights: leave a program, withdraw consent, erase. Each is logged and
confirmed to the person by email; nothing is half-done (one transaction each)."""

import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connections, router, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.directory.matching import mentor_side_forget
from mentora.notifications.services import notify
from mentora.profiles.models import SensitiveAttributes
from mentora.profiles.services import sensitive_attributes_update
from mentora.programs.models import Membership, Network, Program
from mentora.relationships.models import Relationship
from mentora.scholarly.models import ScholarlyProject

from . import erasure
from .models import PrivacyEvent, ProgramDataPolicy

logger = logging.getLogger(__name__)

# Sent after consent for sensitive attributes is withdrawn (the row is already deleted): anything
# that keeps derived copies (a matching cache, a precomputed candidate list) must drop them.
consent_withdrawn = Signal()


def policy_of(program: Program | None) -> ProgramDataPolicy:
    if program is None:
        return ProgramDataPolicy()
    return ProgramDataPolicy.objects.filter(program=program).first() or ProgramDataPolicy(program=program)


@transaction.atomic
def data_policy_set(*, program: Program, keep_records_on_leave: bool,
                    keep_mentor_records_on_erasure: bool) -> ProgramDataPolicy:
    policy, _ = ProgramDataPolicy.objects.update_or_create(program=program, defaults={
        "keep_records_on_leave": keep_records_on_leave,
        "keep_mentor_records_on_erasure": keep_mentor_records_on_erasure,
    })
    return policy


def _tell_other_side(relationship: Relationship, leaver_id: int, why: str) -> None:
    other = relationship.mentor if relationship.mentee_id == leaver_id else relationship.mentee
    notify(
        user=other, kind="privacy", key=f"relationship-ended-{relationship.pk}",
        title="A mentoring relationship of yours has ended",
        body=f"The relationship ended because {why}. Its history stays in your records as the program's policy says.",
        url="/",
    )


@transaction.atomic
def program_leave(*, program: Program, by) -> PrivacyEvent:
    """`by` leaves the program: their memberships from this year on become inactive, their open relationships
    in the program close, and the program keeps (or detaches) the records as its policy says. A person leaves
    for themselves only."""
    if not by.is_authenticated:
        raise PermissionDenied("Sign in to leave a program.")
    user = by
    year = current_academic_year()
    memberships = Membership.objects.filter(user=user, program=program, academic_year__gte=year, is_active=True)
    if not memberships.exists():
        raise ValidationError("You have no active membership in this program.")
    left = memberships.update(is_active=False)
    today = timezone.localdate()
    mine = Relationship.objects.filter(program=program).filter(mentee=user) | Relationship.objects.filter(
        program=program, mentor=user
    )
    closing = list(mine.filter(status__in=Relationship.OPEN_STATUSES).select_related("mentee", "mentor"))
    for relationship in closing:
        relationship.status = Relationship.Status.CLOSED
        relationship.ended_on = today
        relationship.closing_reason = "Left the program"
        relationship.save(update_fields=["status", "ended_on", "closing_reason", "updated_at"])
        _tell_other_side(relationship, user.pk, "one of you left the program")
    detached = 0
    if not policy_of(program).keep_records_on_leave:
        detached = mine.update(program=None)
    event = PrivacyEvent.objects.create(
        user=user, actor=by, action=PrivacyEvent.Action.LEAVE_PROGRAM, program=program,
        counts={"memberships": left, "relationships_closed": len(closing), "relationships_detached": detached},
    )
    notify(
        user=user, kind="privacy", key=f"privacy-event-{event.pk}",
        title=f"You have left {program.name}",
        body=(f"Your membership of {program.name} is inactive and {len(closing)} open mentoring relationship(s) "
              "in the program are closed. "
              + ("The program keeps their history in its records." if detached == 0 else
                 "The program no longer sees their history.")),
        url="/privacy/",
    )
    return event


@transaction.atomic
def sensitive_consent_withdraw(*, by) -> PrivacyEvent | None:
    """`by` withdraws their consent: their optional attributes are deleted at once (so matching can no longer
    read them). A person withdraws their own consent only."""
    if not by.is_authenticated:
        raise PermissionDenied("Sign in to withdraw your consent.")
    user = by
    if not SensitiveAttributes.objects.filter(user=user).exists():
        return None
    sensitive_attributes_update(person=user, consent=False, data={}, by=by)
    event = PrivacyEvent.objects.create(user=user, actor=by, action=PrivacyEvent.Action.WITHDRAW_CONSENT,
                                        counts={"sensitive_attributes": 1})
    consent_withdrawn.send(sender=SensitiveAttributes, user=user)
    notify(
        user=user, kind="privacy", key=f"privacy-event-{event.pk}",
        title="Your optional attributes are deleted",
        body=("You withdrew consent: your gender, race or ethnicity and LGBTQ+ answers are deleted and no longer "
              "used in matching or shown to anyone."),
        url="/privacy/",
    )
    return event


def cache_purge_expired() -> int:
    """Delete expired rows of every database cache; the number deleted. Idempotent.

    Django's database cache deletes expired rows only when it grows past its size limit, so copies
    of personal data in expired entries (a recommendation cache of mentors' attributes) would stay
    in the table for good. The reminders scan (cron or the worker) runs this every time. Other cache
    backends expire entries themselves. A cache table that does not exist (`mentora createcachetable`
    never ran) holds nothing to purge: it is skipped with a warning, and the rest of the scan runs.
    """
    purged = 0
    now = timezone.now()
    for alias in settings.CACHES:
        backend = caches[alias]
        if not isinstance(backend, DatabaseCache):
            continue
        connection = connections[router.db_for_write(backend.cache_model_class)]
        if backend._table not in connection.introspection.table_names():
            logger.warning("cache %r: its table %s does not exist (run `mentora createcachetable`); "
                           "nothing to purge", alias, backend._table)
            continue
        table = connection.ops.quote_name(backend._table)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608
                           [connection.ops.adapt_datetimefield_value(now)])
            purged += max(0, cursor.rowcount)
    return purged


@transaction.atomic
def person_erase(*, user, by=None) -> PrivacyEvent:
    """Erase the person's personal data everywhere, keeping aggregates and, as each program's policy says,
    the mentor's and program's own records (anonymised). A confirmation goes to the old address."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email.endswith("@erased.invalid"):
        raise ValidationError("This person's data has already been erased.")
    needles = erasure.needles_of(user)
    address = user.email
    counts: Counter = Counter()
    today = timezone.localdate()

    relationships = Relationship.objects.filter(mentee=user) | Relationship.objects.filter(mentor=user)
    for relationship in relationships.select_related("program", "mentee", "mentor"):
        if not policy_of(relationship.program).keep_mentor_records_on_erasure:
            counts.update(erasure.delete_with_history(Relationship.objects.filter(pk=relationship.pk)))
            counts["relationships_deleted"] += 1
            continue
        if relationship.is_open:
            relationship.status = Relationship.Status.CLOSED
            relationship.ended_on = today
            _tell_other_side(relationship, user.pk, "the other person left Mentora")
            counts["relationships_closed"] += 1
        relationship.closing_reason = ""
        relationship.save(update_fields=["status", "ended_on", "closing_reason", "updated_at"])

    counts.update(erasure.erase_free_text(user))
    mentor_side_forget()  # the recommendations' cached mentor side holds their profile text
    counts.update(_scholarly_projects_leave(user))
    counts.update(erasure.delete_personal_rows(user))
    counts["memberships_kept"] = Membership.objects.filter(user=user).update(is_active=False)
    for network in Network.objects.filter(coordinators=user):
        network.coordinators.remove(user)
    for network in Network.objects.filter(mentors=user):
        network.mentors.remove(user)

    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = "Erased person"
    user.preferred_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    counts.update({f"mentions in {label}": n for label, n in erasure.scrub_mentions(needles, skip=(User,)).items()})

    event = PrivacyEvent.objects.create(user=user, actor=by if by and by.pk != user.pk else None,
                                        action=PrivacyEvent.Action.ERASURE, counts=dict(counts))
    transaction.on_commit(lambda: send_mail(
        subject="[Mentora] Your personal data is erased", message=ERASURE_CONFIRMATION.format(
            site=settings.MENTORA_SITE_URL), from_email=None, recipient_list=[address],
    ))
    return event


# What the person is told before (privacy page) and after (email); docs/trust.md ("What erasure and
# withdrawal remove") says the same in full. `erasure.FREE_TEXT` is the code of it.
ERASURE_POLICY = """Deleted: your profile and photo, IMG details and optional attributes; your learning plans with their goals, progress
notes, comments, reviews and sign-offs; your private and shared meeting notes, messages, agenda items,
homework and action items you wrote; your mentorship, referral and rematch requests; the wellbeing and
remediation notes your program kept about you; your notices, sign-in links, security keys, API tokens,
calendar feed and milestones; the notices sent to others that quoted your words; scholarly projects only
you owned.

Removed from records that belong to others: your name and email address everywhere, and the words you wrote
in them (answers to requests, sign-off notes, review summaries and reasons, closing reasons, survey comments,
notes you wrote as a coordinator, reasons you gave for opening someone's records).

Kept without your name: that your mentoring relationships existed (closed), your memberships (inactive), your
survey ratings in program totals, and a log of this erasure and of who opened records when, under an account
number that no longer leads to you. Scholarly projects you shared with others stay with them.

Emails already sent cannot be recalled."""

ERASURE_CONFIRMATION = ("As you asked, Mentora has erased your personal data.\n\n" + ERASURE_POLICY
                        + " This is the last email Mentora sends to this address.\n\n{site}/\n")


def _scholarly_projects_leave(user) -> Counter:
    """Projects only the person owned are deleted; from shared ones they are removed as owner and mentor."""
    counts: Counter = Counter()
    owned = ScholarlyProject.objects.filter(owners=user)
    alone = [p.pk for p in owned.prefetch_related("owners") if {o.pk for o in p.owners.all()} == {user.pk}]
    counts.update(erasure.delete_with_history(ScholarlyProject.objects.filter(pk__in=alone)))
    for project in ScholarlyProject.objects.filter(Q(owners=user) | Q(mentors=user)).distinct():
        project.owners.remove(user)
        project.mentors.remove(user)
        counts["scholarly projects left"] += 1
    return counts
