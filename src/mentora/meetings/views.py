"""Thin views: check permission, bind a form, call a service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentora.core.forms import apply_to_form
from mentora.core.links import absolute_url
from mentora.core.lists import Column, ListSpec, Selection, list_page, selection_keep
from mentora.core.time_zones import DEFAULT_TIME_ZONE, is_time_zone
from mentora.core.uploads import attachment_response
from mentora.core.vocabulary import RELATIONSHIP_KINDS
from mentora.profiles.models import Profile
from mentora.programs.models import Network, Program
from mentora.programs.selectors import user_roles
from mentora.relationships import permissions as relationship_permissions
from mentora.relationships import selectors as relationship_selectors
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship

from . import calendar, forms, goals, permissions, selectors, services
from . import health as health_mod
from .health import cadence_of
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Homework,
    Meeting,
    PrivateNote,
    RematchRequest,
    Resource,
    Rsvp,
    SharedNote,
    TimeProposal,
)
from .vocabulary import CADENCES, FIRST_MEETING_CHECKLIST, FIRST_MEETING_CHECKLIST_MENTOR, RESOURCE_TOPICS


def _relationship(request, relationship_id: int) -> Relationship:
    try:
        relationship = selectors.relationship_for(relationship_id=relationship_id)
    except Relationship.DoesNotExist as error:
        raise Http404 from error
    if not relationship_permissions.can_view_relationship(request.user, relationship):
        raise PermissionDenied
    return relationship


def _meeting(request, meeting_id: int, *, content: bool = True) -> Meeting:
    try:
        meeting = selectors.meeting_for(meeting_id=meeting_id)
    except Meeting.DoesNotExist as error:
        raise Http404 from error
    allowed = (relationship_permissions.can_view_content if content else relationship_permissions.can_view_relationship)(
        request.user, meeting.relationship)
    if not allowed:
        raise PermissionDenied
    return meeting




def _user_zone(user) -> str:
    zone = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    # A zone saved before time zones were checked ("Mars/Olympus") must not fall to the list's first entry.
    return zone if zone and is_time_zone(zone) else DEFAULT_TIME_ZONE


def _resources_for(relationship):
    return list(selectors.resources_for_relationship(relationship=relationship))


@login_required
def my_mentoring(request):
    relationships = selectors.my_relationships(user=request.user)
    health = selectors.health_for(relationships=[r for r in relationships if r.is_open])
    rows = [{"relationship": r, "health": health.get(r.pk),
             "other": r.mentor if r.mentee_id == request.user.pk else r.mentee,
             "as_mentee": r.mentee_id == request.user.pk} for r in relationships]
    return render(request, "meetings/my_mentoring.html", {
        "rows": rows, "upcoming": selectors.upcoming_meetings_for(user=request.user, limit=10)})


@login_required
def my_mentees(request):
    if not permissions.can_view_my_mentees(request.user):
        raise PermissionDenied
    return render(request, "meetings/my_mentees.html", {"rows": selectors.mentees_overview(mentor=request.user),
                                                       "zone": _user_zone(request.user)})


@login_required
def relationship_detail(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    user = request.user
    party = relationship_permissions.is_party(user, relationship)
    agreement = selectors.agreement_of(relationship=relationship)
    meetings = list(selectors.meetings_of(relationship=relationship))
    health = selectors.health_for(relationships=[relationship]).get(relationship.pk)
    context = {
        "relationship": relationship, "agreement": agreement, "party": party, "health": health,
        **_cadence_context(relationship, agreement),
        "can_act": relationship_permissions.can_act(user, relationship),
        # Coordinators' actions (the sides have their own buttons below): shown only to who may take them.
        "can_manage": not party and relationship_permissions.can_change(user, relationship),
        "can_reassign": relationship_permissions.can_reassign(user, relationship),
        "events": list(relationship_selectors.events_of(relationship=relationship)),
        "meetings": meetings, "as_mentee": user.pk == relationship.mentee_id,
        "other": relationship.mentor if user.pk == relationship.mentee_id else relationship.mentee,
        "today": timezone.localdate(),
    }
    if party:
        held = any(m.status == Meeting.Status.HELD for m in meetings)
        proposal = selectors.open_proposal_of(relationship=relationship)
        zone = _user_zone(user)
        context.update({
            "checklist": None if held else (FIRST_MEETING_CHECKLIST if user.pk == relationship.mentee_id
                                            else FIRST_MEETING_CHECKLIST_MENTOR),
            "proposal": proposal,
            "proposal_mine": proposal is not None and proposal.proposed_by_id == user.pk,
            "proposal_form": forms.ProposalForm(initial={"time_zone": zone}, prefix="propose"),
            "meeting_form": forms.MeetingForm(initial={"time_zone": zone}, prefix="meet"),
            "action_items": list(selectors.action_items_of(relationship=relationship)),
            "action_item_changes": selectors.item_changes_of(relationship=relationship),
            "action_form": forms.ActionItemForm(relationship=relationship),
            "messages_list": selectors.messages_of(relationship=relationship),
            "message_form": forms.MessageForm(),
        })
    else:
        context["counts"] = selectors.counts_for_coordinator(relationship=relationship)
    return render(request, "meetings/relationship_detail.html", context)


@login_required
def agreement_edit(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.is_party(request.user, relationship):
        raise PermissionDenied
    agreement = selectors.agreement_of(relationship=relationship)
    if request.method == "POST":
        if not relationship_permissions.can_act(request.user, relationship):
            raise PermissionDenied
        if "confirm" in request.POST and agreement is not None:
            services.agreement_confirm(agreement=agreement, by=request.user)
            messages.success(request, "You confirmed the agreement.")
            return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
        form = forms.AgreementForm(request.POST)
        if form.is_valid() and apply_to_form(form, lambda: services.agreement_save(
                relationship=relationship, by=request.user, **form.cleaned_data)):
            messages.success(request, "The agreement is saved with your confirmation; the other side is asked to "
                                      "confirm it.")
            return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    elif agreement is not None:
        form = forms.AgreementForm(initial={
            "kind": agreement.kind, "goals": agreement.goals, "cadence_days": agreement.cadence_days,
            "modes": agreement.modes, "expectations": agreement.expectations,
            "confidentiality": agreement.confidentiality, "expected_end_on": agreement.expected_end_on})
    else:
        form = forms.AgreementForm(initial={"kind": relationship.kind, "modes": ["video"],
                                            "cadence_days": _program_cadence(relationship)})
    confirmed_by_me = agreement is not None and (
        agreement.mentee_confirmed_at if request.user.pk == relationship.mentee_id else agreement.mentor_confirmed_at)
    return render(request, "meetings/agreement_form.html", {
        "relationship": relationship, "agreement": agreement, "form": form, "confirmed_by_me": confirmed_by_me,
        **_cadence_context(relationship, agreement)})


def _program_cadence(relationship) -> int:
    return cadence_of(agreed=None, program=relationship.program.meeting_cadence_days if relationship.program else None)


def _cadence_context(relationship, agreement) -> dict:
    """The program's cadence, and whether the agreement departs from it (said on the page, not silently)."""
    program_cadence = _program_cadence(relationship)
    return {
        "program_cadence_label": CADENCES.get(program_cadence, f"Every {program_cadence} days"),
        "cadence_differs": agreement is not None and agreement.cadence_days != program_cadence,
    }


