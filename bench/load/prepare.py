"""Writes the logins of the load test (people of every role and the objects they may open) to JSON.

Run with the same environment as the server (production settings, the throwaway DATABASE_URL):
    python bench/load/prepare.py logins.json
"""

import json
import os
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from mentora.core.academic_year import current_academic_year  # noqa: E402
from mentora.programs.models import Membership, Network  # noqa: E402
from mentora.relationships.models import Relationship  # noqa: E402

User = get_user_model()
rng = random.Random(42)
year = current_academic_year()
active = Relationship.objects.filter(status="active")


def sample(queryset, k):
    ids = list(queryset[: k * 20])
    rng.shuffle(ids)
    return ids[:k]


def people(role_filter, k):
    return list(User.objects.filter(pk__in=sample(role_filter, k)).values_list("pk", "email"))


mentees = people(active.values_list("mentee_id", flat=True).distinct(), 40)
mentors = people(active.values_list("mentor_id", flat=True).distinct(), 20)
coordinators = people(
    Membership.objects.filter(role="coordinator", academic_year=year).values_list("user_id", flat=True), 10
)
network = people(Network.objects.values_list("coordinators", flat=True).exclude(coordinators=None), 5)
admins = list(User.objects.filter(is_superuser=True).values_list("pk", "email")[:3])


def relationships_of(field, user_id):
    return list(active.filter(**{field: user_id}).values_list("pk", "mentee_id", "mentor_id")[:10])


logins = {"mentee": [], "mentor": [], "coordinator": [], "network": [], "admin": []}
for pk, email in mentees:
    logins["mentee"].append({"email": email, "id": pk, "relationships": relationships_of("mentee_id", pk)})
for pk, email in mentors:
    logins["mentor"].append({"email": email, "id": pk, "relationships": relationships_of("mentor_id", pk)})
for pk, email in coordinators:
    program_ids = list(Membership.objects.filter(user_id=pk, role="coordinator", academic_year=year)
                       .values_list("program_id", flat=True))
    trainees = list(Membership.objects.filter(program_id__in=program_ids, role="mentee", academic_year=year)
                    .values_list("user_id", flat=True)[:50])
    logins["coordinator"].append({"email": email, "id": pk, "programs": program_ids, "mentees": trainees})
mentor_ids = [pk for pk, _ in mentors]
for pk, email in network:
    logins["network"].append({"email": email, "id": pk, "mentors": mentor_ids})
mentee_ids = [pk for pk, _ in mentees]
for pk, email in admins:
    logins["admin"].append({"email": email, "id": pk, "mentees": mentee_ids})

missing = [role for role, entries in logins.items() if not entries]
if missing:
    sys.exit(f"no demo people for: {', '.join(missing)} (load the demo first)")
with open(sys.argv[1] if len(sys.argv) > 1 else "logins.json", "w") as out:
    json.dump(logins, out)
print({role: len(entries) for role, entries in logins.items()})
