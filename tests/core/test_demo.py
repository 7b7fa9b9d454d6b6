import subprocess
import sys

import pytest
from django.contrib.auth import authenticate, get_user_model

from mentora.core.demo import DEMO_LOGINS, generate_demo
from mentora.profiles.models import MentorOffer, SensitiveAttributes
from mentora.programs.models import Membership
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

User = get_user_model()


def test_demo_logins_exist_and_work_with_the_demo_password(demo_network):
    for email in DEMO_LOGINS.values():
        assert authenticate(email=email, password="mentora-demo") is not None, email


def test_each_demo_login_holds_its_role(demo_network):
    roles = {role: user_roles(user=User.objects.get(email=email)) for role, email in DEMO_LOGINS.items()}
    assert roles["mentee"].is_mentee and not roles["mentee"].is_coordinator
    assert roles["mentor"].is_mentor and not roles["mentor"].is_mentee
    assert roles["coordinator"].is_coordinator
    assert roles["network"].is_network_coordinator
    assert roles["admin"].is_admin


def test_demo_counts_and_capacities(demo_network):
    assert Membership.objects.filter(role="mentee").count() == 60 + 1
    assert MentorOffer.objects.count() == 15 + 1
    loads = {}
    for relationship in Relationship.objects.filter(status__in=Relationship.OPEN_STATUSES):
        loads[relationship.mentor_id] = loads.get(relationship.mentor_id, 0) + 1
    for offer in MentorOffer.objects.all():
        assert loads.get(offer.user_id, 0) <= offer.capacity


def test_demo_sensitive_attributes_all_have_consent(demo_network):
    assert SensitiveAttributes.objects.exists()
    assert not SensitiveAttributes.objects.filter(consented_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed():
    def snapshot():
        return list(User.objects.filter(is_demo=True).order_by("email").values_list("email", "full_name"))

    generate_demo(mentees=30, mentors=8, seed=11)
    first = snapshot()
    for model in (Relationship, User):
        model.objects.all().delete()
    from mentora.programs.models import Institution, Network, Program

    Program.objects.all().delete()
    Institution.objects.all().delete()
    Network.objects.all().delete()
    generate_demo(mentees=30, mentors=8, seed=11)
    assert snapshot() == first
    Relationship.objects.all().delete()
    User.objects.all().delete()
    Program.objects.all().delete()
    Institution.objects.all().delete()
    Network.objects.all().delete()
    generate_demo(mentees=30, mentors=8, seed=12)
    assert snapshot() != first


def test_demo_command_twice_refuses_then_if_empty_is_quiet(tmp_path):
    env_db = {"MENTORA_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}
    import os

    env = {**os.environ, **env_db}
    command = [sys.executable, "-m", "mentora.cli"]
    assert subprocess.run([*command, "migrate", "-v0"], env=env, timeout=300).returncode == 0
    first = subprocess.run([*command, "demo", "--mentees", "20", "--mentors", "5"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "mentee@example.org" in first.stdout
    second = subprocess.run([*command, "demo"], env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 2
    assert "already loaded" in second.stderr
    third = subprocess.run([*command, "demo", "--if-empty"], env=env, capture_output=True, text=True, timeout=300)
    assert third.returncode == 0
    assert "coordinator@example.org" in third.stdout