@login_required
@require_POST
def meeting_create(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST, prefix="meet")
    meeting = None
    if form.is_valid():
        data = form.cleaned_data

        def schedule():
            nonlocal meeting
            meeting = services.meeting_schedule(
                relationship=relationship, by=request.user,
                starts_at=services.local_to_utc(data["day"], data["at"], data["time_zone"]),
                time_zone=data["time_zone"], duration_minutes=data["duration_minutes"], mode=data["mode"],
                place=data["place"], video_url=data["video_url"])
        if apply_to_form(form, schedule):
            messages.success(request, "The meeting is scheduled.")
            return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
    return render(request, "meetings/form_page.html", {
        "relationship": relationship, "form": form, "title": "Schedule a meeting",
        "action": request.path, "submit": "Schedule"}, status=400)


@login_required
@require_POST
def proposal_create(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST, prefix="propose")
    if form.is_valid():
        data = form.cleaned_data

        def propose():
            times = [services.local_to_utc(data[f"day_{i}"], data[f"at_{i}"], data["time_zone"])
                     for i in (1, 2, 3) if data.get(f"day_{i}") and data.get(f"at_{i}")]
            services.proposal_create(
                relationship=relationship, by=request.user, times=times, time_zone=data["time_zone"],
                duration_minutes=data["duration_minutes"], mode=data["mode"], place=data["place"],
                video_url=data["video_url"], message=data["message"])
        if apply_to_form(form, propose):
            messages.success(request, "Your times are sent; you will hear when one is picked.")
            return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    return render(request, "meetings/form_page.html", {
        "relationship": relationship, "form": form, "title": "Propose times to meet",
        "action": request.path, "submit": "Send these times"}, status=400)


