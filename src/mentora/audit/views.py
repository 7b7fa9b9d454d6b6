"""Confidential records (opened with a reason, logged) and 'Who looked at my records'."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import permissions
from .forms import NoteForm, ReasonForm
from .selectors import access_log_for, confidential_records_of, note_programs, records_present
from .services import access_log_record, confidential_note_add


def _person(user_id: int):
    return get_object_or_404(get_user_model(), pk=user_id, is_active=True)


@login_required
def confidential_records(request, user_id: int):
    """The person sees their own records at once; anyone else allowed must give a reason first (POST)."""
    person = _person(user_id)
    if not permissions.can_open_confidential_records(request.user, person):
        raise PermissionDenied
    is_self = person.pk == request.user.pk
    context = {"person": person, "is_self": is_self,
               "can_write_note": permissions.can_write_confidential_note(request.user, person)}
    if is_self:
        context["records"] = confidential_records_of(person=person, viewer=request.user)
        return render(request, "audit/records.html", context)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        records = confidential_records_of(person=person, viewer=request.user)
        try:
            access_log_record(by=request.user, subject=person, records=records_present(records) or ["notes"],
                              reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            note_form = NoteForm(programs=note_programs(author=request.user, person=person))
            context.update(records=records, note_form=note_form, reason=form.cleaned_data["reason"])
            return render(request, "audit/records.html", context)
    context["form"] = form
    return render(request, "audit/reason.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def confidential_note_create(request, user_id: int):
    person = _person(user_id)
    if not permissions.can_write_confidential_note(request.user, person):
        raise PermissionDenied
    form = NoteForm(request.POST, programs=note_programs(author=request.user, person=person))
    if form.is_valid():
        try:
            confidential_note_add(author=request.user, subject=person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "The note was not saved: " + " ".join(error.messages))
        else:
            messages.success(request, "The note is saved. Open the records again (with a reason) to read it.")
    else:
        messages.error(request, "The note was not saved: choose a kind (and a program) and write the note.")
    return redirect("audit:confidential_records", user_id=person.pk)


@login_required
def access_log_mine(request):
    page = Paginator(access_log_for(viewer=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"page": page})
