"""Any change to what the matching adapter reads moves the mentor-side cache to a new version.

A change to sensitive attributes (a value, its visibility, consent withdrawn, erasure) deletes the
cached copies at once, inside the changing transaction and again after it commits.

A mentor's account deactivated or reactivated moves it too: a deactivated account is recommended to
nobody.

Bulk inserts send no signals; the cached mentor side also expires after a few minutes, so a
bulk import shows up in recommendations shortly after without a restart.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mentora.profiles.models import ImgDetails, MentorOffer, Profile, SensitiveAttributes
from mentora.relationships.models import Relationship

from .matching import mentor_side_changed, mentor_side_forget

WATCHED = (Profile, ImgDetails, MentorOffer, SensitiveAttributes, Relationship)


@receiver(post_save)
@receiver(post_delete)
def _data_changed(sender, **kwargs) -> None:
    if sender is SensitiveAttributes:
        mentor_side_forget()
    elif sender in WATCHED:
        mentor_side_changed()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _account_switched(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    if created:
        return  # a new account has no mentor offer yet: the offer's own save tells the mentor side
    if update_fields is not None and "is_active" not in update_fields:
        return  # a sign-in's last_login and the like: nothing the mentor side reads
    if MentorOffer.objects.filter(user_id=instance.pk).exists():
        mentor_side_changed()