@login_required
@require_POST
def proposal_answer(request, proposal_id: int):
    proposal = get_object_or_404(TimeProposal.objects.select_related("relationship"), pk=proposal_id)
    relationship = _relationship(request, proposal.relationship_id)
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    if "withdraw" in request.POST:
        try:
            services.proposal_withdraw(proposal=proposal, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    try:
        meeting = services.proposal_accept(proposal=proposal, by=request.user,
                                           time_id=int(request.POST.get("time_id", "0") or 0))
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    messages.success(request, "The meeting is scheduled.")
    return redirect("meetings:meeting_detail", meeting_id=meeting.pk)


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    relationship = meeting.relationship
    resources = _resources_for(relationship)
    goal_choices = goals.goal_choices(mentee_id=relationship.mentee_id)
    rsvps = {r.user_id: r for r in Rsvp.objects.filter(meeting=meeting)}
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "relationship": relationship,
        "can_act": relationship_permissions.can_act(request.user, relationship),
        "agenda": list(meeting.agenda_items.select_related("resource", "added_by")),
        "goal_labels": dict(goal_choices),
        "homework": list(meeting.homework.select_related("resource")),
        "shared_notes": list(meeting.shared_notes.select_related("author")),
        "private_notes": list(selectors.private_notes_of(author=request.user, meeting=meeting)),
        "action_items": list(meeting.action_items.select_related("owner")),
        "my_rsvp": rsvps.get(request.user.pk),
        "rsvps": [(relationship.mentee, rsvps.get(relationship.mentee_id)),
                  (relationship.mentor, rsvps.get(relationship.mentor_id))],
        "agenda_form": forms.AgendaItemForm(goals=goal_choices, resources=resources, prefix="agenda"),
        "homework_form": forms.HomeworkForm(resources=resources, prefix="homework"),
        "note_form": forms.NoteForm(prefix="shared"), "private_form": forms.NoteForm(prefix="private"),
        "action_form": forms.ActionItemForm(relationship=relationship),
        "status_form": forms.StatusForm(), "rsvp_form": forms.RsvpForm(),
        "reschedule_form": forms.RescheduleForm(initial={"time_zone": meeting.time_zone}),
        "is_past": meeting.starts_at <= timezone.now(),
        "changes": selectors.item_changes_of(meeting=meeting),
    })


@login_required
@require_POST
def meeting_action(request, meeting_id: int, action: str):
    """Every form on the meeting page posts here; errors come back as messages on the page."""
    meeting = _meeting(request, meeting_id)
    relationship = meeting.relationship
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    user = request.user
    resources = {r.pk: r for r in _resources_for(relationship)}
    goal_choices = goals.goal_choices(mentee_id=relationship.mentee_id)
    target = redirect("meetings:meeting_detail", meeting_id=meeting.pk)
    handlers = {
        "agenda": (forms.AgendaItemForm(request.POST, goals=goal_choices, resources=resources.values(), prefix="agenda"),
                   lambda d: services.agenda_item_add(meeting=meeting, by=user, text=d["text"],
                                                      goal_id=d.get("goal_id"), resource=resources.get(d["resource"]))),
        "homework": (forms.HomeworkForm(request.POST, resources=resources.values(), prefix="homework"),
                     lambda d: services.homework_add(meeting=meeting, by=user, text=d["text"],
                                                     resource=resources.get(d["resource"]))),
        "note": (forms.NoteForm(request.POST, prefix="shared"),
                 lambda d: services.shared_note_add(meeting=meeting, by=user, body=d["body"])),
        "private-note": (forms.NoteForm(request.POST, prefix="private"),
                         lambda d: services.private_note_add(meeting=meeting, by=user, body=d["body"])),
        "action-item": (forms.ActionItemForm(request.POST, relationship=relationship),
                        lambda d: services.action_item_add(relationship=relationship, by=user, meeting=meeting,
                                                           **d)),
        "status": (forms.StatusForm(request.POST),
                   lambda d: services.meeting_set_status(meeting=meeting, by=user, status=d["status"])),
        "rsvp": (forms.RsvpForm(request.POST),
                 lambda d: services.rsvp_set(meeting=meeting, by=user, response=d["response"])),
    }
    if action == "reschedule":
        form = forms.RescheduleForm(request.POST)
        new = None

        def move():
            nonlocal new
            d = form.cleaned_data
            new = services.meeting_reschedule(meeting=meeting, by=user,
                                              starts_at=services.local_to_utc(d["day"], d["at"], d["time_zone"]),
                                              time_zone=d["time_zone"])
        if form.is_valid() and apply_to_form(form, move):
            messages.success(request, "The meeting is moved; the agenda and homework moved with it.")
            return redirect("meetings:meeting_detail", meeting_id=new.pk)
        messages.error(request, _form_errors(form))
        return target
    if action not in handlers:
        raise Http404
    form, run = handlers[action]
    if form.is_valid() and apply_to_form(form, lambda: run(form.cleaned_data)):
        messages.success(request, "Saved.")
    else:
        messages.error(request, _form_errors(form))
    return target


