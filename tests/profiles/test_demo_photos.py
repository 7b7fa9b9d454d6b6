"""The demo shows photos and initials side by side, and half-done profiles for the first steps."""

import io

from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image

from mentora.core.demo import DEMO_LOGINS
from mentora.onboarding.selectors import first_steps
from mentora.profiles.models import MentorOffer, Profile, ProfilePhoto

User = get_user_model()


def test_the_demo_has_photos_availability_and_half_done_profiles(client, demo_network):
    mentor = User.objects.get(email=DEMO_LOGINS["mentor"])
    mentee = User.objects.get(email=DEMO_LOGINS["mentee"])
    photo = ProfilePhoto.objects.get(user=mentor)
    with photo.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "JPEG" and image.width == image.height and image.width <= 400
    assert not ProfilePhoto.objects.filter(user=mentee).exists()
    mentors = MentorOffer.objects.count()
    with_photo = ProfilePhoto.objects.filter(user__mentor_offer__isnull=False).count()
    assert 1 < with_photo < mentors  # cards show photos and initials side by side
    assert MentorOffer.objects.exclude(availability="").count() > mentors // 2
    assert MentorOffer.objects.get(user=mentor).availability
    assert Profile.objects.filter(user__is_demo=True, research_interests="", user__mentor_offer__isnull=True,
                                  user__memberships__role="mentee").exists()
    # someone among the mentees has a checklist with work left
    assert any(first_steps(user=user) for user in User.objects.filter(memberships__role="mentee")[:30])
    client.force_login(mentee)
    page = client.get(reverse("directory:directory")).content.decode()
    assert 'data-avatar="photo"' in page and 'data-avatar="initials"' in page


def test_the_same_seed_names_and_draws_the_same_photos_even_when_the_files_are_already_there():
    """A demo loaded again with the same seed (or after a load that was rolled back, whose files stay)
    writes the same photo rows: the storage does not give the second file another name."""
    import random

    from mentora.profiles.demo import _photos_for

    first = _photos_for([1, 2, 3], random.Random(5))
    second = _photos_for([1, 2, 3], random.Random(5))
    assert [photo.image.name for photo in second] == [photo.image.name for photo in first]
    assert all(photo.image.name.startswith("photos/") for photo in first)
    for photo in second:
        with photo.image.open("rb") as handle:
            assert Image.open(io.BytesIO(handle.read())).format == "JPEG"
