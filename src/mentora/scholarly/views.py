from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership, Program
from mentora.programs.selectors import network_program_ids, programs_coordinated_by
from mentora.relationships.models import Relationship

from . import permissions, selectors, services
from .forms import MoveForm, ProjectForm
from .models import ScholarlyProject, Stage

User = get_user_model()


def _stalled_days(request) -> int | None:
    """The board's stalled threshold can be changed per view (?stalled_days=N, 1–730)."""
    try:
        days = int(request.GET.get("stalled_days", ""))
    except ValueError:
        return None
    return days if 1 <= days <= 730 else None


@login_required
def my_board(request):
    me = request.user
    projects = permissions.visible_projects(me).filter(
        Q(id__in=ScholarlyProject.objects.filter(owners=me).values("id"))
        | Q(id__in=ScholarlyProject.objects.filter(mentors=me).values("id"))
    )
    is_mentee = Membership.objects.filter(user=me, role="mentee", academic_year=current_academic_year()).exists()
    context = _board_context(
        request, projects, "My scholarly projects", request.path,
        "Projects you own or mentor, from idea to publication.",
        reverse("scholarly:scholarly_project_new", args=[me.pk]) if is_mentee else None,
    )
    context["program_boards"] = list(programs_coordinated_by(user=me)[:50])
    return render(request, "scholarly/board.html", context)


def _board_context(request, projects, title, board_url, subtitle, new_url, limit=None):
    return {
        "title": title, "subtitle": subtitle, "board_url": board_url, "new_url": new_url, "stages": Stage.choices,
        "board": selectors.project_board(projects=projects, stalled_days=_stalled_days(request),
                                         limit_per_stage=limit),
        "limit": limit,
    }


@login_required
def mentee_board(request, mentee_id: int):
    mentee = get_object_or_404(User, pk=mentee_id)
    if not permissions.can_view_mentee_board(request.user, mentee):
        raise PermissionDenied
    projects = permissions.visible_projects(request.user).filter(owners=mentee)
    new_url = reverse("scholarly:scholarly_project_new", args=[mentee.pk]) \
        if permissions.can_start_project_for(request.user, mentee) else None
    return render(request, "scholarly/board.html", _board_context(
        request, projects, f"Scholarly projects of {mentee.display_name}", request.path, "", new_url))


PROGRAM_BOARD_CARDS_PER_STAGE = 25  # the oldest (most likely stuck) of each stage; "Stalled only" narrows it


@login_required
def program_board(request, program_id: int):
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_view_program_board(request.user, program):
        if program.pk in network_program_ids(user=request.user):
            # The network's coordinators see the pipeline as figures: the program's dashboard section.
            return redirect(f"{reverse('insights:insights_dashboard')}?program={program.pk}#scholarly")
        raise PermissionDenied
    projects = ScholarlyProject.objects.filter(program=program)
    stalled_only = request.GET.get("stalled") == "1"
    if stalled_only:
        projects = projects.filter(selectors.stalled_q(days=_stalled_days(request)))
    context = _board_context(request, projects, f"Scholarly projects — {program.name}", request.path,
                             "Every project of the program's mentees, by stage.", None,
                             limit=PROGRAM_BOARD_CARDS_PER_STAGE)
    context["stalled_only"] = stalled_only
    context["program"] = program
    return render(request, "scholarly/board.html", context)


def _mentor_choices(mentee, project: ScholarlyProject | None = None):
    team = Relationship.objects.filter(mentee=mentee, status__in=Relationship.OPEN_STATUSES).values("mentor_id")
    condition = Q(pk__in=team)
    if project is not None:
        condition |= Q(pk__in=project.mentors.values("id"))
    return User.objects.filter(condition).order_by("full_name")


@login_required
def project_new(request, mentee_id: int):
    mentee = get_object_or_404(User, pk=mentee_id)
    if not permissions.can_start_project_for(request.user, mentee):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, mentor_choices=_mentor_choices(mentee))
    if request.method == "POST" and form.is_valid():
        membership = Membership.objects.filter(user=mentee, role="mentee", academic_year=current_academic_year()) \
            .order_by("program_id").first()
        data = form.cleaned_data
        try:
            project = services.project_create(
                by=request.user, title=data["title"], kind=data["kind"], owners=[mentee],
                mentors=list(data["mentors"]), program=membership.program if membership else None,
                summary=data["summary"], target_venue=data["target_venue"],
                abstract_deadline=data["abstract_deadline"], submission_deadline=data["submission_deadline"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Project “{project.title}” added at the idea stage.")
            return redirect("scholarly:scholarly_project_detail", project_id=project.pk)
    return render(request, "scholarly/project_form.html", {"form": form, "mentee": mentee, "project": None})


@login_required
def project_detail(request, project_id: int):
    try:
        project = selectors.project_detail(project_id=project_id)
    except ScholarlyProject.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_project(request.user, project):
        raise PermissionDenied
    owners = list(project.owners.all())
    form = ProjectForm(request.POST or None, instance=project,
                       mentor_choices=_mentor_choices(owners[0] if owners else None, project),
                       initial={"mentors": list(project.mentors.all())})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.project_update(
                    project=project, title=data["title"], kind=data["kind"], summary=data["summary"],
                    target_venue=data["target_venue"], abstract_deadline=data["abstract_deadline"],
                    submission_deadline=data["submission_deadline"], mentors=list(data["mentors"]),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Project saved.")
                return redirect("scholarly:scholarly_project_detail", project_id=project.pk)
        project.refresh_from_db()
    project.is_stalled = selectors.is_stalled(project)
    return render(request, "scholarly/project_detail.html", {
        "project": project, "form": form, "owners": owners, "stages": Stage.choices,
        "history": list(project.stage_changes.all()),
    })


@login_required
@require_POST
def project_move(request, project_id: int):
    project = get_object_or_404(ScholarlyProject, pk=project_id)
    if not permissions.can_change_project(request.user, project):
        raise PermissionDenied
    form = MoveForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("scholarly:scholarly_project_detail", args=[project.pk])
    if not form.is_valid():
        messages.error(request, "Choose a stage to move the project to.")
        return redirect(next_url)
    services.project_move(project=project, stage=form.cleaned_data["stage"], by=request.user)
    messages.success(request, f"“{project.title}” moved to {Stage(form.cleaned_data['stage']).label}.")
    return redirect(next_url)