def _form_errors(form) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts.append(f"{label + ': ' if label else ''}{' '.join(errors)}")
    return "Not saved. " + " ".join(parts)


@login_required
@require_POST
def toggle_done(request, kind: str, item_id: int):
    model = {"homework": Homework, "action-item": ActionItem}.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=item_id)
    relationship = item.meeting.relationship if kind == "homework" else item.relationship
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    done = request.POST.get("done") == "1"
    if kind == "homework":
        services.homework_set_done(homework=item, by=request.user, done=done)
        return redirect("meetings:meeting_detail", meeting_id=item.meeting_id)
    services.action_item_set_done(item=item, by=request.user, done=done)
    if request.POST.get("from_meeting") and item.meeting_id:
        return redirect("meetings:meeting_detail", meeting_id=item.meeting_id)
    return redirect("meetings:relationship_detail", relationship_id=relationship.pk)


# kind in the URL -> (model, what it is called, edit form, service to edit, service to delete)
_ITEM_KINDS = {
    "agenda": (AgendaItem, "agenda item", forms.AgendaItemEditForm,
               lambda item, by, d: services.agenda_item_edit(item=item, by=by, text=d["text"]),
               lambda item, by: services.agenda_item_delete(item=item, by=by)),
    "note": (SharedNote, "shared note", forms.NoteForm,
             lambda item, by, d: services.shared_note_edit(note=item, by=by, body=d["body"]),
             lambda item, by: services.shared_note_delete(note=item, by=by)),
    "private-note": (PrivateNote, "private note", forms.NoteForm,
                     lambda item, by, d: services.private_note_edit(note=item, by=by, body=d["body"]),
                     lambda item, by: services.private_note_delete(note=item, by=by)),
    "action-item": (ActionItem, "action item", forms.ActionItemEditForm,
                    lambda item, by, d: services.action_item_edit(item=item, by=by, text=d["text"],
                                                                  due_on=d["due_on"]),
                    lambda item, by: services.action_item_delete(item=item, by=by)),
}


def _own_item(request, kind: str, item_id: int):
    """The item and where to go back to. A private note is 404 to all but its author (it exists for no one
    else); the other side of a shared item gets 403; only the author, while the relationship is open, passes."""
    if kind not in _ITEM_KINDS:
        raise Http404
    model = _ITEM_KINDS[kind][0]
    item = get_object_or_404(model.objects.select_related(
        "relationship" if model is ActionItem else "meeting__relationship"), pk=item_id)
    if model is PrivateNote and item.author_id != request.user.pk:
        raise Http404
    if not permissions.can_change_item(request.user, item):
        raise PermissionDenied
    if item.meeting_id:
        back = reverse("meetings:meeting_detail", args=[item.meeting_id])
    else:
        back = reverse("meetings:relationship_detail", args=[item.relationship_id]) + "#action-items"
    return item, back


