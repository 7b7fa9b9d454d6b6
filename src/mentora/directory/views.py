"""Pages for finding a mentor. Thin: permissions, selectors and services do the work."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentora.core.lists import Column, ListSpec, list_page
from mentora.profiles.models import SensitiveAttributes
from mentora.programs.selectors import user_roles

from . import permissions, selectors, services
from .forms import (
    AnswerForm,
    DirectoryFilterForm,
    PreferencesForm,
    ProposalForm,
    ReferralForm,
    ReferralHistoryFilterForm,
    RequestForm,
)
from .matching import recommendations_for
from .models import MatchPreferences, MentorshipRequest, ReferralRequest

User = get_user_model()


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def directory(request):
    form = DirectoryFilterForm(request.GET or None, time_zones=selectors.directory_time_zones())
    filters = form.cleaned_data if form.is_valid() else {}
    result = selectors.directory_page(filters, request.GET.get("cursor"), page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    rows = selectors.mentor_cards(viewer=request.user, mentors=[offer.user for offer in result.page.object_list],
                                  loads=result.load)
    template = "directory/_results.html" if request.htmx else "directory/directory.html"
    return render(request, template, {"form": form, "page": result.page, "rows": rows,
                                      "query": query.urlencode(),
                                      "query_fields": [(name, value) for name in query for value in query.getlist(name)],
                                      # shown on the folded filter drawer of a phone: how many filters are on
                                      "active_filters": sum(1 for name, value in filters.items()
                                                            if value and name not in ("q", "sort"))})


@login_required
def recommended(request):
    kind = request.GET.get("kind") or None
    ranked = recommendations_for(request.user, limit=10, kind=kind)
    mentors = selectors.mentors_by_id(row["mentor"] for row in ranked)
    rows = selectors.mentor_cards(viewer=request.user, mentors=[mentors[row["mentor"]] for row in ranked
                                                                if row["mentor"] in mentors], ranked=ranked)
    has_preferences = MatchPreferences.objects.filter(user=request.user).exists()
    return render(request, "directory/recommended.html", {
        "rows": rows, "has_preferences": has_preferences, "kind": kind})


@login_required
def preferences(request):
    instance = MatchPreferences.objects.filter(user=request.user).first() or MatchPreferences(user=request.user)
    attributes = SensitiveAttributes.objects.filter(user=request.user, consented_at__isnull=False).first()
    can_ask = attributes is not None
    initial = {"concordance_wanted": attributes.concordance_wanted} if attributes else {}
    form = PreferencesForm(request.POST or None, instance=instance, initial=initial, can_ask_concordance=can_ask)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.preferences_update(
                by=request.user, weights={name: data[name] for name in form.Meta.fields if name != "concordance"},
                concordance_wanted=data.get("concordance_wanted") if can_ask else None,
                concordance_weight=data["concordance"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved. Your recommendations now follow what matters to you.")
            return redirect("directory:recommended")
    return render(request, "directory/preferences.html", {"form": form, "can_ask": can_ask})


@login_required
def request_new(request, mentor_id: int):
    mentor = get_object_or_404(User.objects.select_related("profile", "mentor_offer"), pk=mentor_id)
    if not permissions.can_request_mentor(request.user, mentor):
        raise PermissionDenied
    offer = mentor.mentor_offer
    try:
        services.check_can_ask(mentee=request.user, mentor=mentor, offer=offer)
    except ValidationError as error:  # a current or a full mentor: say why, and offer no form
        return render(request, "directory/request_new.html", {"mentor": mentor, "offer": offer,
                                                              "refused": _errors(error)})
    form = RequestForm(request.POST or None, kinds=offer.kinds_offered or None,
                       initial={"kind": request.GET.get("kind") or (offer.kinds_offered or ["career"])[0]})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(by=request.user, mentor=mentor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Your request went to {mentor.display_name}.")
            return redirect("directory:request_detail", request_id=created.pk)
    return render(request, "directory/request_new.html", {"form": form, "mentor": mentor, "offer": offer})


@login_required
def request_list(request):
    received = list_page(request, selectors.requests_received(mentor=request.user), RECEIVED_LIST,
                         prefix="received-", keep=["sent-q", "sent-sort", "sent-page"])
    if received.wants_export:
        return received.export(filename="requests-received.csv")
    sent = list_page(request, selectors.requests_sent(mentee=request.user), SENT_LIST, prefix="sent-",
                     keep=["received-q", "received-sort", "received-page"])
    if sent.wants_export:
        return sent.export(filename="requests-sent.csv")
    return render(request, "directory/request_list.html", {"received": received, "sent": sent})


def _request_columns(other: str, label: str) -> list[Column]:
    return [
        Column(other, label, sort=f"{other}__full_name", value=lambda r: getattr(r, other).display_name),
        Column("kind", "Kind", sort="kind", value=lambda r: r.get_kind_display()),
        Column("status", "Status", sort="status", value=lambda r: r.get_status_display()),
        Column("sent", "Sent", sort="created_at", value=lambda r: r.created_at.date()),
    ]


RECEIVED_LIST = ListSpec(name="requests-received", columns=_request_columns("mentee", "Mentee"), default_sort="sent",
                         default_descending=True, search=("mentee__full_name", "mentee__email"))
SENT_LIST = ListSpec(name="requests-sent", columns=_request_columns("mentor", "Mentor"), default_sort="sent",
                     default_descending=True, search=("mentor__full_name",))


@login_required
def request_detail(request, request_id: int):
    item = selectors.request_for(request.user, request_id)
    is_mentor = item.mentor_id == request.user.pk
    return render(request, "directory/request_detail.html", {
        "item": item, "answer_form": AnswerForm(),
        "summary": selectors.request_mentee_summary(request=item) if is_mentor else None,
        "can_answer": permissions.can_answer_request(request.user, item),
        "can_withdraw": permissions.can_withdraw_request(request.user, item),
        "is_mentee": item.mentee_id == request.user.pk,
    })


@login_required
@require_POST
def request_answer(request, request_id: int, action: str):
    item = selectors.request_for(request.user, request_id)
    form = AnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if action == "accept":
            if not permissions.can_answer_request(request.user, item):
                raise PermissionDenied
            relationship = services.request_accept(request_id=item.pk, by=request.user, note=note)
            messages.success(request, f"You now mentor {item.mentee.display_name}. Start with the agreement "
                                      "and your first meeting.")
            return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
        elif action == "decline":
            if not permissions.can_answer_request(request.user, item):
                raise PermissionDenied
            services.request_decline(request_id=item.pk, by=request.user, note=note)
            messages.success(request, "Declined. The mentee is told what they can do next.")
        elif action == "withdraw":
            if not permissions.can_withdraw_request(request.user, item):
                raise PermissionDenied
            services.request_withdraw(request_id=item.pk, by=request.user)
            messages.success(request, "Your request is withdrawn.")
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("directory:request_detail", request_id=item.pk)


@login_required
def mentoring_team(request):
    return render(request, "directory/team.html", {
        "team": selectors.mentoring_team(mentee=request.user),
        "pending": selectors.requests_sent(mentee=request.user).filter(status=MentorshipRequest.Status.PENDING),
    })


@login_required
def referral_list(request):
    history_filter = ReferralHistoryFilterForm(request.GET or None)
    next_step = history_filter.cleaned_data["outcome"] if history_filter.is_valid() else ""
    return render(request, "directory/referral_list.html", {
        "mine": ReferralRequest.objects.filter(mentee=request.user).select_related("network"),
        "queue": selectors.referral_queue(request.user)[:200],
        "history": selectors.referral_history(request.user, next_step=next_step)[:100],
        "history_filter": history_filter,
        "is_network_coordinator": user_roles(user=request.user).is_network_coordinator or request.user.is_superuser,
    })


@login_required
def referral_new(request):
    networks = permissions.askable_networks(request.user)
    form = ReferralForm(request.POST or None, networks=networks, initial={"network": networks.first()})
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your referral request went to the network's coordinators.")
            return redirect("directory:referral_detail", referral_id=referral.pk)
    return render(request, "directory/referral_new.html", {"form": form})


@login_required
def referral_detail(request, referral_id: int):
    referral = selectors.referral_for(request.user, referral_id)
    proposals = list(referral.proposals.select_related(
        "mentor", "mentor__profile", "mentor__profile__institution", "mentor__mentor_offer", "mentor__profile_photo"))
    context = {"referral": referral, "proposals": proposals,
               "proposal_cards": selectors.mentor_cards(viewer=request.user, for_person=referral.mentee,
                                                        mentors=[proposal.mentor for proposal in proposals])}
    if permissions.can_answer_referral(request.user, referral):
        ranked = recommendations_for(referral.mentee, limit=10, kind=referral.kind)
        mentors = selectors.mentors_by_id(row["mentor"] for row in ranked)
        candidates = [(row["mentor"], mentors[row["mentor"]].display_name) for row in ranked if row["mentor"] in mentors]
        # Beyond the engine's ten: the coordinator's own search, and on a POST whichever directory mentors
        # were ticked from it (the service checks each accepts new mentees).
        search_text = request.GET.get("q", "")[:100]
        found = selectors.referral_mentor_search(text=search_text, exclude_id=referral.mentee_id)
        ticked = [int(pk) for pk in request.POST.getlist("mentors") if pk.isdecimal()] if request.method == "POST" else []
        extra = found + list(selectors.mentors_by_id(pk for pk in ticked if pk not in mentors).values())
        known = {pk for pk, _name in candidates}
        candidates += [(user.pk, user.display_name) for user in extra if user.pk not in known]
        context.update({"search_text": search_text, "search_results": [u for u in found if u.pk not in mentors]})
        form = ProposalForm(request.POST or None, candidates=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                services.referral_propose(referral_id=referral.pk, by=request.user,
                                          mentor_ids=form.cleaned_data["mentors"], note=form.cleaned_data["note"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your proposal went to the mentee.")
                return redirect("directory:referral_detail", referral_id=referral.pk)
        context.update({"proposal_form": form, "candidates": selectors.mentor_cards(
            viewer=request.user, for_person=referral.mentee, mentors=[mentors[row["mentor"]] for row in ranked if row["mentor"] in mentors],
            ranked=ranked)})
    elif request.method == "POST":
        raise PermissionDenied
    context["can_pick"] = permissions.can_pick_referral(request.user, referral)
    context["request_form"] = RequestForm(prefix="pick")
    return render(request, "directory/referral_detail.html", context)


@login_required
@require_POST
def referral_pick(request, referral_id: int):
    referral = selectors.referral_for(request.user, referral_id)
    if not permissions.can_pick_referral(request.user, referral):
        raise PermissionDenied
    try:
        mentor_id = int(request.POST.get("mentor", ""))
    except ValueError:
        mentor_id = 0
    try:
        created = services.referral_pick(referral_id=referral.pk, by=request.user, mentor_id=mentor_id,
                                         why=request.POST.get("why", ""), hopes=request.POST.get("hopes", ""))
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("directory:referral_detail", referral_id=referral.pk)
    messages.success(request, "Your request went out.")
    return redirect("directory:request_detail", request_id=created.pk)


@login_required
@require_POST
def referral_cancel(request, referral_id: int):
    referral = selectors.referral_for(request.user, referral_id)
    if not permissions.can_cancel_referral(request.user, referral):
        raise PermissionDenied
    try:
        services.referral_cancel(referral_id=referral.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("directory:referral_list")
