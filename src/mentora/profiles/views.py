from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from mentora.programs.selectors import user_roles

from . import permissions
from .forms import ImgDetailsForm, MentorOfferForm, ProfileForm
from .models import ImgDetails, MentorOffer
from .selectors import person_with_profile, profile_for_display
from .services import profile_ensure, profile_update


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
            "is_self": person.pk == request.user.pk,
            "show_visa": permissions.can_view_visa(request.user, person),
            "sensitive": permissions.visible_sensitive_fields(request.user, person),
        },
    )


@login_required
def profile_me(request):
    return redirect("profile_detail", user_id=request.user.pk)


@login_required
def profile_edit(request):
    user = request.user
    profile = profile_ensure(user=user)
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
            user=user,
            full_name=full_name,
            profile_data=profile_data,
            img_data=img_form.cleaned_data,
            offer_data=offer_form.cleaned_data if offer_form else None,
        )
        messages.success(request, "Your profile is saved.")
        return redirect("profile_detail", user_id=user.pk)
    return render(
        request,
        "profiles/profile_edit.html",
        {"profile_form": profile_form, "img_form": img_form, "offer_form": offer_form},
    )