@login_required
def item_edit(request, kind: str, item_id: int):
    item, back = _own_item(request, kind, item_id)
    _model, noun, form_class, edit, _delete = _ITEM_KINDS[kind]
    initial = {field: getattr(item, field) for field in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and apply_to_form(
            form, lambda: edit(item, request.user, form.cleaned_data)):
        messages.success(request, f"The {noun} is changed.")
        return redirect(back)
    relationship = item.relationship if kind == "action-item" else item.meeting.relationship
    other = relationship.mentor if request.user.pk == relationship.mentee_id else relationship.mentee
    intro = ("Only you ever see this note." if kind == "private-note"
             else f"{other.display_name} will see what you changed and when.")
    return render(request, "meetings/form_page.html", {
        "relationship": relationship, "form": form, "title": f"Change your {noun}", "intro": intro,
        "action": request.path, "submit": "Save the change", "back": back,
    })


@login_required
@require_POST
def item_delete(request, kind: str, item_id: int):
    item, back = _own_item(request, kind, item_id)
    _model, noun, _form, _edit, delete = _ITEM_KINDS[kind]
    delete(item, request.user)
    messages.success(request, f"The {noun} is deleted." + ("" if kind == "private-note"
                                                           else " The meeting's history keeps a record of it."))
    return redirect(back)


@login_required
@require_POST
def message_send(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    form = forms.MessageForm(request.POST)
    if form.is_valid() and apply_to_form(form, lambda: services.message_send(relationship=relationship, by=request.user,
                                                                      body=form.cleaned_data["body"])):
        messages.success(request, "Message sent.")
    else:
        messages.error(request, _form_errors(form))
    return redirect(reverse("meetings:relationship_detail", args=[relationship.pk]) + "#messages")


@login_required
@require_POST
def action_item_create(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    form = forms.ActionItemForm(request.POST, relationship=relationship)
    if form.is_valid() and apply_to_form(form, lambda: services.action_item_add(relationship=relationship, by=request.user,
                                                                         **form.cleaned_data)):
        messages.success(request, "Action item added.")
    else:
        messages.error(request, _form_errors(form))
    return redirect("meetings:relationship_detail", relationship_id=relationship.pk)


@login_required
def relationship_change(request, relationship_id: int, action: str):
    """Pause, recommit, close (with closing feedback) or ask for a rematch."""
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.can_act(request.user, relationship):
        raise PermissionDenied
    questions = selectors.survey_questions(program_id=relationship.program_id)
    if action == "pause" and request.method == "POST":
        try:
            relationship_services.relationship_pause(relationship=relationship, by=request.user)
            messages.success(request, "The relationship is paused. Recommit when you are ready to meet again.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    if action == "recommit" and request.method == "POST":
        try:
            services.agreement_recommit(relationship=relationship, by=request.user)
            messages.success(request, "You recommitted: the cadence counts again from today.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    if action == "close":
        form = forms.CloseForm(request.POST or None, questions=questions)
        if request.method == "POST" and form.is_valid() and apply_to_form(form, lambda: services.relationship_close_with_feedback(
                relationship=relationship, by=request.user, reason=form.cleaned_data["reason"],
                ratings=form.ratings(), comment=form.cleaned_data["comment"])):
            messages.success(request, "The relationship is closed. Thank you for your feedback.")
            return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
        return render(request, "meetings/form_page.html", {
            "relationship": relationship, "form": form, "title": "Close this relationship",
            "intro": "Closing ends the mentorship for both of you. Your ratings go to the program only as "
                     "aggregates of at least five responses.", "action": request.path, "submit": "Close"})
    if action == "rematch":
        form = forms.RematchForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and apply_to_form(form, lambda: services.rematch_request(
                relationship=relationship, by=request.user, reason=form.cleaned_data["reason"])):
            messages.success(request, "Your coordinator has your request for a rematch.")
            return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
        return render(request, "meetings/form_page.html", {
            "relationship": relationship, "form": form, "title": "Ask for a rematch",
            "intro": "Your program coordinator reads this and helps you find a better fit.",
            "action": request.path, "submit": "Send to the coordinator"})
    raise Http404


@login_required
def survey(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.is_party(request.user, relationship):
        raise PermissionDenied
    questions = selectors.survey_questions(program_id=relationship.program_id)
    form_row = getattr(relationship.program, "survey_form", None) if relationship.program_id else None
    period = selectors.survey_period(timezone.localdate(), form_row.every_months if form_row else 6)
    form = forms.SurveyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid() and apply_to_form(form, lambda: services.survey_submit(
            relationship=relationship, by=request.user, ratings=form.ratings(), comment=form.cleaned_data["comment"],
            period=period)):
        messages.success(request, "Thank you. Your answers reach the program only as aggregates.")
        return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    about = "your mentor" if request.user.pk == relationship.mentee_id else "this relationship"
    return render(request, "meetings/form_page.html", {
        "relationship": relationship, "form": form, "title": f"Feedback about {about}",
        "intro": "Rate each from 1 (not at all) to 7 (extremely well). The program sees only averages over at "
                 "least five responses, never yours alone.", "action": request.path, "submit": "Send feedback"})


FEEDBACK_LIST = ListSpec(
    name="survey-follow-up", default_sort="mentee",
    search=lambda row: f"{row.mentee_name} {row.mentor_name}",
    columns=[
        Column("mentee", "Mentee", sort=lambda row: row.mentee_name, value=lambda row: row.mentee_name),
        Column("mentor", "Mentor", sort=lambda row: row.mentor_name, value=lambda row: row.mentor_name),
        Column("mentee_answered", "Mentee answered", sort=lambda row: row.survey["mentee"],
               value=lambda row: "yes" if row.survey["mentee"] else "not yet"),
        Column("mentor_answered", "Mentor answered", sort=lambda row: row.survey["mentor"],
               value=lambda row: "yes" if row.survey["mentor"] else "not yet"),
    ])
SURVEY_FILTERS = {"": "Everyone", "waiting": "Someone has not answered", "done": "Both answered"}


@login_required
def program_feedback(request, program_id: int):
    """The program's feedback: averages (groups of five or more), response rates, and who has answered
    this period's survey (never what), with reminders for those who have not."""
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_view_program_aggregates(request.user, program.pk):
        raise PermissionDenied
    context = {
        "program": program,
        "mentee": selectors.feedback_aggregate(program_id=program.pk, role="mentee"),
        "mentor": selectors.feedback_aggregate(program_id=program.pk, role="mentor"),
        "rates": selectors.survey_response_rates(program_id=program.pk),
        "can_edit_survey": permissions.can_edit_survey(request.user, program.pk),
        "filters": SURVEY_FILTERS,
    }
    period, rows = selectors.survey_follow_up_rows(program_id=program.pk)
    if rows is not None:
        shown = request.GET.get("answered", "")
        shown = shown if shown in SURVEY_FILTERS else ""
        if shown == "waiting":
            rows = [row for row in rows if not all(row.survey.values())]
        elif shown == "done":
            rows = [row for row in rows if all(row.survey.values())]
        listing = list_page(request, rows, FEEDBACK_LIST, keep=["answered"])
        if listing.wants_export:
            return listing.export(filename=f"survey-{period}-{program.slug}.csv")
        selection = Selection(request, f"survey-follow-up-{program.pk}-{period}")
        if request.method == "POST":
            moved = selection_keep(request, selection, listing)
            if moved is not None:
                return moved
            if request.POST.get("action") == "remind":
                try:
                    count = services.survey_remind(by=request.user, program=program, relationship_ids=selection.ids,
                                                   period=period)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    selection.clear()
                    messages.success(request, f"Reminded {count} {'person' if count == 1 else 'people'} who had "
                                              "not answered (nobody is reminded twice on one day).")
            return redirect(request.get_full_path())
        context.update({"listing": listing, "selected": selection.ids, "selected_count": len(selection),
                        "answered": shown, "period": period})
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "meetings/program_feedback.html", context)


@login_required
def program_survey_edit(request, program_id: int):
    """The program's feedback survey, edited by its coordinators: questions and how often it is asked."""
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_edit_survey(request.user, program.pk):
        raise PermissionDenied
    current = getattr(program, "survey_form", None)
    questions = selectors.survey_questions(program_id=program.pk)
    form = forms.SurveyEditForm(request.POST or None, initial={
        "questions": "\n".join(q["label"] for q in questions), "every_months": current.every_months if current else 6})
    status = 200
    if request.method == "POST":
        if form.is_valid() and apply_to_form(form, lambda: services.survey_form_save(
                by=request.user, program=program, questions=form.cleaned_data["questions"],
                every_months=form.cleaned_data["every_months"])):
            messages.success(request, "The survey is saved: the next answers use these questions.")
            return redirect("meetings:program_feedback", program_id=program.pk)
        status = 422
    return render(request, "meetings/survey_edit.html", {
        "program": program, "form": form, "custom": current is not None, "questions": questions,
    }, status=status)


RELATIONSHIPS_LIST = ListSpec(
    name="relationships", default_sort="days", default_descending=True,
    search=lambda row: f"{row.mentee_name} {row.mentor_name}",
    columns=[
        Column("mentee", "Mentee", sort=lambda row: row.mentee_name, value=lambda row: row.mentee_name),
        Column("mentor", "Mentor", sort=lambda row: row.mentor_name, value=lambda row: row.mentor_name),
        Column("kind", "Kind", sort=lambda row: row.kind, value=lambda row: RELATIONSHIP_KINDS.get(row.kind, row.kind)),
        Column("started", "Started", sort=lambda row: row.started_on, value=lambda row: row.started_on),
        Column("health", "Health", sort=lambda row: HEALTH_ORDER[row.state], value=lambda row: row.state_label),
        Column("days", "Days since the last meeting", sort=lambda row: row.health.days_since,
               value=lambda row: row.health.days_since),
    ])
HEALTH_ORDER = {health_mod.ON_TRACK: 0, health_mod.AT_RISK: 1, health_mod.LAPSED: 2}
HEALTH_FILTERS = {"": "All", health_mod.ON_TRACK: "On track", health_mod.AT_RISK: "At risk",
                  health_mod.LAPSED: "Lapsed"}


@login_required
def program_health(request, program_id: int):
    """Every active relationship of a program with its health, a page at a time: filter by health, sort,
    search, export, and nudge the ones ticked (the ticks are kept across pages)."""
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_view_program_aggregates(request.user, program.pk):
        raise PermissionDenied
    state = request.GET.get("health", "")
    state = state if state in HEALTH_FILTERS else ""
    health = selectors.program_health(program_ids=[program.pk], with_attention=False)[program.pk]
    if not permissions.can_view_feedback(request.user, program.pk):
        # The network's coordinators see the counts only: who needs attention is for the program's own.
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "meetings/program_health.html", {"program": program, "health": health,
                                                                 "aggregate_only": True})
    rows = selectors.program_relationship_rows(program_id=program.pk, state=state)
    listing = list_page(request, rows, RELATIONSHIPS_LIST, keep=["health"])
    if listing.wants_export:
        return listing.export(filename=f"relationships-{state or 'all'}-{program.slug}.csv")
    selection = Selection(request, f"relationships-{program.pk}")
    may_nudge = relationship_permissions.can_coordinate_program(request.user, program.pk)
    if request.method == "POST":
        if not may_nudge:
            raise PermissionDenied
        moved = selection_keep(request, selection, listing)
        if moved is not None:
            return moved
        if request.POST.get("action") == "nudge":
            chosen = list(Relationship.objects.open().filter(program=program, pk__in=selection.ids)
                          .select_related("mentee", "mentor"))
            if not chosen:
                messages.error(request, "Tick the relationships to nudge first.")
            else:
                try:
                    count = services.relationships_nudge(relationships=chosen, by=request.user,
                                                         message=request.POST.get("message", ""))
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    selection.clear()
                    messages.success(request, f"Nudged {count} relationship{'s' if count != 1 else ''}: both "
                                              "sides of each are told.")
        return redirect(request.get_full_path())
    return render(request, "meetings/program_health.html", {
        "program": program, "health": health, "listing": listing, "state": state, "filters": HEALTH_FILTERS,
        "state_label": HEALTH_FILTERS[state],
        "selected": selection.ids, "selected_count": len(selection), "may_nudge": may_nudge})


@login_required
def rematch_queue(request, program_id: int):
    """A program's relationships that need a coordinator: rematch requests, then at-risk and lapsed ones,
    each with the actions the coordinator may take (close, reassign, pause, pair the mentee by hand, nudge)."""
    program = get_object_or_404(Program, pk=program_id)
    if not relationship_permissions.can_coordinate_program(request.user, program.pk):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "handle":
                item = get_object_or_404(RematchRequest.objects.select_related("relationship"),
                                         pk=request.POST.get("request_id"), relationship__program=program)
                services.rematch_request_handle(request=item, by=request.user)
                messages.success(request, "The rematch request is handled and leaves the queue.")
            elif action == "nudge":
                ids = [int(x) for x in request.POST.getlist("relationship") if x.isdecimal()]
                chosen = list(Relationship.objects.open().filter(program=program, pk__in=ids)
                              .select_related("mentee", "mentor"))
                if not chosen:
                    messages.error(request, "Tick the relationships to nudge first.")
                else:
                    count = services.relationships_nudge(relationships=chosen, by=request.user,
                                                         message=request.POST.get("message", ""))
                    messages.success(request, f"Nudged {count} relationship{'s' if count != 1 else ''}: both sides "
                                              "of each are told.")
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:rematch_queue", program_id=program.pk)
    health = selectors.program_health(program_ids=[program.pk])[program.pk]
    return render(request, "meetings/rematch_queue.html", {
        "program": program, "rematch_requests": selectors.open_rematch_requests(program=program),
        "attention": health["attention"][:200], "more": max(0, len(health["attention"]) - 200),
        "here": reverse("meetings:rematch_queue", args=[program.pk])})


# --- calendar ----------------------------------------------------------------------------------------

@login_required
@require_GET
def meeting_ics(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    response = HttpResponse(calendar.meeting_ics(meeting, request.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentora-meeting-{meeting.pk}.ics"'
    return response


@require_GET
def calendar_feed(request, token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    meetings = selectors.calendar_meetings_for(user=feed.user)
    response = HttpResponse(calendar.feed_ics(meetings, feed.user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "enable":
            services.calendar_feed_enable(by=request.user)
            messages.success(request, "Your calendar feed is on.")
        elif request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(by=request.user, replace=True)
            messages.success(request, "The old feed address no longer works; here is a new one.")
        elif request.POST.get("action") == "off":
            services.calendar_feed_revoke(by=request.user, replace=False)
            messages.success(request, "Your calendar feed is off.")
        return redirect("meetings:calendar_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = absolute_url(reverse("meetings:calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "meetings/calendar_settings.html", {"feed": feed, "feed_url": feed_url})


# --- resource library --------------------------------------------------------------------------------

def _resource_scopes(user) -> list[tuple[str, str]]:
    """The levels this person curates, as choices: the whole site, their networks, their programs."""
    roles = user_roles(user=user)
    if user.is_superuser:
        networks = list(Network.objects.all()[:200])
        programs = list(Program.objects.all()[:200])
    else:
        networks = list(Network.objects.filter(pk__in=roles.coordinated_network_ids))
        programs = list(Program.objects.filter(pk__in=roles.coordinated_program_ids))
    scopes = [("site", "Everyone (site-wide)")] if user.is_superuser else []
    scopes += [(f"network:{n.pk}", f"Network: {n.name}") for n in networks]
    scopes += [(f"program:{p.pk}", f"Program: {p.name}") for p in programs]
    return scopes


def _scope_owner(scope: str):
    """("site" | "network:<id>" | "program:<id>") -> (program, network); the service checks the right to it."""
    level, _, pk = scope.partition(":")
    if level == "program" and pk.isdecimal():
        return get_object_or_404(Program, pk=int(pk)), None
    if level == "network" and pk.isdecimal():
        return None, get_object_or_404(Network, pk=int(pk))
    return None, None


@login_required
def resource_list(request):
    resources = list(permissions.resources_visible_to(request.user).select_related("program", "network")
                     .order_by("topic", "title"))
    for resource in resources:
        resource.can_remove = permissions.can_curate_resources(
            request.user, program_id=resource.program_id, network_id=resource.network_id)
    by_topic = [(code, label, [r for r in resources if r.topic == code]) for code, label in RESOURCE_TOPICS.items()]
    scopes = _resource_scopes(request.user)
    form = None
    if scopes:
        form = forms.ResourceForm(request.POST or None, request.FILES or None, scopes=scopes)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            program, network = _scope_owner(data["scope"])
            try:
                services.resource_create(by=request.user, topic=data["topic"], title=data["title"],
                                         description=data["description"], url=data["url"],
                                         document=data["document"], program=program, network=network)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "messages", [str(error)]))
            else:
                messages.success(request, "The resource is in the library.")
                return redirect("meetings:resource_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "meetings/resource_list.html", {"by_topic": by_topic, "form": form})


@login_required
@require_POST
def resource_delete(request, resource_id: int):
    resource = get_object_or_404(Resource, pk=resource_id)
    services.resource_delete(resource=resource, by=request.user)
    messages.success(request, "The resource is removed.")
    return redirect("meetings:resource_list")


@login_required
@require_GET
def resource_document(request, resource_id: int):
    """The uploaded document, to those who may read the resource, as a download (never shown inline)."""
    resource = get_object_or_404(Resource, pk=resource_id)
    if not permissions.can_view_resource(request.user, resource):
        raise PermissionDenied
    if not resource.document:
        raise Http404
    try:
        handle = resource.document.open("rb")
    except OSError:
        raise Http404 from None
    return attachment_response(handle, kind=resource.document_kind, filename=resource.document_name or "document")
