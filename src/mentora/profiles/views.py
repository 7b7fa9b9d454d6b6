from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentora.core.forms import apply_to_form
from mentora.core.uploads import image_response
from mentora.programs.selectors import user_roles

from . import permissions
from .forms import ImgDetailsForm, MentorOfferForm, PhotoForm, ProfileForm
from .models import ImgDetails, MentorOffer
from .selectors import person_with_profile, photo_of, profile_completeness, profile_for_display
from .services import profile_ensure, profile_photo_remove, profile_photo_set, profile_update


@login_required
def profile_detail(request, user_id: int):
    person = person_with_profile(user_id=user_id)
    if not permissions.can_view_profile(request.user, person):
        raise PermissionDenied
    return render(
        request,
        "profiles/profile_detail.html",
        {
            "person": person,
            "profile": profile_for_display(person=person),
            "can_edit": permissions.can_edit_profile(request.user, person),
            "show_visa": permissions.can_view_visa(request.user, person),
            "sensitive": permissions.visible_sensitive_fields(request.user, person),
            "has_photo": photo_of(person) is not None,
        },
    )


@login_required
def profile_me(request):
    return redirect("profiles:profile_detail", user_id=request.user.pk)


@login_required
def profile_edit(request):
    user = request.user
    profile = profile_ensure(person=user, by=user)
    details = ImgDetails.objects.filter(user=user).first() or ImgDetails(user=user)
    offer = MentorOffer.objects.filter(user=user).first()
    is_mentor = offer is not None or user_roles(user=user).is_mentor
    if is_mentor and offer is None:
        offer = MentorOffer(user=user)
    data = request.POST if request.method == "POST" else None
    profile_form = ProfileForm(data, instance=profile, prefix="profile")
    img_form = ImgDetailsForm(data, instance=details, prefix="img")
    offer_form = MentorOfferForm(data, instance=offer, prefix="offer") if is_mentor else None
    forms_ = [f for f in (profile_form, img_form, offer_form) if f is not None]
    if request.method == "POST" and all(form.is_valid() for form in forms_):
        profile_data = dict(profile_form.cleaned_data)
        full_name = profile_data.pop("full_name")
        profile_update(
            person=user, by=user,
            full_name=full_name,
            profile_data=profile_data,
            img_data=img_form.cleaned_data,
            offer_data=offer_form.cleaned_data if offer_form else None,
        )
        messages.success(request, "Your profile is saved.")
        return redirect("profiles:profile_detail", user_id=user.pk)
    return render(
        request,
        "profiles/profile_edit.html",
        {"profile_form": profile_form, "img_form": img_form, "offer_form": offer_form,
         "photo_form": PhotoForm(), "has_photo": photo_of(user) is not None,
         "completeness": profile_completeness(user=user)},
    )


@login_required
def profile_photo_edit(request):
    """Put up or replace one's own photo (a form of its own: a file upload, apart from the profile's fields)."""
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and apply_to_form(form, lambda: profile_photo_set(
            person=request.user, upload=form.cleaned_data["photo"], keep=form.cleaned_data["keep"],
            by=request.user)):
        messages.success(request, "Your photo is saved.")
        return redirect("profiles:profile_edit")
    return render(request, "profiles/photo_edit.html", {"form": form, "has_photo": photo_of(request.user) is not None})


@login_required
@require_POST
def profile_photo_delete(request, user_id: int):
    """Take a photo down: the person's own, or (the site's admins) anyone's."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    if not permissions.can_view_profile(request.user, person):
        raise Http404
    profile_photo_remove(person=person, by=request.user)
    if person.pk == request.user.pk:
        messages.success(request, "Your photo is removed; your initials show instead.")
        return redirect("profiles:profile_edit")
    messages.success(request, f"The photo of {person.display_name} is removed.")
    return redirect("profiles:profile_detail", user_id=person.pk)


@login_required
@require_GET
def profile_photo(request, user_id: int):
    """The photo, to whoever may see the profile (an image Mentora re-encoded, so shown in the page)."""
    person = get_object_or_404(get_user_model().objects.select_related("profile_photo"), pk=user_id)
    if not permissions.can_view_profile(request.user, person):
        raise PermissionDenied
    photo = photo_of(person)
    if photo is None or not photo.image:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except OSError:
        raise Http404 from None
    return image_response(handle, kind="jpeg")
