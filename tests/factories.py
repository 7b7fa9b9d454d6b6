"""factory_boy factories for the backbone models; each domain's tests add their own beside them."""

import factory
from django.contrib.auth import get_user_model

from mentora.core.academic_year import current_academic_year
from mentora.profiles.models import ImgDetails, MentorOffer, Profile, SensitiveAttributes
from mentora.programs.models import Institution, Membership, Network, Program
from mentora.relationships.models import Relationship

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_profile(self, create, extracted, **kwargs):
        if create:
            Profile.objects.get_or_create(user=self)
            self.save()


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    slug = factory.Sequence(lambda n: f"institution-{n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Internal Medicine Residency {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    specialty = "internal_medicine"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    academic_year = factory.LazyFunction(current_academic_year)
    role = "mentee"
    training_level = "pgy1"


class MentorOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorOffer

    user = factory.SubFactory(UserFactory)
    capacity = 3
    kinds_offered = ["career", "research"]


class ImgDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImgDetails

    user = factory.SubFactory(UserFactory)
    medical_school_country = "IN"
    img_status = "non_us_img"
    visa_status = "j1"


class SensitiveAttributesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SensitiveAttributes

    user = factory.SubFactory(UserFactory)
    consented_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)
    gender = "woman"


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    mentee = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
    kind = "career"
    status = "active"
    program = factory.SubFactory(ProgramFactory)


def make_cast(program: Program | None = None) -> dict:
    """The people of one program and one outsider program, as the permission tests need them.

    `network` holds `program` (not `other_program`); `network_coordinator` coordinates it and holds
    no membership. Every authorization test (tests/trust/) runs against exactly these people; the
    `cast` fixture (tests/conftest.py) builds them once for a module's tests, as the matrix does.
    """
    program = program or ProgramFactory()
    network = NetworkFactory()
    program.network = network
    program.save(update_fields=["network"])
    other_program = ProgramFactory()
    mentee_a = MembershipFactory(program=program, role="mentee").user
    mentee_b = MembershipFactory(program=program, role="mentee").user
    mentor_a = MembershipFactory(program=program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=mentor_a)
    other_mentor = MembershipFactory(program=other_program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=other_mentor)
    coordinator = MembershipFactory(program=program, role="coordinator", training_level="").user
    other_coordinator = MembershipFactory(program=other_program, role="coordinator", training_level="").user
    admin = UserFactory(is_superuser=True, is_staff=True)
    network_coordinator = UserFactory()
    network.coordinators.add(network_coordinator)
    RelationshipFactory(mentee=mentee_a, mentor=mentor_a, program=program)
    return {
        "mentee_a": mentee_a, "mentee_b": mentee_b, "mentor_a": mentor_a, "other_mentor": other_mentor,
        "coordinator": coordinator, "other_coordinator": other_coordinator, "admin": admin,
        "network_coordinator": network_coordinator,
        "program": program, "other_program": other_program, "network": network,
    }
