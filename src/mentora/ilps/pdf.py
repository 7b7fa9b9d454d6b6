"""The printable PDF of a learning plan (WeasyPrint), with the sign-off block.

The HTML is rendered by Django from templates/ilps/pdf.html with its own print stylesheet
(black on white, serif-free, page numbers, no links needed to understand it). WeasyPrint
needs Debian's pango (libpango-1.0-0, libpangoft2-1.0-0), which .ci/run installs.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from mentora.relationships.models import Relationship

from .models import Domain, LearningPlan
from .selectors import plan_review_due_on


def plan_pdf_html(*, plan: LearningPlan) -> str:
    mentors = [relationship.mentor for relationship in Relationship.objects.open().filter(mentee_id=plan.mentee_id)
               .select_related("mentor", "mentor__profile_photo").order_by("created_at")]
    return render_to_string("ilps/pdf.html", {
        "plan": plan,
        "mentors": list({mentor.pk: mentor for mentor in mentors}.values()),
        "goals": list(plan.goals.all()),
        "assessment": [(label, plan.self_assessment.get(value, {})) for value, label in Domain.choices
                       if any(plan.self_assessment.get(value, {}).values())],
        "review_due_on": plan_review_due_on(plan),
        "printed_at": timezone.localtime(),
    })


def plan_pdf_bytes(*, plan: LearningPlan, request=None) -> bytes:
    from weasyprint import HTML  # lazily: WeasyPrint (and its Pango/Cairo) loads only when a PDF is made

    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=plan_pdf_html(plan=plan), base_url=base_url).write_pdf()
